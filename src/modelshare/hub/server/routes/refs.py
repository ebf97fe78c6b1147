"""History, branches and tags: list commits and refs, create and delete a branch or a tag."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from modelshare.hub.server.deps import JsonBody, ReadableRepo, Store, WritableRepo
from modelshare.hub.server.safety import check_revision

router = APIRouter(tags=["history"])


class RefKind(StringConvertor):
    """A path part that is ``tag`` or ``branch``: one route serves both kinds of ref."""

    regex = "tag|branch"


register_url_convertor("ref_kind", RefKind())


@router.get("/api/{kind}/{ns}/{name}/commits/{revision}")
def list_commits(revision: str, repo: ReadableRepo,
                 store: Store) -> list[dict]:
    oid = store.resolve(repo, check_revision(revision))
    return [
        {"id": c.oid, "title": c.title, "message": c.message, "date": c.created,
         "authors": [{"user": c.author}], "parents": [c.parent] if c.parent else []}
        for c in store.history(oid)
    ]


@router.get("/api/{kind}/{ns}/{name}/refs")
def list_refs(repo: ReadableRepo, store: Store) -> dict:
    refs: dict[str, list] = {"branches": [], "converts": [], "tags": [], "pullRequests": []}
    for ref_kind, ref_name, oid in store.refs(repo):
        group, prefix = ("branches", "heads") if ref_kind == "branch" else ("tags", "tags")
        refs[group].append({"name": ref_name, "ref": f"refs/{prefix}/{ref_name}",
                            "targetCommit": oid})
    return refs


@router.post("/api/{kind}/{ns}/{name}/{ref_kind:ref_kind}/{ref}")
async def create_ref(ref_kind: str, ref: str,
                     body: JsonBody, repo: WritableRepo,
                     store: Store) -> dict:
    """``create_tag`` (``POST .../tag/{revision}``, body ``{"tag": name}``) and
    ``create_branch`` (``POST .../branch/{name}``, body ``{"startingPoint": revision}``)."""
    if ref_kind == "tag":
        name, target = body.get("tag", ""), ref
    else:
        name, target = ref, str(body.get("startingPoint") or "main")
    await run_in_threadpool(store.create_ref, repo, ref_kind, check_revision(name),
                            check_revision(target))
    return {}


@router.delete("/api/{kind}/{ns}/{name}/{ref_kind:ref_kind}/{ref}")
def delete_ref(ref_kind: str, ref: str,
               repo: WritableRepo, store: Store) -> dict:
    """``delete_tag`` and ``delete_branch``."""
    store.delete_ref(repo, ref_kind, check_revision(ref))
    return {}
