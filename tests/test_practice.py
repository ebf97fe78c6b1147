"""modelshare.practice: what the exercise notebooks hand the learner, and the answer keys."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from huggingface_hub import HfApi

from modelshare import data, example, practice, release

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def trained():
    frame = data.gss_wages()
    split = example.training_split(frame)
    return frame, split, example.income_pipeline().fit(split.X_train, split.y_train)


def test_two_release_files_claim_the_first_file(tmp_path, trained):
    _, split, model = trained
    retrained = example.income_pipeline().set_params(classifier__C=0.1).fit(split.X_train,
                                                                            split.y_train)
    claimed = practice.two_release_files(model, retrained, tmp_path / "work")
    digest = {name: hashlib.sha256((tmp_path / "work" / name).read_bytes()).hexdigest()
              for name in ("release_a.skops", "release_b.skops")}
    assert claimed == digest["release_a.skops"] != digest["release_b.skops"]


def test_messy_release_has_one_finding_per_planted_problem(tmp_path, trained):
    _, split, model = trained
    folder = practice.messy_release(model, tmp_path / "messy", example_input=split.X_test.head(3))
    found = sorted(f.id for f in release.scan(folder).findings)
    assert found == ["env-file", "hf-token", "hf-token", "personal-data", "pickle"]
    assert (folder / "model.skops").exists()
    again = practice.messy_release(model, tmp_path / "messy", example_input=split.X_test.head(3))
    assert sorted(f.id for f in release.scan(again).findings) == found  # runs twice, same folder


def test_the_stand_in_neighbour_is_private_and_overclaims(tmp_path, trained, local_hub):
    frame, _, _ = trained
    api = HfApi(endpoint=local_hub.endpoint, token=local_hub.token)
    repo_id = f"{local_hub.user}/practice-neighbour"
    api.delete_repo(repo_id, missing_ok=True)
    practice.publish_neighbour(repo_id, frame, tmp_path / "neighbour", api=api)
    assert api.model_info(repo_id).private is True
    assert "v1.0" in {tag.name for tag in api.list_repo_refs(repo_id).tags}
    assert release.card_claims(tmp_path / "neighbour" / "README.md") == {"accuracy": 0.85}
    api.delete_repo(repo_id)


def test_answer_keys():
    statuses = [SimpleNamespace(ok=True), SimpleNamespace(ok=False), SimpleNamespace(ok=False)]
    assert practice.problems_in(statuses) == 2
    assert practice.measured(SimpleNamespace(measured={"accuracy": 0.7686})) == 0.7686
    assert practice.measured(SimpleNamespace(measured={})) is None
    assert "hf_" + "Pq4" * 12 == practice.FAKE_TOKEN


def test_the_capstone_posts_its_review_once_and_comments_when_run_again(hub_api, local_hub,
                                                                         capsys):
    """Capstone 5e, the solution's own cell: a discussion on the neighbour's repo, then a comment."""
    notebook = nbformat.read(ROOT / "solutions" / "09_capstone.ipynb", as_version=4)
    [post] = [c.source for c in notebook.cells if "api.create_discussion(" in c.source]
    neighbour = f"{local_hub.user}/practice-review"
    hub_api.delete_repo(neighbour, missing_ok=True)
    hub_api.create_repo(neighbour, private=True)
    cell = {"api": hub_api, "NEIGHBOUR": neighbour, "user": local_hub.user}
    exec(post, {**cell, "review": "First look: the card claims 0.85, the rerun gives 0.77."})
    exec(post, {**cell, "review": "Second look, after the shift tests."})
    [discussion] = hub_api.get_repo_discussions(neighbour)
    details = hub_api.get_discussion_details(neighbour, discussion.num)
    assert [event.content for event in details.events if event.type == "comment"] == [
        "First look: the card claims 0.85, the rerun gives 0.77.",
        "Second look, after the shift tests."]
    assert "'Capstone review' by" in capsys.readouterr().out
    exec(post, {**cell, "review": ...})  # not written yet: says so, posts nothing
    assert "write your review" in capsys.readouterr().out
    hub_api.delete_repo(neighbour)
