"""Requests that race each other, through the real client: two merges of one pull request,
a commit against a squash or a permanent deletion, a refused pull request, edits of one
comment. Many learners share a classroom hub, so these happen."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hub_helpers import add_user, own_hub
from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi
from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

from modelshare.hub.server.storage import Storage


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with own_hub(tmp_path_factory.mktemp("hub-races")) as hub:
        yield hub


@pytest.fixture(scope="module")
def owner(hub) -> HfApi:
    return HfApi(endpoint=hub.endpoint, token=hub.token)


@pytest.fixture(scope="module")
def ada(hub) -> HfApi:
    return HfApi(endpoint=hub.endpoint, token=add_user(hub, "ada"))


def at_once(count: int, action: Callable[[int], object]) -> list[object]:
    """Run ``action(i)`` in ``count`` threads released together; each result or exception."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = action(i)
        except Exception as error:  # noqa: BLE001 - the test looks at what each one got
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_pull_request_merged_twice_at_once_is_merged_once(owner, ada):
    """Two clicks on 'merge' (or two instructors): one merge commit, and the others are told
    it is merged already - not that it 'conflicts' with itself."""
    owner.create_repo("learner/merge-race")
    owner.create_commit("learner/merge-race", commit_message="many files", operations=[
        CommitOperationAdd(f"f{i}.txt", f"{i}".encode() * 50) for i in range(40)])
    for attempt in range(3):
        num = ada.upload_file(path_or_fileobj=f"fix {attempt}".encode(),
                              path_in_repo=f"fix{attempt}.txt", repo_id="learner/merge-race",
                              create_pr=True).pr_num
        results = at_once(6, lambda _, num=num: owner.merge_pull_request("learner/merge-race", num))
        refused = [r for r in results if isinstance(r, Exception)]
        assert len(results) - len(refused) == 1, results
        assert all("merged already" in str(r) for r in refused), refused
    titles = [c.title for c in owner.list_repo_commits("learner/merge-race")]
    assert sum(title.startswith("Merge pull request") for title in titles) == 3, titles


def test_a_refused_commit_opens_no_empty_pull_request(owner, ada):
    """``create_pr=True`` with a commit the hub refuses (deleting a file that is not there):
    the error, and no pull request left behind with nothing in it."""
    owner.create_repo("learner/refused-pr")
    with pytest.raises(EntryNotFoundError):
        ada.create_commit("learner/refused-pr", [CommitOperationDelete("no-such-file.txt")],
                          commit_message="Delete a file", create_pr=True)
    with pytest.raises(HfHubHTTPError):
        ada.create_commit("learner/refused-pr", [CommitOperationAdd(".gitattributes/x", b"x")],
                          commit_message="A file inside a file", create_pr=True)
    assert list(owner.get_repo_discussions("learner/refused-pr")) == []
    assert owner.list_repo_refs("learner/refused-pr", include_pull_requests=True) \
        .pull_requests == []


def test_someone_elses_permanent_deletion_keeps_my_upload_in_flight(hub, owner, ada):
    """An LFS file uploaded but not yet committed (``preupload_lfs_files``, or the seconds
    between upload and commit) survives another learner's ``permanently_delete_lfs_files``."""
    owner.create_repo("learner/in-flight")
    weights = CommitOperationAdd("weights.bin", b"\0\1" * 400_000)
    owner.preupload_lfs_files("learner/in-flight", [weights])
    ada.create_repo("ada/cleanup")
    ada.upload_file(path_or_fileobj=b"\2" * 1000, path_in_repo="leak.bin", repo_id="ada/cleanup")
    ada.permanently_delete_lfs_files("ada/cleanup", list(ada.list_lfs_files("ada/cleanup")))
    owner.create_commit("learner/in-flight", [weights], commit_message="Add the weights")
    [info] = owner.get_paths_info("learner/in-flight", ["weights.bin"])
    assert info.lfs is not None and info.size == 800_000
    assert list(ada.list_lfs_files("ada/cleanup")) == []  # what ada deleted is gone
    assert Storage(hub.data_dir).check() == []


def test_commits_racing_a_squash_lose_nothing(hub, owner):
    """Commits and a squash of the same branch, at once: every commit's file is on main
    afterwards, and a commit made against the history the squash replaced is refused (412)
    rather than applied on top of something its author never saw."""
    owner.create_repo("learner/squash-race")
    seen = owner.model_info("learner/squash-race").sha

    def act(i: int):
        if i == 0:
            return owner.super_squash_history("learner/squash-race")
        return owner.upload_file(path_or_fileobj=f"{i}".encode(), path_in_repo=f"c{i}.txt",
                                 repo_id="learner/squash-race")

    results = at_once(8, act)
    assert not [r for r in results if isinstance(r, Exception)], results
    files = owner.list_repo_files("learner/squash-race")
    assert {f"c{i}.txt" for i in range(1, 8)} <= set(files)
    with pytest.raises(HfHubHTTPError) as error:
        owner.create_commit("learner/squash-race", [CommitOperationAdd("late.txt", b"x")],
                            commit_message="late", parent_commit=seen)
    assert error.value.response.status_code == 412
    assert Storage(hub.data_dir).check() == []


def test_edits_of_one_comment_at_once_keep_every_version(owner, ada):
    """A comment's history keeps every edit, also when two edits arrive together."""
    owner.create_repo("learner/edits")
    discussion = ada.create_discussion("learner/edits", title="A question", description="v0")
    comment_id = ada.get_discussion_details("learner/edits", discussion.num).events[0].id
    results = at_once(6, lambda i: ada.edit_discussion_comment(
        "learner/edits", discussion.num, comment_id, f"v{i + 1}"))
    assert not [r for r in results if isinstance(r, Exception)], results
    [comment] = ada.get_discussion_details("learner/edits", discussion.num).events
    assert len(comment._event["data"]["history"]) == 7  # v0 and the six edits
