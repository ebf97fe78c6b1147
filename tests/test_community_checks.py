"""Lesson 06's safety rails and feedback: no hub, the seed's own pickle only, and the
exercises' specific hints (modelshare.community and modelshare.community.checks)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from modelshare import community
from modelshare.community import checks
from modelshare.feedback import fingerprint, judge


def test_no_hub_gives_a_message_naming_the_endpoint_and_make_lab():
    from huggingface_hub import HfApi

    api = HfApi(endpoint="http://127.0.0.1:9", token=False)  # port 9: nothing listens
    with pytest.raises(community.HubUnreachable) as raised:
        community.check(api)
    message = str(raised.value)
    assert "http://127.0.0.1:9/api/" in message and "make lab" in message
    assert raised.value.__suppress_context__  # the learner sees one message, not httpx's chain


def test_seeded_pickle_is_the_seeds_own_file(seeded_hub):
    from huggingface_hub import HfApi

    from modelshare.community.build import PICKLE_NOTE

    path = community.seeded_pickle(HfApi(endpoint=seeded_hub.endpoint, token=False))
    [entry] = HfApi(endpoint=seeded_hub.endpoint, token=False).get_paths_info(
        "fastmodels/income-classifier", ["sklearn_model.joblib"])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.lfs.sha256
    assert not (Path.cwd() / PICKLE_NOTE).exists()  # handed out, never loaded


def test_seeded_pickle_refuses_huggingface_co_before_any_request():
    from huggingface_hub import HfApi

    with pytest.raises(community.PickleRefused, match="huggingface.co"):
        community.seeded_pickle(HfApi(endpoint="https://huggingface.co", token=False))


def test_seeded_pickle_refuses_any_other_file_under_that_name(hub_api, monkeypatch, tmp_path):
    import joblib

    repo = f"{hub_api.whoami()['name']}/not-the-seeds-pickle"
    hub_api.create_repo(repo, exist_ok=True)
    joblib.dump({"another": "pickle"}, tmp_path / "sklearn_model.joblib")
    hub_api.upload_file(path_or_fileobj=tmp_path / "sklearn_model.joblib",
                        path_in_repo="sklearn_model.joblib", repo_id=repo)
    monkeypatch.setattr(community.build, "PICKLE_REPO", repo)
    with pytest.raises(community.PickleRefused, match="sha256"):
        community.seeded_pickle(hub_api)


RIGHT = 0.7388
TEST = checks.accuracy_test("t", fingerprint(round(RIGHT, 3), exercise="t", digits=3),
                            claimed=0.9813)


@pytest.mark.parametrize("answer", [RIGHT, 0.734, 0.7438, 0.7339 + 0.0001])
def test_accuracy_within_the_tolerance_is_right(answer):
    assert judge("t", answer, test=TEST).right


@pytest.mark.parametrize("answer", [0.732, 0.746, 0.79, 0.0])
def test_accuracy_outside_the_tolerance_is_not(answer):
    verdict = judge("t", answer, test=TEST, hint="follow the card")
    assert verdict.status == "not yet" and "follow the card" in verdict.message
    assert "0.739" not in verdict.message


@pytest.mark.parametrize(("answer", "says"), [
    (73.9, "fraction between 0 and 1"), (-0.2, "between 0 and 1"), (250, "between 0 and 1"),
    (0.9813, "card's own number"), (0.98134, "card's own number"), ("0.739", "expected a number"),
])
def test_accuracy_mistakes_get_their_own_message(answer, says):
    verdict = judge("t", answer, test=TEST)
    assert verdict.status == "not yet" and says in verdict.message


def test_a_model_record_instead_of_its_id_is_answered_with_id(capsys, monkeypatch):
    monkeypatch.delenv("MODELSHARE_STRICT", raising=False)  # a learner's kernel
    from huggingface_hub.hf_api import ModelInfo

    record = ModelInfo(id="quickml/review-sentiment")
    truth = fingerprint("quickml/review-sentiment", exercise="t")
    checks.check_choice("t", record, ["quickml/review-sentiment", "x/y"], truth)
    assert "put its `.id`" in capsys.readouterr().out
    checks.check_choice("t", record.id, ["quickml/review-sentiment", "x/y"], truth)
    assert "Right" in capsys.readouterr().out
    checks.check_choice("t", ..., ["quickml/review-sentiment", "x/y"], truth)
    assert "Not answered" in capsys.readouterr().out


def test_cards_tell_what_skops_trusts_and_whose_reading_a_licence_is(seeded_hub):
    from huggingface_hub import DatasetCard, HfApi

    api = HfApi(endpoint=seeded_hub.endpoint, token=False)
    good = Path(api.hf_hub_download("survey-lab/gss-income-logreg", "README.md")).read_text()
    assert "not a pickle" in good and "trusted=[]" in good and "runs no code" not in good
    # the lesson's counter-examples: two cards whose example trusts whatever the file lists
    for repo in ("rivera-lab/gss-income-tree", "quickml/review-sentiment"):
        text = Path(api.hf_hub_download(repo, "README.md")).read_text()
        assert "trusted=sio.get_untrusted_types(file=path)" in text
    reviews = DatasetCard(Path(api.hf_hub_download(
        "review-corpora/fine-food-reviews", "README.md", repo_type="dataset")).read_text())
    assert "cautious reading" in reviews.text and "never stated" in reviews.text


def test_the_hub_cli_loads_without_pandas_or_scikit_learn():
    # The workshop hub's own install (deployments/jupyterhub) has neither; `modelshare hub`
    # still builds its parser (hub/cli.py offers `seed` as "needs the full environment").
    import subprocess
    import sys

    code = ("import builtins; real = builtins.__import__\n"
            "def guarded(name, *args, **kwargs):\n"
            "    if name.split('.')[0] in ('pandas', 'sklearn'):\n"
            "        raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = guarded\n"
            "from modelshare.cli import build_parser; build_parser(); print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
