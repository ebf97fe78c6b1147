"""Revisions and paths nobody here wrote, through the real client: full ref names
(``refs/heads/...``, ``refs/tags/...``), ``refs/pr/N`` wherever a revision is accepted, and file
names with ``%``, very long parts or look-alike Unicode."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hub_helpers import own_hub
from huggingface_hub import HfApi, HfFileSystem, hf_hub_download, snapshot_download
from huggingface_hub.errors import HfHubHTTPError, RevisionNotFoundError


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with own_hub(tmp_path_factory.mktemp("hub-revisions")) as hub:
        yield hub


@pytest.fixture(scope="module")
def api(hub) -> HfApi:
    return HfApi(endpoint=hub.endpoint, token=hub.token)


def read(hub, repo_id: str, filename: str, revision: str, cache: Path) -> str:
    return Path(hf_hub_download(repo_id, filename, revision=revision, endpoint=hub.endpoint,
                                token=hub.token, cache_dir=cache)).read_text()


def test_a_commit_to_refs_heads_main_lands_on_main(api):
    """``revision="refs/heads/main"`` is main, as in git: the commit must move main, not
    create a branch literally called 'refs/heads/main' (the file was 'lost')."""
    api.create_repo("learner/full-ref")
    api.upload_file(path_or_fileobj=b"hi", path_in_repo="a.txt", repo_id="learner/full-ref",
                    revision="refs/heads/main")
    assert "a.txt" in api.list_repo_files("learner/full-ref")
    refs = api.list_repo_refs("learner/full-ref")
    assert [b.name for b in refs.branches] == ["main"]
    api.super_squash_history("learner/full-ref", branch="refs/heads/main")
    assert [b.name for b in api.list_repo_refs("learner/full-ref").branches] == ["main"]
    assert len(api.list_repo_commits("learner/full-ref")) == 1


def test_refs_tags_and_refs_heads_pick_the_kind_of_ref_they_name(hub, api, tmp_path):
    """A branch and a tag may share a name (git allows it): ``refs/tags/v1`` is the tag,
    ``refs/heads/v1`` the branch, and a plain ``v1`` the branch (as git resolves it)."""
    api.create_repo("learner/same-name")
    api.create_branch("learner/same-name", branch="v1")
    api.upload_file(path_or_fileobj=b"on the branch", path_in_repo="which.txt",
                    repo_id="learner/same-name", revision="v1")
    api.upload_file(path_or_fileobj=b"on main", path_in_repo="which.txt",
                    repo_id="learner/same-name")
    api.create_tag("learner/same-name", tag="v1", revision="main")
    assert read(hub, "learner/same-name", "which.txt", "refs/tags/v1", tmp_path / "a") == "on main"
    assert read(hub, "learner/same-name", "which.txt", "refs/heads/v1", tmp_path / "b") == \
        "on the branch"
    assert read(hub, "learner/same-name", "which.txt", "v1", tmp_path / "c") == "on the branch"
    api.create_tag("learner/same-name", tag="only-a-tag")
    with pytest.raises(RevisionNotFoundError):
        api.model_info("learner/same-name", revision="refs/heads/only-a-tag")


def test_refs_pr_n_is_a_revision_everywhere_a_revision_is_accepted(hub, api, tmp_path):
    """A pull request's ref reads like any branch: download, snapshot, info, tree, paths-info,
    history, HfFileSystem, a branch or tag made from it, and the web page."""
    api.create_repo("learner/pr-ref")
    api.upload_file(path_or_fileobj=b"v0", path_in_repo="f.txt", repo_id="learner/pr-ref")
    pr = api.upload_file(path_or_fileobj=b"v-pr", path_in_repo="f.txt", repo_id="learner/pr-ref",
                         create_pr=True, commit_message="Change f")
    ref = f"refs/pr/{pr.pr_num}"
    assert read(hub, "learner/pr-ref", "f.txt", ref, tmp_path / "a") == "v-pr"
    folder = Path(snapshot_download("learner/pr-ref", revision=ref, endpoint=hub.endpoint,
                                    token=hub.token, cache_dir=tmp_path / "b"))
    assert (folder / "f.txt").read_text() == "v-pr"
    head = api.model_info("learner/pr-ref", revision=ref).sha
    assert head == api.list_repo_refs("learner/pr-ref", include_pull_requests=True) \
        .pull_requests[0].target_commit
    assert "f.txt" in [f.path for f in api.list_repo_tree("learner/pr-ref", revision=ref)]
    [info] = api.get_paths_info("learner/pr-ref", ["f.txt"], revision=ref)
    assert info.size == 4
    assert api.list_repo_commits("learner/pr-ref", revision=ref)[0].title == "Change f"
    fs = HfFileSystem(endpoint=hub.endpoint, token=hub.token)
    assert fs.read_text(f"learner/pr-ref@{ref}/f.txt") == "v-pr"
    api.create_branch("learner/pr-ref", branch="from-pr", revision=ref)
    api.create_tag("learner/pr-ref", tag="pr-state", revision=ref)
    assert api.model_info("learner/pr-ref", revision="pr-state").sha == head
    status, html = page(hub, "/learner/pr-ref?revision=" + ref.replace("/", "%2F"))
    assert status == 200 and head[:12] in html


def page(hub, path: str) -> tuple[int, str]:
    from hub_helpers import http

    status, _, body = http(hub, "GET", path, token=None)
    return status, body.decode()


@pytest.mark.parametrize("name", ["a%2Fb.txt", "100%.txt", "50%25 off.txt", "q?x#y&z=1.txt"])
def test_file_names_with_percent_signs_download_as_they_were_uploaded(hub, api, tmp_path, name):
    """The client quotes file names in URLs; the hub must unquote them once, not turn a
    literal '%2F' in a name into a folder."""
    api.create_repo("learner/odd-names", exist_ok=True)
    api.upload_file(path_or_fileobj=name.encode(), path_in_repo=name, repo_id="learner/odd-names")
    assert name in api.list_repo_files("learner/odd-names")
    assert read(hub, "learner/odd-names", name, "main", tmp_path) == name
    if "?" not in name:  # HfFileSystem itself cannot address a name with '?' or '#'
        fs = HfFileSystem(endpoint=hub.endpoint, token=hub.token, skip_instance_cache=True)
        assert fs.read_text(f"learner/odd-names/{name}") == name


def test_a_file_name_too_long_for_a_disk_is_refused_with_the_reason(api):
    """A path part over 255 bytes is stored by no common file system: the hub refuses it
    (before, it took it, and every download of the repo then failed on the learner's disk)."""
    api.create_repo("learner/long-names")
    long = "a" * 251 + ".txt"  # 255 characters: the longest a file name may be on Linux
    api.upload_file(path_or_fileobj=b"x", path_in_repo=f"data/{long}", repo_id="learner/long-names")
    with pytest.raises(HfHubHTTPError) as error:
        api.upload_file(path_or_fileobj=b"x", path_in_repo="data/" + "é" * 128 + ".txt",
                        repo_id="learner/long-names")  # 128 characters, 260 bytes in UTF-8
    assert error.value.response.status_code == 422
    assert "255 bytes" in error.value.response.headers["X-Error-Message"]
    assert api.list_repo_files("learner/long-names") == [".gitattributes", f"data/{long}"]


def test_a_name_that_only_looks_like_another_gets_a_warning(api, caplog):
    """'café' typed on a Mac may arrive decomposed (e + a combining accent): a second file
    that looks the same as the first. Stored, as git and the Hub would, with a warning."""
    api.create_repo("learner/unicode-names")
    composed, decomposed = (unicodedata.normalize(form, "café.txt") for form in ("NFC", "NFD"))
    api.upload_file(path_or_fileobj=b"1", path_in_repo=composed, repo_id="learner/unicode-names")
    with caplog.at_level("WARNING", logger="huggingface_hub"):
        api.upload_file(path_or_fileobj=b"2", path_in_repo=decomposed,
                        repo_id="learner/unicode-names")
    assert set(api.list_repo_files("learner/unicode-names")) >= {composed, decomposed}
    assert any("NFC" in record.message for record in caplog.records)


def test_add_user_refuses_a_name_that_differs_only_in_case(hub, api):
    """Repo ids ignore case (as on the Hub), so user names must too: a second user 'Ada'
    beside 'ada' was told 'You already created this repo' about ada's private repo."""
    def add_user(name: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "add-user", name,
                               "--data", str(hub.data_dir)], capture_output=True, text=True)

    first = add_user("ada")
    assert first.returncode == 0
    HfApi(endpoint=hub.endpoint, token=first.stdout.strip()).create_repo("ada/diary", private=True)
    second = add_user("Ada")
    assert second.returncode == 2 and second.stdout == ""
    assert "'ada' already exists" in second.stderr and "differ only in case" in second.stderr
