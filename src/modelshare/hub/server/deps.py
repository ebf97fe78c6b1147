"""What the routes share, as FastAPI dependencies: the store, the limits, the user, the repo.

A route asks for what it needs in its signature and FastAPI provides it::

    @router.get("/api/{kind}/{ns}/{name}/refs")
    def list_refs(repo: Repo = Depends(readable_repo), store: Storage = Depends(get_store)):
        ...

Dependencies are solved in the order of the parameters. Routes that receive a body
list ``Depends(read_body)`` (or ``read_json``) *before* the repo: the body is read
in full before anything is refused (see :func:`read_body`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from modelshare.hub.server.storage import HubError, Repo, Storage

KINDS = {"models": "model", "datasets": "dataset", "spaces": "space"}
DRAIN_LIMIT = 1024 * 1024 * 1024  # a refused body is read and thrown away up to this size


@dataclass(frozen=True)
class Limits:
    """Size limits, in bytes: any request body except LFS uploads, and one LFS file."""

    max_request_bytes: int = 64 * 1024 * 1024
    max_file_bytes: int = 5 * 1024 * 1024 * 1024
    lfs_threshold: int = 1024 * 1024  # files at least this big travel through LFS


# -- the application's state ----------------------------------------------------------


def get_store(request: Request) -> Storage:
    return request.app.state.store


def get_limits(request: Request) -> Limits:
    return request.app.state.limits


Store = Annotated[Storage, Depends(get_store)]
HubLimits = Annotated[Limits, Depends(get_limits)]


def route_path(request: Request) -> str:
    """The request's path without the root path (``serve --root-path``), as routes see it."""
    root, path = request.scope.get("root_path", ""), request.url.path
    return path[len(root):] or "/" if root and path.startswith(root) else path


def base_url(request: Request) -> str:
    """The hub's address as the client sees it, e.g. ``http://127.0.0.1:8765``."""
    return str(request.base_url).rstrip("/")


# -- who is asking ----------------------------------------------------------------------


def current_user(request: Request, store: Store) -> str | None:
    """The user whose token is in ``Authorization: Bearer ...`` (None when there is none)."""
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    user = store.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise HubError(401, "Invalid credentials in Authorization header")
    return user


User = Annotated[str | None, Depends(current_user)]

# The web pages' sign-in cookie (HttpOnly, SameSite=Strict, for this hub's path only): it
# holds the token given in the sign-in form's POST body, never one from an address.
COOKIE = "workshop_hub_token"


def reader(request: Request, store: Store) -> str | None:
    """Who reads a page or downloads a file: the Authorization header's user, else the
    sign-in cookie's (None when neither, or when the cookie's token no longer works)."""
    if request.headers.get("authorization"):
        return current_user(request, store)
    token = request.cookies.get(COOKIE)
    return store.user_for_token(token) if token else None


Reader = Annotated[str | None, Depends(reader)]


class SignInRequired(HubError):
    """A request that needs a token and came without one (see :func:`token_required_outside`);
    a page answers with the sign-in form, the API with 401."""


OPEN_PATHS = ("/api/status", "/signin", "/signout", "/static/", "/api/lfs/")


def token_required_outside(request: Request, store: Store) -> None:
    """Under the root path (through JupyterHub's proxy) the hub is reachable from wherever
    JupyterHub is, often the Internet: there every request needs a token (pages: sign in),
    so learners' names and public repos stay within the class. The direct address, which
    kernels use, answers as before. Open: the sign-in page, the status, the style sheet and
    LFS uploads (their links are signed)."""
    if not request.scope.get("root_path"):
        return
    path = route_path(request)
    if path.startswith(OPEN_PATHS) or reader(request, store) is not None:
        return
    raise SignInRequired(401, "This hub answers through JupyterHub's proxy only to signed-in "
                         "users: send your token (HF_TOKEN), or sign in on its web page")


def require_user(user: str | None) -> str:
    if user is None:
        raise HubError(401, "You must be logged in to write: set HF_TOKEN to your hub token")
    return user


def require_owner(user: str | None, namespace: str) -> None:
    if require_user(user) != namespace:
        raise HubError(403, f"You ({user}) cannot write to the namespace {namespace!r}: "
                       f"use your own name, e.g. '{user}/my-model'")


# -- which repo -------------------------------------------------------------------------


def repo_type_of(kind: str) -> str:
    """``models`` -> ``model`` (404 RepoNotFound for anything else)."""
    repo_type = KINDS.get(kind)
    if repo_type is None:
        raise HubError(404, f"Repository type {kind!r} is not served here (models, datasets, "
                       "spaces)",
                       "RepoNotFound")
    return repo_type


def find_repo(store: Storage, kind: str, ns: str, name: str, user: str | None,
              write: bool = False) -> Repo:
    """The repo, if ``user`` may see it (else 404 RepoNotFound) and write to it if asked."""
    repo = store.get_repo(repo_type_of(kind), ns, name)
    if repo is None or not store.may_read(repo, user):
        raise HubError(404, "Repository not found", "RepoNotFound")
    if write:
        require_owner(user, repo.namespace)
    return repo


def readable_repo(kind: str, ns: str, name: str, store: Store, user: User) -> Repo:
    """The repo named in the path, if the caller may see it."""
    return find_repo(store, kind, ns, name, user)


def writable_repo(kind: str, ns: str, name: str, store: Store, user: User) -> Repo:
    """The repo named in the path, if the caller may write to it."""
    return find_repo(store, kind, ns, name, user, write=True)


def model_repo(ns: str, name: str, store: Store, user: User) -> Repo:
    """A model repo named by a path without a type (``/{ns}/{name}/resolve/...``)."""
    return find_repo(store, "models", ns, name, user)


ReadableRepo = Annotated[Repo, Depends(readable_repo)]
WritableRepo = Annotated[Repo, Depends(writable_repo)]


# -- request bodies ---------------------------------------------------------------------


async def read_body(request: Request, limits: HubLimits) -> bytes:
    """The whole request body, refusing (413) more than ``limits.max_request_bytes``.

    Routes read the body before they check anything else, and a body that is too large
    is still read (and thrown away, up to ``DRAIN_LIMIT``): a client still sending when
    the reply comes would see a broken connection instead of the hub's message.
    """
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total <= limits.max_request_bytes:
            chunks.append(chunk)
        elif total > DRAIN_LIMIT:
            break
    if total > limits.max_request_bytes:
        raise HubError(413, f"request body is larger than this hub's limit of "
                       f"{limits.max_request_bytes} bytes; large files go through LFS",
                       Connection="close")
    return b"".join(chunks)


RawBody = Annotated[bytes, Depends(read_body)]


async def read_json(raw: RawBody) -> dict:
    """The request body as a JSON object (400 with the reason otherwise)."""
    return parse_json(raw)


JsonBody = Annotated[dict, Depends(read_json)]


def parse_json(raw: bytes) -> dict:
    """``raw`` as a JSON object (400 with the reason otherwise)."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError as error:
        raise HubError(400, f"the request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise HubError(400, "the request body must be a JSON object")
    return body


async def drain(request: Request) -> None:
    """Read and throw away a request body (up to ``DRAIN_LIMIT``) before refusing it."""
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > DRAIN_LIMIT:
            break


# -- errors -----------------------------------------------------------------------------


def error_response(error: HubError, body: dict | None = None) -> JSONResponse:
    """The Hub's error shape: JSON ``{"error": ...}`` and ``X-Error-*`` headers."""
    headers = {"X-Error-Message": header_safe(error.message), **error.headers}
    if error.code:
        headers["X-Error-Code"] = error.code
    return JSONResponse({"error": error.message, **(body or {})}, status_code=error.status,
                        headers=headers)


async def on_hub_error(request: Request, error: HubError) -> Response:
    return error_response(error)


async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
    """Starlette's own errors (no route for this path...) in the Hub's shape.

    A path that names no repo the hub serves (``gpt2/resolve/main/x``, ``/api/models/gpt2``)
    answers RepoNotFound, so ``repo_exists()`` says False and downloads say which repo.
    """
    if error.status_code != 404:
        return error_response(HubError(error.status_code, str(error.detail)))
    path = route_path(request)  # without the root path, if any
    if path.startswith(("/api/models/", "/api/datasets/", "/api/spaces/")) or "/resolve/" in path:
        return error_response(HubError(404, f"Repository not found: no repo matches {path} "
                                       "(repo ids are namespace/name)", "RepoNotFound"))
    return error_response(HubError(404, f"The workshop hub does not serve {path}"))


async def on_bad_request(request: Request, error: RequestValidationError) -> Response:
    problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return error_response(HubError(400, f"bad request: {problems}"))


def header_safe(text: str) -> str:
    """Text that fits in an HTTP header: ASCII, one line, at most 1000 characters."""
    return text.encode("ascii", "replace").decode().replace("\r", " ").replace("\n", " ")[:1000]
