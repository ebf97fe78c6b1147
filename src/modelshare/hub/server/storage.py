"""Where the workshop hub keeps its data: one SQLite file and a folder of blobs.

Layout of the data folder::

    hub.sqlite          users, repos, commits, file trees, branches and tags
    blobs/ab/abcdef...  file contents, named by their sha256 (content-addressed)
    tmp/                uploads in progress (moved into blobs/ once complete)
    secret              random key that signs LFS upload links
    tokens/NAME.token   the token of the hub's owner (single-user mode)

Two rules keep the data safe when the server is killed at any moment:

1. A blob is written to ``tmp/`` and renamed into ``blobs/`` only once it is
   complete and its sha256 checked (a rename is atomic on one file system).
2. A commit is one SQLite transaction: its files, its row and the branch
   update appear together or not at all.

Example::

    >>> store = Storage(Path("hub-data"))
    >>> repo = store.create_repo("model", "learner", "tiny", private=False, author="learner")
    >>> store.resolve(repo, "main")  # the commit id of the first commit
    '3f1c...'
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

try:
    import fcntl  # POSIX; on Windows two servers on one folder are not prevented
except ImportError:  # pragma: no cover
    fcntl = None

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    token_sha256 TEXT UNIQUE NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS admins (  -- may read every repo: a class's instructors
    name TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS repos (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    private INTEGER NOT NULL,
    created TEXT NOT NULL,
    UNIQUE (type, namespace, name)
);
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    git_sha1 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS commits (
    oid TEXT PRIMARY KEY,
    repo_id INTEGER NOT NULL,
    parent TEXT,
    author TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS commits_by_repo ON commits (repo_id);
CREATE TABLE IF NOT EXISTS tree (
    commit_oid TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    lfs INTEGER NOT NULL,
    PRIMARY KEY (commit_oid, path)
);
CREATE TABLE IF NOT EXISTS refs (
    repo_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('branch', 'tag')),
    name TEXT NOT NULL,
    commit_oid TEXT NOT NULL,
    PRIMARY KEY (repo_id, kind, name)
);
"""

# The file every new repo starts with, as on huggingface.co: it tells git which files are LFS.
GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in (
        "*.bin", "*.safetensors", "*.pt", "*.pth", "*.ckpt", "*.onnx", "*.h5", "*.msgpack",
        "*.pkl", "*.pickle", "*.joblib", "*.skops", "*.npy", "*.npz", "*.parquet", "*.arrow",
        "*.zip", "*.gz", "*.tar", "*.7z", "*.tflite", "*.model", "*.gguf",
    )
)

CHUNK = 1024 * 1024


class HubError(Exception):
    """An error the hub reports to a client, in the shape huggingface_hub understands.

    ``code`` becomes the ``X-Error-Code`` header (RepoNotFound, RevisionNotFound,
    EntryNotFound...), which the client turns into its typed exceptions.
    """

    def __init__(self, status: int, message: str, code: str | None = None, **headers: str):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers


@dataclass(frozen=True)
class Repo:
    id: int
    type: str  # "model" or "dataset"
    namespace: str
    name: str
    private: bool
    created: str

    @property
    def repo_id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def url_path(self) -> str:
        """The path of the repo's page: ``ns/name`` for models, ``datasets/ns/name`` for datasets."""
        return self.repo_id if self.type == "model" else f"{self.type}s/{self.repo_id}"


@dataclass(frozen=True)
class Entry:
    """One file in a commit's tree."""

    path: str
    sha256: str
    size: int
    git_sha1: str  # git's blob id of the content (regular files) or of the LFS pointer
    lfs: bool

    @property
    def pointer(self) -> str:
        """The git-lfs pointer file that stands for this file in git."""
        return f"version https://git-lfs.github.com/spec/v1\noid sha256:{self.sha256}\nsize {self.size}\n"


@dataclass(frozen=True)
class Commit:
    oid: str
    parent: str | None
    author: str
    title: str
    message: str
    created: str


@dataclass(frozen=True)
class Change:
    """One line of a commit: add a file (by blob sha256) or delete a file or a folder."""

    kind: str  # "add", "delete_file" or "delete_folder"
    path: str
    sha256: str = ""
    lfs: bool = False


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def git_blob_sha1(data: bytes) -> str:
    """git's id for a blob: sha1 of ``b"blob <size>\\0" + data`` (the ETag of a regular file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Storage:
    """The hub's data folder: SQLite for metadata, content-addressed files for blobs."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.blobs = self.root / "blobs"
        self.tmp = self.root / "tmp"
        for folder in (self.root, self.blobs, self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        self.db_path = self.root / "hub.sqlite"
        self._local = threading.local()
        self._write_lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
        self.secret = self._load_secret()

    # -- plumbing ---------------------------------------------------------

    def lock_for_serving(self) -> None:
        """Make sure only one server uses this folder, then delete half-written uploads.

        The lock (on ``server.lock``) lasts as long as this process. Other processes may still
        open the database, e.g. ``modelshare hub add-user`` while the hub runs.
        """
        self._lock_file = open(self.root / "server.lock", "a+")  # kept open: holds the lock
        if fcntl is not None:
            try:
                fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise HubError(409, f"another hub server is already serving {self.root}: stop "
                               "it first, or give this one another --data folder") from None
        for leftover in self.tmp.iterdir():  # uploads cut off when a server was killed
            leftover.unlink(missing_ok=True)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @property
    def db(self) -> sqlite3.Connection:
        """One connection per thread (FastAPI runs plain functions in a thread pool)."""
        if getattr(self._local, "db", None) is None:
            self._local.db = self._connect()
        return self._local.db

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db, self._write_lock)

    def _load_secret(self) -> bytes:
        path = self.root / "secret"
        if not path.exists():
            self._write_atomic(path, secrets.token_bytes(32), mode=0o600)
        return path.read_bytes()

    def _write_atomic(self, path: Path, data: bytes, mode: int = 0o644) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.tmp)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)

    # -- users ------------------------------------------------------------

    def add_user(self, name: str) -> str:
        """Create a user (or give an existing one a new token); return the token."""
        token = "hf_" + secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")
        with self._transaction() as db:
            db.execute(
                "INSERT INTO users (name, token_sha256, created) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256",
                (name, token_digest(token), now()),
            )
        return token

    def owner_token(self, name: str) -> str:
        """The token of the hub's owner, kept in ``tokens/NAME.token`` (created on first use)."""
        path = self.root / "tokens" / f"{name}.token"
        row = self.db.execute("SELECT token_sha256 FROM users WHERE name = ?", (name,)).fetchone()
        if path.exists() and row and row["token_sha256"] == token_digest(path.read_text().strip()):
            return path.read_text().strip()
        token = self.add_user(name)
        path.parent.mkdir(exist_ok=True)
        self._write_atomic(path, token.encode(), mode=0o600)
        return token

    def user_for_token(self, token: str) -> str | None:
        row = self.db.execute(
            "SELECT name FROM users WHERE token_sha256 = ?", (token_digest(token),)
        ).fetchone()
        return row["name"] if row else None

    def set_admin(self, name: str, admin: bool) -> None:
        """Let ``name`` read every repo, private ones included (an instructor), or stop that."""
        with self._transaction() as db:
            if admin:
                db.execute("INSERT OR IGNORE INTO admins (name) VALUES (?)", (name,))
            else:
                db.execute("DELETE FROM admins WHERE name = ?", (name,))

    def may_read(self, repo: Repo, user: str | None) -> bool:
        """Public repos: anyone. Private ones: their owner and the hub's admins."""
        if not repo.private or (user is not None and user == repo.namespace):
            return True
        return user is not None and self.db.execute(
            "SELECT 1 FROM admins WHERE name = ?", (user,)).fetchone() is not None

    def users(self) -> list[str]:
        return [row["name"] for row in self.db.execute("SELECT name FROM users ORDER BY name")]

    # -- blobs ------------------------------------------------------------

    def blob_path(self, sha256: str) -> Path:
        return self.blobs / sha256[:2] / sha256[2:]

    def has_blob(self, sha256: str) -> int | None:
        """The size of a stored blob, or None when it is not stored."""
        row = self.db.execute("SELECT size FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        return row["size"] if row and self.blob_path(sha256).exists() else None

    def put_bytes(self, data: bytes) -> str:
        """Store a small file given in full (a regular file of a commit); return its sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        if self.has_blob(sha256) is None:
            target = self.blob_path(sha256)
            target.parent.mkdir(exist_ok=True)
            self._write_atomic(target, data)
            self._record_blob(sha256, len(data), git_blob_sha1(data))
        return sha256

    def finish_stream(self, tmp: Path, actual: str, written: int, sha256: str, size: int) -> None:
        """Move a completely written temporary file into ``blobs/`` if it is what was announced."""
        if written != size or actual != sha256:
            raise HubError(
                400,
                f"upload does not match its announcement: got {written} bytes with sha256 {actual}, "
                f"expected {size} bytes with sha256 {sha256}",
            )
        target = self.blob_path(sha256)
        target.parent.mkdir(exist_ok=True)
        os.replace(tmp, target)
        pointer = Entry("", sha256, size, "", True).pointer.encode()
        self._record_blob(sha256, size, git_blob_sha1(pointer))

    def _record_blob(self, sha256: str, size: int, git_sha1: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size, git_sha1) VALUES (?, ?, ?)",
                (sha256, size, git_sha1),
            )

    # -- repos ------------------------------------------------------------

    def get_repo(self, repo_type: str, namespace: str, name: str) -> Repo | None:
        row = self.db.execute(
            "SELECT * FROM repos WHERE type = ? AND namespace = ? AND name = ?",
            (repo_type, namespace, name),
        ).fetchone()
        return Repo(**{**dict(row), "private": bool(row["private"])}) if row else None

    def list_repos(self) -> list[Repo]:
        rows = self.db.execute("SELECT * FROM repos ORDER BY namespace, name, type")
        return [Repo(**{**dict(row), "private": bool(row["private"])}) for row in rows]

    def create_repo(
        self, repo_type: str, namespace: str, name: str, private: bool, author: str
    ) -> Repo:
        """Create a repo with a first commit holding ``.gitattributes``, as huggingface.co does."""
        sha256 = self.put_bytes(GITATTRIBUTES.encode())
        with self._transaction() as db:
            try:
                cursor = db.execute(
                    "INSERT INTO repos (type, namespace, name, private, created) VALUES (?, ?, ?, ?, ?)",
                    (repo_type, namespace, name, int(private), now()),
                )
            except sqlite3.IntegrityError:
                raise HubError(409, f"You already created this {repo_type} repo") from None
            repo_id = cursor.lastrowid
            self._write_commit(
                db, repo_id, None, {".gitattributes": (sha256, False)}, author, "initial commit", ""
            )
        return self.get_repo(repo_type, namespace, name)

    def set_private(self, repo: Repo, private: bool) -> None:
        """Make a repo private (only its owner sees it) or public."""
        with self._transaction() as db:
            db.execute("UPDATE repos SET private = ? WHERE id = ?", (int(private), repo.id))

    def delete_repo(self, repo: Repo) -> None:
        """Forget a repo; its blobs stay (other repos may share them)."""
        with self._transaction() as db:
            oids = [r["oid"] for r in db.execute("SELECT oid FROM commits WHERE repo_id = ?", (repo.id,))]
            db.executemany("DELETE FROM tree WHERE commit_oid = ?", [(oid,) for oid in oids])
            db.execute("DELETE FROM commits WHERE repo_id = ?", (repo.id,))
            db.execute("DELETE FROM refs WHERE repo_id = ?", (repo.id,))
            db.execute("DELETE FROM repos WHERE id = ?", (repo.id,))

    # -- revisions, trees, history ------------------------------------------

    def resolve(self, repo: Repo, revision: str) -> str:
        """Turn a branch, a tag or a commit id into a commit id (HubError RevisionNotFound otherwise)."""
        row = self.db.execute(
            "SELECT commit_oid FROM refs WHERE repo_id = ? AND name = ? "
            "ORDER BY kind = 'branch' DESC",
            (repo.id, revision),
        ).fetchone()
        if row:
            return row["commit_oid"]
        row = self.db.execute(
            "SELECT oid FROM commits WHERE repo_id = ? AND oid = ?", (repo.id, revision)
        ).fetchone()
        if row:
            return row["oid"]
        raise HubError(
            404, f"Invalid rev id: {revision} (no such branch, tag or commit in {repo.repo_id})",
            "RevisionNotFound",
        )

    def tree(self, commit_oid: str) -> dict[str, Entry]:
        """Every file of a commit, by path."""
        rows = self.db.execute(
            "SELECT t.path, t.sha256, t.lfs, b.size, b.git_sha1 FROM tree t "
            "JOIN blobs b ON b.sha256 = t.sha256 WHERE t.commit_oid = ? ORDER BY t.path",
            (commit_oid,),
        )
        entries = {}
        for row in rows:
            git_sha1 = row["git_sha1"]
            if row["lfs"]:  # the id of the pointer, not of the content
                git_sha1 = git_blob_sha1(Entry("", row["sha256"], row["size"], "", True).pointer.encode())
            entries[row["path"]] = Entry(row["path"], row["sha256"], row["size"], git_sha1, bool(row["lfs"]))
        return entries

    def commit(self, oid: str) -> Commit:
        row = self.db.execute(
            "SELECT oid, parent, author, title, message, created FROM commits WHERE oid = ?", (oid,)
        ).fetchone()
        return Commit(**dict(row))

    def history(self, commit_oid: str) -> Iterator[Commit]:
        """The commit and its ancestors, newest first."""
        oid: str | None = commit_oid
        while oid is not None:
            commit = self.commit(oid)
            yield commit
            oid = commit.parent

    def refs(self, repo: Repo) -> list[tuple[str, str, str]]:
        """(kind, name, commit id) of every branch and tag."""
        rows = self.db.execute(
            "SELECT kind, name, commit_oid FROM refs WHERE repo_id = ? ORDER BY kind, name", (repo.id,)
        )
        return [(row["kind"], row["name"], row["commit_oid"]) for row in rows]

    def create_tag(self, repo: Repo, tag: str, revision: str) -> None:
        target = self.resolve(repo, revision)
        with self._transaction() as db:
            try:
                db.execute(
                    "INSERT INTO refs (repo_id, kind, name, commit_oid) VALUES (?, 'tag', ?, ?)",
                    (repo.id, tag, target),
                )
            except sqlite3.IntegrityError:
                raise HubError(409, f"Tag {tag} already exists in {repo.repo_id}") from None

    def create_branch(self, repo: Repo, branch: str, revision: str) -> None:
        target = self.resolve(repo, revision)
        with self._transaction() as db:
            try:
                db.execute(
                    "INSERT INTO refs (repo_id, kind, name, commit_oid) VALUES (?, 'branch', ?, ?)",
                    (repo.id, branch, target),
                )
            except sqlite3.IntegrityError:
                raise HubError(409, f"Branch {branch} already exists in {repo.repo_id}") from None

    def delete_ref(self, repo: Repo, kind: str, name: str) -> None:
        """Delete a branch or a tag (``main`` stays: every repo needs it)."""
        if kind == "branch" and name == "main":
            raise HubError(403, "the main branch cannot be deleted")
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM refs WHERE repo_id = ? AND kind = ? AND name = ?",
                (repo.id, kind, name),
            ).rowcount
        if not deleted:
            raise HubError(404, f"no {kind} {name} in {repo.repo_id}", "RevisionNotFound")

    # -- commits ----------------------------------------------------------

    def apply_commit(
        self,
        repo: Repo,
        branch: str,
        changes: list[Change],
        author: str,
        title: str,
        message: str = "",
        parent: str | None = None,
    ) -> str:
        """Apply changes on top of a branch in one transaction; return the new commit id.

        ``parent``, when given, must still be the branch's head (else 412, as on the Hub),
        so a client can refuse to overwrite a commit it has not seen.
        """
        with self._transaction() as db:
            row = db.execute(
                "SELECT commit_oid FROM refs WHERE repo_id = ? AND kind = 'branch' AND name = ?",
                (repo.id, branch),
            ).fetchone()
            if row is None:
                raise HubError(
                    404, f"Branch {branch} not found in {repo.repo_id}: commit to an existing "
                    "branch (for example main)", "RevisionNotFound",
                )
            head = row["commit_oid"]
            if parent is not None and parent != head:
                raise HubError(
                    412, f"A commit has happened since {parent}: the head of {branch} is now "
                    f"{head}. Fetch the latest revision and try again.",
                )
            files = {e.path: (e.sha256, e.lfs) for e in self.tree(head).values()}
            for change in changes:
                if change.kind == "add":
                    files[change.path] = (change.sha256, change.lfs)
                elif change.kind == "delete_file":
                    if files.pop(change.path, None) is None:
                        raise HubError(404, f"cannot delete {change.path}: no such file", "EntryNotFound")
                else:
                    prefix = change.path.rstrip("/") + "/"
                    doomed = [p for p in files if p.startswith(prefix)]
                    if not doomed:
                        raise HubError(404, f"cannot delete {prefix}: no such folder", "EntryNotFound")
                    for path in doomed:
                        del files[path]
            return self._write_commit(db, repo.id, head, files, author, title, message, branch)

    def _write_commit(
        self,
        db: sqlite3.Connection,
        repo_id: int,
        parent: str | None,
        files: dict[str, tuple[str, bool]],
        author: str,
        title: str,
        message: str,
        branch: str = "main",
    ) -> str:
        seed = f"{repo_id}\n{parent}\n{sorted(files.items())}\n{title}\n{time.time_ns()}\n"
        oid = hashlib.sha1((seed + secrets.token_hex(8)).encode()).hexdigest()
        db.execute(
            "INSERT INTO commits (oid, repo_id, parent, author, title, message, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (oid, repo_id, parent, author, title, message, now()),
        )
        db.executemany(
            "INSERT INTO tree (commit_oid, path, sha256, lfs) VALUES (?, ?, ?, ?)",
            [(oid, path, sha256, int(lfs)) for path, (sha256, lfs) in files.items()],
        )
        db.execute(
            "INSERT INTO refs (repo_id, kind, name, commit_oid) VALUES (?, 'branch', ?, ?) "
            "ON CONFLICT (repo_id, kind, name) DO UPDATE SET commit_oid = excluded.commit_oid",
            (repo_id, branch, oid),
        )
        return oid

    def read(self, entry: Entry) -> bytes:
        return self.blob_path(entry.sha256).read_bytes()


class _Transaction:
    """``with store._transaction() as db:`` runs one write transaction, one at a time."""

    def __init__(self, db: sqlite3.Connection, lock: threading.Lock):
        self.db, self.lock = db, lock

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        finally:
            self.lock.release()
