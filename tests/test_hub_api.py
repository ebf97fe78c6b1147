"""huggingface_hub.HfApi against a real workshop hub process: every call round-trips."""

from __future__ import annotations

import hashlib
import os

import pytest
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationDelete,
    HfApi,
    hf_hub_download,
    snapshot_download,
)
from huggingface_hub.errors import (
    EntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

CARD = "---\nlicense: mit\nlibrary_name: sklearn\ntags: [demo]\n---\n# Demo model\n\nHello.\n"


@pytest.fixture(scope="module")
def hub(local_hub):
    """The session's hub (tests/hubplugin.py); each module uses repo names of its own."""
    return local_hub


@pytest.fixture(scope="module")
def api(hub_api) -> HfApi:
    return hub_api


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_whoami_names_the_owner_with_a_write_token(api):
    me = api.whoami()
    assert me["name"] == "learner"
    assert me["auth"]["accessToken"]["role"] == "write"


def test_create_repo_returns_its_url_and_exist_ok_reads_it(api, hub):
    url = api.create_repo("learner/create-me")
    assert url == f"{hub.endpoint}/learner/create-me" and url.repo_id == "learner/create-me"
    assert api.create_repo("learner/create-me", exist_ok=True).repo_id == "learner/create-me"
    with pytest.raises(Exception, match="409"):
        api.create_repo("learner/create-me")
    short = api.create_repo("no-namespace")  # the namespace defaults to the token's user
    assert short.repo_id == "learner/no-namespace"


def test_upload_folder_then_read_it_back_every_way(api, hub, tmp_path):
    folder = tmp_path / "release"
    (folder / "sub").mkdir(parents=True)
    (folder / "README.md").write_text(CARD)
    (folder / "config.json").write_text('{"a": 1}')
    (folder / "sub" / "notes.txt").write_text("notes")
    (folder / "weights.bin").write_bytes(os.urandom(1_500_000))  # large: goes through LFS
    api.create_repo("learner/demo")
    commit = api.upload_folder(folder_path=folder, repo_id="learner/demo", commit_message="v1")

    info = api.model_info("learner/demo", files_metadata=True)
    assert info.sha == commit.oid
    assert info.card_data.license == "mit" and "demo" in info.tags
    siblings = {s.rfilename: s for s in info.siblings}
    assert set(siblings) == {".gitattributes", "README.md", "config.json", "sub/notes.txt",
                             "weights.bin"}
    assert siblings["weights.bin"].lfs.sha256 == sha256(folder / "weights.bin")
    assert siblings["config.json"].lfs is None and siblings["config.json"].size == 8

    assert api.list_repo_files("learner/demo") == sorted(siblings)
    top = {item.path: type(item).__name__ for item in api.list_repo_tree("learner/demo")}
    assert top["sub"] == "RepoFolder" and "sub/notes.txt" not in top
    deep = {i.path for i in api.list_repo_tree("learner/demo", recursive=True, expand=True)}
    assert "sub/notes.txt" in deep
    assert [i.path for i in api.list_repo_tree("learner/demo", path_in_repo="sub")] == \
        ["sub/notes.txt"]
    with pytest.raises(EntryNotFoundError):
        list(api.list_repo_tree("learner/demo", path_in_repo="nowhere"))
    assert api.file_exists("learner/demo", "sub/notes.txt")
    assert not api.file_exists("learner/demo", "missing.txt")
    paths = api.get_paths_info("learner/demo", ["weights.bin", "sub", "missing"])
    assert [p.path for p in paths] == ["weights.bin", "sub"]

    cache = tmp_path / "cache"
    weights = hf_hub_download("learner/demo", "weights.bin", endpoint=hub.endpoint,
                              token=hub.token, cache_dir=cache)
    assert sha256(weights) == sha256(folder / "weights.bin")
    snapshot = snapshot_download("learner/demo", endpoint=hub.endpoint, token=hub.token,
                                 cache_dir=cache)
    assert (tmp_path / "cache").exists() and open(f"{snapshot}/sub/notes.txt").read() == "notes"
    with pytest.raises(EntryNotFoundError):
        hf_hub_download("learner/demo", "missing.txt", endpoint=hub.endpoint, token=hub.token,
                        cache_dir=cache)
    with pytest.raises(RevisionNotFoundError):
        api.model_info("learner/demo", revision="no-such-branch")


def test_commits_tags_and_old_revisions(api, hub, tmp_path):
    api.create_repo("learner/history")
    first = api.upload_file(path_or_fileobj=b"one", path_in_repo="a/one.txt",
                            repo_id="learner/history", commit_message="add one")
    api.upload_file(path_or_fileobj=b"two", path_in_repo="a/two.txt", repo_id="learner/history")
    api.create_tag("learner/history", tag="v1", tag_message="first release")
    third = api.create_commit(
        "learner/history",
        operations=[CommitOperationDelete("a/"), CommitOperationAdd("b.txt", b"bee")],
        commit_message="replace a/ by b.txt",
    )
    assert api.list_repo_files("learner/history") == [".gitattributes", "b.txt"]
    assert api.list_repo_files("learner/history", revision="v1") == \
        [".gitattributes", "a/one.txt", "a/two.txt"]
    old = hf_hub_download("learner/history", "a/one.txt", revision=first.oid,
                          endpoint=hub.endpoint, token=hub.token, cache_dir=tmp_path)
    assert open(old).read() == "one"

    commits = api.list_repo_commits("learner/history")
    assert [c.title for c in commits] == ["replace a/ by b.txt", "Upload a/two.txt with "
                                          "huggingface_hub", "add one", "initial commit"]
    assert commits[0].commit_id == third.oid and commits[0].authors == ["learner"]
    refs = api.list_repo_refs("learner/history")
    assert [(b.name, b.target_commit) for b in refs.branches] == [("main", third.oid)]
    assert [t.name for t in refs.tags] == ["v1"]
    with pytest.raises(Exception, match="already exists"):
        api.create_tag("learner/history", tag="v1")
    api.delete_tag("learner/history", tag="v1")
    with pytest.raises(RevisionNotFoundError):
        api.list_repo_files("learner/history", revision="v1")


def test_branches(api):
    api.create_repo("learner/branches")
    api.create_branch("learner/branches", branch="dev")
    api.upload_file(path_or_fileobj=b"draft", path_in_repo="draft.txt",
                    repo_id="learner/branches", revision="dev")
    assert api.list_repo_files("learner/branches", revision="dev") == [".gitattributes",
                                                                       "draft.txt"]
    assert api.list_repo_files("learner/branches") == [".gitattributes"]
    api.create_branch("learner/branches", branch="dev", exist_ok=True)
    assert sorted(b.name for b in api.list_repo_refs("learner/branches").branches) == \
        ["dev", "main"]
    api.delete_branch("learner/branches", branch="dev")
    assert [b.name for b in api.list_repo_refs("learner/branches").branches] == ["main"]


def test_unchanged_files_are_not_committed_again(api):
    api.create_repo("learner/same")
    api.upload_file(path_or_fileobj=b"same", path_in_repo="x.txt", repo_id="learner/same")
    before = api.model_info("learner/same").sha
    api.upload_file(path_or_fileobj=b"same", path_in_repo="x.txt", repo_id="learner/same")
    assert api.model_info("learner/same").sha == before  # the client saw the same oid


def test_datasets_private_repos_and_delete(api, hub):
    api.create_repo("learner/private-data", repo_type="dataset", private=True)
    api.upload_file(path_or_fileobj=b"a,b\n1,2\n", path_in_repo="data.csv",
                    repo_id="learner/private-data", repo_type="dataset")
    info = api.dataset_info("learner/private-data")
    assert info.private and [s.rfilename for s in info.siblings] == [".gitattributes", "data.csv"]
    anonymous = HfApi(endpoint=hub.endpoint, token=False)
    with pytest.raises(RepositoryNotFoundError):
        anonymous.dataset_info("learner/private-data")
    with pytest.raises(RepositoryNotFoundError):  # a model repo of that name does not exist
        api.model_info("learner/private-data")
    api.delete_repo("learner/private-data", repo_type="dataset")
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info("learner/private-data")
    api.delete_repo("learner/private-data", repo_type="dataset", missing_ok=True)


def test_update_repo_settings_switches_visibility(api, hub):
    api.create_repo("learner/visibility", private=False)
    anonymous = HfApi(endpoint=hub.endpoint, token=False)
    assert anonymous.model_info("learner/visibility").private is False
    api.update_repo_settings("learner/visibility", private=True)
    assert api.model_info("learner/visibility").private is True
    with pytest.raises(RepositoryNotFoundError):
        anonymous.model_info("learner/visibility")
    api.update_repo_settings("learner/visibility", visibility="public")
    assert anonymous.model_info("learner/visibility").private is False
    with pytest.raises(Exception, match="no gated repos"):
        api.update_repo_settings("learner/visibility", gated="auto")
    with pytest.raises(Exception, match="401|403|token"):
        anonymous.update_repo_settings("learner/visibility", private=True)
    api.delete_repo("learner/visibility")
