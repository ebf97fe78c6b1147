"""The workshop hub's web application: the routers of :mod:`.routes` and :mod:`.web` on one store.

Each router holds one topic of the Hugging Face Hub API that ``huggingface_hub``,
``transformers`` and ``datasets`` use; :mod:`.deps` gives them the store, the user and
the repo. ``modelshare hub serve`` (:mod:`.serve`) runs this app with uvicorn::

    uvicorn.run(create_app(Path("hub-data")), host="127.0.0.1", port=8765)
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import unquote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from modelshare.hub.server import deps, web
from modelshare.hub.server.routes import (
    account,
    cards,
    discussions,
    files,
    refs,
    repos,
    uploads,
)
from modelshare.hub.server.safety import check_name
from modelshare.hub.server.storage import HubError, Storage

ROUTERS = (account, repos, files, uploads, refs, discussions, cards, web)


def create_app(data_dir: Path, limits: deps.Limits | None = None, owner: str = "learner") -> FastAPI:
    """The hub on the data folder ``data_dir``; ``owner`` gets a token in ``tokens/{owner}.token``."""
    store = Storage(data_dir)
    store.lock_for_serving()
    store.add_user(check_name(owner, "user name"))  # keeps the owner's token if it has one
    app = FastAPI(title="modelshare workshop hub", description="The part of the Hugging Face "
                  "Hub API used by huggingface_hub, transformers and datasets.",
                  docs_url=None, redoc_url=None)  # their pages load scripts from a CDN: web.py
                                                  # serves /docs without any
    app.state.store, app.state.limits = store, limits or deps.Limits()
    app.add_exception_handler(HubError, deps.on_hub_error)
    app.add_exception_handler(RequestValidationError, deps.on_bad_request)
    app.add_exception_handler(StarletteHTTPException, deps.on_http_error)
    app.add_middleware(KeepEncodedSlashes)
    app.add_middleware(RequestIds)
    for module in ROUTERS:
        app.include_router(module.router)
    return app


class KeepEncodedSlashes:
    """Keep ``%2F`` in a path part: the client sends ``refs/pr/1`` as ``refs%2Fpr%2F1``.

    Routes are matched on the decoded path, where that revision would become three parts
    and match no route; decoding everything but ``%2F`` keeps it one part, and
    :func:`.safety.check_revision` turns it back into ``refs/pr/1``. (Plain ASGI: it only
    touches the path, never the bodies.)
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        raw = scope.get("raw_path") or b""
        if scope["type"] == "http" and b"%2f" in raw.lower():
            path = unquote(re.sub("%2[fF]", "%252F", raw.decode("latin-1")))
            scope = {**scope, "path": path}
        await self.app(scope, receive, send)


class RequestIds:
    """Answer every request with an ``X-Request-Id`` (the client's trace id when it sent one):
    huggingface_hub puts it in its error messages, so a learner's error and the hub's log
    can be matched."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        sent = dict(scope.get("headers") or [])
        request_id = (sent.get(b"x-request-id") or sent.get(b"x-amzn-trace-id")
                      or uuid.uuid4().hex.encode())

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"x-request-id", request_id[:200])]}
            await send(message)

        await self.app(scope, receive, send_with_id)
