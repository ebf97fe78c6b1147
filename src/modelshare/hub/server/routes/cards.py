"""``POST /api/validate-yaml``: the check huggingface_hub runs before committing a README.md."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from modelshare.hub.server.deps import JsonBody, error_response
from modelshare.hub.server.storage import HubError
from modelshare.hub.server.validate_yaml import validate_yaml

router = APIRouter(tags=["cards"])


@router.post("/api/validate-yaml")
async def validate_yaml_route(body: JsonBody) -> Response:
    content = body.get("content")
    if not isinstance(content, str):
        raise HubError(400, "send the README text as 'content'")
    result = validate_yaml(content, str(body.get("repoType") or "model"))
    if result["errors"]:
        first = result["errors"][0]["message"]
        return error_response(HubError(400, f"Invalid metadata in README.md: {first}"), result)
    return JSONResponse(result)
