"""Repos: create, delete, change visibility, list, and describe one (``model_info``)."""

from __future__ import annotations

import hashlib
import json
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
)
from modelshare.hub.server.safety import check_name, check_revision
from modelshare.hub.server.storage import Entry, HubError, Repo, Storage
from modelshare.hub.server.validate_yaml import read_metadata

router = APIRouter(tags=["repos"])

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


@router.post("/api/repos/create")
async def create_repo(request: Request, body: JsonBody,
                      user: User,
                      store: Store) -> Response:
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
def list_repos(request: Request, user: User, store: Store, search: str = "",
               author: str = "") -> list[dict]:
    repo_type = repo_type_of(request.url.path.rsplit("/", 1)[1])
    return [
        {"id": r.repo_id, "author": r.namespace, "private": r.private, "createdAt": r.created}
        for r in store.list_repos()
        if r.type == repo_type and (not r.private or r.namespace == user)
        and search.lower() in r.repo_id.lower() and author in ("", r.namespace)
    ]


@router.get("/api/{kind}/{ns}/{name}")
@router.get("/api/{kind}/{ns}/{name}/revision/{revision}")
def repo_info(request: Request, repo: ReadableRepo, store: Store,
              revision: str = "main") -> dict:
    oid = store.resolve(repo, check_revision(revision))
    return info_payload(store, repo, oid, blobs=request.query_params.get("blobs") == "true")


# -- helpers ------------------------------------------------------------------------------


def repo_fields(body: dict, user: str | None) -> tuple[str, str, str]:
    """(namespace, name, type) of a create/delete request; the namespace defaults to the user."""
    repo_type = body.get("type") or "model"
    if repo_type not in KINDS.values():
        raise HubError(400, f"repo type {repo_type!r} is not served here: use 'model' or 'dataset'")
    ns = body.get("organization") or user
    if ns is None:
        raise HubError(401, "You must be logged in: set HF_TOKEN to your hub token")
    return check_name(ns, "namespace"), check_name(body.get("name"), "repo name"), repo_type


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
