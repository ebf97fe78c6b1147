"""Checks on every name and path a client sends, before it reaches the disk or the database.

A path in a repo is only ever a key in SQLite (files are stored under their sha256),
so nothing a client sends can name a file on the server's disk. These checks still
refuse odd paths, so that what is stored could also live in a git repository.

Example::

    >>> check_path("weights/model.safetensors")
    'weights/model.safetensors'
    >>> check_path("../etc/passwd")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    modelshare.hub.server.storage.HubError: invalid path '../etc/passwd': '..' is not allowed ...
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from modelshare.hub.server.storage import HubError

NAME = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$")
REVISION_PART = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9_])?$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
RESERVED = {"api", "datasets", "models", "spaces", "static", "lfs", "new", "settings", "docs"}
MAX_PATH = 1000
MAX_NAME_BYTES = 255  # one folder or file name: the limit of ext4, APFS, NTFS (in UTF-16)


def check_name(name: str, what: str = "repo name") -> str:
    """A user, namespace or repo name: letters, digits, ``.``, ``_`` and ``-``; 1 to 96 characters.

    The same rule as ``huggingface_hub``'s own check: no ``-`` or ``.`` at either end.
    """
    if not isinstance(name, str) or not NAME.match(name) or ".." in name or "--" in name:
        raise HubError(
            400,
            f"invalid {what} {name!r}: use 1-96 letters, digits, '.', '_' or '-', not starting "
            "or ending with '.' or '-', without '..' or '--'",
        )
    if name.endswith(".git") or name.lower() in RESERVED:
        raise HubError(400, f"invalid {what} {name!r}: this name is reserved")
    return name


def check_revision(revision: str) -> str:
    """A branch, a tag, a commit id or ``refs/pr/N``: parts of letters, digits, ``.``, ``_``
    and ``-`` between single ``/``, as git allows (``feature/new-card``).

    Slashes may arrive still encoded (``refs%2Fpr%2F1``): see ``middleware.KeepEncodedSlashes``.

    >>> check_revision("refs%2Fpr%2F1")
    'refs/pr/1'
    """
    if isinstance(revision, str):
        revision = unquote(revision)
    parts = revision.split("/") if isinstance(revision, str) and len(revision) <= 255 else [""]
    if not all(REVISION_PART.match(part) for part in parts) or ".." in revision \
            or revision.endswith(".lock"):
        raise HubError(
            404,
            f"Invalid rev id: {revision!r} (branches and tags use letters, digits, '.', '_', '-', "
            "and '/' between parts)",
            "RevisionNotFound",
        )
    return revision


def check_path(path: str) -> str:
    """A file path inside a repo: relative, '/'-separated, no '.', '..' or '.git' parts."""
    problem = None
    if not isinstance(path, str) or not path:
        problem = "it is empty"
    elif len(path) > MAX_PATH:
        problem = f"it is longer than {MAX_PATH} characters"
    elif path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        problem = "absolute paths are not allowed"
    elif any(ord(c) < 32 or c == "\x7f" for c in path):
        problem = "it contains control characters"
    else:
        if path.startswith("..\\"):  # "..\\x" climbs out of the folder on Windows
            problem = "'..' is not allowed as a folder or file name"
        for part in path.split("/") if problem is None else ():
            if part in ("", ".", ".."):
                problem = f"{part or 'an empty part'!r} is not allowed as a folder or file name"
                break
            if part == ".git":
                problem = "'.git' is reserved"
                break
            if len(part.encode()) > MAX_NAME_BYTES:  # every download would fail on the disk
                problem = (f"the name {part[:40]!r}... is {len(part.encode())} bytes long; "
                           f"file systems store names of at most {MAX_NAME_BYTES} bytes "
                           "(accented letters take 2 bytes)")
                break
    if problem:
        raise HubError(422, f"invalid path {path!r}: {problem}. Give a relative path like "
                       "'data/train.csv'.")
    return path


def path_warning(path: str) -> tuple[str, str] | None:
    r"""(topic, warning) for a path that is allowed but probably not what was meant.

    The client shows the first warning of each topic once per session, hence the topics.

    >>> path_warning("data/train.csv") is None
    True
    >>> print(path_warning("data" + chr(92) + "train.csv")[1])  # doctest: +ELLIPSIS
    'data\\train.csv' is one file name with a backslash in it, not a folder: use '/' ...
    """
    if "\\" in path:
        return "path-backslash", (f"{path!r} is one file name with a backslash in it, not a "
                                  "folder: use '/' between folders (as on the Hub, a backslash "
                                  "is part of the name)")
    if unicodedata.normalize("NFC", path) != path:
        return "path-unicode", (f"{path!r} is not in Unicode's composed form (NFC): it may look "
                                "exactly like another file's name yet be a different file (macOS "
                                "often writes 'é' as 'e' plus an accent). Rename it with "
                                "unicodedata.normalize('NFC', name)")
    return None


def check_sha256(oid: str) -> str:
    if not isinstance(oid, str) or not SHA256.match(oid):
        raise HubError(400, f"invalid LFS oid {oid!r}: expected 64 lowercase hex digits (a sha256)")
    return oid
