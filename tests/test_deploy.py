"""The deployment files: the manifest justifies each scope, and the files a
platform reads (Dockerfile, compose.yaml, buildpack files) are present and agree
with what CI runs outside Docker."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO


def scope_reasons() -> dict[str, str]:
    text = (REPO / "manifest.yml").read_text("utf-8")
    found = re.findall(r"^\s+- ([a-z_.:]+)\s+# (.+)$", text.split("scopes:", 1)[1], re.M)
    return dict(found)


def test_every_scope_has_a_reason_and_history_is_optional() -> None:
    manifest = yaml.safe_load((REPO / "manifest.yml").read_text("utf-8"))
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    reasons = scope_reasons()
    assert sorted(reasons) == sorted(scopes)
    assert all(len(reason) > 10 for reason in reasons.values())
    optional = sorted(s for s, reason in reasons.items() if reason.startswith("optional"))
    assert optional == ["channels:history", "groups:history"]
