"""Small ASGI middlewares the hub runs every request through (plain ASGI: they touch the
path and the headers, never the bodies, so uploads stream as before)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import unquote


class KeepEncodedSlashes:
    """Keep ``%2F`` and ``%25`` in a path part: the client sends ``refs/pr/1`` as
    ``refs%2Fpr%2F1`` and a file named ``100%.txt`` as ``100%25.txt``.

    Routes are matched on the decoded path, where that revision would become three parts
    and match no route; decoding everything but ``%2F`` and ``%25`` keeps it one part.
    Path parameters then hold those two escapes, and :func:`.safety.check_revision` and
    ``routes.files.url_path`` unquote them once (without the ``%25``, a file named
    ``a%2Fb.txt`` would have been read as the folder ``a``). Plain ASGI: it only touches
    the path, never the bodies.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        raw = scope.get("raw_path") or b""
        if scope["type"] == "http" and (b"%2f" in raw.lower() or b"%25" in raw):
            path = unquote(re.sub("%(2[fF]|25)", r"%25\1", raw.decode("latin-1")))
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


class RootPath:
    """Serve the hub at ``/`` and also under a path prefix (``serve --root-path``).

    JupyterHub's proxy forwards ``https://jupyterhub/services/workshop-hub/...`` to the hub
    with the prefix kept. A request under the prefix gets it as its ASGI ``root_path``:
    Starlette then matches routes without it, ``request.base_url`` (the links in API
    replies) and the web pages' links carry it, and :func:`.deps.token_required_outside`
    asks it for a token. A request without the prefix (a kernel's, at the direct address)
    is served as before.
    """

    def __init__(self, app, prefix: str):
        self.app, self.prefix = app, prefix.rstrip("/")

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            scope = {**scope, "root_path": self.prefix}
        await self.app(scope, receive, send)
