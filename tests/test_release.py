"""release.prepare / plan / publish / verify and their CLI, against a REAL local hub process.

The course's running example (the GSS income pipeline) is trained once per module;
the hub is ``modelshare.hub.server.running`` and every client is the real
``huggingface_hub.HfApi`` pointed at it explicitly (``HfApi(endpoint=...)``).
"""

from __future__ import annotations

import json
import shutil

import pytest
import skops.io as sio
import torch
from huggingface_hub import HfApi, ModelCard, PyTorchModelHubMixin, constants

from modelshare import data, example, release
from modelshare.cli import main
from modelshare.hub.server import running

CARD = """---
license: mit
language: en
library_name: sklearn
tags:
- tabular-classification
---
# Income classifier (GSS 1974-1989)

Predicts whether a US adult's income is above the course's threshold from survey answers.
"""


@pytest.fixture(scope="module")
def income():
    split = example.training_split(data.gss_wages())
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    return model, split


@pytest.fixture(scope="module")
def evaluation(income):
    _, split = income
    return release.Evaluation(split.X_test, split.y_test, dataset="gss_wages",
                              dataset_name="GSS wages 1974-1989 (held-out 25%)")


@pytest.fixture(scope="module")
def folder(income, evaluation, tmp_path_factory):
    model, split = income
    return release.prepare(model, tmp_path_factory.mktemp("prepare") / "income", card=CARD,
                           example_input=split.X_test.head(3), evaluation=evaluation,
                           model_name="income-classifier")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running(tmp_path_factory.mktemp("hub")) as server:
        yield server


@pytest.fixture(scope="module")
def api(hub):
    """An HfApi on the hub with Xet off (what HF_HUB_DISABLE_XET=1 does at import; make sets it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        yield HfApi(endpoint=hub.endpoint, token=hub.token)


# ------------------------------------------------------------------ prepare


def test_prepare_writes_a_complete_safe_release(folder, income, evaluation):
    model, split = income
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["README.md", "environment.json", "evaluate.py", "evaluation/test.csv",
                     "example.py", "model.skops", "requirements.txt"]
    assert release.scan(folder).ok
    loaded = sio.load(folder / "model.skops", trusted=[])
    assert (loaded.predict(split.X_test) == model.predict(split.X_test)).all()
    requirements = (folder / "requirements.txt").read_text()
    assert "scikit-learn==" in requirements and "skops==" in requirements
    assert json.loads((folder / "environment.json").read_text())["python"].startswith("3.")


def test_prepare_puts_the_measured_numbers_in_the_card(folder, income, evaluation):
    model, _ = income
    card = ModelCard.load(folder / "README.md")
    assert card.data.license == "mit"  # the author's card is kept
    [result] = card.data.eval_results
    assert result.metric_type == "accuracy" and result.dataset_type == "gss_wages"
    assert result.metric_value == evaluation.measure(model)["accuracy"]
    assert 0.78 < result.metric_value < 0.83
    assert release.card_claims(folder / "README.md") == {"accuracy": result.metric_value}


def test_prepare_keeps_results_the_card_already_states(income, evaluation, tmp_path):
    model, _ = income
    card = CARD.replace("tags:", "model-index:\n- name: income\n  results:\n  - task:\n"
                        "      type: tabular-classification\n    dataset:\n      type: gss_wages\n"
                        "      name: GSS\n    metrics:\n    - type: accuracy\n      value: 0.99\n"
                        "tags:")
    out = release.prepare(model, tmp_path / "r", card=card, evaluation=evaluation)
    assert release.card_claims(out / "README.md") == {"accuracy": 0.99}


def test_prepare_refuses_a_folder_with_files_and_unknown_models(income, evaluation, tmp_path):
    model, _ = income
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        release.prepare(model, tmp_path, card=CARD)
    with pytest.raises(ValueError, match="add huggingface_hub.PyTorchModelHubMixin"):
        release.prepare(torch.nn.Linear(2, 1), tmp_path / "torch", card=CARD)
    with pytest.raises(ValueError, match="evaluate.py"):
        release.prepare(TinyNet(), tmp_path / "net", card=CARD, evaluation=evaluation)


def test_prepare_leaves_the_callers_card_alone(income, evaluation, tmp_path):
    model, _ = income
    mine = ModelCard(CARD)
    out = release.prepare(model, tmp_path / "r", card=mine, evaluation=evaluation)
    assert mine.data.eval_results is None
    assert release.card_claims(out / "README.md")


class TinyNet(torch.nn.Module, PyTorchModelHubMixin):
    def __init__(self, width: int = 4):
        super().__init__()
        self.layer = torch.nn.Linear(width, 2)


def test_prepare_a_pytorch_module_writes_safetensors(tmp_path):
    torch.manual_seed(0)
    net = TinyNet(width=4)
    out = release.prepare(net, tmp_path / "net", card="---\nlicense: mit\n---\n# Tiny net\n")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["README.md", "config.json", "environment.json", "model.safetensors",
                     "requirements.txt"]
    assert release.scan(out).ok
    again = TinyNet.from_pretrained(out)
    assert torch.equal(again.layer.weight, net.layer.weight)
    assert "torch==" in (out / "requirements.txt").read_text()


# --------------------------------------------------------------------- plan


def test_plan_lists_files_hub_visibility_and_token_source(folder, api, hub):
    result = release.plan(folder, "learner/income", api=api)
    text = str(result)
    sizes = {f.path: (f.size, f.large) for f in result.files}
    assert sizes["model.skops"] == ((folder / "model.skops").stat().st_size, True)
    assert sizes["README.md"][1] is False and sizes["evaluation/test.csv"][1] is False
    assert result.private and "(private)" in text
    assert result.endpoint == hub.endpoint and "the local hub" in text
    assert result.token == "given to HfApi(token=...)"
    assert hub.token not in text, "a plan never shows the token"
    assert result.scan.ok and not result.warnings
    assert result.repo == "new"
    release.publish(folder, "learner/planned", api=api)
    assert release.plan(folder, "learner/planned", api=api).repo == "exists (private)"
    public = release.plan(folder, "learner/planned", private=False, api=api)
    assert any("other visibility" in w for w in public.warnings)


def test_plan_says_where_the_token_comes_from(folder, hub, monkeypatch, tmp_path):
    assert release.plan(folder, "learner/x", api=HfApi(endpoint=hub.endpoint, token=False)
                        ).token.startswith("none: HfApi(token=False)")
    anonymous = HfApi(endpoint=hub.endpoint)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(tmp_path / "token"))
    assert release.plan(folder, "learner/x", api=anonymous).token.startswith("none:")
    (tmp_path / "token").write_text(hub.token)
    assert "token file" in release.plan(folder, "learner/x", api=anonymous).token
    monkeypatch.setenv("HF_TOKEN", hub.token)
    result = release.plan(folder, "learner/x", api=anonymous)
    assert result.token == "the HF_TOKEN environment variable"
    assert hub.token not in str(result)


def test_plan_warns_about_public_repos_and_scan_errors(folder, api, tmp_path):
    leaky = shutil.copytree(folder, tmp_path / "leaky")
    (leaky / ".env").write_text("A=1\n")
    result = release.plan(leaky, "learner/income", private=False, api=api)
    assert not result.private and "PUBLIC" in str(result)
    assert any("refuses" in w for w in result.warnings)
    assert any(f.path == ".env" for f in result.files)


# ------------------------------------------------------- publish and verify


@pytest.mark.slow
def test_publish_private_with_a_tag_then_verify_as_a_stranger(folder, api):
    done = release.publish(folder, "learner/income-v", version="v1.0", api=api)
    assert done.version == "v1.0" and len(done.commit) == 40
    info = api.model_info("learner/income-v")
    assert info.private is True
    assert {t.name for t in api.list_repo_refs("learner/income-v").tags} == {"v1.0"}
    assert "model.skops" in {s.rfilename for s in info.siblings}

    report = release.verify("learner/income-v", "v1.0", api=api)
    assert report.ok, str(report)
    assert report.commit == done.commit
    assert report.measured == release.card_claims(folder / "README.md")
    assert [c.name for c in report.checks] == [
        "download", "scan", "card", "load", "example", "evaluate"]
    assert all(c.ok for c in report.checks)  # example.py and evaluate.py ran in a fresh python
    assert "Verified" in str(report)


@pytest.mark.slow
def test_verify_catches_weights_that_do_not_reproduce_the_card(folder, api, income, tmp_path):
    model, split = income
    release.publish(folder, "learner/income-swap", version="v1.0", api=api)
    # v1.1: same card, but weights trained on only 200 rows: its numbers are not the card's
    swapped = shutil.copytree(folder, tmp_path / "swapped")
    worse = example.income_pipeline().fit(split.X_train.head(200), split.y_train.head(200))
    sio.dump(worse, swapped / "model.skops")
    release.publish(swapped, "learner/income-swap", version="v1.1", api=api)

    report = release.verify("learner/income-swap", "v1.1", api=api)
    assert not report.ok
    [difference] = report.differences
    claimed = release.card_claims(folder / "README.md")["accuracy"]
    assert difference.metric == "accuracy" and difference.claimed == claimed
    assert difference.measured != pytest.approx(claimed, abs=0.001)
    assert "DIFF  accuracy: the card claims" in str(report) and "NOT verified" in str(report)
    # the pinned version still reproduces
    assert release.verify("learner/income-swap", "v1.0", api=api, run_scripts=False).ok


def test_publish_refuses_scan_errors_and_existing_versions(folder, api, tmp_path):
    leaky = shutil.copytree(folder, tmp_path / "leaky")
    (leaky / "notes.txt").write_text("token hf_" + "Q" * 34 + "\n")
    with pytest.raises(release.ReleaseError, match="hf-token"):
        release.publish(leaky, "learner/leaky", version="v1.0", api=api)
    assert not api.repo_exists("learner/leaky"), "nothing is sent when the scan fails"
    release.publish(folder, "learner/twice", version="v1.0", api=api)
    with pytest.raises(release.ReleaseError, match="never changes"):
        release.publish(folder, "learner/twice", version="v1.0", api=api)


def test_verify_reports_a_card_without_results(api, tmp_path, income):
    model, split = income
    out = release.prepare(model, tmp_path / "bare", card=CARD, example_input=split.X_test.head(2))
    release.publish(out, "learner/bare", api=api)
    report = release.verify("learner/bare", api=api, run_scripts=False)
    checks = {c.name: c for c in report.checks}
    assert not report.ok
    assert not checks["card"].ok and "no model-index" in checks["card"].detail
    assert checks["load"].ok and checks["scripts"].detail == "not run (run_scripts=False)"


# ---------------------------------------------------------------------- CLI


def test_cli_plan_publish_verify(folder, hub, api, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("HF_TOKEN", hub.token)
    endpoint = ["--endpoint", hub.endpoint]
    assert main(["release", "plan", str(folder), "learner/cli", *endpoint]) == 0
    out = capsys.readouterr().out
    assert "HF_TOKEN environment variable" in out and hub.token not in out
    assert main(["release", "publish", str(folder), "learner/cli", "--version", "v1", *endpoint]) == 0
    assert "as v1" in capsys.readouterr().out
    assert main(["release", "verify", "learner/cli", "--revision", "v1", "--no-run", *endpoint]) == 0
    assert "Verified" in capsys.readouterr().out
    assert main(["release", "verify", "learner/missing", *endpoint]) == 2
    assert "error:" in capsys.readouterr().err
    leaky = shutil.copytree(folder, tmp_path / "leaky")
    (leaky / ".env").write_text("A=1\n")
    assert main(["release", "publish", str(leaky), "learner/cli2", *endpoint]) == 1
    assert "env-file" in capsys.readouterr().err


def test_cli_explains_a_malformed_repo_id_instead_of_a_traceback(folder, capsys):
    """huggingface_hub refuses such an id before sending anything, with a ValueError."""
    nowhere = ["--endpoint", "http://127.0.0.1:9"]  # never reached
    assert main(["release", "publish", str(folder), "not a repo id!", *nowhere]) == 2
    assert main(["release", "verify", "not a repo id!", *nowhere]) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
    assert "Repo id must" in errors[0]


def test_publish_to_a_hub_without_xet_says_what_to_set(folder, api, monkeypatch):
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", False)  # as if imported without it
    with pytest.raises(release.ReleaseError, match="HF_HUB_DISABLE_XET=1"):
        release.publish(folder, "learner/xet", api=api)


def test_scripts_run_in_a_fresh_python_without_tokens(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_" + "T" * 34)
    (tmp_path / "good.py").write_text("import os\nprint('token' if 'HF_TOKEN' in os.environ else 'none')\n")
    (tmp_path / "bad.py").write_text("raise ValueError('boom')\n")
    (tmp_path / "quits.py").write_text("import sys\nprint('bye')\nsys.exit(0)\n")
    ran = release.run_in_fresh_python(tmp_path, ["good.py", "bad.py", "quits.py"])
    assert ran["good.py"] == {"ok": True, "stdout": "none\n", "error": ""}
    assert ran["bad.py"]["ok"] is False and ran["bad.py"]["error"] == "ValueError: boom"
    assert ran["quits.py"] == {"ok": True, "stdout": "bye\n", "error": ""}


def test_scripts_import_their_own_folder_first_and_nothing_of_modelshare(tmp_path, monkeypatch):
    """As when a stranger runs `python example.py` in the downloaded folder, with the
    course environment's one thread unless the caller chose otherwise."""
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    (tmp_path / "helper.py").write_text("VALUE = 'from the release folder'\n")
    (tmp_path / "uses_helper.py").write_text(
        "import os, sys\nimport helper\nprint(helper.VALUE, os.environ['OMP_NUM_THREADS'], "
        "any(name.startswith('modelshare') for name in sys.modules))\n")
    ran = release.run_in_fresh_python(tmp_path, ["uses_helper.py"])
    assert ran["uses_helper.py"]["stdout"] == "from the release folder 1 False\n"


@pytest.mark.slow
def test_prepare_a_transformers_model_writes_safetensors_and_a_pipeline_example(tmp_path):
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    words = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    words.pre_tokenizer = pre_tokenizers.Whitespace()
    words.train_from_iterator(["a great film", "a terrible plot"], trainers.WordLevelTrainer(
        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"]))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=words, unk_token="[UNK]",
                                        pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]")
    torch.manual_seed(0)
    model = BertForSequenceClassification(BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=16, num_hidden_layers=1,
        num_attention_heads=2, intermediate_size=32, id2label={0: "negative", 1: "positive"}))
    out = release.prepare(model, tmp_path / "bert", tokenizer=tokenizer,
                          example_input=["a great film"], card="---\nlicense: mit\n---\n# Tiny\n")
    names = sorted(p.name for p in out.iterdir())
    assert {"model.safetensors", "tokenizer.json", "example.py", "README.md"} <= set(names)
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    assert release.scan(out).ok
    ran = release.run_in_fresh_python(out, ["example.py"])["example.py"]
    assert ran["ok"], ran["error"]
    assert "'label': 'positive'" in ran["stdout"] or "'label': 'negative'" in ran["stdout"]
    assert "transformers==" in (out / "requirements.txt").read_text()


def test_publish_never_puts_a_private_release_into_a_public_repo(folder, api):
    api.create_repo("learner/already-public", private=False)
    with pytest.raises(release.ReleaseError, match="already exists and is public"):
        release.publish(folder, "learner/already-public", version="v1.0", api=api)
    assert api.list_repo_files("learner/already-public") == [".gitattributes"]
    assert release.publish(folder, "learner/already-public", private=False, api=api).commit


def test_verify_loads_only_types_you_trust(api, tmp_path):
    import operator

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    model = make_pipeline(FunctionTransformer(operator.neg), LogisticRegression()).fit(X, [0, 0, 1, 1])
    out = release.prepare(model, tmp_path / "custom", card=CARD)
    release.publish(out, "learner/custom-types", api=api)
    load = {c.name: c for c in release.verify("learner/custom-types", api=api,
                                              run_scripts=False).checks}["load"]
    assert not load.ok and "_operator.neg" in load.detail and "trusted=" in load.detail
    trusting = release.verify("learner/custom-types", api=api, run_scripts=False,
                              trusted=["_operator.neg"])
    assert {c.name: c for c in trusting.checks}["load"].ok


def test_verify_a_pytorch_release_reads_its_safetensors(api, tmp_path):
    torch.manual_seed(0)
    out = release.prepare(TinyNet(width=4), tmp_path / "net", card=CARD)
    release.publish(out, "learner/tiny-net", api=api)
    checks = {c.name: c for c in release.verify("learner/tiny-net", api=api,
                                                run_scripts=False).checks}
    assert checks["load"].ok and checks["load"].detail == "1 safetensors file(s), 2 tensors"
    assert checks["scan"].ok


def test_plan_warns_when_hf_endpoint_changed_after_import(folder, monkeypatch):
    monkeypatch.setattr(constants, "ENDPOINT", "https://huggingface.co")  # as imported
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)  # no network here: fail fast
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    result = release.plan(folder, "learner/x")
    assert result.endpoint == "https://huggingface.co" and "anyone in the world" in result.hub
    assert any("reads HF_ENDPOINT at import" in w for w in result.warnings)
    assert result.repo.startswith("unknown (")


@pytest.mark.parametrize("template, values", [
    ("example_sklearn", {"trusted": ["numpy.dtype"], "rows": '[{"age": 40}]'}),
    ("evaluate_sklearn", {"trusted": [], "metrics": ("accuracy",), "target": "high_income",
                          "data_file": "test.csv"}),
    ("example_transformers", {"task": "text-classification", "texts": ["It's great"]}),
])
def test_generated_scripts_are_python_with_the_values_as_literals(template, values):
    import ast

    from modelshare.release.prepare import render_script

    text = render_script(template, **values)
    tree = ast.parse(text)  # valid Python
    literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    for value in values.values():
        for item in value if isinstance(value, list | tuple) else [value]:
            assert item in literals
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_a_template_value_left_out_is_an_error_not_an_empty_script():
    import jinja2

    from modelshare.release.prepare import render_script

    with pytest.raises(jinja2.UndefinedError, match="rows"):
        render_script("example_sklearn", trusted=[])
