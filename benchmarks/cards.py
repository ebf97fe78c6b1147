"""How right and how fast `modelshare card check` is, on cards other people wrote.

    .venv/bin/python benchmarks/cards.py [--repeat 5] [--cards] [--secrets]

Prints Markdown tables:

1. **Agreement with a careful reviewer** on the real-card corpus (tests/cards/real/:
   67 model and dataset cards graded 1-5 by hand before the checker ever scored them):
   Spearman's rank correlation between grade and score, on all cards, on the calibration
   cards and on the held-out third (never used to set the weights), by kind; the mean
   score per grade; the lowest score of a card graded excellent (target >= 75).
2. **False "invalid value" verdicts**: metadata values the checker calls invalid or
   unknown that are in fact valid (hand-labelled in corpus.yaml). Target <= 1 %.
3. **Speed**: cards checked per second (target >= 200), on the real corpus and on the
   test corpus (tests/cards/, including a 1,500-heading stress card); the card editor's
   loop (replace a section, render the preview, re-check; target < 50 ms).
4. With ``--secrets``: the secret patterns of ``modelshare.rules.secrets`` against
   ``detect-secrets`` (PyPI) on planted secrets and look-alikes assembled at run time.

The real-card corpus is not in the repository (see tests/cards/real/README.md):
rebuild it with tools/card_corpus.py, or set MODELSHARE_CARD_CORPUS.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import string
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from card_corpus import find_corpus, load_corpus  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402

from modelshare.card import CardDocument, check_card, render_html  # noqa: E402
from modelshare.rules import secrets  # noqa: E402

VERDICT = re.compile(r"-(?:unknown|invalid|type)$|^yaml-type-trap$")
_VALUE = re.compile(r"`([\w-]+)(?::\s*([^`]*))?`(?: (?:entry|item|value) [`']?([^`']*)[`']?)?")


def verdicts(entry: dict, result) -> list[tuple[str, bool]]:
    """(finding message, is it right?) for every metadata 'invalid value' finding."""
    labels = [tuple(v.split(": ", 1)) for v in entry.get("invalid_values", [])]
    out = []
    for finding in result.findings:
        if finding.section != "metadata" or not VERDICT.search(finding.id):
            continue
        match = _VALUE.match(finding.message)
        key, value = (match.group(1), (match.group(2) or match.group(3) or "").strip()) if match \
            else ("", "")
        right = any(k == key and (v == value or (value and v.startswith(value.rstrip(". "))))
                    for k, v in labels)
        out.append((finding.message, right))
    return out


def agreement(show_cards: bool) -> None:
    corpus = load_corpus()
    if not corpus:
        print("\n(No real-card corpus found: rebuild it with tools/card_corpus.py; see "
              "tests/cards/real/README.md.)")
        return
    rows = []
    wrong: list[str] = []
    total = 0
    for entry, text in corpus:
        result = check_card(text, repo_type=entry["kind"])
        rows.append((entry, result.score))
        for message, right in verdicts(entry, result):
            total += 1
            if not right:
                wrong.append(f"{entry['id']}: {message}")

    def rho(subset) -> str:
        if len(subset) < 3:
            return "n/a"
        value = spearmanr([e["grade"] for e, _ in subset], [s for _, s in subset])[0]
        return f"{value:.3f} ({len(subset)} cards)"

    print("\n### Agreement with the hand grades (tests/cards/real/corpus.yaml)\n")
    print("| cards | Spearman(grade, score) | target |\n| --- | --- | --- |")
    print(f"| all | {rho(rows)} | >= 0.8 |")
    print(f"| calibration split | {rho([r for r in rows if r[0]['split'] == 'calibrate'])} | |")
    print(f"| held-out split (not used to set weights) | "
          f"{rho([r for r in rows if r[0]['split'] == 'holdout'])} | >= 0.8 |")
    for kind in ("model", "dataset"):
        print(f"| {kind} cards only | {rho([r for r in rows if r[0]['kind'] == kind])} | |")
    by_grade = defaultdict(list)
    for entry, score in rows:
        by_grade[entry["grade"]].append(score)
    print("\n| grade | cards | mean score | lowest | highest |\n| --- | ---: | ---: | ---: | ---: |")
    for grade in sorted(by_grade):
        scores = by_grade[grade]
        print(f"| {grade} | {len(scores)} | {statistics.mean(scores):.0f} | {min(scores)} | "
              f"{max(scores)} |")
    excellent = [s for e, s in rows if e["grade"] == 5]
    print(f"\nLowest score of a card graded 5 (excellent): {min(excellent)} (target >= 75).")
    rate = len(wrong) / total if total else 0.0
    print("\n### False \"invalid value\" verdicts\n")
    print("| metadata verdicts | false | rate | target |\n| ---: | ---: | ---: | --- |")
    print(f"| {total} | {len(wrong)} | {rate:.1%} | <= 1 % |")
    for line in wrong:
        print(f"- false: {line}")
    if show_cards:
        print("\n| card | kind | split | grade | score |\n| --- | --- | --- | ---: | ---: |")
        for entry, score in sorted(rows, key=lambda r: (r[0]["grade"], r[1])):
            print(f"| {entry['id']} | {entry['kind']} | {entry['split']} | {entry['grade']} | "
                  f"{score} |")


def speed(repeat: int) -> None:
    tests = sorted((ROOT / "tests" / "cards").glob("*.md"))
    sets = {"test corpus (tests/cards)": [p.read_text(encoding="utf-8") for p in tests]}
    real = [text for _, text in load_corpus()]
    if real:
        sets["real-card corpus"] = real
    check_card(sets["test corpus (tests/cards)"][0])  # imports and caches outside the timing
    print("\n### Speed\n")
    print("| cards | kB | cards/s (median of runs) | slowest run | target |\n"
          "| --- | ---: | ---: | ---: | --- |")
    for name, texts in sets.items():
        rates = []
        for _ in range(repeat):
            start = time.perf_counter()
            for text in texts:
                check_card(text)
            rates.append(len(texts) / (time.perf_counter() - start))
        size = sum(len(t) for t in texts) / 1000
        print(f"| {name}, {len(texts)} cards | {size:.0f} | {statistics.median(rates):.0f} | "
              f"{min(rates):.0f} | >= 200 |")
    full = (ROOT / "tests" / "cards" / "good_gss_full.md").read_text(encoding="utf-8")
    loop = []
    for i in range(50):
        start = time.perf_counter()
        doc = CardDocument(full).set("limitations", f"Edit number {i}: the model fails for women.")
        render_html(doc)
        check_card(doc.text)
        loop.append((time.perf_counter() - start) * 1000)
    print(f"\nEditor loop (set a section, HTML preview, re-check) on a full card: median "
          f"{statistics.median(loop):.1f} ms, 95th percentile {sorted(loop)[47]:.1f} ms "
          "(target < 50 ms).")


# -- secrets: modelshare.rules.secrets against detect-secrets ---------------------------------

def planted() -> list[tuple[str, str, str | None]]:
    """(file name, text, kind or None) for planted secrets in several files, and look-alikes."""
    rng = random.Random(7)
    alnum = string.ascii_letters + string.digits

    def token(alphabet, n):
        return "".join(rng.choice(alphabet) for _ in range(n))

    makers = {
        "hf-token": lambda: "hf_" + token(alnum, 34),
        "aws-access-key": lambda: "AKIA" + token(string.ascii_uppercase + string.digits, 16),
        "aws-secret-key": lambda: f"{secrets.AWS_SECRET_NAME} = " + token(alnum + "/+", 40),
        "private-key": lambda: "-----BEGIN RSA " + "PRIVATE KEY-----\n" + token(alnum, 64),
        "github-token": lambda: "ghp_" + token(alnum, 36),
        "openai-key": lambda: "sk-proj-" + token(alnum, 48),
        "slack-token": lambda: "xoxb-" + token(string.digits, 11) + "-" + token(alnum, 24),
        "google-api-key": lambda: "AIza" + token(alnum + "_-", 35),
    }
    contexts = [("notes.txt", "{s}\n"), ("train.py", "x = '{s}'\n"), ("train.py", "login({s!r})\n"),
                ("config.json", '{{"key": "{s}"}}\n'), ("README.md", "Token: `{s}`\n")]
    cases: list[tuple[str, str, str | None]] = []
    for kind, make in makers.items():
        for name, context in contexts:
            for _ in range(4):
                cases.append((name, context.format(s=make()), kind))
    passwords = [("train.py", 'db_password = "{}"\n'), ("config.yaml", "password: {}\n"),
                 ("settings.json", '{{"password": "{}"}}\n'), ("app.ini", "password = {}\n"),
                 ("train.py", 'API_KEY = "{}"\n'), ("config.yaml", "secret_key: {}\n")]
    for name, line in passwords:
        for _ in range(4):
            cases.append((name, line.format(token(alnum, 16)), "password"))
    look_alikes = [
        ("train.py", "sha256 = '" + token("0123456789abcdef", 64) + "'"),
        ("README.md", "commit " + token("0123456789abcdef", 40)),
        ("config.yaml", "id: " + "-".join(token("0123456789abcdef", n) for n in (8, 4, 4, 4, 12))),
        ("README.md", "![plot](data:image/png;base64," + token(alnum + "+/", 120) + ")"),
        (".env.example", "HF_TOKEN=hf_" + "x" * 34), ("train.py", "api_key = '<your key here>'"),
        ("train.py", "token = os.environ['HF_TOKEN']"), ("train.py", "password = getpass()"),
        ("README.md", "model: sentence-transformers/all-MiniLM-L6-v2"),
        ("README.md", "weights: model-00001-of-00002.safetensors"),
        ("README.md", "Use the hf_hub_download function."),
    ]
    cases += [(name, text + "\n", None) for name, text in look_alikes for _ in range(4)]
    return cases


def _detect_secrets(name: str, text: str, folder: Path) -> bool:
    """detect-secrets as its CLI runs it: every default plugin, on a file of that name."""
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    path = folder / name
    path.write_text(text, encoding="utf-8")
    with default_settings():
        return any(True for _ in scan_file(str(path)))


def secret_table() -> None:
    import tempfile

    try:
        import detect_secrets  # noqa: F401
    except ImportError:
        print("\n(--secrets needs detect-secrets: pip install detect-secrets==1.5.0)")
        return
    found = defaultdict(lambda: [0, 0, 0])  # kind -> [planted, ours, detect-secrets]
    with tempfile.TemporaryDirectory() as folder:
        for name, text, kind in planted():
            row = found[kind or "look-alikes (should find none)"]
            row[0] += 1
            row[1] += bool(secrets.find_secrets(text, name))
            row[2] += _detect_secrets(name, text, Path(folder))
    print("\n### Secret patterns: modelshare.rules.secrets vs detect-secrets 1.5 (default plugins)\n")
    print("| kind | planted | found by rules.secrets | found by detect-secrets |\n"
          "| --- | ---: | ---: | ---: |")
    for kind, (n, ours, theirs) in sorted(found.items()):
        print(f"| {kind} | {n} | {ours} | {theirs} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cards", action="store_true", help="list every corpus card's score")
    parser.add_argument("--secrets", action="store_true", help="compare with detect-secrets")
    args = parser.parse_args()
    where = find_corpus()
    print(f"Real-card corpus: {where or 'not found'}")
    agreement(args.cards)
    speed(args.repeat)
    if args.secrets:
        secret_table()


if __name__ == "__main__":
    main()
