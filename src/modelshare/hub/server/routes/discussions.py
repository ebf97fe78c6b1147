"""Discussions and pull requests over HTTP: what ``HfApi.create_discussion``,
``get_repo_discussions``, ``comment_discussion``, ``merge_pull_request``... call.

The logic is in :mod:`..community`; this module reads requests and shapes replies.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from modelshare.hub.server import community
from modelshare.hub.server.deps import JsonBody, ReadableRepo, Store, User, base_url, require_user
from modelshare.hub.server.storage import HubError, Repo
from modelshare.hub.server.web import markdown

router = APIRouter(tags=["discussions"])

PER_PAGE = 50
PREFIX = "/api/{kind}/{ns}/{name}/discussions"


@router.get(PREFIX)
def list_discussions(repo: ReadableRepo, store: Store, p: int = 0, type: str = "all",
                     status: str = "all", author: str | None = None,
                     search: str | None = None) -> dict:
    """``get_repo_discussions``: newest first, 50 a page; ``status=open`` includes drafts."""
    found = [d for d in community.discussions(store, repo)
             if type in ("all", "pull_request" if d.is_pr else "discussion")
             and (status == "all" or d.status == status or (status == "open" and d.status == "draft"))
             and author in (None, d.author)
             and (not search or search.lower() in d.title.lower())]
    page = found[p * PER_PAGE:(p + 1) * PER_PAGE]
    return {"discussions": [summary(d) for d in page], "count": len(found),
            "start": p * PER_PAGE, "numItemsPerPage": PER_PAGE}


@router.post(PREFIX)
def create_discussion(request: Request, body: JsonBody, repo: ReadableRepo, store: Store,
                      user: User) -> dict:
    """``create_discussion`` / ``create_pull_request``: ``{"title", "description", "pullRequest"}``."""
    discussion = community.create(store, repo, require_user(user), body.get("title"),
                                  str(body.get("description") or ""),
                                  body.get("pullRequest") is True)
    return {"num": discussion.num, "url": url(request, discussion),
            "pullRequest": discussion.is_pr}


@router.get(PREFIX + "/{num}")
def discussion_details(num: int, repo: ReadableRepo, store: Store) -> dict:
    """``get_discussion_details``: the thread, and for a pull request its diff and conflicts."""
    discussion = community.get(store, repo, num)
    details = summary(discussion) | {
        "events": [event(e) for e in community.events(store, discussion)]}
    if discussion.is_pr:
        details |= {
            "changes": {"base": f"refs/heads/{discussion.base}",
                        "mergeCommitId": discussion.merge_commit},
            "filesWithConflicts": community.conflicting_files(store, discussion),
            "diff": community.diff(store, discussion),
        }
    return details


@router.post(PREFIX + "/{num}/comment")
def comment(num: int, body: JsonBody, repo: ReadableRepo, store: Store, user: User) -> dict:
    discussion = community.get(store, repo, num)
    new = community.comment(store, discussion, require_user(user), str(body.get("comment") or ""))
    return {"newMessage": event(new)}


@router.post(PREFIX + "/{num}/title")
def rename(num: int, body: JsonBody, repo: ReadableRepo, store: Store, user: User) -> dict:
    discussion = community.get(store, repo, num)
    return {"newTitle": event(community.rename(store, discussion, require_user(user),
                                               body.get("title")))}


@router.post(PREFIX + "/{num}/status")
def change_status(num: int, body: JsonBody, repo: ReadableRepo, store: Store, user: User) -> dict:
    discussion = community.get(store, repo, num)
    new = community.set_status(store, discussion, require_user(user), str(body.get("status")),
                               str(body.get("comment") or ""))
    return {"newStatus": event(new)}


@router.post(PREFIX + "/{num}/merge")
def merge(num: int, body: JsonBody, repo: ReadableRepo, store: Store, user: User) -> dict:
    discussion = community.get(store, repo, num)
    oid = community.merge(store, discussion, require_user(user), str(body.get("comment") or ""))
    return {"mergeCommitId": oid}


@router.post(PREFIX + "/{num}/comment/{comment_id}/edit")
def edit_comment(num: int, comment_id: str, body: JsonBody, repo: ReadableRepo, store: Store,
                 user: User) -> dict:
    discussion = community.get(store, repo, num)
    edited = community.edit_comment(store, discussion, comment_id, require_user(user),
                                    str(body.get("content") or ""))
    return {"updatedComment": event(edited)}


@router.post(PREFIX + "/{num}/comment/{comment_id}/hide")
@router.put(PREFIX + "/{num}/comment/{comment_id}/hide")
def hide_comment(num: int, comment_id: str, repo: ReadableRepo, store: Store, user: User) -> dict:
    discussion = community.get(store, repo, num)
    hidden = community.hide_comment(store, discussion, comment_id, require_user(user))
    return {"updatedComment": event(hidden)}


# -- the Hub's JSON shapes ----------------------------------------------------------------


def url(request: Request, discussion: community.Discussion) -> str:
    return f"{base_url(request)}/{discussion.repo.url_path}/discussions/{discussion.num}"


def summary(discussion: community.Discussion) -> dict[str, Any]:
    repo: Repo = discussion.repo
    return {"num": discussion.num, "title": discussion.title, "status": discussion.status,
            "isPullRequest": discussion.is_pr, "createdAt": discussion.created,
            "author": {"name": discussion.author, "type": "user"}, "pinned": False,
            "repo": {"name": repo.repo_id, "type": repo.type}}


def event(stored: dict) -> dict[str, Any]:
    """A stored event as the client reads it (``huggingface_hub.community.deserialize_event``)."""
    data = stored["data"]
    if stored["type"] == "comment":
        latest = data["history"][0]
        data = {"edited": len(data["history"]) > 1, "hidden": data["hidden"],
                "numEdits": len(data["history"]) - 1,
                "editors": sorted({h["author"] for h in data["history"]}),
                "latest": {"raw": latest["raw"], "html": markdown.render(latest["raw"]),
                           "updatedAt": latest["updatedAt"],
                           "author": {"name": latest["author"]}},
                "history": data["history"]}
    elif stored["type"] not in ("status-change", "title-change", "commit"):
        raise HubError(500, f"unknown event type {stored['type']!r}")
    return {"id": stored["id"], "type": stored["type"], "createdAt": stored["created"],
            "author": {"name": stored["author"], "type": "user"}, "data": data}
