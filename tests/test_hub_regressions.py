"""The five bugs the conformance run found (issue 14), each through the real client."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationDelete,
    HfApi,
    hf_hub_download,
    snapshot_download,
)
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError

from modelshare.hub.server import running


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def test_bug1_bytes_first_sent_through_lfs_keep_their_own_id_as_a_regular_file(hub_api, local_hub,
                                                                                  tmp_path):
    """Bytes first stored through LFS, later committed as a small text file: the text file
    gets git's id of its own content (not of an LFS pointer), so an identical re-upload is
    no commit at all and the checksum check finds no mismatch."""
    data = b"the same bytes in two files\n" * 3
    hub_api.create_repo("learner/bug1")
    hub_api.upload_file(path_or_fileobj=data, path_in_repo="copy.bin", repo_id="learner/bug1")  # LFS
    hub_api.upload_file(path_or_fileobj=data, path_in_repo="copy.txt", repo_id="learner/bug1")
    [text] = hub_api.get_paths_info("learner/bug1", ["copy.txt"])
    assert text.lfs is None and text.blob_id == git_blob_id(data)
    [pointer] = hub_api.get_paths_info("learner/bug1", ["copy.bin"])
    assert pointer.lfs is not None and pointer.blob_id != git_blob_id(data)

    before = hub_api.model_info("learner/bug1").sha
    hub_api.upload_file(path_or_fileobj=data, path_in_repo="copy.txt", repo_id="learner/bug1")
    assert hub_api.model_info("learner/bug1").sha == before  # nothing changed: no empty commit

    cache = tmp_path / "cache"
    path = hf_hub_download("learner/bug1", "copy.txt", endpoint=local_hub.endpoint, token=local_hub.token,
                           cache_dir=cache)
    assert open(path, "rb").read() == data
    report = hub_api.verify_repo_checksums("learner/bug1", revision=before, cache_dir=cache)
    assert report.checked_count == 1 and not report.mismatches


def test_bug2_paths_that_match_no_route_say_which_repo_is_missing(hub_api, local_hub, tmp_path):
    """A repo id without a namespace matches no route: the answer still says RepoNotFound,
    so repo_exists() is False and a download names the repo, not the connection."""
    assert hub_api.repo_exists("no-namespace-here") is False
    assert hub_api.file_exists("no-namespace-here", "config.json") is False
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("no-namespace-here", "config.json", endpoint=local_hub.endpoint,
                        token=local_hub.token, cache_dir=tmp_path)


def test_bug2_branch_names_with_a_slash(hub_api, local_hub, tmp_path):
    hub_api.create_repo("learner/bug2")
    hub_api.create_branch("learner/bug2", branch="feature/better-card")
    hub_api.upload_file(path_or_fileobj=b"draft", path_in_repo="draft.md", repo_id="learner/bug2",
                    revision="feature/better-card")
    assert hub_api.list_repo_files("learner/bug2", revision="feature/better-card") == \
        [".gitattributes", "draft.md"]
    path = hf_hub_download("learner/bug2", "draft.md", revision="feature/better-card",
                           endpoint=local_hub.endpoint, token=local_hub.token, cache_dir=tmp_path)
    assert open(path).read() == "draft"
    assert hub_api.revision_exists("learner/bug2", "feature/better-card")
    hub_api.delete_branch("learner/bug2", branch="feature/better-card")
    assert not hub_api.revision_exists("learner/bug2", "feature/better-card")


def test_bug3_a_file_cannot_share_its_path_with_a_folder(hub_api, local_hub, tmp_path):
    """`x` next to `x/...` is refused with a message that says why; the repo is unchanged
    and snapshot_download gets every file."""
    hub_api.create_repo("learner/bug3")
    hub_api.upload_file(path_or_fileobj=b"inside", path_in_repo="x/inside.txt", repo_id="learner/bug3")
    head = hub_api.model_info("learner/bug3").sha
    with pytest.raises(HfHubHTTPError, match="both a file and a folder"):
        hub_api.upload_file(path_or_fileobj=b"file", path_in_repo="x", repo_id="learner/bug3")
    with pytest.raises(HfHubHTTPError, match="both a file and a folder"):
        hub_api.create_commit("learner/bug3", commit_message="clash", operations=[
            CommitOperationAdd("y", b"file"), CommitOperationAdd("y/z.txt", b"inside")])
    assert hub_api.model_info("learner/bug3").sha == head
    folder = snapshot_download("learner/bug3", endpoint=local_hub.endpoint, token=local_hub.token,
                               cache_dir=tmp_path)
    assert open(f"{folder}/x/inside.txt").read() == "inside"


def test_bug4_deleting_a_folder_as_a_file_deletes_the_folder(hub_api):
    """A `deletedFile` line naming a folder deletes the folder, as the Hub does."""
    hub_api.create_repo("learner/bug4")
    hub_api.upload_folder(folder_path=_folder({"logs/a.txt": b"a", "logs/b.txt": b"b", "keep.txt":
                                            b"k"}), repo_id="learner/bug4")
    hub_api.create_commit("learner/bug4", commit_message="drop logs",
                      operations=[CommitOperationDelete("logs", is_folder=False)])
    assert hub_api.list_repo_files("learner/bug4") == [".gitattributes", "keep.txt"]
    with pytest.raises(EntryNotFoundError, match="doesn't exist"):
        hub_api.delete_file("missing.txt", repo_id="learner/bug4")


def test_bug5_serve_keeps_the_token_that_add_user_printed(tmp_path):
    """`add-user ada` prints ada's token; `serve --user ada` keeps it; `add-user ada` again
    prints the same token (exit 0); `--new-token` replaces it."""
    data = tmp_path / "hub"

    def add_user(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "add-user", "ada",
                               "--data", str(data), *extra], capture_output=True, text=True)

    first = add_user()
    assert first.returncode == 0
    token = first.stdout.strip()
    with running(data, user="ada") as hub:
        assert hub.token == token
        assert HfApi(endpoint=hub.endpoint, token=token).whoami()["name"] == "ada"
        again = add_user()  # while the hub runs, as an instructor would
        assert again.returncode == 0 and again.stdout.strip() == token
        assert "already exists" in again.stderr
        rotated = add_user("--new-token")
        assert rotated.returncode == 0 and rotated.stdout.strip() != token
        new = rotated.stdout.strip()
        assert HfApi(endpoint=hub.endpoint, token=new).whoami()["name"] == "ada"
        with pytest.raises(HfHubHTTPError):
            HfApi(endpoint=hub.endpoint, token=token).whoami()


def _folder(files: dict[str, bytes]):
    import tempfile
    from pathlib import Path

    root = Path(tempfile.mkdtemp())
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def test_unused_blobs_are_reclaimed_when_a_repo_is_deleted(hub_api, local_hub):
    """The gap next to the bugs: a deleted repo's files leave the disk (after an hour's grace
    for uploads whose commit has not arrived; here the blob is made old)."""
    content = os.urandom(2048)
    digest = hashlib.sha256(content).hexdigest()
    hub_api.create_repo("learner/short-lived")
    hub_api.upload_file(path_or_fileobj=content, path_in_repo="w.bin", repo_id="learner/short-lived")
    blob = local_hub.data_dir / "blobs" / digest[:2] / digest[2:]
    assert blob.exists()
    os.utime(blob, (0, 0))  # as if uploaded long ago
    hub_api.delete_repo("learner/short-lived")
    assert not blob.exists()
