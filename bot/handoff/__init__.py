"""The hand-off: "Ask a person" on a decline or a 👎 sends the question to the people
who can answer it, and tells the asker when one of them replies."""
