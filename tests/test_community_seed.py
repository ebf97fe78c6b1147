"""The seeded community (lesson 06): `modelshare hub seed` against a real hub, read back with
the real huggingface_hub client as a learner would."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hubplugin import seed

from modelshare.community import COMMUNITY
from modelshare.community.build import PICKLE_NOTE, build_all
from modelshare.hub.server import Hub

MODELS = [r for r in COMMUNITY if r.repo_type == "model"]
DATASETS = [r for r in COMMUNITY if r.repo_type == "dataset"]


@pytest.fixture(scope="module")
def api(seeded_hub: Hub):
    from huggingface_hub import HfApi

    return HfApi(endpoint=seeded_hub.endpoint, token=False)  # a stranger: public repos only


def readme(hub: Hub, repo_id: str, repo_type: str = "model") -> Path:
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(repo_id, "README.md", repo_type=repo_type, token=False,
                                endpoint=hub.endpoint, cache_dir=hub.data_dir / "test-cache"))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_community_is_small_and_varied():
    assert 5 <= len(MODELS) - 1 <= 8  # MiniLM plus 4-8 models trained at seed time
    assert len(DATASETS) == 2
    assert len({r.repo_id.split("/")[0] for r in COMMUNITY}) >= 5  # several other users


def test_every_model_carries_what_search_filters_on(api):
    listed = {m.id: m for m in api.list_models(full=True)}
    for repo in MODELS:
        info = listed[repo.repo_id]
        assert info.author == repo.repo_id.split("/")[0]
        assert info.pipeline_tag and info.library_name, repo.repo_id
        assert any(tag.startswith("license:") for tag in info.tags), repo.repo_id
        assert info.downloads >= repo.downloads, repo.repo_id  # seeded, plus any real ones
    for repo in DATASETS:
        info = api.dataset_info(repo.repo_id)
        assert any(tag.startswith("license:") for tag in info.tags), repo.repo_id
        assert info.downloads >= repo.downloads


def test_search_filters_and_sort_find_the_tabular_models(api):
    found = [m.id for m in api.list_models(pipeline_tag="tabular-classification", filter="sklearn",
                                           sort="downloads")]
    assert found[0] == "fastmodels/income-classifier"  # the most popular one is the pickle
    assert {"survey-lab/gss-income-logreg", "rivera-lab/gss-income-tree",
            "datawhiz/income-predictor"} <= set(found)
    mit = {m.id for m in api.list_models(filter="license:mit")}
    assert "quickml/review-sentiment" in mit and "rivera-lab/gss-income-tree" not in mit


def test_minilm_is_the_real_model_under_its_real_id_and_takes_no_extra_disk(api, seeded_hub):
    from huggingface_hub import hf_hub_download

    from modelshare import pretrained

    source = pretrained.model_dir()
    repo = "sentence-transformers/all-MiniLM-L6-v2"
    files = set(api.list_repo_files(repo))
    assert {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()} <= files
    card = hf_hub_download(repo, "README.md", endpoint=seeded_hub.endpoint, token=False,
                           cache_dir=seeded_hub.data_dir / "test-cache")
    assert Path(card).read_bytes() == (source / "README.md").read_bytes()
    weights = source / "model.safetensors"
    digest = sha256_of(weights)
    [info] = api.get_paths_info(repo, ["model.safetensors"])
    assert info.lfs.sha256 == digest
    blob = seeded_hub.data_dir / "blobs" / digest[:2] / digest[2:]
    if blob.stat().st_dev == weights.stat().st_dev:  # one file system: a hard link, no copy
        assert blob.stat().st_ino == weights.stat().st_ino


def test_the_pickle_runs_code_when_loaded_and_the_scanner_names_it(api, seeded_hub, tmp_path):
    from huggingface_hub import hf_hub_download

    from modelshare.rules.weights import scan_pickle

    path = hf_hub_download("fastmodels/income-classifier", "sklearn_model.joblib",
                           endpoint=seeded_hub.endpoint, token=False, cache_dir=tmp_path / "c")
    scan = scan_pickle(path)
    assert scan is not None and scan.dangerous == ["builtins.exec"]
    # Loading it (in a separate Python, in an empty folder) writes a file and still
    # returns a working model, so nothing looks wrong to whoever loaded it.
    box = tmp_path / "box"
    box.mkdir()
    code = ("import joblib, pandas as pd, sys; m = joblib.load(sys.argv[1]); "
            "print(type(m).__name__, hasattr(m, 'predict_proba'))")
    done = subprocess.run([sys.executable, "-c", code, path], cwd=box, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["Pipeline", "True"]
    assert "could have done anything" in (box / PICKLE_NOTE).read_text()


def test_the_excellent_release_verifies_like_a_stranger_would(seeded_hub, monkeypatch):
    from huggingface_hub import HfApi

    from modelshare import release

    for key, value in seeded_hub.env().items():
        monkeypatch.setenv(key, value)
    api = HfApi(endpoint=seeded_hub.endpoint, token=False)
    report = release.verify("survey-lab/gss-income-logreg", "v1.0", api=api)
    assert report.ok, str(report)
    assert report.measured["accuracy"] == pytest.approx(0.7884, abs=0.001)
    refs = api.list_repo_refs("survey-lab/gss-income-logreg")
    assert [t.name for t in refs.tags] == ["v1.0"]
    commits = api.list_repo_commits("survey-lab/gss-income-logreg")
    assert commits[0].commit_id != refs.tags[0].target_commit  # main moved on after v1.0


def test_the_trees_claim_is_its_training_accuracy_and_does_not_reproduce(api, seeded_hub):
    import skops.io as sio
    from huggingface_hub import ModelCard, hf_hub_download
    from sklearn.model_selection import train_test_split

    from modelshare import data, example

    repo = "rivera-lab/gss-income-tree"
    card = ModelCard.load(readme(seeded_hub, repo))
    [claim] = card.data.eval_results
    path = hf_hub_download(repo, "model.skops", endpoint=seeded_hub.endpoint, token=False,
                           cache_dir=seeded_hub.data_dir / "test-cache")
    model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    X, y = data.income_task(example.working_age(data.gss_wages()), years=(1974, 2018))
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1,
                                                        stratify=y)
    assert round(model.score(X_train, y_train), 4) == pytest.approx(claim.metric_value)
    assert claim.metric_value - model.score(X_test, y_test) > 0.15  # the held-out truth


def test_cards_range_from_excellent_to_missing(seeded_hub):
    from modelshare import card

    def check(repo_id, repo_type="model"):
        path = readme(seeded_hub, repo_id, repo_type)
        return card.check_card(path.read_text(), repo_type=repo_type), path

    excellent, _ = check("survey-lab/gss-income-logreg")
    empty, empty_path = check("datawhiz/income-predictor")
    trainer, trainer_path = check("nlp-hobbyist/fine-food-tiny-bert")
    pickle_card, _ = check("fastmodels/income-classifier")
    assert excellent.score >= 90, excellent.report()
    assert empty.breakdown["coverage"] == 0 and empty_path.read_text().rstrip().endswith("---")
    assert "generated automatically according to the information the Trainer" in \
        trainer_path.read_text()
    assert "More information needed" in trainer_path.read_text()
    assert "weights-pickle" in pickle_card.ids()
    scores = [c.score for c in (excellent, pickle_card, trainer, empty)]
    assert scores == sorted(scores, reverse=True)
    for repo in DATASETS:
        result, _ = check(repo.repo_id, "dataset")
        assert result.score >= 90, result.report()


def test_the_licence_conflict_is_there_to_find(seeded_hub):
    from huggingface_hub import DatasetCard, ModelCard

    model = ModelCard.load(readme(seeded_hub, "quickml/review-sentiment"))
    dataset = DatasetCard.load(readme(seeded_hub, model.data.datasets[0], "dataset"))
    assert model.data.license == "mit" and "commercial" in model.text
    assert dataset.data.license == "other"
    assert dataset.data.license_name == "research-and-teaching-only"


def test_seeding_again_publishes_nothing_and_keeps_the_counts(api, seeded_hub):
    before = {r.repo_id: len(api.list_repo_commits(r.repo_id, repo_type=r.repo_type))
              for r in COMMUNITY}
    downloads = {m.id: m.downloads for m in api.list_models()}
    seed(seeded_hub)
    after = {r.repo_id: len(api.list_repo_commits(r.repo_id, repo_type=r.repo_type))
             for r in COMMUNITY}
    assert after == before
    assert {m.id: m.downloads for m in api.list_models()} == downloads


def test_building_twice_gives_the_same_bytes(tmp_path):
    only = {"rivera-lab/gss-income-tree", "quickml/review-sentiment"}
    first = build_all(tmp_path / "a", only=only)
    second = build_all(tmp_path / "b", only=only)
    for one, two in zip(first, second, strict=True):
        files = sorted(p.relative_to(one.folder) for p in one.folder.rglob("*") if p.is_file())
        assert files == sorted(p.relative_to(two.folder) for p in two.folder.rglob("*")
                               if p.is_file())
        for name in files:
            assert sha256_of(one.folder / name) == sha256_of(two.folder / name), name


def run_seed(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    return subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "seed", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_seed_says_what_is_wrong_with_a_folder_that_holds_no_hub(tmp_path):
    done = run_seed("--data", str(tmp_path / "nothing"), "--endpoint", "http://127.0.0.1:9")
    assert done.returncode == 2
    assert "holds no hub data" in done.stderr and "--data" in done.stderr
    assert not (tmp_path / "nothing").exists()  # and creates nothing


def test_seed_says_when_the_hub_does_not_serve_that_folder(seeded_hub, local_hub):
    done = run_seed("--data", str(seeded_hub.data_dir), "--endpoint", local_hub.endpoint)
    assert done.returncode == 2
    assert "does it serve" in done.stderr, done.stderr
    listed = json.loads(subprocess.run(
        [sys.executable, "-c", "import json, urllib.request; print(urllib.request.urlopen("
         f"'{local_hub.endpoint}/api/models?author=survey-lab').read().decode())"],
        capture_output=True, text=True).stdout)
    assert listed == []  # nothing was published to the wrong hub
