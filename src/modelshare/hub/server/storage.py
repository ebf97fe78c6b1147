"""Where the workshop hub keeps its data: one SQLite file and a folder of blobs.

Layout of the data folder::

    hub.sqlite          users, repos, commits, file trees, branches and tags
    blobs/ab/abcdef...  file contents, named by their sha256 (content-addressed)
    tmp/                uploads in progress (moved into blobs/ once complete)
    secret              random key that signs LFS upload links
    tokens/NAME.token   each user's token (readable by the hub's owner only)

Two rules keep the data safe when the server is killed at any moment:

1. A blob is written to ``tmp/`` and renamed into ``blobs/`` only once it is
   complete and its sha256 checked (a rename is atomic on one file system).
2. A commit is one SQLite transaction: its files, its row and the branch
   update appear together or not at all.

Example (in a throw-away folder)::

    >>> import tempfile
    >>> store = Storage(Path(tempfile.mkdtemp()))
    >>> repo = store.create_repo("model", "learner", "tiny", private=False, author="learner")
    >>> first = store.resolve(repo, "main")  # the commit id of the first commit
    >>> list(store.tree(first))
    ['.gitattributes']
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

try:
    import fcntl  # POSIX; on Windows two servers on one folder are not prevented
except ImportError:  # pragma: no cover
    fcntl = None

SCHEMA_VERSION = 2  # PRAGMA user_version; _migrate() brings older data folders up to it
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
    sdk TEXT,                         -- Spaces: gradio, streamlit, docker or static
    meta TEXT NOT NULL DEFAULT '{}',  -- summary.summarize() of main, JSON, for lists and search
    modified TEXT,                    -- when main last changed
    UNIQUE (type, namespace, name)
);
CREATE TABLE IF NOT EXISTS renamed (    -- old ids of moved repos still find them
    type TEXT NOT NULL,
    namespace TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL COLLATE NOCASE,
    repo_id INTEGER NOT NULL,
    PRIMARY KEY (type, namespace, name)
);
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    git_sha1 TEXT NOT NULL            -- git's id of the content (an LFS file's pointer has its own)
);
CREATE TABLE IF NOT EXISTS uploads (  -- LFS files uploaded for a repo, not yet in a commit
    repo_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created REAL NOT NULL,            -- time.time(): an upload waits for its commit an hour
    PRIMARY KEY (repo_id, sha256)
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
CREATE INDEX IF NOT EXISTS tree_by_blob ON tree (sha256);
CREATE TABLE IF NOT EXISTS refs (
    repo_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('branch', 'tag', 'pr')),
    name TEXT NOT NULL,               -- 'main', 'v1.0', 'refs/pr/3'
    commit_oid TEXT NOT NULL,
    PRIMARY KEY (repo_id, kind, name)
);
CREATE TABLE IF NOT EXISTS downloads (
    repo_id INTEGER NOT NULL,
    day TEXT NOT NULL,                -- 2026-11-29: the Hub shows the last 30 days
    count INTEGER NOT NULL,
    PRIMARY KEY (repo_id, day)
);
CREATE TABLE IF NOT EXISTS discussions (
    repo_id INTEGER NOT NULL,
    num INTEGER NOT NULL,
    is_pr INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'merged', 'draft')),
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    base TEXT,                        -- pull requests: the branch to merge into
    fork TEXT,                        -- pull requests: the base's head when opened
    merge_commit TEXT,                -- pull requests: the commit the merge made
    PRIMARY KEY (repo_id, num)
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    repo_id INTEGER NOT NULL,
    num INTEGER NOT NULL,
    type TEXT NOT NULL,               -- comment, status-change, title-change, commit
    author TEXT NOT NULL,
    created TEXT NOT NULL,
    data TEXT NOT NULL                -- JSON, see community.py
);
CREATE INDEX IF NOT EXISTS events_by_discussion ON events (repo_id, num);
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
UPLOAD_GRACE = 3600.0  # seconds an uploaded LFS file is kept for the commit that will use it
HUB_OWN = 0  # the "repo" of uploads rows for files the hub stored from its own disk (put_file)
HEX = re.compile(r"^[0-9a-f]+$")


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
    type: str  # "model", "dataset" or "space"
    namespace: str
    name: str
    private: bool
    created: str
    sdk: str | None = None  # Spaces only

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
            old = db.execute("SELECT name FROM sqlite_master WHERE name = 'repos'").fetchone()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.executescript(SCHEMA)
        if old and version < SCHEMA_VERSION:
            self._migrate(version)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        try:  # repo ids are unique whatever their case, as on the Hub
            self.db.execute("CREATE UNIQUE INDEX IF NOT EXISTS repos_any_case ON repos "
                            "(type, namespace COLLATE NOCASE, name COLLATE NOCASE)")
        except sqlite3.IntegrityError:  # an old data folder holds two ids that differ in case
            pass
        try:  # user names too (add_user refuses a second one that differs only in case)
            self.db.execute("CREATE UNIQUE INDEX IF NOT EXISTS users_any_case ON users "
                            "(name COLLATE NOCASE)")
        except sqlite3.IntegrityError:  # an old data folder holds two such users
            pass
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

    def transaction(self) -> _Transaction:
        """``with store.transaction() as db:`` one write transaction, one at a time."""
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

    def _migrate(self, version: int) -> None:
        """Bring a data folder written by an older hub up to ``SCHEMA_VERSION``."""
        with self.transaction() as db:
            columns = {row["name"] for row in db.execute("PRAGMA table_info(repos)")}
            for column, kind in (("sdk", "TEXT"), ("meta", "TEXT NOT NULL DEFAULT '{}'"),
                                 ("modified", "TEXT")):
                if column not in columns:
                    db.execute(f"ALTER TABLE repos ADD COLUMN {column} {kind}")
            # refs may now hold pull requests: SQLite changes a CHECK by copying the table
            db.execute("ALTER TABLE refs RENAME TO refs_v1")
            db.execute("""CREATE TABLE refs (repo_id INTEGER NOT NULL, kind TEXT NOT NULL
                       CHECK (kind IN ('branch', 'tag', 'pr')), name TEXT NOT NULL,
                       commit_oid TEXT NOT NULL, PRIMARY KEY (repo_id, kind, name))""")
            db.execute("INSERT INTO refs SELECT * FROM refs_v1")
            db.execute("DROP TABLE refs_v1")
        # Version 1 gave a file first uploaded through LFS the id of its LFS pointer, also
        # when the same bytes were later committed as a regular file: use the content's.
        for row in list(self.db.execute("SELECT sha256, size, git_sha1 FROM blobs")):
            if row["git_sha1"] == pointer_sha1(row["sha256"], row["size"]):
                path = self.blob_path(row["sha256"])
                if path.exists():
                    with self.transaction() as db:
                        db.execute("UPDATE blobs SET git_sha1 = ? WHERE sha256 = ?",
                                   (file_git_sha1(path), row["sha256"]))
        for repo in self.list_repos():
            with self.transaction() as db:
                self._summarize(db, repo.id, self.resolve(repo, "main"))

    # -- users ------------------------------------------------------------

    def token_path(self, name: str) -> Path:
        return self.root / "tokens" / f"{name}.token"

    def saved_token(self, name: str) -> str | None:
        """The user's token, if the user exists and ``tokens/NAME.token`` still holds it."""
        row = self.db.execute("SELECT token_sha256 FROM users WHERE name = ?", (name,)).fetchone()
        path = self.token_path(name)
        if row is None or not path.exists():
            return None
        token = path.read_text().strip()
        return token if token_digest(token) == row["token_sha256"] else None

    def add_user(self, name: str, token: str | None = None) -> str:
        """Create a user and return their token; an existing user keeps theirs.

        ``token`` sets the token (a new random one otherwise). Use :meth:`new_token` to
        replace a user's token. The token is saved in ``tokens/NAME.token``.
        """
        if token is None:
            saved = self.saved_token(name)
            if saved is not None:
                return saved
        return self.new_token(name, token)

    def new_token(self, name: str, token: str | None = None) -> str:
        """Give a user (created if needed) a new token; the old one stops working."""
        token = token or "hf_" + secrets.token_urlsafe(24).replace("-", "x").replace("_", "y")
        with self.transaction() as db:
            twin = db.execute("SELECT name FROM users WHERE name = ? COLLATE NOCASE AND name != ?",
                              (name, name)).fetchone()
            if twin is not None:  # repo ids ignore case, so 'Ada' would meet ada's repos
                raise HubError(409, f"the user {twin['name']!r} already exists, and user names "
                               f"that differ only in case ({name!r}) are one name on this hub, "
                               "as on the Hub: choose another name")
            db.execute(
                "INSERT INTO users (name, token_sha256, created) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET token_sha256 = excluded.token_sha256",
                (name, token_digest(token), now()),
            )
        path = self.token_path(name)
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
        with self.transaction() as db:
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
            fd, tmp = tempfile.mkstemp(dir=self.tmp)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            self._place_blob(Path(tmp), sha256, len(data), git_blob_sha1(data))
        return sha256

    def finish_stream(self, tmp: Path, actual: str, git_sha1: str, written: int, sha256: str,
                      size: int) -> None:
        """Move a completely written temporary file into ``blobs/`` if it is what was announced.

        ``actual`` and ``git_sha1`` are the sha256 and git's blob id of what was received.
        """
        if written != size or actual != sha256:
            raise HubError(
                400,
                f"upload does not match its announcement: got {written} bytes with sha256 {actual}, "
                f"expected {size} bytes with sha256 {sha256}",
            )
        self._place_blob(tmp, sha256, size, git_sha1)

    def _place_blob(self, tmp: Path, sha256: str, size: int, git_sha1: str,
                    chmod: bool = True) -> None:
        """Rename a complete file into ``blobs/`` and record it, under the write lock, so that
        :meth:`collect_garbage` (which removes both under the same lock) never removes the
        file of a blob it did not see recorded."""
        target = self.blob_path(sha256)
        target.parent.mkdir(exist_ok=True)
        if chmod:
            os.chmod(tmp, 0o644)
        with self.transaction() as db:
            os.replace(tmp, target)
            db.execute(
                "INSERT INTO blobs (sha256, size, git_sha1) VALUES (?, ?, ?) "
                "ON CONFLICT (sha256) DO UPDATE SET git_sha1 = excluded.git_sha1",
                (sha256, size, git_sha1),
            )

    def record_upload(self, repo_id: int, sha256: str) -> None:
        """Note that an LFS file was uploaded for this repo: a commit of the repo may use it."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO uploads (repo_id, sha256, created) "
                       "VALUES (?, ?, ?)", (repo_id, sha256, time.time()))

    def repo_has_blob(self, repo: Repo, sha256: str) -> bool:
        """Whether this repo may use a stored LFS file: one of its commits holds it, or it was
        uploaded for this repo. Bytes stored for another repo do not count, so that the LFS
        store neither confirms a guess about a private repo's files nor lends them."""
        if self.has_blob(sha256) is None:
            return False
        return self.db.execute(
            "SELECT 1 FROM uploads WHERE repo_id IN (?, ?) AND sha256 = ? UNION ALL "
            "SELECT 1 FROM tree t JOIN commits c ON c.oid = t.commit_oid "
            "WHERE t.sha256 = ? AND c.repo_id = ? LIMIT 1",
            (repo.id, HUB_OWN, sha256, sha256, repo.id)).fetchone() is not None

    def collect_garbage(self, grace: float = 3600.0, only: list[str] | None = None) -> int:
        """Delete blobs that no commit uses any more (or just the blobs ``only`` names, if no
        commit uses them); return how many.

        A blob stays while its file is younger than ``grace`` seconds, and while an upload of it
        for some repo is younger than an hour: that upload's commit may still come (upload
        links last an hour).
        """
        if only is None:
            unused = [row["sha256"] for row in self.db.execute(
                "SELECT sha256 FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM tree)")]
        else:
            unused = list(dict.fromkeys(only))
        removed = 0
        for sha256 in unused:
            path = self.blob_path(sha256)
            if path.exists() and time.time() - path.stat().st_mtime < grace:
                continue
            with self.transaction() as db:
                if db.execute("SELECT 1 FROM tree WHERE sha256 = ? UNION ALL SELECT 1 FROM "
                              "uploads WHERE sha256 = ? AND created > ? LIMIT 1",
                              (sha256, sha256, time.time() - UPLOAD_GRACE)).fetchone():
                    continue  # committed, or about to be
                gone = db.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,)).rowcount
                db.execute("DELETE FROM uploads WHERE sha256 = ?", (sha256,))
                path.unlink(missing_ok=True)  # under the lock: see _place_blob
            removed += bool(gone)
        return removed

    # -- repos ------------------------------------------------------------

    def get_repo(self, repo_type: str, namespace: str, name: str, renamed: bool = True
                 ) -> Repo | None:
        """A repo by type and id; ids match whatever their case, as on the Hub, and the old
        id of a moved repo still finds it (``renamed``)."""
        row = self.db.execute(
            "SELECT * FROM repos WHERE type = ? AND namespace = ? COLLATE NOCASE "
            "AND name = ? COLLATE NOCASE ORDER BY namespace = ? AND name = ? DESC",
            (repo_type, namespace, name, namespace, name),
        ).fetchone()
        if row is None and renamed:
            row = self.db.execute(
                "SELECT r.* FROM renamed m JOIN repos r ON r.id = m.repo_id WHERE m.type = ? "
                "AND m.namespace = ? AND m.name = ?", (repo_type, namespace, name)).fetchone()
        return _repo(row) if row else None

    def list_repos(self) -> list[Repo]:
        rows = self.db.execute("SELECT * FROM repos ORDER BY namespace, name, type")
        return [_repo(row) for row in rows]

    def summary(self, repo: Repo) -> dict:
        """``summary.summarize()`` of the repo's main branch, with ``lastModified``."""
        row = self.db.execute("SELECT meta, modified FROM repos WHERE id = ?",
                              (repo.id,)).fetchone()
        return {**json.loads(row["meta"]), "lastModified": row["modified"] or repo.created}

    def create_repo(self, repo_type: str, namespace: str, name: str, private: bool, author: str,
                    sdk: str | None = None, files: dict[str, bytes] | None = None) -> Repo:
        """Create a repo with a first commit holding ``.gitattributes`` (and ``files``), as
        huggingface.co does."""
        first = {path: (self.put_bytes(data), False) for path, data in
                 {".gitattributes": GITATTRIBUTES.encode(), **(files or {})}.items()}
        with self.transaction() as db:
            if self.get_repo(repo_type, namespace, name, renamed=False) is not None:
                raise HubError(409, f"You already created this {repo_type} repo")
            db.execute("DELETE FROM renamed WHERE type = ? AND namespace = ? AND name = ?",
                       (repo_type, namespace, name))  # the old name of a moved repo, reused
            cursor = db.execute(
                "INSERT INTO repos (type, namespace, name, private, created, sdk) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (repo_type, namespace, name, int(private), now(), sdk),
            )
            self._write_commit(db, cursor.lastrowid, None, first, author, "initial commit", "",
                               "main")
        return self.get_repo(repo_type, namespace, name)

    def set_private(self, repo: Repo, private: bool) -> None:
        """Make a repo private (only its owner sees it) or public."""
        with self.transaction() as db:
            db.execute("UPDATE repos SET private = ? WHERE id = ?", (int(private), repo.id))

    def move_repo(self, repo: Repo, namespace: str, name: str) -> Repo:
        """Rename a repo (``HfApi.move_repo``); its history, refs and discussions move along."""
        with self.transaction() as db:
            other = self.get_repo(repo.type, namespace, name, renamed=False)
            if other is not None and other.id != repo.id:
                raise HubError(409, f"A {repo.type} repository called {namespace}/{name} already "
                               "exists: choose another name")
            db.execute("UPDATE repos SET namespace = ?, name = ? WHERE id = ?",
                       (namespace, name, repo.id))
            db.execute("DELETE FROM renamed WHERE type = ? AND namespace = ? AND name = ?",
                       (repo.type, namespace, name))
            db.execute("INSERT OR REPLACE INTO renamed (type, namespace, name, repo_id) "
                       "VALUES (?, ?, ?, ?)", (repo.type, repo.namespace, repo.name, repo.id))
        return self.get_repo(repo.type, namespace, name)

    def delete_repo(self, repo: Repo) -> None:
        """Forget a repo, then reclaim the blobs no other repo uses."""
        with self.transaction() as db:
            oids = [r["oid"] for r in db.execute("SELECT oid FROM commits WHERE repo_id = ?", (repo.id,))]
            db.executemany("DELETE FROM tree WHERE commit_oid = ?", [(oid,) for oid in oids])
            for table in ("commits", "refs", "downloads", "discussions", "events", "renamed",
                          "uploads"):
                db.execute(f"DELETE FROM {table} WHERE repo_id = ?", (repo.id,))
            db.execute("DELETE FROM repos WHERE id = ?", (repo.id,))
        self.collect_garbage()

    def storage_used(self, repo: Repo) -> int:
        """Bytes of all the files in the repo's history, each content counted once."""
        row = self.db.execute(
            "SELECT COALESCE(SUM(size), 0) FROM blobs WHERE sha256 IN (SELECT t.sha256 FROM "
            "tree t JOIN commits c ON c.oid = t.commit_oid WHERE c.repo_id = ?)", (repo.id,))
        return row.fetchone()[0]

    def lfs_files(self, repo: Repo) -> list[dict]:
        """Each LFS file of the repo once: where and on which branch it was first pushed."""
        branch_of: dict[str, str] = {}
        refs = sorted(self.refs(repo), key=lambda ref: (ref[1] != "main", ref[0] != "branch"))
        for kind, name, oid in refs:
            if kind != "tag":
                for commit in self.history(oid):
                    branch_of.setdefault(commit.oid, name)
        rows = self.db.execute(
            "SELECT t.sha256, t.path, c.oid, c.created, b.size FROM tree t "
            "JOIN commits c ON c.oid = t.commit_oid JOIN blobs b ON b.sha256 = t.sha256 "
            "WHERE c.repo_id = ? AND t.lfs = 1 ORDER BY c.created, c.rowid", (repo.id,))
        found: dict[str, dict] = {}
        for row in rows:
            found.setdefault(row["sha256"], {
                "oid": row["sha256"], "fileOid": pointer_sha1(row["sha256"], row["size"]),
                "filename": row["path"], "size": row["size"], "pushedAt": row["created"],
                "ref": branch_of.get(row["oid"])})
        return list(found.values())

    def delete_lfs_files(self, repo: Repo, sha256s: list[str]) -> None:
        """Remove LFS files from every commit of the repo (its history is rewritten in place)."""
        with self.transaction() as db:
            oids = [r["oid"] for r in db.execute("SELECT oid FROM commits WHERE repo_id = ?",
                                                 (repo.id,))]
            db.executemany("DELETE FROM tree WHERE commit_oid = ? AND sha256 = ? AND lfs = 1",
                           [(oid, sha) for oid in oids for sha in sha256s])
            db.executemany("DELETE FROM uploads WHERE repo_id = ? AND sha256 = ?",
                           [(repo.id, sha) for sha in sha256s])
            self._summarize(db, repo.id, self.branch_head(repo, "main"))
        # only these files: others' uploads waiting for their commits stay (they were all
        # deleted here once, so a permanent deletion broke other learners' commits)
        self.collect_garbage(grace=0, only=sha256s)

    def check(self) -> list[str]:
        """Problems in the data folder, read-only: every blob is there, with the size and
        sha256 it is filed under; every file of every commit has its blob; every branch,
        tag and pull request points to a commit whose parents exist. [] when all is well."""
        problems = []
        for row in self.db.execute("SELECT sha256, size FROM blobs"):
            path = self.blob_path(row["sha256"])
            if not path.exists():
                problems.append(f"blob {row['sha256']} is missing from {path.parent}")
                continue
            digest, size = hashlib.sha256(), 0
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    digest.update(chunk)
                    size += len(chunk)
            if (digest.hexdigest(), size) != (row["sha256"], row["size"]):
                problems.append(f"blob {row['sha256']} holds other bytes ({size} bytes, "
                                f"sha256 {digest.hexdigest()})")
        for row in self.db.execute("SELECT commit_oid, path FROM tree WHERE sha256 NOT IN "
                                   "(SELECT sha256 FROM blobs)"):
            problems.append(f"{row['path']} of commit {row['commit_oid']} has no blob")
        for row in self.db.execute("SELECT repo_id, kind, name FROM refs WHERE commit_oid "
                                   "NOT IN (SELECT oid FROM commits)"):
            problems.append(f"{row['kind']} {row['name']} of repo {row['repo_id']} points "
                            "to no commit")
        for row in self.db.execute("SELECT oid FROM commits WHERE parent IS NOT NULL AND "
                                   "parent NOT IN (SELECT oid FROM commits)"):
            problems.append(f"commit {row['oid']} has a missing parent")
        return problems

    # -- downloads --------------------------------------------------------

    def count_download(self, repo: Repo) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO downloads (repo_id, day, count) VALUES (?, ?, 1) "
                       "ON CONFLICT (repo_id, day) DO UPDATE SET count = count + 1",
                       (repo.id, now()[:10]))

    def record_downloads(self, repo: Repo, count: int, day: str | None = None) -> None:
        """Add ``count`` downloads on ``day`` (default: today) in one go.

        Only ``modelshare hub seed`` uses this: its repos stand for a community whose past
        downloads nobody made on this hub (the seed says so wherever it shows them).
        """
        with self.transaction() as db:
            db.execute("INSERT INTO downloads (repo_id, day, count) VALUES (?, ?, ?) "
                       "ON CONFLICT (repo_id, day) DO UPDATE SET count = count + excluded.count",
                       (repo.id, day or now()[:10], count))

    def put_file(self, path: Path) -> str:
        """Store a file from disk as a blob, hard-linked (no copy) where the file system
        allows; return its sha256. For large files the seed already has on disk (the MiniLM
        weights in site-packages): the client's upload then finds them here and sends nothing.

        Any repo may use such a blob (an ``uploads`` row for :data:`HUB_OWN`): it came from
        the hub's own machine, not from a learner, so "already here" reveals no one's files.
        """
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
        sha256, size = digest.hexdigest(), path.stat().st_size
        if self.has_blob(sha256) is None:
            fd, tmp = tempfile.mkstemp(dir=self.tmp)
            os.close(fd)
            os.unlink(tmp)
            try:
                os.link(path, tmp)
            except OSError:  # another file system, or no hard links: copy
                import shutil

                shutil.copyfile(path, tmp)
            # a hard link shares the original's mode: leave it (it is site-packages' file)
            self._place_blob(Path(tmp), sha256, size, file_git_sha1(Path(tmp)), chmod=False)
        self.record_upload(HUB_OWN, sha256)
        return sha256

    def downloads(self) -> dict[int, tuple[int, int]]:
        """Repo id -> (downloads in the last 30 days, downloads of all time)."""
        since = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d")
        rows = self.db.execute(
            "SELECT repo_id, SUM(CASE WHEN day >= ? THEN count ELSE 0 END) AS recent, "
            "SUM(count) AS total FROM downloads GROUP BY repo_id", (since,))
        return {row["repo_id"]: (row["recent"], row["total"]) for row in rows}

    # -- revisions, trees, history ------------------------------------------

    def resolve(self, repo: Repo, revision: str) -> str:
        """A branch, tag, pull request (``refs/pr/N``), commit id or its first 7+ characters,
        turned into a commit id (HubError RevisionNotFound otherwise).

        ``refs/heads/x`` is only the branch x and ``refs/tags/x`` only the tag x; a plain
        ``x`` is the branch when a branch and a tag share the name, as git resolves it.
        """
        kind, name = ref_name(revision)
        row = self.db.execute(
            "SELECT commit_oid FROM refs WHERE repo_id = ? AND name = ? AND kind = "
            "COALESCE(?, kind) ORDER BY kind = 'branch' DESC", (repo.id, name, kind),
        ).fetchone()
        if row:
            return row["commit_oid"]
        if kind is not None:
            raise HubError(404, f"Invalid rev id: {revision} (no {kind} {name} in "
                           f"{repo.repo_id})", "RevisionNotFound")
        row = self.db.execute("SELECT oid FROM commits WHERE repo_id = ? AND oid = ?",
                              (repo.id, revision)).fetchone()
        if row:
            return row["oid"]
        if HEX.match(revision) and 7 <= len(revision) < 40:
            rows = self.db.execute(
                "SELECT oid FROM commits WHERE repo_id = ? AND oid >= ? AND oid < ? LIMIT 2",
                (repo.id, revision, revision + "g"),
            ).fetchall()
            if len(rows) == 1:
                return rows[0]["oid"]
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
            if row["lfs"]:  # git stores the pointer, not the content
                git_sha1 = pointer_sha1(row["sha256"], row["size"])
            entries[row["path"]] = Entry(row["path"], row["sha256"], row["size"], git_sha1,
                                         bool(row["lfs"]))
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
        """(kind, name, commit id) of every branch, tag and pull request."""
        rows = self.db.execute(
            "SELECT kind, name, commit_oid FROM refs WHERE repo_id = ? ORDER BY kind, name", (repo.id,)
        )
        return [(row["kind"], row["name"], row["commit_oid"]) for row in rows]

    def create_ref(self, repo: Repo, kind: str, name: str, revision: str,
                   db: sqlite3.Connection | None = None) -> None:
        """Create a branch, a tag or a pull request's ref (``kind``) named ``name`` at ``revision``."""
        if kind != "pr" and name.startswith("refs/"):
            raise HubError(400, f"{name!r}: names starting with 'refs/' are reserved "
                           "(refs/pr/N are pull requests)")
        target = self.resolve(repo, revision)
        with nullcontext(db) if db is not None else self.transaction() as db:
            try:
                db.execute(
                    "INSERT INTO refs (repo_id, kind, name, commit_oid) VALUES (?, ?, ?, ?)",
                    (repo.id, kind, name, target),
                )
            except sqlite3.IntegrityError:
                full = {"branch": "refs/heads/", "tag": "refs/tags/"}.get(kind, "") + name
                raise HubError(409, f"Reference {full} already exists in {repo.repo_id}") from None

    def delete_ref(self, repo: Repo, kind: str, name: str) -> None:
        """Delete a branch or a tag (``main`` stays: every repo needs it)."""
        if kind == "branch" and name == "main":
            raise HubError(403, "Cannot delete refs/heads/main: every repo keeps its main branch")
        with self.transaction() as db:
            deleted = db.execute(
                "DELETE FROM refs WHERE repo_id = ? AND kind = ? AND name = ?",
                (repo.id, kind, name),
            ).rowcount
        if not deleted:
            raise HubError(404, f"Invalid rev id: {name} (no {kind} of that name in "
                           f"{repo.repo_id})", "RevisionNotFound")

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
        db: sqlite3.Connection | None = None,
    ) -> str:
        """Apply changes on top of a branch (or ``refs/pr/N``) in one transaction (``db``'s,
        when given); return the new commit id.

        ``parent``, when given, must still be the branch's head (else 412, as on the Hub),
        so a client can refuse to overwrite a commit it has not seen.
        """
        branch = ref_name(branch)[1]  # refs/heads/main is main
        with nullcontext(db) if db is not None else self.transaction() as db:
            gone = [c.path for c in changes if c.kind == "add" and db.execute(
                "SELECT 1 FROM blobs WHERE sha256 = ?", (c.sha256,)).fetchone() is None]
            if gone:  # removed by a permanent deletion since the commit was checked
                raise HubError(400, f"{', '.join(gone)}: the uploaded content was deleted "
                               "(permanently_delete_lfs_files) before this commit arrived; "
                               "upload it again")
            head = self.branch_head(repo, branch)
            if parent is not None and parent != head and not head.startswith(parent):
                raise HubError(
                    412, "The branch was updated since you opened this page. Please refresh and "
                    f"try again. (A commit has happened since {parent}: the head of {branch} "
                    f"is now {head}.)",
                )
            files = apply_changes({e.path: (e.sha256, e.lfs) for e in self.tree(head).values()},
                                  changes)
            return self._write_commit(db, repo.id, head, files, author, title, message, branch)

    def branch_head(self, repo: Repo, branch: str) -> str:
        """The head of a branch or a pull request, which commits may move."""
        kind, name = ref_name(branch)
        row = self.db.execute(
            "SELECT commit_oid FROM refs WHERE repo_id = ? AND kind = ? AND name = ?",
            (repo.id, kind if kind == "pr" else "branch", name),
        ).fetchone()
        if row is None:
            raise HubError(404, f"Branch {branch} not found in {repo.repo_id}: commit to an "
                           "existing branch (for example main)", "RevisionNotFound")
        return row["commit_oid"]

    def squash(self, repo: Repo, branch: str, author: str, title: str) -> str:
        """Replace a branch's history by one commit holding its current files."""
        branch = ref_name(branch)[1]
        with self.transaction() as db:
            head = self.branch_head(repo, branch)
            files = {e.path: (e.sha256, e.lfs) for e in self.tree(head).values()}
            return self._write_commit(db, repo.id, None, files, author, title, "", branch)

    def _write_commit(
        self,
        db: sqlite3.Connection,
        repo_id: int,
        parent: str | None,
        files: dict[str, tuple[str, bool]],
        author: str,
        title: str,
        message: str,
        branch: str,
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
        kind = "pr" if branch.startswith("refs/pr/") else "branch"
        db.execute(
            "INSERT INTO refs (repo_id, kind, name, commit_oid) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (repo_id, kind, name) DO UPDATE SET commit_oid = excluded.commit_oid",
            (repo_id, kind, branch, oid),
        )
        if branch == "main":
            self._summarize(db, repo_id, oid)
        return oid

    def _summarize(self, db: sqlite3.Connection, repo_id: int, oid: str) -> None:
        """Store what main's README.md and config.json say about the repo (for lists, search)."""
        from modelshare.hub.server.summary import SMALL, summarize

        repo_type = db.execute("SELECT type FROM repos WHERE id = ?", (repo_id,)).fetchone()[0]
        files = self.tree(oid)

        def read(path: str) -> bytes | None:
            entry = files.get(path)
            return self.read(entry) if entry is not None and entry.size <= SMALL else None

        db.execute("UPDATE repos SET meta = ?, modified = ? WHERE id = ?",
                   (json.dumps(summarize(read, repo_type)), self.commit(oid).created, repo_id))

    def read(self, entry: Entry) -> bytes:
        return self.blob_path(entry.sha256).read_bytes()


def apply_changes(files: dict[str, tuple[str, bool]], changes: list[Change]) -> dict:
    """The files of a commit after ``changes``: {path: (sha256, lfs)}.

    Deleting a file path that is a folder deletes the folder, as the Hub does. A commit
    may not leave a file and a folder at one path (``x`` next to ``x/y``): git could not
    store it and downloads would lose one of them.
    """
    files = dict(files)
    for change in changes:
        if change.kind == "add":
            files[change.path] = (change.sha256, change.lfs)
            continue
        prefix = change.path.rstrip("/") + "/"
        if change.kind == "delete_file" and files.pop(change.path, None) is not None:
            continue
        doomed = [p for p in files if p.startswith(prefix)]
        if not doomed:
            raise HubError(404, f"cannot delete {change.path}: A file with this name doesn't "
                           "exist in this revision", "EntryNotFound")
        for path in doomed:
            del files[path]
    folders = {path.rsplit("/", depth)[0] for path in files for depth in
               range(1, path.count("/") + 1)}
    for change in changes:
        if change.kind != "add":
            continue
        if change.path in folders:
            raise HubError(400, f"cannot add the file {change.path}: it would be both a file "
                           "and a folder (a folder of that name exists); delete the folder "
                           "first or choose another name")
        parents = [change.path.rsplit("/", depth)[0] for depth in
                   range(1, change.path.count("/") + 1)]
        clash = next((p for p in parents if p in files), None)
        if clash is not None:
            raise HubError(400, f"cannot add {change.path}: {clash} would be both a file and "
                           "a folder (it is a file); delete it first or choose another path")
    return files


def ref_name(revision: str) -> tuple[str | None, str]:
    """(kind, name) of a revision as the ``refs`` table stores it; kind None when any kind
    of ref (or a commit id) may match.

    >>> ref_name("refs/heads/main"), ref_name("refs/tags/v1"), ref_name("refs/pr/3")
    (('branch', 'main'), ('tag', 'v1'), ('pr', 'refs/pr/3'))
    >>> ref_name("v1")
    (None, 'v1')
    """
    for prefix, kind in (("refs/heads/", "branch"), ("refs/tags/", "tag")):
        if revision.startswith(prefix):
            return kind, revision[len(prefix):]
    return ("pr" if revision.startswith("refs/pr/") else None), revision


def _repo(row: sqlite3.Row) -> Repo:
    return Repo(id=row["id"], type=row["type"], namespace=row["namespace"], name=row["name"],
                private=bool(row["private"]), created=row["created"], sdk=row["sdk"])


def pointer_sha1(sha256: str, size: int) -> str:
    """git's id of the LFS pointer file that stands for a file in git."""
    return git_blob_sha1(Entry("", sha256, size, "", True).pointer.encode())


def file_git_sha1(path: Path) -> str:
    """git's blob id of a file on disk, read in chunks."""
    digest = hashlib.sha1(b"blob %d\0" % path.stat().st_size)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Transaction:
    """One write transaction at a time: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error)."""

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
