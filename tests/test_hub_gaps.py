"""What issue 14 found missing, through the real client: .gitattributes and .gitignore,
repo ids in any case, short commit ids, moving and squashing, LFS listings, auth checks,
a README without metadata; and a data folder written by the first hub still opens."""

from __future__ import annotations

import hashlib
import sqlite3
import warnings

import pytest
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from modelshare.hub.server import running


@pytest.fixture(scope="module")
def api(hub_api) -> HfApi:
    return hub_api


def test_the_repos_gitattributes_decides_what_goes_through_lfs(api):
    api.create_repo("learner/attributes")
    api.upload_file(path_or_fileobj=b"*.csv filter=lfs diff=lfs merge=lfs -text\n",
                    path_in_repo=".gitattributes", repo_id="learner/attributes")
    api.create_commit("learner/attributes", commit_message="data", operations=[
        CommitOperationAdd("small.csv", b"a,b\n1,2\n"), CommitOperationAdd("small.bin", b"x")])
    info = {p.path: p.lfs for p in api.get_paths_info("learner/attributes",
                                                      ["small.csv", "small.bin"])}
    assert info["small.csv"] is not None  # the repo's own rule
    assert info["small.bin"] is None  # *.bin is no longer in its .gitattributes


def test_gitignore_leaves_files_out(api, tmp_path):
    api.create_repo("learner/ignoring")
    (tmp_path / ".gitignore").write_text("*.log\n")
    (tmp_path / "train.log").write_text("noise")
    (tmp_path / "model.txt").write_text("kept")
    api.upload_folder(folder_path=tmp_path, repo_id="learner/ignoring")
    assert api.list_repo_files("learner/ignoring") == [".gitattributes", ".gitignore",
                                                        "model.txt"]


def test_ids_in_any_case_short_commit_ids_and_moves(api):
    api.create_repo("learner/MixedCase")
    assert api.model_info("LEARNER/mixedcase").id == "learner/MixedCase"
    with pytest.raises(HfHubHTTPError, match="409|already created"):
        api.create_repo("learner/mixedcase")
    sha = api.upload_file(path_or_fileobj=b"v1", path_in_repo="a.txt",
                          repo_id="learner/MixedCase").oid
    assert api.model_info("learner/MixedCase", revision=sha[:7]).sha == sha
    api.move_repo("learner/MixedCase", "learner/renamed")
    assert api.model_info("learner/renamed").sha == sha
    assert api.model_info("learner/MixedCase").id == "learner/renamed"  # the old id still finds it
    with pytest.raises(HfHubHTTPError, match="cannot write to the namespace"):
        api.move_repo("learner/renamed", "someone-else/renamed")


def test_squash_lfs_listing_and_permanent_deletion(api):
    api.create_repo("learner/squash")
    for n in range(3):
        api.upload_file(path_or_fileobj=f"weights {n}".encode(), path_in_repo="w.bin",
                        repo_id="learner/squash")
    assert len(api.list_repo_commits("learner/squash")) == 4
    api.super_squash_history("learner/squash", commit_message="one commit")
    commits = api.list_repo_commits("learner/squash", formatted=True)
    assert [c.title for c in commits] == ["one commit"] and commits[0].formatted_title
    lfs = list(api.list_lfs_files("learner/squash"))
    assert {f.filename for f in lfs} == {"w.bin"} and len(lfs) == 3  # every version
    api.permanently_delete_lfs_files("learner/squash", lfs)
    assert list(api.list_lfs_files("learner/squash")) == []
    assert api.list_repo_files("learner/squash") == [".gitattributes"]


def test_auth_check_and_a_readme_without_metadata(api, local_hub):
    api.create_repo("learner/checked", private=True)
    api.auth_check("learner/checked")
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=local_hub.endpoint, token=False).auth_check("learner/checked")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        api.upload_file(path_or_fileobj=b"# Just a title\n", path_in_repo="README.md",
                        repo_id="learner/checked")
    assert any("has no metadata" in str(w.message) for w in seen)


OLD = "c1" * 20  # the commit id of the old data folder
V1_SCHEMA = """
CREATE TABLE users (name TEXT PRIMARY KEY, token_sha256 TEXT UNIQUE NOT NULL, created TEXT NOT NULL);
CREATE TABLE repos (id INTEGER PRIMARY KEY, type TEXT NOT NULL, namespace TEXT NOT NULL,
    name TEXT NOT NULL, private INTEGER NOT NULL, created TEXT NOT NULL, UNIQUE (type, namespace, name));
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, git_sha1 TEXT NOT NULL);
CREATE TABLE commits (oid TEXT PRIMARY KEY, repo_id INTEGER NOT NULL, parent TEXT, author TEXT NOT NULL,
    title TEXT NOT NULL, message TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE tree (commit_oid TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,
    lfs INTEGER NOT NULL, PRIMARY KEY (commit_oid, path));
CREATE TABLE refs (repo_id INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('branch', 'tag')),
    name TEXT NOT NULL, commit_oid TEXT NOT NULL, PRIMARY KEY (repo_id, kind, name));
"""


def test_a_data_folder_of_the_first_hub_opens_and_is_upgraded(tmp_path):
    """Schema 1 (before issue 14): the hub adds its new tables and columns, gives bytes first
    stored through LFS their own git id, and the repo takes pull requests."""
    data = tmp_path / "old-hub"
    (data / "blobs" / "ab").mkdir(parents=True)
    content = b"weights and notes share these bytes\n"
    digest = hashlib.sha256(content).hexdigest()
    (data / "blobs" / digest[:2]).mkdir(exist_ok=True)
    (data / "blobs" / digest[:2] / digest[2:]).write_bytes(content)
    pointer = (f"version https://git-lfs.github.com/spec/v1\noid sha256:{digest}\n"
               f"size {len(content)}\n").encode()
    pointer_id = hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()
    db = sqlite3.connect(data / "hub.sqlite")
    db.executescript(V1_SCHEMA)
    db.execute("INSERT INTO repos VALUES (1, 'model', 'learner', 'old', 0, '2026-01-01T00:00:00Z')")
    db.execute("INSERT INTO blobs VALUES (?, ?, ?)", (digest, len(content), pointer_id))
    db.execute("INSERT INTO commits VALUES (?, 1, NULL, 'learner', 'old commit', '', "
               "'2026-01-01T00:00:00Z')", (OLD,))
    db.executemany("INSERT INTO tree VALUES (?, ?, ?, ?)",
                   [(OLD, "w.bin", digest, 1), (OLD, "notes.txt", digest, 0)])
    db.execute("INSERT INTO refs VALUES (1, 'branch', 'main', ?)", (OLD,))
    db.commit()
    db.close()
    with running(data) as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        paths = {p.path: p for p in api.get_paths_info("learner/old", ["w.bin", "notes.txt"])}
        assert paths["notes.txt"].blob_id == hashlib.sha1(
            b"blob %d\0" % len(content) + content).hexdigest()
        assert paths["w.bin"].blob_id == pointer_id
        pr = api.create_pull_request("learner/old", title="Still works after the upgrade")
        assert pr.num == 1 and api.model_info("learner/old", revision="refs/pr/1").sha == OLD


def test_hub_check_finds_a_damaged_blob(tmp_path):
    """`modelshare hub check` (what benchmarks/hub.py runs after its classroom load)."""
    import subprocess
    import sys

    with running(tmp_path / "hub") as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/checked")
        api.upload_file(path_or_fileobj=b"intact", path_in_repo="a.txt", repo_id="learner/checked")

    def check() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "check", "--data",
                               str(tmp_path / "hub")], capture_output=True, text=True)

    assert check().returncode == 0 and "intact" in check().stdout
    digest = hashlib.sha256(b"intact").hexdigest()
    (tmp_path / "hub" / "blobs" / digest[:2] / digest[2:]).write_bytes(b"damaged")
    damaged = check()
    assert damaged.returncode == 1 and f"blob {digest} holds other bytes" in damaged.stdout
