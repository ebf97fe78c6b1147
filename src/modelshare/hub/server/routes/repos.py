"""Repos: create, delete, change visibility, list, and describe one (``model_info``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from modelshare.hub.server.deps import (
    KINDS,
    JsonBody,
    ReadableRepo,
    Store,
    User,
    WritableRepo,
    base_url,
    error_response,
    find_repo,
    repo_type_of,
    require_owner,
    require_user,
)
from modelshare.hub.server.safety import check_name, check_revision
from modelshare.hub.server.storage import HubError, Repo, Storage
from modelshare.hub.server.summary import SMALL, summarize

router = APIRouter(tags=["repos"])

SPACE_SDKS = ("gradio", "streamlit", "docker", "static")
# The hub keeps a Space's files but never runs them: this is what space_info() reports.
SPACE_RUNTIME = {"stage": "STOPPED", "hardware": {"current": None, "requested": None},
                 "storage": None, "gcTimeout": None, "replicas": None,
                 "errorMessage": "The workshop hub stores Space repos but does not run them."}


@router.post("/api/repos/create")
async def create_repo(request: Request, body: JsonBody,
                      user: User,
                      store: Store) -> Response:
    """``create_repo``: ``{"name", "organization", "type", "private", "sdk"}``.

    A Space needs an ``sdk`` (gradio, streamlit, docker, static): the hub stores its files
    like any repo's but does not run it.
    """
    ns, name, repo_type = repo_fields(body, user)
    require_owner(user, ns)
    private = body.get("private") is True or body.get("visibility") == "private"
    sdk = body.get("sdk")
    if repo_type == "space" and sdk not in SPACE_SDKS:
        raise HubError(400, f"A Space needs an sdk: one of {', '.join(SPACE_SDKS)} (space_sdk=...)."
                       " The workshop hub stores Space files but does not run them.")
    existing = store.get_repo(repo_type, ns, name, renamed=False)
    if existing is not None:  # exist_ok=True reads the url of the existing repo
        return error_response(HubError(409, f"You already created this {repo_type} repo"),
                              {"url": repo_url(request, existing)})
    space = repo_type == "space"
    repo = await run_in_threadpool(store.create_repo, repo_type, ns, name, private, user,
                                   sdk if space else None,
                                   {"README.md": space_readme(name, sdk)} if space else None)
    return JSONResponse({"url": repo_url(request, repo), "name": repo.repo_id,
                         "id": repo.repo_id})


@router.post("/api/repos/move")
async def move_repo(request: Request, body: JsonBody, user: User, store: Store) -> dict:
    """``move_repo``: ``{"fromRepo": "ns/a", "toRepo": "ns/b", "type"}``, within your namespace."""
    repo_type = body.get("type") or "model"
    source, target = str(body.get("fromRepo", "")), str(body.get("toRepo", ""))
    if source.count("/") != 1 or target.count("/") != 1:
        raise HubError(400, "fromRepo and toRepo are repo ids: namespace/name")
    repo_type_of(f"{repo_type}s")  # 404 for a type this hub does not serve
    repo = find_repo(store, f"{repo_type}s", *source.split("/"), user, write=True)
    ns, name = (check_name(part, "repo name") for part in target.split("/"))
    require_owner(user, ns)
    moved = await run_in_threadpool(store.move_repo, repo, ns, name)
    return {"url": repo_url(request, moved)}


@router.get("/api/{kind}/{ns}/{name}/auth-check")
def auth_check(repo: ReadableRepo) -> dict:
    """``auth_check``: 200 when the token may read the repo (404 otherwise, as for any read)."""
    return {"ok": True, "repo": repo.repo_id}


@router.post("/api/{kind}/{ns}/{name}/super-squash/{branch}")
async def super_squash(branch: str, body: JsonBody, repo: WritableRepo, store: Store,
                       user: User) -> dict:
    """``super_squash_history``: the branch keeps its files, its history becomes one commit."""
    branch = check_revision(branch)
    store.branch_head(repo, branch)  # a branch or refs/pr/N (404 otherwise)
    message = str(body.get("message") or "Super-squash branch using huggingface_hub")
    oid = await run_in_threadpool(store.squash, repo, branch, user, message)
    return {"commitId": oid}


@router.get("/api/{kind}/{ns}/{name}/lfs-files")
def list_lfs_files(repo: WritableRepo, store: Store) -> list[dict]:
    """``list_lfs_files``: each large file once, with the branch it was pushed to."""
    return store.lfs_files(repo)


@router.post("/api/{kind}/{ns}/{name}/lfs-files/batch")
async def delete_lfs_files(body: JsonBody, repo: WritableRepo, store: Store) -> dict:
    """``permanently_delete_lfs_files``: gone from every commit, and from the disk."""
    deletions = body.get("deletions") or {}
    if deletions.get("rewriteHistory") is False:
        raise HubError(400, "The workshop hub deletes LFS files by rewriting history only "
                       "(rewrite_history=True): a pointer to a missing file helps nobody")
    known = {item["fileOid"]: item["oid"] for item in store.lfs_files(repo)}
    shas = [known.get(sha, sha) for sha in deletions.get("sha") or []]
    await run_in_threadpool(store.delete_lfs_files, repo, shas)
    return {}


@router.get("/api/spaces/{ns}/{name}/runtime")
def space_runtime(ns: str, name: str, store: Store, user: User) -> dict:
    """Spaces are stored, never run: the runtime says so."""
    find_repo(store, "spaces", ns, name, user)
    return SPACE_RUNTIME


@router.delete("/api/repos/delete")
async def delete_repo(body: JsonBody, user: User,
                      store: Store) -> dict:
    ns, name, repo_type = repo_fields(body, user)
    repo = find_repo(store, repo_type + "s", ns, name, user, write=True)
    await run_in_threadpool(store.delete_repo, repo)
    return {}


@router.put("/api/{kind}/{ns}/{name}/settings")
async def update_settings(body: JsonBody, repo: WritableRepo,
                          store: Store) -> dict:
    """``HfApi.update_repo_settings``: visibility only (no gated repos on this hub)."""
    if body.get("gated") not in (None, False):
        raise HubError(400, "The workshop hub has no gated repos; only visibility can change")
    visibility = body.get("visibility")
    if visibility is None and isinstance(body.get("private"), bool):
        visibility = "private" if body["private"] else "public"
    if visibility not in ("private", "public"):
        raise HubError(400, "Send visibility 'private' or 'public'")
    await run_in_threadpool(store.set_private, repo, visibility == "private")
    return {}


@router.get("/api/models")
@router.get("/api/datasets")
@router.get("/api/spaces")
def list_repos(request: Request, user: User, store: Store, author: str = "",
               pipeline_tag: str = "", sort: str = "", limit: int | None = None,
               full: bool = False, cardData: bool = False, config: bool = False) -> list[dict]:  # noqa: N803
    """``list_models`` / ``list_datasets`` / ``list_spaces``: search, filter, sort, expand.

    ``search`` (repeatable) matches part of the repo id; ``filter`` (repeatable) must each be
    one of the repo's tags (its card's tags, library, task, ``license:mit``,
    ``dataset:...``, languages); ``sort`` is ``downloads``, ``createdAt``, ``lastModified``,
    ``likes`` or ``trendingScore``, largest first (default: last modified first).
    """
    query = request.query_params
    repo_type = repo_type_of(request.url.path.rsplit("/", 1)[1])
    check_list_parameters(query)
    wanted = Search(query.getlist("search"), author, query.getlist("filter"), pipeline_tag)
    expand = check_expand(repo_type, query.getlist("expand"))
    if query.get("gated", "").lower() == "true":
        return []  # no repo of this hub is gated
    found = find_repos(store, user, [repo_type], wanted, sort)
    return [shape(store, repo, item, expand, full, cardData, config)
            for repo, item in found[:limit]]


@router.get("/api/settings/repositories")
def my_repositories(user: User, store: Store) -> list[dict]:
    """``list_user_repos()`` (``hf repos ls``): your repos, with the space their files take."""
    require_user(user)
    return [{"id": repo.repo_id, "type": repo.type,
             "updatedAt": store.summary(repo)["lastModified"],
             "visibility": "private" if repo.private else "public",
             "storage": store.storage_used(repo), "storagePercent": 0}
            for repo in store.list_repos() if repo.namespace == user]


@router.get("/api/{kind}/{ns}/{name}")
@router.get("/api/{kind}/{ns}/{name}/revision/{revision}")
def repo_info(request: Request, repo: ReadableRepo, store: Store,
              revision: str = "main") -> dict:
    """``model_info`` / ``dataset_info`` / ``space_info`` (``expand=...`` picks properties;
    ``securityStatus=true`` adds the pickle scans of its files)."""
    expand = check_expand(repo.type, request.query_params.getlist("expand"))
    oid = store.resolve(repo, check_revision(revision))
    info = info_payload(store, repo, oid, blobs=request.query_params.get("blobs") == "true")
    if request.query_params.get("securityStatus") in ("1", "true", "True") \
            or "securityRepoStatus" in expand:
        from modelshare.hub.server.scans import repo_security  # pickle scans, as on the Hub

        info["securityRepoStatus"] = repo_security(store, store.tree(oid))
    return {k: v for k, v in info.items() if k in {"_id", "id", *expand}} if expand else info


# -- helpers ------------------------------------------------------------------------------

SORTS = {"lastModified": "lastModified", "last_modified": "lastModified",
         "createdAt": "createdAt", "created_at": "createdAt", "downloads": "downloads",
         "likes": "likes", "trendingScore": "trendingScore"}
# The properties ``expand=`` may ask for, per repo type: the Hub's (as huggingface_hub's
# ExpandModelProperty_T and its siblings list them; plus a model's securityRepoStatus, the
# field ModelInfo reads for securityStatus=true). Any other answers 400, as on the Hub;
# those the workshop hub does not compute (gguf, safetensors, inference...) are just absent.
EXPANDABLE = {
    "model": {"author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt",
              "disabled", "downloads", "downloadsAllTime", "evalResults", "gated", "gguf",
              "inference", "inferenceProviderMapping", "lastModified", "library_name", "likes",
              "mask_token", "model-index", "pipeline_tag", "private", "resourceGroup",
              "safetensors", "securityRepoStatus", "sha", "siblings", "spaces", "tags",
              "transformersInfo", "trendingScore", "usedStorage", "widgetData"},
    "dataset": {"author", "cardData", "citation", "createdAt", "description", "disabled",
                "downloads", "downloadsAllTime", "gated", "lastModified", "likes", "mainSize",
                "paperswithcode_id", "private", "resourceGroup", "sha", "siblings", "tags",
                "trendingScore", "usedStorage"},
    "space": {"author", "cardData", "createdAt", "datasets", "disabled", "lastModified",
              "likes", "models", "private", "region", "resourceGroup", "runtime", "sdk", "sha",
              "siblings", "subdomain", "tags", "trendingScore", "usedStorage"},
}


def check_expand(repo_type: str, expand: list[str]) -> list[str]:
    """``expand`` values, refused with 400 (as on the Hub) when one is not a property."""
    unknown = [value for value in expand if value not in EXPANDABLE[repo_type]]
    if unknown:
        raise HubError(400, f"expand={unknown[0]!r} is not a property of a {repo_type} repo; "
                       f"use some of: {', '.join(sorted(EXPANDABLE[repo_type]))}")
    return expand


# What list_models / list_datasets / list_spaces may send that this hub honours; the
# rest it cannot answer truly, so it says so (a filter ignored in silence would list every
# repo as if it matched).
LIST_PARAMETERS = {"search", "author", "filter", "pipeline_tag", "sort", "direction", "limit",
                   "full", "config", "cardData", "expand", "gated"}
NOT_LISTED_BY = {
    "num_parameters": "it does not count a model's parameters",
    "inference": "it runs no models", "inference_provider": "it runs no models",
    "apps": "it knows no local apps", "linked": "it does not link Spaces to models",
    "models": "it does not link Spaces to models", "datasets": "it does not link Spaces to datasets",
}


def check_list_parameters(query) -> None:
    """400 for a listing parameter the hub cannot honour (``num_parameters=``, ``inference=``...)."""
    for name in query:
        if name not in LIST_PARAMETERS:
            why = NOT_LISTED_BY.get(name, "it does not know this parameter")
            raise HubError(400, f"The workshop hub cannot list repos by {name}= ({why}): leave it "
                           f"out, or filter the results yourself")


# What a listing shows of each repo unless asked for more (as on the Hub).
DEFAULT_FIELDS = {
    "model": ("_id", "id", "author", "private", "downloads", "likes", "trendingScore", "tags",
              "pipeline_tag", "library_name", "createdAt", "lastModified", "modelId"),
    "dataset": ("_id", "id", "author", "private", "downloads", "likes", "trendingScore",
                "tags", "createdAt", "lastModified", "disabled", "gated"),
    "space": ("_id", "id", "author", "private", "likes", "trendingScore", "tags", "sdk",
              "createdAt", "lastModified"),
}


def find_repos(store: Storage, user: str | None, types: list[str], wanted: Search,
               sort: str = "") -> list[tuple[Repo, dict[str, Any]]]:
    """(repo, description) of the repos ``user`` may see that match, sorted, largest first.

    Shared by the API's listings and the web page's search.
    """
    downloads = store.downloads()
    found = []
    for repo in store.list_repos():
        if repo.type not in types or not store.may_read(repo, user):
            continue
        item = describe(repo, store.summary(repo), *downloads.get(repo.id, (0, 0)))
        if wanted.matches(item):
            found.append((repo, item))
    key = SORTS.get(sort or "lastModified")
    if key is None:
        raise HubError(400, f"cannot sort by {sort!r}: use one of {', '.join(SORTS)}")
    found.sort(key=lambda pair: (pair[1].get(key) or 0, pair[1]["id"]), reverse=True)
    return found


@dataclass
class Search:
    """What a listing asks for; :meth:`matches` says whether a repo's description fits."""

    words: list[str]
    author: str = ""
    filters: list[str] = field(default_factory=list)
    pipeline_tag: str = ""

    def matches(self, item: dict[str, Any]) -> bool:
        repo_id = item["id"].lower()
        tags = {t.lower() for t in item["tags"]}
        tags |= {str(item.get(k)).lower() for k in ("library_name", "pipeline_tag", "sdk")
                 if item.get(k)}
        return (all(word.lower() in repo_id for word in self.words)
                and self.author.lower() in ("", item["author"].lower())
                and all(f.lower() in tags for f in self.filters)
                and self.pipeline_tag in ("", item.get("pipeline_tag")))


def shape(store: Storage, repo: Repo, item: dict[str, Any], expand: list[str], full: bool,
          card: bool, config: bool) -> dict[str, Any]:
    """One listed repo: the default fields, or ``expand``'s, or everything (``full``)."""
    if full or "siblings" in expand or "sha" in expand:
        oid = store.resolve(repo, "main")
        item = item | {"sha": oid, "siblings": [{"rfilename": p} for p in store.tree(oid)]}
    if full:
        return item
    fields = set(expand) | {"_id", "id"} if expand else set(DEFAULT_FIELDS[repo.type])
    fields |= {"cardData"} if card else set()
    fields |= {"config"} if config else set()
    return {k: v for k, v in item.items() if k in fields}



def space_readme(name: str, sdk: str) -> bytes:
    """The README.md a new Space starts with (the Hub writes one too), saying it is not run."""
    return (f"---\ntitle: {name}\nsdk: {sdk}\npinned: false\n---\n\n# {name}\n\n"
            "This Space's files are kept by the workshop hub, which does not run Spaces: "
            "to see it running, publish it on huggingface.co.\n").encode()


def repo_url(request: Request, repo: Repo) -> str:
    return f"{base_url(request)}/{repo.url_path}"


def repo_fields(body: dict, user: str | None) -> tuple[str, str, str]:
    """(namespace, name, type) of a create/delete request; the namespace defaults to the user."""
    repo_type = body.get("type") or "model"
    if repo_type not in KINDS.values():
        raise HubError(400, f"repo type {repo_type!r} is not served here: use 'model', "
                       "'dataset' or 'space'")
    ns = body.get("organization") or user
    if ns is None:
        raise HubError(401, "You must be logged in: set HF_TOKEN to your hub token")
    return check_name(ns, "namespace"), check_name(body.get("name"), "repo name"), repo_type


def info_payload(store: Storage, repo: Repo, oid: str, blobs: bool = False) -> dict[str, Any]:
    """What ``model_info`` / ``dataset_info`` / ``space_info`` return: sha, siblings, cardData..."""
    files = store.tree(oid)
    siblings = []
    for entry in files.values():
        sibling: dict[str, Any] = {"rfilename": entry.path}
        if blobs:
            sibling |= {"size": entry.size, "blobId": entry.git_sha1}
            if entry.lfs:
                sibling["lfs"] = {"size": entry.size, "sha256": entry.sha256,
                                  "pointerSize": len(entry.pointer)}
        siblings.append(sibling)

    def read(path: str) -> bytes | None:
        entry = files.get(path)
        return store.read(entry) if entry is not None and entry.size <= SMALL else None

    recent, total = store.downloads().get(repo.id, (0, 0))
    payload = describe(repo, summarize(read, repo.type), recent, total)
    return payload | {"sha": oid, "lastModified": store.commit(oid).created,
                      "siblings": siblings}


def describe(repo: Repo, summary: dict[str, Any], downloads: int = 0,
             downloads_all_time: int = 0) -> dict[str, Any]:
    """Every property the hub knows of a repo, named as the Hub names them (without files)."""
    payload: dict[str, Any] = {
        "_id": hashlib.sha1(f"{repo.type}/{repo.repo_id}".encode()).hexdigest()[:24],
        "id": repo.repo_id, "author": repo.namespace, "private": repo.private,
        "createdAt": repo.created, "lastModified": summary.get("lastModified", repo.created),
        "disabled": False, "gated": False, "downloads": downloads,
        "downloadsAllTime": downloads_all_time, "likes": 0, "trendingScore": 0,
        "tags": summary["tags"], "cardData": summary["cardData"],
    }
    if repo.type == "model":
        payload |= {"modelId": repo.repo_id, "library_name": summary.get("library_name"),
                    "pipeline_tag": summary.get("pipeline_tag")}
        if summary.get("config"):
            payload["config"] = summary["config"]
    if repo.type == "space":
        payload |= {"sdk": repo.sdk, "runtime": SPACE_RUNTIME}
    return payload
