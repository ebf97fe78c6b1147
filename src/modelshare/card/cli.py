"""``modelshare card check`` and ``modelshare card new``.

    modelshare card check README.md my-model/ --min-score 60     # gate a repo in CI
    modelshare card check cards/ --format json                   # every README.md below cards/
    modelshare card check README.md --format github              # annotations in a GitHub job
    modelshare card new --model model.skops --data train.csv --target high_income

``check`` behaves like a linter. Exit codes: 0 no card has an error finding and every
card reached ``--min-score``; 1 a card has an error finding or scored below
``--min-score`` (``--exit-zero`` reports but exits 0); 2 a path could not be read
(missing, no README.md, permission, or a file that is not UTF-8 text). With pre-commit,
add the hook from this repository's ``.pre-commit-hooks.yaml``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".ipynb_checkpoints"}


def register(subparsers) -> None:
    parser = subparsers.add_parser("card", help="check or start a model card")
    sub = parser.add_subparsers(dest="action", required=True)

    from modelshare.card import check as check_module

    formula = check_module.__doc__.split("How the score is computed", 1)[1].split("Example:")[0]
    check = sub.add_parser(
        "check", help="check cards and score them 0-100",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Check model and dataset cards (README.md): findings with fixes, and a "
                    "score.\n\nHow the score is computed" + formula.rstrip(),
        epilog="Exit codes: 0 no error finding and every card reached --min-score; 1 an error "
               "finding or a score below --min-score (unless --exit-zero); 2 a path that cannot "
               "be read.")
    check.add_argument("paths", nargs="+", metavar="PATH",
                       help="README.md files, or folders holding README.md (searched recursively)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (default); json; github: one ::error/::warning annotation "
                            "per finding, for GitHub Actions")
    check.add_argument("--json", action="store_const", const="json", dest="format",
                       help="same as --format json")
    check.add_argument("--min-score", type=int, default=0, metavar="N",
                       help="exit with 1 when a card scores below N (default 0)")
    check.add_argument("--exit-zero", action="store_true",
                       help="report, but exit 0 even with error findings or low scores")
    check.add_argument("--type", choices=("model", "dataset"), default=None,
                       help="card type (default: guessed from the metadata)")
    check.set_defaults(func=_check)

    new = sub.add_parser("new", help="write a starter card for a fitted model and its data")
    new.add_argument("--out", default="README.md", help="where to write (default README.md)")
    new.add_argument("--name", default=None, help="model name (default: the output folder's name)")
    new.add_argument("--model", default=None, help="the fitted model as a .skops file")
    new.add_argument("--trust", action="store_true",
                     help="load the .skops file even if it holds types skops does not trust")
    new.add_argument("--data", default=None, help="training data as CSV")
    new.add_argument("--target", default=None, help="target column in --data")
    new.add_argument("--license", default=None, help="Hub licence id, e.g. mit")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(func=_new)


def _expand(path: Path) -> list[Path]:
    """A file, a folder's README.md, or every README.md below a folder."""
    if path.is_file():
        return [path]
    if path.is_dir():
        if (path / "README.md").is_file():
            return [path / "README.md"]
        found = []
        for candidate in sorted(path.rglob("README.md")):
            if not SKIP_DIRS & set(candidate.relative_to(path).parts):
                found.append(candidate)
        return found
    return []


def _github(result, min_score: int) -> list[str]:
    """GitHub Actions workflow commands: one annotation per finding, one for a low score."""

    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    out = []
    for finding in result.findings:
        level = {"error": "error", "warning": "warning"}.get(finding.severity, "notice")
        title = escape(f"{finding.id}" + (f" [{finding.section}]" if finding.section else ""))
        out.append(f"::{level} file={result.source},line={result.line_of(finding)},"
                   f"title={title.replace(',', '%2C').replace(':', '%3A')}::"
                   f"{escape(finding.message)} Fix: {escape(finding.fix)}")
    if result.score < min_score:
        out.append(f"::error file={result.source},line=1,title=card-score::The card scores "
                   f"{result.score}/100, below --min-score {min_score}.")
    return out


def _check(args) -> int:
    from modelshare.card.check import check_card

    results, unreadable = [], []
    for raw in args.paths:
        files = _expand(Path(raw))
        if not files:
            unreadable.append(f"{raw}: no such file, or no README.md in that folder")
        for file in files:
            try:
                results.append(check_card(file, repo_type=args.type))
            except OSError as error:
                unreadable.append(f"{file}: {error.strerror or error}")
    failing = [r for r in results if r.score < args.min_score or r.errors]
    if args.format == "json":
        print(json.dumps({
            "min_score": args.min_score,
            "cards": [{**r.to_dict(), "passed": r not in failing} for r in results],
            "unreadable": unreadable,
        }, indent=2))
    elif args.format == "github":
        for result in results:
            print("\n".join(_github(result, args.min_score)))
        for problem in unreadable:
            print(f"::error title=unreadable::cannot read {problem}")
    else:
        for result in results:
            print(result.report())
            print()
        if results:
            errors = sum(1 for r in results if r.errors)
            print(f"{len(results) - len(failing)}/{len(results)} card(s) passed: --min-score "
                  f"{args.min_score} and no error finding ({errors} with errors).")
    for problem in unreadable if args.format == "text" else ():
        print(f"cannot read {problem}", file=sys.stderr)
    undecodable = [r.source for r in results if "not-text" in r.ids()]
    if unreadable or undecodable:
        return 2
    return 0 if args.exit_zero or not failing else 1


def _new(args) -> int:
    from modelshare.card.autofill import (
        from_dataframe,
        from_environment,
        from_estimator,
        from_weights,
    )
    from modelshare.card.build import build_card

    out = Path(args.out)
    if out.is_dir() or args.out.endswith("/"):
        out = out / "README.md"
    if out.exists() and not args.force:
        print(f"{out} exists; pass --force to overwrite it.", file=sys.stderr)
        return 1
    fills = [from_environment()]
    if args.model:
        import skops.io as sio

        untrusted = sio.get_untrusted_types(file=args.model)
        if untrusted and not args.trust:
            print(f"{args.model} holds types skops does not trust: {', '.join(untrusted)}. Check "
                  "them, then rerun with --trust.", file=sys.stderr)
            return 2
        model = sio.load(args.model, trusted=untrusted)
        fills = [from_estimator(model), from_weights(args.model)] + fills
    if args.data:
        import pandas as pd

        frame = pd.read_csv(args.data)
        if args.target and args.target not in frame.columns:
            print(f"--target {args.target!r} is not a column of {args.data}; columns: "
                  f"{', '.join(map(str, frame.columns))}", file=sys.stderr)
            return 2
        y = frame.pop(args.target) if args.target else None
        fills.append(from_dataframe(frame, y))
    name = args.name or (out.resolve().parent.name or "my-model")
    metadata = {"license": args.license} if args.license else {}
    doc = build_card(name, metadata=metadata, fills=fills)
    doc.save(out)
    from modelshare.card.check import check_card

    result = check_card(out)
    print(f"wrote {out}: score {result.score}/100 as a starting point. Fill the sections marked "
          "[More Information Needed], then run `modelshare card check` on it.")
    return 0
