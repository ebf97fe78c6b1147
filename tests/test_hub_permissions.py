"""Who may do what, through the real client: the repo's owner, the author of a discussion or
pull request, another learner, an instructor (a hub admin) and someone with no token.

As on the Hub: anyone signed in who can see a repo opens discussions and pull requests and
comments; their author or the owner renames, closes and reopens them; only the owner
merges (and only a published pull request, not a draft), hides comments, deletes, squashes,
moves, tags, changes settings and deletes LFS files for good; a comment's author edits it;
a pull request's author may commit to its ``refs/pr/N``. An admin reads everything and
writes only to their own namespace.
"""

from __future__ import annotations

import pytest
from hub_helpers import add_user, own_hub
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.errors import HfHubHTTPError

REPO = "learner/shared"


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    """owner (learner), ada (opens a discussion and a pull request), bob (another learner),
    teacher (an admin) and anonymous; the owner's public repo has one of each."""
    with own_hub(tmp_path_factory.mktemp("hub-permissions")) as hub:

        def user(name: str, *flags: str) -> HfApi:
            return HfApi(endpoint=hub.endpoint, token=add_user(hub, name, *flags))

        owner = HfApi(endpoint=hub.endpoint, token=hub.token)
        people = {"owner": owner, "ada": user("ada"), "bob": user("bob"),
                  "teacher": user("teacher", "--admin"),
                  "anonymous": HfApi(endpoint=hub.endpoint, token=False)}
        owner.create_repo(REPO)
        owner.upload_file(path_or_fileobj=b"\0weights", path_in_repo="w.bin", repo_id=REPO)
        people["ada"].create_discussion(REPO, title="A question", description="Which data?")
        people["ada"].upload_file(path_or_fileobj=b"# Card\n", path_in_repo="README.md",
                                  repo_id=REPO, create_pr=True, commit_message="Add a card")
        yield people


def allowed(action) -> bool:
    try:
        action()
    except HfHubHTTPError as error:
        assert error.response.status_code in (401, 403, 404), error
        return False
    return True


def comment_id(api: HfApi, num: int) -> str:
    return api.get_discussion_details(REPO, num).events[0].id


# who may: (action, the people who may do it); everyone else must be refused
ACTIONS = {
    "comment": (lambda api: api.comment_discussion(REPO, 1, "Me too"),
                {"owner", "ada", "bob", "teacher"}),
    "open a discussion": (lambda api: api.create_discussion(REPO, title="Another question"),
                          {"owner", "ada", "bob", "teacher"}),
    "open a pull request": (lambda api: api.upload_file(
        path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=REPO, create_pr=True),
        {"owner", "ada", "bob", "teacher"}),
    "rename": (lambda api: api.rename_discussion(REPO, 1, "A question, renamed"),
               {"owner", "ada"}),
    "close and reopen": (lambda api: (api.change_discussion_status(REPO, 1, "closed"),
                                      api.change_discussion_status(REPO, 1, "open")),
                         {"owner", "ada"}),
    "edit the first comment": (lambda api: api.edit_discussion_comment(
        REPO, 1, comment_id(api, 1), "Which data, and when?"), {"ada"}),
    "hide a comment": (lambda api: api.hide_discussion_comment(REPO, 1, comment_id(api, 1)),
                       {"owner"}),
    "commit to the pull request": (lambda api: api.upload_file(
        path_or_fileobj=b"# Card v2\n", path_in_repo="README.md", repo_id=REPO,
        revision="refs/pr/2"), {"owner", "ada"}),
    "commit to main": (lambda api: api.upload_file(
        path_or_fileobj=b"x", path_in_repo="main.txt", repo_id=REPO), {"owner"}),
    "tag": (lambda api: (api.create_tag(REPO, tag="t"), api.delete_tag(REPO, tag="t")),
            {"owner"}),
    "branch": (lambda api: (api.create_branch(REPO, branch="b"),
                            api.delete_branch(REPO, branch="b")), {"owner"}),
    "squash": (lambda api: api.super_squash_history(REPO, branch="refs/pr/2"), {"owner"}),
    "list LFS files": (lambda api: list(api.list_lfs_files(REPO)), {"owner"}),
    "make private and public": (lambda api: (api.update_repo_settings(REPO, private=True),
                                             api.update_repo_settings(REPO, private=False)),
                                {"owner"}),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_do_what(people, action):
    do, who = ACTIONS[action]
    got = {name for name, api in people.items() if allowed(lambda api=api: do(api))}
    assert got == who


def test_only_the_owner_merges_and_only_once_it_is_published(people):
    """A pull request opened with ``create_pull_request`` is a draft; like the Hub, the hub
    merges it only once it is published (status 'open'). ``create_pr=True`` opens it at once."""
    owner, ada = people["owner"], people["ada"]
    draft = ada.create_pull_request(REPO, title="A draft", description="Work in progress")
    ada.create_commit(REPO, [CommitOperationAdd("draft.txt", b"wip")], commit_message="wip",
                      revision=draft.git_reference)
    with pytest.raises(HfHubHTTPError, match="draft") as error:
        owner.merge_pull_request(REPO, draft.num)
    assert error.value.response.status_code == 400
    ada.change_discussion_status(REPO, draft.num, "open")  # published by its author
    for name in ("ada", "bob", "teacher", "anonymous"):
        assert not allowed(lambda name=name: people[name].merge_pull_request(REPO, draft.num))
    owner.merge_pull_request(REPO, draft.num)
    assert "draft.txt" in owner.list_repo_files(REPO)


def test_only_the_owner_deletes_lfs_files_moves_and_deletes_the_repo(people):
    owner = people["owner"]
    [lfs] = owner.list_lfs_files(REPO)
    for name in ("ada", "bob", "teacher", "anonymous"):
        api = people[name]
        assert not allowed(lambda api=api: api.permanently_delete_lfs_files(REPO, [lfs]))
        assert not allowed(lambda api=api: api.move_repo(REPO, "learner/moved"))
        assert not allowed(lambda api=api: api.delete_repo(REPO))
    assert [f.filename for f in owner.list_lfs_files(REPO)] == ["w.bin"]
    owner.create_repo("learner/to-delete")
    owner.move_repo("learner/to-delete", "learner/deleted")
    owner.delete_repo("learner/deleted")
    assert not owner.repo_exists("learner/deleted")


def test_an_admin_reads_private_repos_and_writes_only_their_own(people):
    owner, teacher = people["owner"], people["teacher"]
    owner.create_repo("learner/private-work", private=True)
    assert teacher.model_info("learner/private-work").private
    assert "learner/private-work" in [m.id for m in teacher.list_models(author="learner")]
    teacher.create_discussion("learner/private-work", title="Feedback from the teacher")
    assert not allowed(lambda: teacher.upload_file(path_or_fileobj=b"x", path_in_repo="t.txt",
                                                   repo_id="learner/private-work"))
    assert not allowed(lambda: teacher.delete_repo("learner/private-work"))
