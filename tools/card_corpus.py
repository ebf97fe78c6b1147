"""Rebuild the real-card corpus (tests/cards/real/corpus.yaml) from local clones.

The corpus lists cards written by others: repository, commit, path and sha256, with a
hand-written grade. Their texts are not committed (tests/cards/real/README.md says why);
this script puts them in a folder, checking each one's sha256::

    python tools/card_corpus.py --repo huggingface/datasets=../datasets \\
        --repo huggingface/transformers=../transformers --out tests/cards/real/_corpus

A ``--repo`` path may be a work tree or a bare git directory. Cards already in ``--out``
with the right sha256 are kept; cards whose repository is not given are reported and
skipped. Two cards are generated with the installed transformers (the card
``Trainer.push_to_hub`` writes), one is copied from this repository.

Tests and benchmarks call :func:`find_corpus` and :func:`load_corpus`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "cards" / "real" / "corpus.yaml"
DEFAULT_OUT = ROOT / "tests" / "cards" / "real" / "_corpus"


def manifest() -> list[dict]:
    """The corpus entries: id, kind, repository, commit, path, sha256, grade, reason, split."""
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def find_corpus() -> Path | None:
    """Where the extracted corpus is: $MODELSHARE_CARD_CORPUS, ../shared/card-corpus, _corpus."""
    candidates = [os.environ.get("MODELSHARE_CARD_CORPUS"), ROOT.parent / "shared" / "card-corpus",
                  DEFAULT_OUT]
    for candidate in candidates:
        if candidate and Path(candidate, "model__bert-base-uncased.md").is_file():
            return Path(candidate)
    return None


def load_corpus(folder: Path | None = None) -> list[tuple[dict, str]]:
    """(entry, card text) for every entry whose card is in the folder."""
    folder = folder or find_corpus()
    out = []
    for entry in manifest():
        path = Path(folder, entry["id"] + ".md") if folder else None
        if path is not None and path.is_file():
            with open(path, encoding="utf-8", newline="") as handle:
                out.append((entry, handle.read()))
    return out


def _git_show(repo: Path, commit: str, path: str) -> bytes:
    git_dir = repo / ".git" if (repo / ".git").exists() else repo
    return subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


# The two Trainer cards: what `Trainer.push_to_hub` writes for a run with a named dataset,
# and for a three-step run on data it could not name (both common on the Hub).
TRAINER_RUNS = {
    "generated__trainer-imdb": dict(
        model_name="distilbert-imdb-sentiment", language="en", license="apache-2.0",
        tags=["generated_from_trainer"], finetuned_from="distilbert-base-uncased",
        tasks="text-classification", dataset="imdb", dataset_tags="imdb", dataset_args="plain_text",
        dataset_metadata=[{"config": "plain_text", "split": "test"}],
        eval_results={"Loss": 0.2311, "Accuracy": 0.9316},
        eval_lines=[{"Training Loss": 0.2436, "Epoch": 1.0, "Step": 1563, "Validation Loss": 0.2012,
                     "Accuracy": 0.9228},
                    {"Training Loss": 0.1485, "Epoch": 2.0, "Step": 3126, "Validation Loss": 0.2311,
                     "Accuracy": 0.9316}],
        hyperparameters={"learning_rate": 2e-05, "train_batch_size": 16, "eval_batch_size": 16,
                         "seed": 42, "optimizer": "Use adamw_torch with betas=(0.9,0.999) and "
                         "epsilon=1e-08", "lr_scheduler_type": "linear", "num_epochs": 2}),
    "generated__trainer-unknown-data": dict(
        model_name="my_awesome_model", tags=["generated_from_trainer"],
        finetuned_from="bert-base-cased", eval_results={"Loss": 0.0, "Accuracy": 1.0},
        eval_lines=[{"Training Loss": "No log", "Epoch": float(n), "Step": n,
                     "Validation Loss": loss, "Accuracy": 1.0}
                    for n, loss in ((1, 0.0012), (2, 0.0003), (3, 0.0))],
        hyperparameters={"learning_rate": 5e-05, "train_batch_size": 8, "eval_batch_size": 8,
                         "seed": 42, "lr_scheduler_type": "linear", "num_epochs": 3}),
}


def _generated(card_id: str) -> bytes:
    from transformers.modelcard import TrainingSummary

    return TrainingSummary(**TRAINER_RUNS[card_id]).to_model_card().encode("utf-8")


def extract(repos: dict[str, Path], out: Path) -> tuple[int, list[str]]:
    """Write every card we can into ``out``; return (cards present, problems)."""
    out.mkdir(parents=True, exist_ok=True)
    problems, present, used = [], 0, {}
    for entry in manifest():
        target = out / (entry["id"] + ".md")
        want = entry.get("sha256")
        if want and target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == want:
            present += 1
            used.setdefault(entry["repository"], None)
            continue
        source = entry["repository"]
        if source == "generated":
            data = _generated(entry["id"])
        elif source == "in-repo":
            data = (ROOT / entry["path"]).read_bytes()
        elif source in repos:
            try:
                data = _git_show(repos[source], entry["commit"], entry["path"])
            except subprocess.CalledProcessError as error:
                problems.append(f"{entry['id']}: git show failed: {error.stderr.decode().strip()}")
                continue
            used[source] = repos[source]
        else:
            problems.append(f"{entry['id']}: no --repo given for {source}")
            continue
        if want and hashlib.sha256(data).hexdigest() != want:
            problems.append(f"{entry['id']}: sha256 differs from corpus.yaml (wrong commit?)")
            continue
        target.write_bytes(data)
        present += 1
    lines = ["# Sources of these cards", "",
             f"Listed in {MANIFEST.relative_to(ROOT)} (repository, commit, path, sha256, licence).",
             "Each repository's licence is copied beside the cards as LICENSE-<owner>-<name>.", ""]
    for source, repo in sorted(used.items(), key=lambda kv: kv[0]):
        lines.append(f"- {source}")
        if repo is not None:
            try:
                licence = _git_show(repo, "HEAD", "LICENSE")
            except subprocess.CalledProcessError:
                continue
            (out / f"LICENSE-{source.replace('/', '-')}").write_bytes(licence)
    (out / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return present, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", action="append", default=[], metavar="OWNER/NAME=PATH",
                        help="a local clone (work tree or git directory) of a listed repository")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    repos = {}
    for item in args.repo:
        name, sep, path = item.partition("=")
        if not sep or not Path(path).exists():
            parser.error(f"--repo wants OWNER/NAME=PATH with an existing PATH, got {item!r}")
        repos[name] = Path(path)
    present, problems = extract(repos, args.out)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{present} of {len(manifest())} cards in {args.out}")
    return 0 if present == len(manifest()) else 1


if __name__ == "__main__":
    sys.exit(main())
