"""The workshop hub's HTTP API: the part of the Hugging Face Hub API that the real
``huggingface_hub``, ``transformers`` and ``datasets`` clients use.

Built on FastAPI (Starlette + uvicorn): a well-kept framework that streams request
bodies, serves files with HTTP ranges and publishes an OpenAPI document at ``/docs``.

Follow one upload from the client to the disk:

1. ``POST /api/models/{ns}/{name}/preupload/main``: the server says, per file,
   "regular" (small text: sent inline in the commit) or "lfs" (large or binary).
2. ``POST /{ns}/{name}.git/info/lfs/objects/batch``: for "lfs" files, the server
   hands out a signed upload link, and the client ``PUT``s the bytes there
   (:func:`upload_lfs`), streamed to disk and checked against their sha256.
3. ``POST /api/models/{ns}/{name}/commit/main``: one NDJSON line per change
   (:func:`commit`); the commit is one SQLite transaction.

Downloads are ``GET /{ns}/{name}/resolve/{revision}/{path}`` (datasets under
``/datasets/...``), answered with the headers ``hf_hub_download`` needs.
Errors carry ``X-Error-Code`` / ``X-Error-Message`` so clients raise their usual
typed exceptions (``RepositoryNotFoundError``, ``EntryNotFoundError``...).

Example (what ``modelshare hub serve`` does)::

    >>> import uvicorn
    >>> uvicorn.run(create_app(Path("hub-data")), host="127.0.0.1", port=8765)
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import mimetypes
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from modelshare.hub.server import web
from modelshare.hub.server.cardcheck import check_card, read_metadata
from modelshare.hub.server.safety import (
    check_name,
    check_path,
    check_revision,
    check_sha256,
)
from modelshare.hub.server.storage import Change, Entry, HubError, Repo, Storage

KINDS = {"models": "model", "datasets": "dataset"}
UPLOAD_BATCH = 4 * 1024 * 1024  # bytes hashed and written at a time while receiving an upload
DOWNLOAD_CHUNK = 1024 * 1024  # bytes sent at a time (Starlette's default is 64 kB)
DRAIN_LIMIT = 1024 * 1024 * 1024  # a refused body is read and thrown away up to this size
LFS_PATTERNS = (
    ".bin", ".safetensors", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack", ".pkl",
    ".pickle", ".joblib", ".skops", ".npy", ".npz", ".parquet", ".arrow", ".zip", ".gz",
    ".tar", ".7z", ".tflite", ".model", ".gguf",
)
# Architectures suffix -> pipeline tag, so pipeline(model=repo_id) finds its task
# (huggingface.co infers it the same way when the card does not say).
ARCHITECTURE_TASKS = {
    "ForSequenceClassification": "text-classification",
    "ForTokenClassification": "token-classification",
    "ForQuestionAnswering": "question-answering",
    "ForMaskedLM": "fill-mask",
    "ForCausalLM": "text-generation",
    "LMHeadModel": "text-generation",
    "ForConditionalGeneration": "text2text-generation",
    "ForImageClassification": "image-classification",
}


@dataclass(frozen=True)
class Limits:
    """Size limits, in bytes: any request body except LFS uploads, and one LFS file."""

    max_request_bytes: int = 64 * 1024 * 1024
    max_file_bytes: int = 5 * 1024 * 1024 * 1024
    lfs_threshold: int = 1024 * 1024  # files at least this big travel through LFS


def create_app(data_dir: Path, limits: Limits | None = None, owner: str = "learner") -> FastAPI:
    """Build the hub's web application on the data folder ``data_dir``.

    ``owner`` is the single-user mode's user, created on first start with a token
    saved in ``data_dir/tokens/{owner}.token``. More users: ``modelshare hub add-user``.
    """
    store = Storage(data_dir)
    store.lock_for_serving()
    store.owner_token(check_name(owner, "user name"))
    limits = limits or Limits()
    app = FastAPI(
        title="modelshare workshop hub",
        description="A local server that speaks the part of the Hugging Face Hub API "
        "used by huggingface_hub, transformers and datasets.",
    )
    app.state.store = store
    app.state.limits = limits

    @app.exception_handler(HubError)
    async def hub_error(request: Request, error: HubError) -> Response:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return error_response(HubError(400, f"bad request: {problems}"))

    def current_user(request: Request) -> str | None:
        """The user whose token is in ``Authorization: Bearer ...`` (None when there is none)."""
        header = request.headers.get("authorization", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        user = store.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise HubError(401, "Invalid credentials in Authorization header")
        return user

    def find_repo(kind: str, ns: str, name: str, user: str | None, write: bool = False) -> Repo:
        """The repo, if ``user`` may see it (else 404 RepoNotFound) and write to it if asked."""
        repo_type = KINDS.get(kind)
        if repo_type is None:
            raise HubError(404, f"Repository type {kind!r} is not served here (models, datasets)",
                           "RepoNotFound")
        repo = store.get_repo(repo_type, ns, name)
        if repo is None or not store.may_read(repo, user):
            raise HubError(404, "Repository not found", "RepoNotFound")
        if write:
            require_owner(user, ns)
        return repo

    def base_url(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    # -- account -----------------------------------------------------------

    @app.get("/api/status", tags=["hub"])
    def status() -> dict:
        """Is the hub up? (used by launchers and tests to wait for the server)."""
        return {"ok": True, "server": "modelshare workshop hub"}

    @app.get("/api/whoami-v2", tags=["account"])
    def whoami(user: str | None = Depends(current_user)) -> dict:
        if user is None:
            raise HubError(401, "You must send a token: set HF_TOKEN or run `hf auth login`")
        return {
            "type": "user", "id": user, "name": user, "fullname": user, "email": None,
            "emailVerified": False, "isPro": False, "canPay": False, "orgs": [],
            "auth": {"type": "access_token",
                     "accessToken": {"displayName": "workshop hub token", "role": "write"}},
        }

    # -- repos -------------------------------------------------------------

    @app.post("/api/repos/create", tags=["repos"])
    async def create_repo(request: Request, user: str | None = Depends(current_user)) -> Response:
        body = await read_json(request, limits)
        ns, name, repo_type = repo_fields(body, user)
        require_owner(user, ns)
        private = body.get("private") is True or body.get("visibility") == "private"
        url = f"{base_url(request)}/{'' if repo_type == 'model' else repo_type + 's/'}{ns}/{name}"
        try:
            repo = await run_in_threadpool(store.create_repo, repo_type, ns, name, private, user)
        except HubError as error:
            if error.status == 409:  # exist_ok=True reads the url of the existing repo
                return error_response(error, {"url": url})
            raise
        return JSONResponse({"url": url, "name": repo.repo_id, "id": repo.repo_id})

    @app.delete("/api/repos/delete", tags=["repos"])
    async def delete_repo(request: Request, user: str | None = Depends(current_user)) -> dict:
        body = await read_json(request, limits)
        ns, name, repo_type = repo_fields(body, user)
        repo = find_repo(repo_type + "s", ns, name, user, write=True)
        await run_in_threadpool(store.delete_repo, repo)
        return {}

    @app.put("/api/{kind}/{ns}/{name}/settings", tags=["repos"])
    async def update_settings(kind: str, ns: str, name: str, request: Request,
                              user: str | None = Depends(current_user)) -> dict:
        """``HfApi.update_repo_settings``: visibility only (no gated repos on this hub)."""
        body = await read_json(request, limits)
        repo = find_repo(kind, ns, name, user, write=True)
        if body.get("gated") not in (None, False):
            raise HubError(400, "The workshop hub has no gated repos; only visibility can change")
        visibility = body.get("visibility")
        if visibility is None and isinstance(body.get("private"), bool):
            visibility = "private" if body["private"] else "public"
        if visibility not in ("private", "public"):
            raise HubError(400, "Send visibility 'private' or 'public'")
        await run_in_threadpool(store.set_private, repo, visibility == "private")
        return {}

    @app.get("/api/models", tags=["repos"])
    @app.get("/api/datasets", tags=["repos"])
    def list_repos(request: Request, search: str = "", author: str = "",
                   user: str | None = Depends(current_user)) -> list[dict]:
        repo_type = KINDS[request.url.path.rsplit("/", 1)[1]]
        return [
            {"id": r.repo_id, "author": r.namespace, "private": r.private, "createdAt": r.created}
            for r in store.list_repos()
            if r.type == repo_type and store.may_read(r, user)
            and search.lower() in r.repo_id.lower() and author in ("", r.namespace)
        ]

    @app.get("/api/{kind}/{ns}/{name}", tags=["repos"])
    @app.get("/api/{kind}/{ns}/{name}/revision/{revision}", tags=["repos"])
    def repo_info(kind: str, ns: str, name: str, request: Request, revision: str = "main",
                  user: str | None = Depends(current_user)) -> dict:
        repo = find_repo(kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
        return info_payload(store, repo, oid, blobs=request.query_params.get("blobs") == "true")

    # -- files -------------------------------------------------------------

    @app.get("/api/{kind}/{ns}/{name}/tree/{revision}", tags=["files"])
    @app.get("/api/{kind}/{ns}/{name}/tree/{revision}/{path:path}", tags=["files"])
    def list_tree(kind: str, ns: str, name: str, revision: str, path: str = "",
                  recursive: bool = False, expand: bool = False,
                  user: str | None = Depends(current_user)) -> list[dict]:
        repo = find_repo(kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
        files = store.tree(oid)
        folder = check_path(path.strip("/")) + "/" if path.strip("/") else ""
        if folder and not any(p.startswith(folder) for p in files):
            raise HubError(404, f"{path} is not a folder at {revision}", "EntryNotFound",
                           **{"X-Repo-Commit": oid})
        items, seen = [], set()
        for file_path, entry in files.items():
            if not file_path.startswith(folder):
                continue
            rest = file_path[len(folder):]
            if recursive or "/" not in rest:
                items.append(file_item(entry))
            parts = rest.split("/")[:-1]  # the folders between `folder` and the file
            for depth in range(1, (len(parts) if recursive else min(len(parts), 1)) + 1):
                sub = folder + "/".join(parts[:depth])
                if sub not in seen:
                    seen.add(sub)
                    items.append(folder_item(sub, files))
        if expand:
            add_last_commits(store, oid, items)
        return sorted(items, key=lambda item: (item["type"] != "directory", item["path"]))

    @app.post("/api/{kind}/{ns}/{name}/paths-info/{revision}", tags=["files"])
    async def paths_info(kind: str, ns: str, name: str, revision: str, request: Request,
                         user: str | None = Depends(current_user)) -> list[dict]:
        if request.headers.get("content-type", "").startswith("application/json"):
            form = await read_json(request, limits)
            paths, expand = form.get("paths", []), bool(form.get("expand"))
        else:  # huggingface_hub sends a form: paths=a&paths=b&expand=False
            raw = await read_body(request, limits)
            form = parse_qs(raw.decode("utf-8", "replace"))
            paths, expand = form.get("paths", []), form.get("expand", ["false"])[0].lower() == "true"
        repo = find_repo(kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
        files = store.tree(oid)
        items = []
        for path in paths:
            path = check_path(str(path).strip("/"))
            if path in files:
                items.append(file_item(files[path]))
            elif any(p.startswith(path + "/") for p in files):
                items.append(folder_item(path, files))
        if expand:
            add_last_commits(store, oid, items)
        return items

    @app.api_route("/{ns}/{name}/resolve/{revision}/{path:path}", methods=["GET", "HEAD"],
                   tags=["files"])
    @app.api_route("/{kind}/{ns}/{name}/resolve/{revision}/{path:path}",
                   methods=["GET", "HEAD"], tags=["files"])
    def download(ns: str, name: str, revision: str, path: str, kind: str = "models",
                 user: str | None = Depends(current_user)) -> Response:
        repo = find_repo(kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
        entry = store.tree(oid).get(check_path(path))
        if entry is None:
            raise HubError(404, f"{path} does not exist at revision {revision}", "EntryNotFound",
                           **{"X-Repo-Commit": oid})
        etag = f'"{entry.sha256 if entry.lfs else entry.git_sha1}"'
        headers = {"X-Repo-Commit": oid, "ETag": etag, "Cache-Control": "no-cache"}
        if entry.lfs:
            headers |= {"X-Linked-Etag": etag, "X-Linked-Size": str(entry.size)}
        media_type = mimetypes.guess_type(entry.path)[0] or "application/octet-stream"
        response = FileResponse(store.blob_path(entry.sha256), headers=headers,
                                media_type=media_type)
        response.chunk_size = DOWNLOAD_CHUNK
        return response

    # -- uploads -----------------------------------------------------------

    @app.post("/api/{kind}/{ns}/{name}/preupload/{revision}", tags=["uploads"])
    async def preupload(kind: str, ns: str, name: str, revision: str, request: Request,
                        user: str | None = Depends(current_user)) -> dict:
        body = await read_json(request, limits)
        repo = find_repo(kind, ns, name, user, write=True)
        oid = store.resolve(repo, check_revision(revision))
        files = store.tree(oid)
        answer = []
        for item in list_field(body, "files"):
            path = check_path(item.get("path"))
            try:
                size = int(item.get("size") or 0)
                sample = base64.b64decode(item.get("sample") or "", validate=True)
            except (ValueError, binascii.Error):
                raise HubError(400, f"{path}: size must be a number and sample base64") from None
            lfs = size >= limits.lfs_threshold or path.endswith(LFS_PATTERNS) or b"\0" in sample
            existing = files.get(path)
            answer.append({
                "path": path, "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                "oid": (existing.sha256 if existing.lfs else existing.git_sha1) if existing else None,
            })
        return {"files": answer, "commitOid": oid}

    @app.get("/api/{kind}/{ns}/{name}/xet-write-token/{revision}", tags=["uploads"])
    @app.get("/api/{kind}/{ns}/{name}/xet-read-token/{revision}", tags=["uploads"])
    def xet_token(kind: str, ns: str, name: str, revision: str) -> dict:
        """The workshop hub stores large files through classic LFS, not the Xet protocol."""
        raise HubError(501, "this hub does not speak Xet: set HF_HUB_DISABLE_XET=1 before "
                       "huggingface_hub is imported (restart the kernel after setting it)")

    @app.post("/{ns}/{name}.git/info/lfs/objects/batch", tags=["uploads"])
    @app.post("/{kind}/{ns}/{name}.git/info/lfs/objects/batch", tags=["uploads"])
    async def lfs_batch(ns: str, name: str, request: Request, kind: str = "models",
                        user: str | None = Depends(current_user)) -> Response:
        body = await read_json(request, limits)
        find_repo(kind, ns, name, user, write=True)
        if body.get("operation") != "upload":
            raise HubError(400, "only LFS uploads are served: download files through /resolve/")
        objects = []
        for obj in list_field(body, "objects"):
            oid, size = check_sha256(obj.get("oid")), obj.get("size")
            if not isinstance(size, int) or size < 0:
                raise HubError(400, f"LFS object {oid}: size must be a whole number of bytes")
            if size > limits.max_file_bytes:
                objects.append({"oid": oid, "size": size, "error": {
                    "code": 413, "message": f"file of {size} bytes is larger than this hub's "
                    f"limit of {limits.max_file_bytes} bytes (modelshare hub serve --max-file-size)"}})
            elif store.has_blob(oid) == size:
                objects.append({"oid": oid, "size": size})  # already here: nothing to send
            else:
                expires = int(time.time()) + 3600
                href = (f"{base_url(request)}/api/lfs/{oid}?size={size}&expires={expires}"
                        f"&ticket={ticket(store.secret, oid, size, expires)}")
                objects.append({"oid": oid, "size": size, "authenticated": True,
                                "actions": {"upload": {"href": href, "expires_in": 3600}}})
        return JSONResponse({"transfer": "basic", "objects": objects, "hash_algo": "sha256"},
                            media_type="application/vnd.git-lfs+json")

    @app.put("/api/lfs/{oid}", tags=["uploads"])
    async def upload_lfs(oid: str, size: int, expires: int, request: Request) -> dict:
        """Receive one LFS file, streamed to ``tmp/`` and moved into ``blobs/`` when complete."""
        check_sha256(oid)
        given = request.query_params.get("ticket", "")
        if expires < time.time() or not hmac.compare_digest(
            given, ticket(store.secret, oid, size, expires)
        ):
            await drain(request)
            raise HubError(403, "this upload link is not valid (or expired): ask for a new one",
                           Connection="close")
        if size > limits.max_file_bytes:
            await drain(request)
            raise HubError(413, f"file is larger than the limit of {limits.max_file_bytes} bytes",
                           Connection="close")
        # Bytes arrive in small pieces on the event loop. A worker thread hashes and writes
        # them 4 MB at a time, while the loop goes on receiving the next 4 MB.
        digest, written, batch, batched = hashlib.sha256(), 0, [], 0
        loop, pending = asyncio.get_running_loop(), None
        fd, tmp = tempfile.mkstemp(dir=store.tmp)
        try:
            with os.fdopen(fd, "wb") as out:

                def store_batch(data: bytes) -> None:
                    digest.update(data)
                    out.write(data)

                try:
                    async for chunk in request.stream():
                        written += len(chunk)
                        if written > size:
                            raise HubError(400, f"upload is larger than the announced {size} "
                                           "bytes", Connection="close")
                        batch.append(chunk)
                        batched += len(chunk)
                        if batched >= UPLOAD_BATCH:
                            if pending is not None:
                                await pending  # one batch at a time, in order
                            pending = loop.run_in_executor(None, store_batch, b"".join(batch))
                            batch, batched = [], 0
                finally:
                    if pending is not None:
                        await pending
                await run_in_threadpool(store_batch, b"".join(batch))
                await run_in_threadpool(sync_file, out)
            await run_in_threadpool(store.finish_stream, Path(tmp), digest.hexdigest(),
                                    written, oid, size)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return {}

    @app.post("/api/{kind}/{ns}/{name}/commit/{revision}", tags=["uploads"])
    async def commit(kind: str, ns: str, name: str, revision: str, request: Request,
                     user: str | None = Depends(current_user)) -> dict:
        """Apply one NDJSON commit: a header line, then one line per added or deleted file."""
        if request.query_params.get("create_pr") in ("1", "true", "True"):
            raise HubError(400, "pull requests are not supported by the workshop hub: "
                           "commit to a branch instead (create_pr=False)")
        body = await read_body(request, limits)  # read it all first: see read_body
        repo = find_repo(kind, ns, name, user, write=True)
        header, changes = await run_in_threadpool(parse_commit, store, body)
        oid = await run_in_threadpool(
            store.apply_commit, repo, check_revision(revision), changes, user,
            str(header.get("summary") or "Upload files"), str(header.get("description") or ""),
            header.get("parentCommit"),
        )
        return {"success": True, "commitOid": oid, "pullRequestUrl": None,
                "commitUrl": f"{base_url(request)}/{repo.url_path}/commit/{oid}"}

    # -- history, branches and tags ------------------------------------------

    @app.get("/api/{kind}/{ns}/{name}/commits/{revision}", tags=["history"])
    def list_commits(kind: str, ns: str, name: str, revision: str,
                     user: str | None = Depends(current_user)) -> list[dict]:
        repo = find_repo(kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
        return [
            {"id": c.oid, "title": c.title, "message": c.message, "date": c.created,
             "authors": [{"user": c.author}], "parents": [c.parent] if c.parent else []}
            for c in store.history(oid)
        ]

    @app.get("/api/{kind}/{ns}/{name}/refs", tags=["history"])
    def list_refs(kind: str, ns: str, name: str,
                  user: str | None = Depends(current_user)) -> dict:
        repo = find_repo(kind, ns, name, user)
        refs: dict[str, list] = {"branches": [], "converts": [], "tags": [], "pullRequests": []}
        for ref_kind, ref_name, oid in store.refs(repo):
            group, prefix = ("branches", "heads") if ref_kind == "branch" else ("tags", "tags")
            refs[group].append({"name": ref_name, "ref": f"refs/{prefix}/{ref_name}",
                                "targetCommit": oid})
        return refs

    @app.post("/api/{kind}/{ns}/{name}/tag/{revision}", tags=["history"])
    async def create_tag(kind: str, ns: str, name: str, revision: str, request: Request,
                         user: str | None = Depends(current_user)) -> dict:
        body = await read_json(request, limits)
        repo = find_repo(kind, ns, name, user, write=True)
        tag = check_revision(body.get("tag", ""))
        await run_in_threadpool(store.create_tag, repo, tag, check_revision(revision))
        return {}

    @app.delete("/api/{kind}/{ns}/{name}/tag/{tag}", tags=["history"])
    def delete_tag(kind: str, ns: str, name: str, tag: str,
                   user: str | None = Depends(current_user)) -> dict:
        repo = find_repo(kind, ns, name, user, write=True)
        store.delete_ref(repo, "tag", check_revision(tag))
        return {}

    @app.post("/api/{kind}/{ns}/{name}/branch/{branch}", tags=["history"])
    async def create_branch(kind: str, ns: str, name: str, branch: str, request: Request,
                            user: str | None = Depends(current_user)) -> dict:
        body = await read_json(request, limits)
        repo = find_repo(kind, ns, name, user, write=True)
        start = check_revision(str(body.get("startingPoint") or "main"))
        await run_in_threadpool(store.create_branch, repo, check_revision(branch), start)
        return {}

    @app.delete("/api/{kind}/{ns}/{name}/branch/{branch}", tags=["history"])
    def delete_branch(kind: str, ns: str, name: str, branch: str,
                      user: str | None = Depends(current_user)) -> dict:
        repo = find_repo(kind, ns, name, user, write=True)
        store.delete_ref(repo, "branch", check_revision(branch))
        return {}

    # -- model cards -----------------------------------------------------------

    @app.post("/api/validate-yaml", tags=["cards"])
    async def validate_yaml(request: Request) -> Response:
        body = await read_json(request, limits)
        content = body.get("content")
        if not isinstance(content, str):
            raise HubError(400, "send the README text as 'content'")
        result = check_card(content, str(body.get("repoType") or "model"))
        if result["errors"]:
            first = result["errors"][0]["message"]
            return error_response(HubError(400, f"Invalid metadata in README.md: {first}"), result)
        return JSONResponse(result)

    web.add_routes(app, store, current_user, find_repo)
    return app


# -- helpers (plain functions, so they can be read and tested one by one) -----------


def error_response(error: HubError, body: dict | None = None) -> JSONResponse:
    """The Hub's error shape: JSON ``{"error": ...}`` and ``X-Error-*`` headers."""
    headers = {"X-Error-Message": _header_safe(error.message), **error.headers}
    if error.code:
        headers["X-Error-Code"] = error.code
    return JSONResponse({"error": error.message, **(body or {})}, status_code=error.status,
                        headers=headers)


def sync_file(handle) -> None:
    """Flush a file to the disk, so that a power cut cannot leave a stored blob half-written."""
    handle.flush()
    os.fsync(handle.fileno())


def _header_safe(text: str) -> str:
    return text.encode("ascii", "replace").decode().replace("\r", " ").replace("\n", " ")[:1000]


def require_owner(user: str | None, namespace: str) -> None:
    if user is None:
        raise HubError(401, "You must be logged in to write: set HF_TOKEN to your hub token")
    if user != namespace:
        raise HubError(403, f"You ({user}) cannot write to the namespace {namespace!r}: "
                       f"use your own name, e.g. '{user}/my-model'")


def repo_fields(body: dict, user: str | None) -> tuple[str, str, str]:
    """(namespace, name, type) of a create/delete request; the namespace defaults to the user."""
    repo_type = body.get("type") or "model"
    if repo_type not in KINDS.values():
        raise HubError(400, f"repo type {repo_type!r} is not served here: use 'model' or 'dataset'")
    ns = body.get("organization") or user
    if ns is None:
        raise HubError(401, "You must be logged in: set HF_TOKEN to your hub token")
    return check_name(ns, "namespace"), check_name(body.get("name"), "repo name"), repo_type


def list_field(body: dict, key: str) -> list[dict]:
    items = body.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise HubError(400, f"'{key}' must be a list of objects")
    return items


def ticket(secret: bytes, oid: str, size: int, expires: int) -> str:
    """Signature of an LFS upload link: only this content, this size, until ``expires``."""
    return hmac.new(secret, f"{oid}:{size}:{expires}".encode(), hashlib.sha256).hexdigest()


async def read_body(request: Request, limits: Limits) -> bytes:
    """The whole request body, refusing (413) more than ``limits.max_request_bytes``.

    Handlers read the body before they check anything else, and a body that is too large
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


async def drain(request: Request) -> None:
    """Read and throw away a request body (up to ``DRAIN_LIMIT``) before refusing it."""
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > DRAIN_LIMIT:
            break


async def read_json(request: Request, limits: Limits) -> dict:
    raw = await read_body(request, limits)
    try:
        body = json.loads(raw or b"{}")
    except ValueError as error:
        raise HubError(400, f"the request body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise HubError(400, "the request body must be a JSON object")
    return body


def parse_commit(store: Storage, body: bytes) -> tuple[dict, list[Change]]:
    """Read an NDJSON commit: store inline files, check LFS files exist; return (header, changes)."""
    header: dict | None = None
    changes: list[Change] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            key, value = item["key"], item["value"]
            if not isinstance(value, dict):
                raise TypeError("value must be an object")
        except (ValueError, KeyError, TypeError) as error:
            raise HubError(400, f"line {number} of the commit is not a valid NDJSON operation "
                           f"({error}); expected {{\"key\": ..., \"value\": {{...}}}}") from None
        if key == "header":
            header = value
        elif header is None:
            raise HubError(400, "the first line of a commit must be its header")
        elif key == "file":
            if value.get("encoding", "base64") != "base64":
                raise HubError(400, f"line {number}: only base64 encoding is supported")
            try:
                content = base64.b64decode(value.get("content") or "", validate=True)
            except binascii.Error:
                raise HubError(400, f"line {number}: content is not valid base64") from None
            path = check_path(value.get("path"))
            changes.append(Change("add", path, store.put_bytes(content), lfs=False))
        elif key == "lfsFile":
            path, oid = check_path(value.get("path")), check_sha256(value.get("oid"))
            size = store.has_blob(oid)
            if size is None or value.get("size", size) != size:
                raise HubError(400, f"{path}: its content (sha256 {oid}) was not uploaded; "
                               "upload it through the LFS batch API before committing")
            changes.append(Change("add", path, oid, lfs=True))
        elif key == "deletedFile":
            changes.append(Change("delete_file", check_path(value.get("path"))))
        elif key == "deletedFolder":
            changes.append(Change("delete_folder", check_path(str(value.get("path")).strip("/"))))
        else:
            raise HubError(400, f"line {number}: unknown operation {key!r} (expected file, "
                           "lfsFile, deletedFile or deletedFolder)")
    if header is None:
        raise HubError(400, "empty commit: send a header line and at least one operation")
    return header, changes


def file_item(entry: Entry) -> dict[str, Any]:
    """A file as ``/tree`` and ``/paths-info`` describe it."""
    item: dict[str, Any] = {"type": "file", "oid": entry.git_sha1, "size": entry.size,
                            "path": entry.path}
    if entry.lfs:
        item["lfs"] = {"oid": entry.sha256, "size": entry.size, "pointerSize": len(entry.pointer)}
    return item


def folder_item(path: str, files: dict[str, Entry]) -> dict[str, Any]:
    inside = sorted(e.git_sha1 for p, e in files.items() if p.startswith(path + "/"))
    return {"type": "directory", "oid": hashlib.sha1("".join(inside).encode()).hexdigest(),
            "size": 0, "path": path}


def add_last_commits(store: Storage, head: str, items: list[dict]) -> None:
    """Add ``lastCommit`` (the newest commit that changed each path) to tree items."""
    pending = {item["path"]: item for item in items}
    commits = list(store.history(head))
    trees = [store.tree(c.oid) for c in commits] + [{}]
    for index, commit in enumerate(commits):
        newer, older = trees[index], trees[index + 1]
        for path in list(pending):
            prefix = path + "/"
            now = {p: e.sha256 for p, e in newer.items() if p == path or p.startswith(prefix)}
            before = {p: e.sha256 for p, e in older.items() if p == path or p.startswith(prefix)}
            if now != before:
                pending.pop(path)["lastCommit"] = {"id": commit.oid, "title": commit.title,
                                                   "date": commit.created}
        if not pending:
            return


def info_payload(store: Storage, repo: Repo, oid: str, blobs: bool = False) -> dict[str, Any]:
    """What ``model_info`` / ``dataset_info`` return: sha, siblings, cardData..."""
    files = store.tree(oid)
    card = read_metadata(store.read(files["README.md"]).decode("utf-8", "replace")) \
        if "README.md" in files else {}
    commit = store.commit(oid)
    siblings = []
    for entry in files.values():
        sibling: dict[str, Any] = {"rfilename": entry.path}
        if blobs:
            sibling |= {"size": entry.size, "blobId": entry.git_sha1}
            if entry.lfs:
                sibling["lfs"] = {"size": entry.size, "sha256": entry.sha256,
                                  "pointerSize": len(entry.pointer)}
        siblings.append(sibling)
    tags = [str(t) for t in card.get("tags") or [] if isinstance(t, str | int | float)]
    if isinstance(card.get("license"), str):
        tags.append(f"license:{card['license']}")
    payload: dict[str, Any] = {
        "_id": hashlib.sha1(f"{repo.type}/{repo.repo_id}".encode()).hexdigest()[:24],
        "id": repo.repo_id, "author": repo.namespace, "sha": oid, "private": repo.private,
        "lastModified": commit.created, "createdAt": repo.created, "disabled": False,
        "gated": False, "downloads": 0, "likes": 0, "tags": tags, "siblings": siblings,
        "cardData": card or None,
    }
    if repo.type == "model":
        config = _small_json(store, files.get("config.json"))
        payload["modelId"] = repo.repo_id
        payload["library_name"] = card.get("library_name") or (
            "transformers" if config is not None else None)
        payload["pipeline_tag"] = card.get("pipeline_tag") or _task_from_config(config)
        if config is not None:
            payload["config"] = {k: config[k] for k in ("architectures", "model_type")
                                 if k in config}
    return payload


def _small_json(store: Storage, entry: Entry | None) -> dict | None:
    if entry is None or entry.size > 1024 * 1024:
        return None
    try:
        data = json.loads(store.read(entry))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _task_from_config(config: dict | None) -> str | None:
    for architecture in (config or {}).get("architectures") or []:
        for suffix, task in ARCHITECTURE_TASKS.items():
            if str(architecture).endswith(suffix):
                return task
    return None
