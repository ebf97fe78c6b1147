"""Build the card checker's reference lists from the Hub's own published data files.

    python tools/build_reference_lists.py --hub-docs PATH --huggingface-js PATH --datasets PATH

Each PATH is a local clone (work tree or bare git directory) of huggingface/hub-docs,
huggingface/huggingface.js and huggingface/datasets; this script never downloads.
It reads, at each clone's HEAD (or ``--rev``):

| list | source |
| --- | --- |
| licences | hub-docs `docs/hub/repositories-licenses.md` (the table the Hub renders) |
| pipeline tags, task ids | huggingface.js `packages/tasks/src/pipelines.ts` (`PIPELINE_DATA`) |
| library names | huggingface.js `packages/tasks/src/model-libraries.ts` |
| languages on the Hub | huggingface.js `packages/languages` (ISO 639-1 and 639-3) |
| ISO 639-1/2/3/5 | the `pycountry` package (its version is recorded) |
| size categories, creators, multilinguality, `code` | datasets `src/datasets/utils/resources/*.json` |

and writes JSON files to ``src/modelshare/rules/data/``, each with its source
repository, path, commit and commit date. It refuses to write a list that lost
values (a wrong path or a broken parse looks like that) unless ``--allow-removals``
is given; the removed values are printed either way.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "modelshare" / "rules" / "data"

# Hub values that are not ISO 639 codes: `code` is in datasets' language list;
# `multilingual` is how many model cards (and the Hub's language filter) mark models
# trained on many languages.
SPECIAL_LANGUAGES = ["code", "multilingual"]


class Repo:
    """A local clone read with git: file contents, commit and date at one revision."""

    def __init__(self, name: str, path: Path, rev: str = "HEAD"):
        self.name, self.rev = name, rev
        self.git_dir = path / ".git" if (path / ".git").exists() else path
        if not self.git_dir.exists():
            raise SystemExit(f"{name}: no git repository at {path}")

    def _git(self, *args: str) -> str:
        return subprocess.run(["git", f"--git-dir={self.git_dir}", *args], check=True,
                              capture_output=True, text=True).stdout

    def read(self, path: str) -> str:
        return self._git("show", f"{self.rev}:{path}")

    def provenance(self, path: str) -> dict:
        commit, day = self._git("log", "-1", "--format=%H %cs", self.rev, "--", path).split()
        return {"repository": self.name, "path": path, "commit": commit, "date": day}


def _object_keys(ts: str, name: str) -> list[str]:
    """Top-level keys of `export const NAME = { key: {...}, "k-2": {...} }` in TypeScript."""
    start = ts.index(f"export const {name} = {{")
    end = ts.index("\n}", start)
    return re.findall(r'^\t"?([\w.+-]+)"?: \{', ts[start:end], re.M)


def licences(hub_docs: Repo) -> dict:
    path = "docs/hub/repositories-licenses.md"
    text = hub_docs.read(path)
    table = text[text.index("<!-- region licenses -->"):text.index("<!-- endregion -->")]
    values = re.findall(r"^\|[^|\n]+\|\s*`([^`]+)`\s*\|", table, re.M)
    return {**hub_docs.provenance(path), "values": values}


def tasks(js: Repo) -> tuple[dict, dict]:
    path = "packages/tasks/src/pipelines.ts"
    ts = js.read(path)
    tags = _object_keys(ts, "PIPELINE_DATA")
    block = ts[ts.index("export const PIPELINE_DATA = {"):]
    subtasks = sorted(set(re.findall(r'^\t\t\t\ttype: "([\w.+-]+)"', block, re.M)))
    source = js.provenance(path)
    return {**source, "values": tags}, {**source, "values": subtasks}


def libraries(js: Repo) -> dict:
    path = "packages/tasks/src/model-libraries.ts"
    return {**js.provenance(path), "values": _object_keys(js.read(path), "MODEL_LIBRARIES_UI_ELEMENTS")}


def languages(js: Repo, datasets: Repo) -> dict:
    import pycountry

    hub = set()
    for part in ("1", "3"):
        path = f"packages/languages/src/languages_iso_639_{part}.ts"
        hub |= set(re.findall(r'^\t"?([a-z]{2,3})"?: \{', js.read(path), re.M))
    iso1 = sorted({lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")})
    iso3 = sorted({lang.alpha_3 for lang in pycountry.languages})
    iso2 = sorted({code for lang in pycountry.languages
                   for code in (getattr(lang, "bibliographic", None),) if code})
    iso5 = sorted({family.alpha_3 for family in pycountry.language_families})
    ds_path = "src/datasets/utils/resources/languages.json"
    ds_codes = set(json.loads(datasets.read(ds_path)))
    special = sorted(set(SPECIAL_LANGUAGES) | {c for c in ds_codes if not re.fullmatch(r"[a-z]{2,3}", c)})
    return {
        "sources": [js.provenance("packages/languages"), datasets.provenance(ds_path),
                    {"package": "pycountry", "version": pycountry.__version__ if hasattr(
                        pycountry, "__version__") else _version("pycountry")}],
        "date": max(js.provenance("packages/languages")["date"], datasets.provenance(ds_path)["date"]),
        "iso639_1": iso1, "iso639_2": iso2, "iso639_3": iso3, "iso639_5": iso5,
        "hub": sorted(hub), "datasets": sorted(c for c in ds_codes if c not in special),
        "special": special,
        # English names of the two-letter languages, to suggest `ru` for `language: russian`
        "names": {lang.name.lower(): lang.alpha_2 for lang in sorted(
            pycountry.languages, key=lambda lang: lang.alpha_3) if hasattr(lang, "alpha_2")},
    }


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def dataset_lists(datasets: Repo) -> dict:
    base = "src/datasets/utils/resources"
    creators = json.loads(datasets.read(f"{base}/creators.json"))
    return {
        **datasets.provenance(base),
        "size_categories": json.loads(datasets.read(f"{base}/size_categories.json")),
        "annotations_creators": creators["annotations"],
        "language_creators": creators["language"],
        "multilinguality": list(json.loads(datasets.read(f"{base}/multilingualities.json"))),
    }


def _lists(data: dict) -> dict[str, list]:
    if "values" in data:
        return {"values": data["values"]}
    return {k: v for k, v in data.items() if isinstance(v, list | dict) and k != "sources"}


def write(name: str, data: dict, allow_removals: bool) -> list[str]:
    """Write data/NAME.json unless a list lost values; return the removed values."""
    path = OUT / name
    removed = []
    if path.exists():
        old = json.loads(path.read_text(encoding="utf-8"))
        new_lists = _lists(data)
        for key, values in _lists(old).items():
            lost = sorted(set(values) - set(new_lists.get(key, [])))
            removed += [f"{name}:{key}:{v}" for v in lost]
    if removed and not allow_removals:
        return removed
    data = {"built": date.today().isoformat(), "built_by": "tools/build_reference_lists.py", **data}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub-docs", type=Path, required=True, help="clone of huggingface/hub-docs")
    parser.add_argument("--huggingface-js", type=Path, required=True,
                        help="clone of huggingface/huggingface.js")
    parser.add_argument("--datasets", type=Path, required=True, help="clone of huggingface/datasets")
    parser.add_argument("--rev", default="HEAD", help="revision to read in every clone")
    parser.add_argument("--allow-removals", action="store_true",
                        help="write lists even if values disappeared (after checking them)")
    args = parser.parse_args(argv)
    hub_docs = Repo("huggingface/hub-docs", args.hub_docs, args.rev)
    js = Repo("huggingface/huggingface.js", args.huggingface_js, args.rev)
    datasets = Repo("huggingface/datasets", args.datasets, args.rev)
    pipeline_tags, task_ids = tasks(js)
    outputs = {
        "licenses.json": licences(hub_docs),
        "pipeline_tags.json": pipeline_tags,
        "task_ids.json": task_ids,
        "library_names.json": libraries(js),
        "languages.json": languages(js, datasets),
        "dataset_lists.json": dataset_lists(datasets),
    }
    blocked = []
    for name, data in outputs.items():
        removed = write(name, data, args.allow_removals)
        for value in removed:
            print(f"removed: {value}", file=sys.stderr)
        if removed and not args.allow_removals:
            blocked.append(name)
        sizes = ", ".join(f"{k} {len(v)}" for k, v in _lists(data).items())
        print(f"{name}: {sizes}{' (NOT written: values removed)' if name in blocked else ''}")
    if blocked:
        print("Some lists lost values; check them and rerun with --allow-removals.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
