"""Reading a repo: list its tree, describe some paths, download a file (``/resolve/``)."""

from __future__ import annotations

import fnmatch
import hashlib
import mimetypes
import threading
import time
from typing import Any
from urllib.parse import parse_qs, unquote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from modelshare.hub.server.deps import RawBody, ReadableRepo, Reader, Store, find_repo, parse_json
from modelshare.hub.server.safety import check_path, check_revision
from modelshare.hub.server.storage import Entry, HubError, Repo, Storage

router = APIRouter(tags=["files"])

DOWNLOAD_CHUNK = 1024 * 1024  # bytes sent at a time (Starlette's default is 64 kB)


@router.get("/api/{kind}/{ns}/{name}/tree/{revision}")
@router.get("/api/{kind}/{ns}/{name}/tree/{revision}/{path:path}")
def list_tree(revision: str, repo: ReadableRepo, store: Store, path: str = "",
              recursive: bool = False, expand: bool = False) -> list[dict]:
    oid = store.resolve(repo, check_revision(revision))
    files = store.tree(oid)
    path = url_path(path)
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
        add_security(store, files, items)
    return sorted(items, key=lambda item: (item["type"] != "directory", item["path"]))


@router.post("/api/{kind}/{ns}/{name}/paths-info/{revision}")
async def paths_info(request: Request, revision: str, raw: RawBody,
                     repo: ReadableRepo,
                     store: Store) -> list[dict]:
    if request.headers.get("content-type", "").startswith("application/json"):
        form = parse_json(raw)
        paths, expand = form.get("paths", []), bool(form.get("expand"))
    else:  # huggingface_hub sends a form: paths=a&paths=b&expand=False
        form = parse_qs(raw.decode("utf-8", "replace"))
        paths, expand = form.get("paths", []), form.get("expand", ["false"])[0].lower() == "true"
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
        add_security(store, files, items)
    return items


@router.api_route("/{ns}/{name}/resolve/{revision}/{path:path}", methods=["GET", "HEAD"])
@router.api_route("/{kind}/{ns}/{name}/resolve/{revision}/{path:path}", methods=["GET", "HEAD"])
def download(request: Request, ns: str, name: str, revision: str, path: str, user: Reader,
             store: Store, kind: str = "models") -> Response:
    """``hf_hub_download``: the file, with the headers the client checks (and a download
    counted as the Hub counts them: see :func:`counts_as_download`). A browser signed in on
    the web pages downloads with its cookie, as a client does with its token."""
    repo = find_repo(store, kind, ns, name, user)
    oid = store.resolve(repo, check_revision(revision))
    path = url_path(path)
    entry = store.tree(oid).get(check_path(path))
    if entry is None:
        raise HubError(404, f"{path} does not exist at revision {revision}", "EntryNotFound",
                       **{"X-Repo-Commit": oid})
    etag = f'"{entry.sha256 if entry.lfs else entry.git_sha1}"'
    headers = {"X-Repo-Commit": oid, "ETag": etag, "Cache-Control": "no-cache"}
    if entry.lfs:
        headers |= {"X-Linked-Etag": etag, "X-Linked-Size": str(entry.size)}
    media_type = mimetypes.guess_type(entry.path)[0] or "application/octet-stream"
    client = request.client.host if request.client else ""
    if counts_as_download(repo, entry.path, store.summary(repo), client):
        store.count_download(repo)
    response = FileResponse(store.blob_path(entry.sha256), headers=headers,
                            media_type=media_type)
    response.chunk_size = DOWNLOAD_CHUNK
    return response


def url_path(path: str) -> str:
    """A file path from the URL, with the ``%2F`` and ``%25`` that
    ``middleware.KeepEncodedSlashes`` kept, decoded."""
    return unquote(path)


# -- downloads, counted as the Hub counts them ------------------------------------------

# A model is downloaded when someone fetches (GET or HEAD) one of its "query files": by
# default a config file, or what its library names in the Hub's list of libraries
# (``countDownloads``). A few of those libraries; a repo's other files never count, so a
# scikit-learn model saved as model.skops is not counted (as on the Hub).
DEFAULT_QUERY_FILES = ("config.json", "config.yaml", "hyperparams.yaml", "meta.yaml")
LIBRARY_QUERY_FILES = {
    "sklearn": ("sklearn_model.joblib",),
    "timm": ("pytorch_model.bin", "model.safetensors"),
    "peft": ("adapter_config.json",),
    "adapter-transformers": ("adapter_config.json",),
    "keras": ("config.json", "*.keras"),
    "tf-keras": ("saved_model.pb",),
    "flair": ("pytorch_model.bin",),
    "fasttext": ("*.bin",),
    "stable-baselines3": ("*.zip",),
    "speechbrain": ("hyperparams.yaml",),
    "spacy": ("*.whl",),
    "ml-agents": ("*.onnx",),
}
DATASET_WINDOW = 300.0  # seconds: all files one client fetches from a dataset count once
REPEAT_WINDOW = 10.0  # seconds: hf_hub_download's HEAD and the GET after it count once
_last_counted: dict[tuple, float] = {}
_window_lock = threading.Lock()


def counts_as_download(repo: Repo, path: str, summary: dict, client: str) -> bool:
    """Whether fetching ``path`` counts as one download of ``repo``.

    Models: a query file (see ``LIBRARY_QUERY_FILES``), once for a HEAD and the GET that
    follows it. Datasets: the first file a client (by address) fetches in 5 minutes.
    Spaces: never (the Hub counts their visits instead).
    """
    if repo.type == "model":
        patterns = LIBRARY_QUERY_FILES.get(summary.get("library_name") or "", DEFAULT_QUERY_FILES)
        if not any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns):
            return False
        return _first_in_window((repo.id, client, path), REPEAT_WINDOW)
    if repo.type == "dataset":
        return _first_in_window((repo.id, client), DATASET_WINDOW)
    return False


def _first_in_window(key: tuple, window: float) -> bool:
    """True unless ``key`` was counted less than ``window`` seconds ago (then remember now)."""
    now = time.monotonic()
    with _window_lock:
        if now - _last_counted.get(key, -window) < window:
            return False
        if len(_last_counted) > 10_000:  # forget old clients now and then
            for old in [k for k, t in _last_counted.items() if now - t > DATASET_WINDOW]:
                del _last_counted[old]
        _last_counted[key] = now
    return True


# -- how files and folders are described ------------------------------------------------


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


def add_security(store: Storage, files: dict[str, Entry], items: list[dict]) -> None:
    """Add ``securityFileStatus`` (the pickle scan, see :mod:`..scans`) to file items."""
    from modelshare.hub.server.scans import file_security

    for item in items:
        if item["type"] == "file":
            item["securityFileStatus"] = file_security(store, files[item["path"]])


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
