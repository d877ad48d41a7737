"""Every workspace, one deployment: OAuth installs (pmbot's database keeps them), each
workspace's data in a database of its own, its services built on first use, tips
posted with its own token, and an uninstall that deletes it all (docs/workspaces.md)."""
