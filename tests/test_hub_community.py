"""Discussions and pull requests through the real client: how a neighbour reviews a model.

This is the capstone's review (lesson 09): the reviewer opens a discussion on the author's
repo and a pull request that fixes the card; the author sees both, answers, merges.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from huggingface_hub import CommitOperationAdd, HfApi, ModelCard, constants
from huggingface_hub.errors import HfHubHTTPError

CARD = "---\nlicense: mit\nlibrary_name: sklearn\n---\n# Income model\n\nTrained on 1974-1989.\n"


@pytest.fixture(scope="module")
def people(local_hub):
    """(author, reviewer): two HfApi clients of the session's hub; the author has a model."""
    token = subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "add-user", "rev",
                            "--data", str(local_hub.data_dir)], capture_output=True, text=True,
                           check=True).stdout.strip()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)  # as HF_HUB_DISABLE_XET=1 does
        author = HfApi(endpoint=local_hub.endpoint, token=local_hub.token)
        reviewer = HfApi(endpoint=local_hub.endpoint, token=token)
        author.create_repo("learner/income")
        author.upload_file(path_or_fileobj=CARD.encode(), path_in_repo="README.md",
                           repo_id="learner/income")
        yield author, reviewer


def test_a_reviewer_opens_a_discussion_and_the_author_answers_and_closes_it(people):
    author, reviewer = people
    opened = reviewer.create_discussion("learner/income", title="Which survey years?",
                                        description="The card says 1974-1989: is 1990 out?")
    assert (opened.num, opened.author, opened.status) == (1, "rev", "open")
    seen = list(author.get_repo_discussions("learner/income"))
    assert [(d.num, d.title, d.is_pull_request) for d in seen] == \
        [(1, "Which survey years?", False)]
    author.comment_discussion("learner/income", 1, "Yes: 1990 was left out on purpose.")
    with pytest.raises(HfHubHTTPError, match="logged in"):
        HfApi(endpoint=author.endpoint, token=False).rename_discussion(
            "learner/income", 1, "Anonymous rename")
    reviewer.rename_discussion("learner/income", 1, "Is 1990 in the data?")  # its author may
    author.change_discussion_status("learner/income", 1, "closed", comment="Answered.")
    details = author.get_discussion_details("learner/income", 1)
    assert details.status == "closed"
    assert [e.type for e in details.events] == \
        ["comment", "comment", "title-change", "comment", "status-change"]
    assert details.events[1].content == "Yes: 1990 was left out on purpose."
    assert [d.num for d in author.get_repo_discussions("learner/income",
                                                       discussion_status="open")] == []


def test_a_pull_request_fixes_the_card_and_only_the_author_merges_it(people):
    author, reviewer = people
    card = ModelCard(CARD)
    card.text = card.text.rstrip() + "\n\n## Limitations\n\nNot for incomes after 1989.\n"
    commit = reviewer.upload_file(path_or_fileobj=str(card).encode(), path_in_repo="README.md",
                                  repo_id="learner/income", create_pr=True,
                                  commit_message="Add a Limitations section")
    assert commit.pr_revision == f"refs/pr/{commit.pr_num}"
    assert "Limitations" not in open(author.hf_hub_download("learner/income", "README.md")).read()
    pr = author.get_discussion_details("learner/income", commit.pr_num)
    assert pr.is_pull_request and pr.status == "open" and pr.target_branch == "refs/heads/main"
    assert "+## Limitations" in pr.diff and pr.conflicting_files == []
    with pytest.raises(HfHubHTTPError, match="Only the repo's owner can merge"):
        reviewer.merge_pull_request("learner/income", commit.pr_num)
    with pytest.raises(HfHubHTTPError, match="cannot write"):  # main stays the author's
        reviewer.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="learner/income")
    reviewer.create_commit("learner/income", revision=commit.pr_revision, commit_message="typo",
                           operations=[CommitOperationAdd("NOTES.md", b"Reviewed by rev.\n")])
    author.merge_pull_request("learner/income", commit.pr_num, comment="Thank you!")
    merged = author.get_discussion_details("learner/income", commit.pr_num)
    assert merged.status == "merged" and merged.merge_commit_oid is not None
    files = author.list_repo_files("learner/income")
    assert "NOTES.md" in files
    readme = open(author.hf_hub_download("learner/income", "README.md")).read()
    assert "## Limitations" in readme
    assert author.list_repo_commits("learner/income")[0].title.startswith(
        f"Merge pull request #{commit.pr_num}")


def test_a_pull_request_that_conflicts_is_not_merged(people):
    author, reviewer = people
    author.create_repo("learner/conflict")
    author.upload_file(path_or_fileobj=b"v1", path_in_repo="notes.txt", repo_id="learner/conflict")
    pr = reviewer.upload_file(path_or_fileobj=b"reviewer", path_in_repo="notes.txt",
                              repo_id="learner/conflict", create_pr=True)
    author.upload_file(path_or_fileobj=b"author", path_in_repo="notes.txt",
                       repo_id="learner/conflict")
    assert author.get_discussion_details("learner/conflict", pr.pr_num).conflicting_files == \
        ["notes.txt"]
    with pytest.raises(HfHubHTTPError, match="notes.txt"):
        author.merge_pull_request("learner/conflict", pr.pr_num)
    assert open(author.hf_hub_download("learner/conflict", "notes.txt")).read() == "author"


def test_bad_input_gets_a_clear_message(people):
    author, reviewer = people
    with pytest.raises(HfHubHTTPError, match="3 to 200 characters"):
        reviewer.create_discussion("learner/income", title="?!")
    with pytest.raises(HfHubHTTPError, match="not found"):
        author.comment_discussion("learner/income", 99, "hello")
    with pytest.raises(HfHubHTTPError, match="empty"):
        author.comment_discussion("learner/income", 1, "   ")
    with pytest.raises(HfHubHTTPError, match="401|logged in|token"):
        HfApi(endpoint=author.endpoint, token=False).create_discussion(
            "learner/income", title="From nobody")
