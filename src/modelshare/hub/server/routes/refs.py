"""History, branches and tags: list commits and refs, create and delete a branch or a tag."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.convertors import StringConvertor, register_url_convertor

from modelshare.hub.server.deps import JsonBody, ReadableRepo, Store, WritableRepo
from modelshare.hub.server.safety import check_revision
from modelshare.hub.server.web import markdown

router = APIRouter(tags=["history"])


class RefKind(StringConvertor):
    """A path part that is ``tag`` or ``branch``: one route serves both kinds of ref."""

    regex = "tag|branch"


register_url_convertor("ref_kind", RefKind())


@router.get("/api/{kind}/{ns}/{name}/commits/{revision}")
def list_commits(request: Request, revision: str, repo: ReadableRepo, store: Store) -> list[dict]:
    """``list_repo_commits``, newest first; ``expand[]=formatted`` adds title and message as HTML."""
    formatted = "formatted" in request.query_params.getlist("expand[]")
    oid = store.resolve(repo, check_revision(revision))
    commits = []
    for c in store.history(oid):
        item = {"id": c.oid, "title": c.title, "message": c.message, "date": c.created,
                "authors": [{"user": c.author}], "parents": [c.parent] if c.parent else []}
        if formatted:
            item["formatted"] = {"title": markdown.renderInline(c.title),
                                 "message": markdown.render(c.message)}
        commits.append(item)
    return commits


@router.get("/api/{kind}/{ns}/{name}/refs")
def list_refs(repo: ReadableRepo, store: Store, include_prs: bool = False) -> dict:
    """``list_repo_refs``: branches and tags (and pull requests' ``refs/pr/N`` if asked)."""
    refs: dict[str, list] = {"branches": [], "converts": [], "tags": []}
    if include_prs:
        refs["pullRequests"] = []
    groups = {"branch": ("branches", "refs/heads/"), "tag": ("tags", "refs/tags/"),
              "pr": ("pullRequests", "")}
    for ref_kind, ref_name, oid in store.refs(repo):
        group, prefix = groups[ref_kind]
        if group in refs:
            refs[group].append({"name": ref_name, "ref": prefix + ref_name, "targetCommit": oid})
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
