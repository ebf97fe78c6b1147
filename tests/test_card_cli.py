"""`modelshare card check` and `modelshare card new`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import skops.io as sio
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from modelshare import data
from modelshare.cli import main

CARDS = Path(__file__).parent / "cards"


def test_check_passes_and_fails_on_min_score(capsys):
    good, poor = CARDS / "good_gss_full.md", CARDS / "poor_minimal.md"
    assert main(["card", "check", str(good), "--min-score", "90"]) == 0
    assert main(["card", "check", str(good), str(poor), "--min-score", "90"]) == 1
    out = capsys.readouterr().out
    assert "1/2 card(s) passed: --min-score 90" in out and "section-missing" in out


def test_check_json(capsys):
    assert main(["card", "check", str(CARDS / "poor_claims.md"), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    (card,) = payload["cards"]
    assert card["passed"] and "claim-unsupported" in {f["id"] for f in card["findings"]}
    assert main(["card", "check", str(CARDS / "poor_claims.md"), "--json"]) == 0  # the old flag


def test_an_error_finding_fails_like_a_linter_unless_exit_zero(tmp_path, capsys):
    empty = tmp_path / "README.md"
    empty.write_text("")
    assert main(["card", "check", str(empty)]) == 1  # card-empty and metadata-missing: errors
    assert main(["card", "check", str(empty), "--exit-zero"]) == 0
    assert "0/1 card(s) passed" in capsys.readouterr().out
    assert main(["card", "check", str(CARDS / "good_gss_full.md"), "--min-score", "101",
                 "--exit-zero"]) == 0


def test_github_format_prints_one_annotation_per_finding_on_its_line(capsys):
    card = CARDS / "poor_eval_no_numbers.md"
    assert main(["card", "check", str(card), "--format", "github", "--min-score", "90"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("::") for line in lines)
    heading = next(n for n, text in enumerate(card.read_text().splitlines(), 1)
                   if text.startswith("## Evaluation"))
    (evaluation,) = [line for line in lines if "title=evaluation-no-numbers" in line]
    assert evaluation.startswith(f"::warning file={card},line={heading},") and "Fix:" in evaluation
    assert lines[-1].startswith("::error") and "below --min-score 90" in lines[-1]


def test_check_unreadable_input_exits_2(tmp_path, capsys):
    assert main(["card", "check", str(tmp_path / "missing.md")]) == 2
    (tmp_path / "empty-folder").mkdir()
    assert main(["card", "check", str(tmp_path / "empty-folder"), "--json"]) == 2
    assert "no README.md" in json.loads(capsys.readouterr().out)["unreadable"][0]


def test_check_folders_recursively_and_binary_cards(tmp_path, capsys):
    for name in ("a", "b/c"):
        (tmp_path / name).mkdir(parents=True)
    shutil.copy(CARDS / "good_gss_full.md", tmp_path / "a" / "README.md")
    (tmp_path / "b" / "c" / "README.md").write_bytes(b"\xff\xfe\x00binary")
    (tmp_path / ".venv").mkdir()
    shutil.copy(CARDS / "poor_minimal.md", tmp_path / ".venv" / "README.md")
    assert main(["card", "check", str(tmp_path), "--min-score", "50", "--json"]) == 2
    cards = json.loads(capsys.readouterr().out)["cards"]
    assert [(Path(c["source"]).parent.name, c["score"]) for c in cards] == [("a", 100), ("c", 0)]
    assert cards[1]["findings"][0]["id"] == "not-text"
    (tmp_path / "b" / "c" / "README.md").unlink()
    assert main(["card", "check", str(tmp_path), "--min-score", "50"]) == 0


def test_real_command_line_on_the_third_party_card():
    """The installed entry point, as a CI job would run it."""
    exe = Path(sys.executable).with_name("modelshare")
    proc = subprocess.run([str(exe), "card", "check", str(CARDS / "thirdparty_all-MiniLM-L6-v2.md"),
                           "--min-score", "70"], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert "section-missing [limitations]" in proc.stdout and "Traceback" not in proc.stderr


@pytest.fixture
def gss_files(tmp_path):
    X, y = data.income_task(data.gss_wages(), years=(1974, 1989))
    prep = ColumnTransformer([("num", StandardScaler(), data.NUMERIC_FEATURES),
                              ("cat", OneHotEncoder(handle_unknown="ignore"),
                               data.CATEGORICAL_FEATURES)])
    model = Pipeline([("prep", prep), ("clf", LogisticRegression(max_iter=500))]).fit(X, y)
    sio.dump(model, tmp_path / "model.skops")
    X.assign(high_income=y).to_csv(tmp_path / "train.csv", index=False)
    return tmp_path


def test_new_writes_a_starter_card_for_a_fitted_model(gss_files, capsys):
    out = gss_files / "repo" / "README.md"
    args = ["card", "new", "--out", str(out), "--model", str(gss_files / "model.skops"),
            "--data", str(gss_files / "train.csv"), "--target", "high_income", "--license", "mit"]
    assert main(args) == 0
    text = out.read_text()
    assert "LogisticRegression" in text and "high_income" in text and "sha256" in text
    assert "# repo" in text and "wrote" in capsys.readouterr().out
    assert main(args) == 1  # no overwrite without --force
    assert main(args + ["--force"]) == 0
    assert main([*args[:-2], "--target", "nope", "--force"]) == 2


def test_new_without_a_model_writes_the_blank_template(tmp_path):
    assert main(["card", "new", "--out", str(tmp_path)]) == 0
    assert "## Distribution Shift and Monitoring" in (tmp_path / "README.md").read_text()
