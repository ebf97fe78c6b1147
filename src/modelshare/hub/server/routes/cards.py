"""``POST /api/validate-yaml``: the check huggingface_hub runs before committing a README.md."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from modelshare.hub.server.deps import JsonBody, error_response
from modelshare.hub.server.storage import HubError
from modelshare.hub.server.validate_yaml import validate_yaml

router = APIRouter(tags=["cards"])


@router.post("/api/validate-yaml")
async def validate_yaml_route(request: Request, body: JsonBody) -> Response:
    """``{"errors": [...], "warnings": [...]}``, a 400 when there are errors; as plain text
    lines (``- Error: ...``) for ``ModelCard.validate()``, which asks for text."""
    content = body.get("content")
    if not isinstance(content, str):
        raise HubError(400, "send the README text as 'content'")
    result = validate_yaml(content, str(body.get("repoType") or "model"))
    if request.headers.get("accept", "").startswith("text/plain"):
        lines = [f"- Error: {e['message']}" for e in result["errors"]]
        lines += [f"- Warning: {w['message']}" for w in result["warnings"]]
        return PlainTextResponse("\n".join(lines), status_code=400 if result["errors"] else 200)
    if result["errors"]:
        first = result["errors"][0]["message"]
        return error_response(HubError(400, f"Invalid metadata in README.md: {first}"), result)
    return JSONResponse(result)
