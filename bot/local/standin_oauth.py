"""The stand-in's OAuth side: `oauth.v2.access` as Slack answers it (a code exchanged
once for a bot token; a refresh token exchanged for a new pair when tokens rotate),
and which workspace each token belongs to, for `auth.test`."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, replace
from typing import Any

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "0123456789abcdef0123456789abcdef"
ROTATED_SECONDS = 43_200  # Slack's rotating tokens last twelve hours


@dataclass(frozen=True)
class Grant:
    """What one install gives: a workspace (or an org) and its bot."""

    team_id: str | None
    enterprise_id: str | None = None
    org: bool = False  # an org-wide install: no team
    installer: str = "UINSTALLER"
    rotating: bool = False
    expires_in: int = ROTATED_SECONDS


class OAuthStandIn:
    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self._codes: dict[str, Grant] = {}
        self._tokens: dict[str, Grant] = {}  # bot token -> whose
        self._refresh: dict[str, Grant] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def grant(self, grant: Grant) -> str:
        """A code Slack would send to the redirect after the user clicked Allow."""
        with self._lock:
            code = f"code-{next(self._ids)}"
            self._codes[code] = grant
        return code

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)

    def owner(self, token: str) -> Grant | None:
        with self._lock:
            return self._tokens.get(token)

    @property
    def issued(self) -> bool:
        with self._lock:
            return bool(self._tokens)

    def access(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("client_id") != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if p.get("client_secret") != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        with self._lock:
            if p.get("grant_type") == "refresh_token":
                grant = self._refresh.pop(str(p.get("refresh_token") or ""), None)
                if grant is None:
                    return {"ok": False, "error": "invalid_refresh_token"}
                return self._issue(grant, refreshed=True)
            grant = self._codes.pop(str(p.get("code") or ""), None)  # a code works once
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            return self._issue(grant, refreshed=False)

    def _issue(self, grant: Grant, refreshed: bool) -> dict[str, Any]:
        n = next(self._ids)
        token = f"xoxb-{grant.team_id or grant.enterprise_id}-{n}"
        self._tokens[token] = grant
        answer: dict[str, Any] = {"ok": True, "access_token": token, "token_type": "bot"}
        if grant.rotating:
            refresh = f"xoxe-1-{n}"
            self._refresh[refresh] = replace(grant)
            answer |= {"refresh_token": refresh, "expires_in": grant.expires_in}
        if refreshed:
            return answer
        team = None if grant.org else {"id": grant.team_id, "name": f"Team {grant.team_id}"}
        enterprise = {"id": grant.enterprise_id, "name": "Org"} if grant.enterprise_id else None
        return answer | {
            "scope": "commands,chat:write",
            "bot_user_id": "UPMBOT0001",
            "app_id": "APMBOT0001",
            "team": team,
            "enterprise": enterprise,
            "is_enterprise_install": grant.org,
            "authed_user": {"id": grant.installer},
        }

    def auth_test(self, grant: Grant) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://local.slack.invalid/",
            "team": f"Team {grant.team_id}",
            "user": "pmbot",
            "team_id": grant.team_id,
            "enterprise_id": grant.enterprise_id,
            "is_enterprise_install": grant.org,
            "user_id": "UPMBOT0001",
            "bot_id": "BPMBOT0001",
        }
