"""Discussions and pull requests: how people review a shared model (the Hub's Community tab).

A discussion is a numbered thread on a repo: its first comment is the description, then
comments, title changes and status changes follow as *events*. A pull request is a
discussion with a git ref of its own, ``refs/pr/N``: commits go there (``create_commit(...,
revision="refs/pr/N")`` or ``create_pr=True``), and merging applies what changed on the
pull request since it was opened (its *fork point*) to the branch it targets, as one commit.

Who may do what, as on the Hub: anyone signed in who can see a repo opens discussions and
pull requests and comments; their author or the repo's owner renames, closes and reopens
them; only the owner merges, and only a published pull request (a draft, as
``create_pull_request`` opens one, is published by setting its status to 'open'); a
comment's author edits it; the owner hides comments.

Stored in the ``discussions`` and ``events`` tables of :mod:`.storage`; an event's ``data``
is JSON: ``{"raw", "hidden", "history": [{"raw", "author", "updatedAt"}...]}`` for a comment,
``{"status"}``, ``{"from", "to"}`` (title) or ``{"oid", "subject"}`` (commit).
"""

from __future__ import annotations

import difflib
import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from modelshare.hub.server.storage import Change, HubError, Repo, Storage, now

STATUSES = ("open", "closed", "merged", "draft")
TITLE_LENGTH = (3, 200)  # the Hub's limits, in characters
DIFF_LIMIT = 200_000  # characters of diff sent with a pull request's details


@dataclass(frozen=True)
class Discussion:
    repo: Repo
    num: int
    is_pr: bool
    title: str
    status: str
    author: str
    created: str
    base: str | None
    fork: str | None
    merge_commit: str | None

    @property
    def ref(self) -> str | None:
        """The pull request's git ref (``refs/pr/N``), None for a discussion."""
        return f"refs/pr/{self.num}" if self.is_pr else None


# -- reading ------------------------------------------------------------------------------


def discussions(store: Storage, repo: Repo) -> list[Discussion]:
    """The repo's discussions and pull requests, newest first."""
    rows = store.db.execute("SELECT * FROM discussions WHERE repo_id = ? ORDER BY num DESC",
                            (repo.id,))
    return [_discussion(repo, row) for row in rows]


def get(store: Storage, repo: Repo, num: int) -> Discussion:
    row = store.db.execute("SELECT * FROM discussions WHERE repo_id = ? AND num = ?",
                           (repo.id, num)).fetchone()
    if row is None:
        raise HubError(404, f"Discussion #{num} not found in {repo.repo_id}")
    return _discussion(repo, row)


def events(store: Storage, discussion: Discussion) -> list[dict[str, Any]]:
    """The discussion's events, oldest first: (id, type, author, created, data)."""
    rows = store.db.execute(
        "SELECT id, type, author, created, data FROM events WHERE repo_id = ? AND num = ? "
        "ORDER BY created, rowid", (discussion.repo.id, discussion.num))
    return [{**dict(row), "data": json.loads(row["data"])} for row in rows]


def pull_request_for(store: Storage, repo: Repo, revision: str) -> Discussion | None:
    """The pull request whose ref is ``revision`` (``refs/pr/N``), if any."""
    if not revision.startswith("refs/pr/") or not revision[8:].isdigit():
        return None
    found = get(store, repo, int(revision[8:]))
    return found if found.is_pr else None


# -- writing ------------------------------------------------------------------------------


def create(store: Storage, repo: Repo, author: str, title: str, description: str,
           pull_request: bool, base: str = "main", status: str | None = None,
           commit: tuple[str, list[Change]] | None = None) -> Discussion:
    """Open a discussion (or a pull request, ``refs/pr/N`` at ``base``'s head); its first
    comment is ``description``. Pull requests opened this way start as drafts.

    ``commit``, (title, changes): the pull request's first commit (``create_pr=True``), made
    in the same transaction, so a commit the hub refuses leaves no empty pull request behind.
    """
    title = check_title(title)
    with store.transaction() as db:
        fork = store.branch_head(repo, base) if pull_request else None
        num = db.execute("SELECT COALESCE(MAX(num), 0) + 1 FROM discussions WHERE repo_id = ?",
                         (repo.id,)).fetchone()[0]
        db.execute(
            "INSERT INTO discussions (repo_id, num, is_pr, title, status, author, created, "
            "base, fork) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (repo.id, num, int(pull_request), title,
             status or ("draft" if pull_request else "open"), author, now(),
             base if pull_request else None, fork),
        )
        if pull_request:
            store.create_ref(repo, "pr", f"refs/pr/{num}", fork, db=db)
        _add_event(db, repo, num, "comment", author, _comment_data(description, author))
        if commit is not None and pull_request:
            subject, changes = commit
            oid = store.apply_commit(repo, f"refs/pr/{num}", changes, author, subject,
                                     description, db=db)
            _add_event(db, repo, num, "commit", author, {"oid": oid, "subject": subject})
    return get(store, repo, num)


def comment(store: Storage, discussion: Discussion, author: str, text: str) -> dict:
    if not text.strip():
        raise HubError(400, "A comment cannot be empty: write something to say")
    with store.transaction() as db:
        return _add_event(db, discussion.repo, discussion.num, "comment", author,
                          _comment_data(text, author))


def edit_comment(store: Storage, discussion: Discussion, event_id: str, user: str,
                 text: str) -> dict:
    """Replace a comment's text; the earlier texts stay in its history."""
    with store.transaction() as db:  # read and write together: two edits at once keep both
        event = _comment(store, discussion, event_id)
        if event["author"] != user:
            raise HubError(403, "Only the author of a comment can edit it")
        data = event["data"]
        data["history"].insert(0, {"raw": text, "author": user, "updatedAt": now()})
        data["raw"] = text
        return _save_event(db, event)


def hide_comment(store: Storage, discussion: Discussion, event_id: str, user: str) -> dict:
    with store.transaction() as db:
        event = _comment(store, discussion, event_id)
        if user != discussion.repo.namespace:
            raise HubError(403, "Only the repo's owner can hide a comment")
        event["data"]["hidden"] = True
        return _save_event(db, event)


def rename(store: Storage, discussion: Discussion, user: str, title: str) -> dict:
    _author_or_owner(discussion, user, "rename")
    title = check_title(title)
    with store.transaction() as db:
        db.execute("UPDATE discussions SET title = ? WHERE repo_id = ? AND num = ?",
                   (title, discussion.repo.id, discussion.num))
        return _add_event(db, discussion.repo, discussion.num, "title-change", user,
                          {"from": discussion.title, "to": title})


def set_status(store: Storage, discussion: Discussion, user: str, status: str,
               text: str = "") -> dict:
    """Close or reopen; a comment given with it comes first."""
    if status not in ("open", "closed"):
        raise HubError(400, f"status must be 'open' or 'closed', not {status!r}")
    if discussion.status == "merged":
        raise HubError(400, "This pull request is merged: its status cannot change")
    _author_or_owner(discussion, user, "close or reopen")
    with store.transaction() as db:
        if text.strip():
            _add_event(db, discussion.repo, discussion.num, "comment", user,
                       _comment_data(text, user))
        db.execute("UPDATE discussions SET status = ? WHERE repo_id = ? AND num = ?",
                   (status, discussion.repo.id, discussion.num))
        return _add_event(db, discussion.repo, discussion.num, "status-change", user,
                          {"status": status})


def add_commit(store: Storage, discussion: Discussion, changes: list[Change], author: str,
               title: str, message: str = "", parent: str | None = None) -> str:
    """Commit to a pull request's ref and note it in its thread (one transaction: a pull
    request merged meanwhile takes no more commits)."""
    with store.transaction() as db:
        if get(store, discussion.repo, discussion.num).status == "merged":
            raise HubError(400, f"Pull request #{discussion.num} is merged: open a new one")
        oid = store.apply_commit(discussion.repo, discussion.ref, changes, author, title,
                                 message, parent, db=db)
        _add_event(db, discussion.repo, discussion.num, "commit", author,
                   {"oid": oid, "subject": title})
    return oid


def merge(store: Storage, discussion: Discussion, user: str, text: str = "") -> str:
    """Apply the pull request's changes to its base branch as one commit; return its id.

    One transaction from the status check to the merge commit: two merges sent at once
    make one merge commit, and the second is told the pull request is merged already.
    """
    if not discussion.is_pr:
        raise HubError(400, f"#{discussion.num} is a discussion, not a pull request")
    if user != discussion.repo.namespace:
        raise HubError(403, "Only the repo's owner can merge a pull request")
    with store.transaction() as db:
        discussion = get(store, discussion.repo, discussion.num)  # as it is now
        if discussion.status != "open":  # as on the Hub: drafts are published first
            raise HubError(400, {
                "closed": "This pull request is closed: reopen it first",
                "merged": "This pull request is merged already",
                "draft": "This pull request is a draft: publish it first (its author or the "
                         "owner: change_discussion_status(repo_id, num, 'open')), then merge",
            }[discussion.status])
        conflicts = conflicting_files(store, discussion)
        if conflicts:
            raise HubError(409, "This pull request changes files that also changed on "
                           f"{discussion.base} since it was opened: {', '.join(conflicts)}. "
                           "Update the pull request, then merge.")
        changes = changes_of(store, discussion)
        title = f"Merge pull request #{discussion.num}: {discussion.title}"
        oid = store.apply_commit(discussion.repo, discussion.base, changes, user, title, text,
                                 db=db)
        db.execute("UPDATE discussions SET status = 'merged', merge_commit = ? "
                   "WHERE repo_id = ? AND num = ?", (oid, discussion.repo.id, discussion.num))
        if text.strip():
            _add_event(db, discussion.repo, discussion.num, "comment", user,
                       _comment_data(text, user))
        _add_event(db, discussion.repo, discussion.num, "status-change", user,
                   {"status": "merged"})
    return oid


# -- what a pull request changes ---------------------------------------------------------


def changes_of(store: Storage, discussion: Discussion) -> list[Change]:
    """The changes from the fork point to the pull request's head."""
    before = store.tree(discussion.fork)
    after = store.tree(store.branch_head(discussion.repo, discussion.ref))
    changes = [Change("add", path, e.sha256, e.lfs) for path, e in after.items()
               if path not in before or before[path].sha256 != e.sha256]
    changes += [Change("delete_file", path) for path in before if path not in after]
    return changes


def conflicting_files(store: Storage, discussion: Discussion) -> list[str]:
    """Files the pull request changes that its base also changed since the fork point."""
    if not discussion.is_pr or discussion.status == "merged":
        return []
    fork = store.tree(discussion.fork)
    base = store.tree(store.branch_head(discussion.repo, discussion.base))
    mine = {c.path for c in changes_of(store, discussion)}
    theirs = {p for p in set(fork) | set(base)
              if (fork.get(p) and fork[p].sha256) != (base.get(p) and base[p].sha256)}
    return sorted(mine & theirs)


def diff(store: Storage, discussion: Discussion) -> str:
    """A git-style diff of the pull request (text files line by line, others by size)."""
    if discussion.status == "merged" and discussion.merge_commit:
        before = store.tree(store.commit(discussion.merge_commit).parent or discussion.fork)
        after = store.tree(discussion.merge_commit)
    else:
        before = store.tree(discussion.fork)
        after = store.tree(store.branch_head(discussion.repo, discussion.ref))
    parts = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old and new and old.sha256 == new.sha256:
            continue
        parts.append(f"diff --git a/{path} b/{path}\n")
        old_text, new_text = _text(store, old), _text(store, new)
        if old_text is None or new_text is None:
            parts.append(f"Binary files differ ({old.size if old else 0} -> "
                         f"{new.size if new else 0} bytes)\n")
            continue
        parts += difflib.unified_diff(old_text, new_text, f"a/{path}" if old else "/dev/null",
                                      f"b/{path}" if new else "/dev/null")
    text = "".join(parts)
    return text if len(text) <= DIFF_LIMIT else text[:DIFF_LIMIT] + "\n... (diff cut short)\n"


# -- helpers ------------------------------------------------------------------------------


def check_title(title) -> str:
    title = title.strip() if isinstance(title, str) else ""
    low, high = TITLE_LENGTH
    if not low <= len(title) <= high:
        raise HubError(400, f"A title needs {low} to {high} characters (got {len(title)})")
    return title


def _author_or_owner(discussion: Discussion, user: str, action: str) -> None:
    if user not in (discussion.author, discussion.repo.namespace):
        raise HubError(403, f"Only the author of #{discussion.num} or the repo's owner can "
                       f"{action} it")


def _comment_data(text: str, author: str) -> dict:
    return {"raw": text, "hidden": False,
            "history": [{"raw": text, "author": author, "updatedAt": now()}]}


def _add_event(db: sqlite3.Connection, repo: Repo, num: int, kind: str, author: str,
               data: dict) -> dict:
    event = {"id": secrets.token_hex(12), "type": kind, "author": author, "created": now(),
             "data": data}
    db.execute("INSERT INTO events (id, repo_id, num, type, author, created, data) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)",
               (event["id"], repo.id, num, kind, author, event["created"], json.dumps(data)))
    return event


def _comment(store: Storage, discussion: Discussion, event_id: str) -> dict:
    for event in events(store, discussion):
        if event["id"] == event_id.lower() and event["type"] == "comment":
            return event
    raise HubError(404, f"No comment {event_id} in #{discussion.num}")


def _save_event(db: sqlite3.Connection, event: dict) -> dict:
    db.execute("UPDATE events SET data = ? WHERE id = ?", (json.dumps(event["data"]), event["id"]))
    return event


def _text(store: Storage, entry) -> list[str] | None:
    """A file's lines, or None when it is not small text (an absent file has no lines)."""
    if entry is None:
        return []
    if entry.size > 1024 * 1024:
        return None
    data = store.read(entry)
    if b"\0" in data[:8000]:
        return None
    try:
        return data.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def _discussion(repo: Repo, row: sqlite3.Row) -> Discussion:
    return Discussion(repo=repo, num=row["num"], is_pr=bool(row["is_pr"]), title=row["title"],
                      status=row["status"], author=row["author"], created=row["created"],
                      base=row["base"], fork=row["fork"], merge_commit=row["merge_commit"])
