"""Two small ASGI middlewares the hub runs every request through (plain ASGI: they touch
the path and the headers, never the bodies, so uploads stream as before)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import unquote


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
