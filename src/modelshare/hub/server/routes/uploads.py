"""Writing to a repo, in the three steps of ``huggingface_hub``'s ``create_commit``.

1. ``POST /api/models/{ns}/{name}/preupload/main``: the hub says, per file, "regular"
   (small text: sent inline in the commit) or "lfs" (large or binary).
2. ``POST /{ns}/{name}.git/info/lfs/objects/batch``: for "lfs" files, the hub hands out
   a signed upload link, and the client ``PUT``s the bytes there (:func:`upload_lfs`),
   streamed to disk and checked against their sha256.
3. ``POST /api/models/{ns}/{name}/commit/main``: one NDJSON line per change
   (:func:`commit`); the commit is one SQLite transaction.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import os
import tempfile
import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from modelshare.hub.server import community
from modelshare.hub.server.deps import (
    HubLimits,
    JsonBody,
    RawBody,
    ReadableRepo,
    Store,
    User,
    base_url,
    drain,
    find_repo,
    header_safe,
    require_owner,
    require_user,
)
from modelshare.hub.server.gitfiles import ignored, is_lfs, lfs_rules
from modelshare.hub.server.routes.discussions import url as discussion_url
from modelshare.hub.server.safety import check_path, check_revision, check_sha256, path_warning
from modelshare.hub.server.storage import Change, HubError, Repo, Storage, ref_name

router = APIRouter(tags=["uploads"])

UPLOAD_BATCH = 4 * 1024 * 1024  # bytes hashed and written at a time while receiving an upload


@router.post("/api/{kind}/{ns}/{name}/preupload/{revision}")
async def preupload(request: Request, revision: str, body: JsonBody, repo: ReadableRepo,
                    store: Store, user: User, limits: HubLimits) -> dict:
    """Per file: "lfs" or "regular", ignored or not, and the id of the file already there.

    LFS: files the repo's ``.gitattributes`` marks ``filter=lfs``, binary files (a zero
    byte in the sample) and files of ``limits.lfs_threshold`` bytes or more. Ignored:
    files the ``gitIgnore`` sent along, or else the repo's ``.gitignore``, matches.
    """
    create_pr = request.query_params.get("create_pr") in ("1", "true", "True")
    may_commit(store, repo, user, check_revision(revision), create_pr)
    oid = store.resolve(repo, check_revision(revision))
    files = store.tree(oid)
    rules = lfs_rules(_text(store, files.get(".gitattributes")))
    gitignore = body.get("gitIgnore")
    if not isinstance(gitignore, str):
        gitignore = _text(store, files.get(".gitignore"))
    items = list_field(body, "files")
    skip = ignored(gitignore, [str(item.get("path")) for item in items]) if gitignore else set()
    answer = []
    for item in items:
        path = check_path(item.get("path"))
        try:
            size = int(item.get("size") or 0)
            sample = base64.b64decode(item.get("sample") or "", validate=True)
        except (ValueError, binascii.Error):
            raise HubError(400, f"{path}: size must be a number and sample base64") from None
        lfs = size >= limits.lfs_threshold or b"\0" in sample or is_lfs(rules, path)
        existing = files.get(path)
        answer.append({
            "path": path, "uploadMode": "lfs" if lfs else "regular",
            "shouldIgnore": path in skip,
            "oid": (existing.sha256 if existing.lfs else existing.git_sha1) if existing else None,
        })
    return {"files": answer, "commitOid": oid}


@router.get("/api/{kind}/{ns}/{name}/xet-write-token/{revision}")
@router.get("/api/{kind}/{ns}/{name}/xet-read-token/{revision}")
def xet_token(kind: str, ns: str, name: str, revision: str) -> dict:
    """The workshop hub stores large files through classic LFS, not the Xet protocol."""
    raise HubError(501, "this hub does not speak Xet: set HF_HUB_DISABLE_XET=1 before "
                   "huggingface_hub is imported (restart the kernel after setting it)")


@router.post("/{ns}/{name}.git/info/lfs/objects/batch")
@router.post("/{kind}/{ns}/{name}.git/info/lfs/objects/batch")
async def lfs_batch(request: Request, ns: str, name: str, body: JsonBody, user: User,
                    store: Store, limits: HubLimits, kind: str = "models") -> Response:
    """Upload links for LFS files. Anyone signed in who can see the repo may upload: a file
    only enters a repo with a commit, and commits check who may write where.

    A file counts as "already here" only if this repo has it (:meth:`.Storage.repo_has_blob`);
    the link is signed for this repo, which then may commit the file."""
    repo = find_repo(store, kind, ns, name, require_user(user))
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
        elif store.has_blob(oid) == size and store.repo_has_blob(repo, oid):
            objects.append({"oid": oid, "size": size})  # already here: nothing to send
        else:
            expires = int(time.time()) + 3600
            href = (f"{base_url(request)}/api/lfs/{oid}?size={size}&expires={expires}"
                    f"&repo={repo.id}&ticket={ticket(store.secret, oid, size, expires, repo.id)}")
            objects.append({"oid": oid, "size": size, "authenticated": True,
                            "actions": {"upload": {"href": href, "expires_in": 3600}}})
    return JSONResponse({"transfer": "basic", "objects": objects, "hash_algo": "sha256"},
                        media_type="application/vnd.git-lfs+json")


@router.put("/api/lfs/{oid}")
async def upload_lfs(oid: str, size: int, expires: int, repo: int, request: Request,
                     store: Store,
                     limits: HubLimits) -> dict:
    """Receive one LFS file, streamed to ``tmp/`` and moved into ``blobs/`` when complete;
    the repo the link was signed for may then commit it."""
    check_sha256(oid)
    given = request.query_params.get("ticket", "")
    if expires < time.time() or not hmac.compare_digest(
        given, ticket(store.secret, oid, size, expires, repo)
    ):
        await drain(request)
        raise HubError(403, "this upload link is not valid (or expired): ask for a new one",
                       Connection="close")
    if size > limits.max_file_bytes:
        await drain(request)
        raise HubError(413, f"file is larger than the limit of {limits.max_file_bytes} bytes",
                       Connection="close")
    # Bytes arrive in small pieces on the event loop. A worker thread hashes and writes
    # them 4 MB at a time, while the loop goes on receiving the next 4 MB. Two hashes:
    # the sha256 LFS names the file by, and git's blob id (the ETag of a regular file).
    digest, git_id = hashlib.sha256(), hashlib.sha1(b"blob %d\0" % size)
    written, batch, batched = 0, [], 0
    loop, pending = asyncio.get_running_loop(), None
    fd, tmp = tempfile.mkstemp(dir=store.tmp)
    try:
        with os.fdopen(fd, "wb") as out:

            def store_batch(data: bytes) -> None:
                digest.update(data)
                git_id.update(data)
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
                                git_id.hexdigest(), written, oid, size)
    finally:
        Path(tmp).unlink(missing_ok=True)
    await run_in_threadpool(store.record_upload, repo, oid)
    return {}


@router.post("/api/{kind}/{ns}/{name}/commit/{revision}")
async def commit(request: Request, revision: str, body: RawBody, user: User,
                 repo: ReadableRepo, store: Store) -> Response:
    """Apply one NDJSON commit: a header line, then one line per added or deleted file.

    To ``revision`` (a branch, or a pull request's ``refs/pr/N``), or with ``?create_pr=1``
    to a new pull request against that branch.
    """
    create_pr = request.query_params.get("create_pr") in ("1", "true", "True")
    target = check_revision(revision)
    may_commit(store, repo, user, target, create_pr)
    header, changes = await run_in_threadpool(parse_commit, store, repo, body)
    title = str(header.get("summary") or "Upload files")
    description = str(header.get("description") or "")
    pull_request = None
    if create_pr:  # the pull request and its first commit, together or not at all
        pull_request = await run_in_threadpool(
            community.create, store, repo, user, pr_title(title), description, True,
            ref_name(target)[1], "open", (title, changes))
        oid = store.branch_head(repo, pull_request.ref)
    elif (pull_request := community.pull_request_for(store, repo, target)) is not None:
        oid = await run_in_threadpool(community.add_commit, store, pull_request, changes, user,
                                      title, description, header.get("parentCommit"))
    else:
        oid = await run_in_threadpool(store.apply_commit, repo, target, changes, user, title,
                                      description, header.get("parentCommit"))
    response = JSONResponse({
        "success": True, "commitOid": oid,
        "pullRequestUrl": discussion_url(request, pull_request) if create_pr else None,
        "commitUrl": f"{base_url(request)}/{repo.url_path}/commit/{oid}"})
    for change in changes:  # the client logs each X-HF-Warning for its user
        warning = path_warning(change.path) if change.kind == "add" else None
        if warning:
            response.headers.append("X-HF-Warning", header_safe("; ".join(warning)))
    return response


def may_commit(store: Storage, repo: Repo, user: str | None, revision: str,
               create_pr: bool) -> None:
    """Who may write: the owner anywhere; anyone signed in may open a pull request, and its
    author may add commits to it (``refs/pr/N``)."""
    user = require_user(user)
    if create_pr or user == repo.namespace:
        return
    pull_request = community.pull_request_for(store, repo, revision)
    if pull_request is None or pull_request.author != user:
        require_owner(user, repo.namespace)


def pr_title(summary: str) -> str:
    """A commit's summary as a pull request's title (3 to 200 characters)."""
    title = summary.strip()[:200]
    return title if len(title) >= 3 else f"Update: {title}".strip()


# -- helpers (plain functions, so they can be read and tested one by one) ---------------


def _text(store: Storage, entry) -> str:
    """A small text file of the repo (``.gitattributes``, ``.gitignore``), or ""."""
    if entry is None or entry.size > 1024 * 1024:
        return ""
    return store.read(entry).decode("utf-8", "replace")


def list_field(body: dict, key: str) -> list[dict]:
    items = body.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise HubError(400, f"'{key}' must be a list of objects")
    return items


def ticket(secret: bytes, oid: str, size: int, expires: int, repo_id: int) -> str:
    """Signature of an LFS upload link: only this content, this size, for this repo, until
    ``expires``."""
    return hmac.new(secret, f"{oid}:{size}:{expires}:{repo_id}".encode(),
                    hashlib.sha256).hexdigest()


def sync_file(handle) -> None:
    """Flush a file to the disk, so that a power cut cannot leave a stored blob half-written."""
    handle.flush()
    os.fsync(handle.fileno())


def parse_commit(store: Storage, repo: Repo, body: bytes) -> tuple[dict, list[Change]]:
    """Read an NDJSON commit: store inline files, check the repo has its LFS files (uploaded
    for it, or already in one of its commits); return (header, changes)."""
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
            if size is None or value.get("size", size) != size or not store.repo_has_blob(repo, oid):
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
