"""Is the hub up, and who am I?"""

from __future__ import annotations

from fastapi import APIRouter

from modelshare.hub.server.deps import User
from modelshare.hub.server.storage import HubError

router = APIRouter(tags=["account"])


@router.get("/api/status")
def status() -> dict:
    """Is the hub up? (used by launchers and tests to wait for the server)."""
    return {"ok": True, "server": "modelshare workshop hub"}


@router.get("/api/whoami-v2")
def whoami(user: User) -> dict:
    """``HfApi.whoami()``: the token's user, with a write role (the workshop hub has no others)."""
    if user is None:
        raise HubError(401, "You must send a token: set HF_TOKEN or run `hf auth login`")
    return {
        "type": "user", "id": user, "name": user, "fullname": user, "email": None,
        "emailVerified": False, "isPro": False, "canPay": False, "orgs": [],
        "auth": {"type": "access_token",
                 "accessToken": {"displayName": "workshop hub token", "role": "write"}},
    }
