"""Run huggingface_hub's own test suite against the workshop hub and print the results.

Usage (``make conformance`` runs it)::

    .venv/bin/python tests/conformance/run.py [--modules test_hf_api.py ...] [-k EXPR]
                                               [--markdown] [--min-pass 95]

1. Downloads the sdist of the pinned ``huggingface_hub`` from PyPI with pip
   (``pip download --no-binary :all: --no-deps``) into ``_conformance/`` (git-ignored):
   its code is never committed here.
2. Adds what its ``tests/`` need and the sdist does not ship, all written in this
   project: ``conftest.py`` (``hub_conftest.py``), ``__init__.py`` and the sample cards
   of ``fixtures/``.
3. Starts ``modelshare hub serve`` on a fresh data folder, with the users and tokens of
   the tests' own ``testing_constants.py``, in the place of the staging Hub; and a second
   one in the place of huggingface.co, with the repos of ``known_repos.py``.
4. Runs the in-scope modules of ``scope.toml`` with pytest and prints, per module, how
   many in-scope tests talked to the hub and how many of those passed. Tests that never
   sent a request to the hub (pure client code) are counted apart: they say nothing
   about the hub. Exit code 1 when fewer than ``--min-pass`` % of hub tests pass.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from collections import Counter, defaultdict
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import known_repos  # noqa: E402  (beside this file)

ROOT = HERE.parents[1]
WORK = ROOT / "_conformance"
SCOPE = HERE / "scope.toml"


def sdist_tests() -> Path:
    """The unpacked sdist's folder (downloaded once per version), with our glue added."""
    pinned = version("huggingface_hub")
    folder = WORK / f"huggingface_hub-{pinned}"
    if not (folder / "tests" / "testing_constants.py").exists():
        WORK.mkdir(exist_ok=True)
        archive = WORK / f"huggingface_hub-{pinned}.tar.gz"
        if not archive.exists():
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--no-binary", ":all:", f"huggingface_hub=={pinned}", "-d",
                            str(WORK)], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(WORK, filter="data")
    tests = folder / "tests"
    shutil.copyfile(HERE / "hub_conftest.py", tests / "conftest.py")
    (tests / "__init__.py").touch()
    shutil.copytree(HERE / "fixtures", tests / "fixtures", dirs_exist_ok=True)
    return folder


def testing_constants(folder: Path):
    spec = importlib.util.spec_from_file_location("testing_constants",
                                                  folder / "tests" / "testing_constants.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_hub(folder: Path):
    """``modelshare hub serve`` on a fresh data folder, with the tests' users and tokens:
    the workshop hub in the place of the staging Hub."""
    from modelshare.hub.server import start
    from modelshare.hub.server.storage import Storage

    constants = testing_constants(folder)
    data = WORK / "hub-data"
    shutil.rmtree(data, ignore_errors=True)
    store = Storage(data)
    store.add_user(constants.USER, token=constants.TOKEN)
    store.add_user(constants.OTHER_USER, token=constants.OTHER_TOKEN)
    return start(data, user=constants.USER)


def start_production_hub():
    """A second workshop hub in the place of huggingface.co, holding the repos some in-scope
    production tests read by name (``known_repos.py``). Apart from the first, as upstream's
    production and staging Hubs are: a staging test then never finds a production repo."""
    from modelshare.hub.server import start
    from modelshare.hub.server.storage import Storage

    data = WORK / "production-hub-data"
    shutil.rmtree(data, ignore_errors=True)
    store = Storage(data)
    owners = {name: store.add_user(name) for name in known_repos.OWNERS}
    hub = start(data, user=known_repos.OWNERS[0])
    try:
        with _no_xet():
            built = known_repos.build(hub.endpoint, owners)
    except BaseException:
        hub.stop()
        raise
    print(f"Known repos on the second hub: {', '.join(built)}", flush=True)
    return hub


@contextmanager
def _no_xet():
    """LFS uploads, not Xet, in this process (HF_HUB_DISABLE_XET=1 is read at import)."""
    from huggingface_hub import constants

    saved, constants.HF_HUB_DISABLE_XET = constants.HF_HUB_DISABLE_XET, True
    try:
        yield
    finally:
        constants.HF_HUB_DISABLE_XET = saved


def run_pytest(folder: Path, hub, production, modules: list[str], keyword: str | None,
               results: Path, extra: list[str]) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env |= {
        "HUGGINGFACE_CO_STAGING": "1", "HF_TOKEN": "", "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1", "DISABLE_SYMLINKS_IN_WINDOWS_TESTS": "1",
        "CONFORMANCE_HUB": hub.endpoint, "CONFORMANCE_PRODUCTION_HUB": production.endpoint,
        "CONFORMANCE_SCOPE": str(SCOPE),
        "CONFORMANCE_RESULTS": str(results), "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [sys.executable, "-m", "pytest", *[f"tests/{m}" for m in modules],
               "-p", "no:cacheprovider", "-o", "addopts=", "-q", "-rN", "--tb=line",
               "-W", "ignore::pytest.PytestConfigWarning", *extra]
    if keyword:
        command += ["-k", keyword]
    return subprocess.run(command, cwd=folder, env=env).returncode


def summarize(results: Path, markdown: bool, record: Path | None = None) -> tuple[int, int]:
    """Print the table; return (passed, run) over in-scope tests that talked to the hub.

    ``record``: also write the table and every out-of-scope test, by group with its reason,
    to a Markdown file (``tests/conformance/RESULTS.md``).
    """
    data = json.loads(results.read_text())
    rows: dict[str, Counter] = defaultdict(Counter)
    for nodeid, test in data["tests"].items():
        module = nodeid.split("::")[0].rsplit("/", 1)[-1]
        row = rows[module]
        if not test["hub"] and test["outcome"] in ("passed", "skipped"):
            row["local"] += 1
        elif test["outcome"] == "skipped":
            row["skipped"] += 1
        else:
            row["hub"] += 1
            row["passed"] += test["outcome"] == "passed"
    for nodeid in data["out_of_scope"]:
        rows[nodeid.split("::")[0].rsplit("/", 1)[-1]]["out"] += 1
    total = sum(rows.values(), Counter())
    header = ("| module | hub tests | passed | % | skipped | client-only | out of scope |\n"
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    lines = [header] if markdown else [header.splitlines()[0]]
    for module, row in sorted(rows.items()) + [("**all**", total)]:
        share = f"{100 * row['passed'] / row['hub']:.1f}" if row["hub"] else "-"
        lines.append(f"| {module} | {row['hub']} | {row['passed']} | {share} | "
                     f"{row['skipped']} | {row['local']} | {row['out']} |")
    print("\n".join(lines))
    groups = Counter(data["out_of_scope"].values())
    print("\nOut of scope, by group: " + ", ".join(f"{g} {n}" for g, n in groups.most_common()))
    failed = sorted(n for n, t in data["tests"].items() if t["outcome"] in ("failed", "error"))
    if failed:
        print(f"\n{len(failed)} failing hub tests:\n  " + "\n  ".join(failed))
    if record is not None:
        record.write_text(record_text(header, rows, total, data, failed))
    return total["passed"], total["hub"]


def record_text(header: str, rows: dict, total: Counter, data: dict, failed: list[str]) -> str:
    """RESULTS.md: the per-module table, the failing tests, and the out-of-scope tests."""
    scope = tomllib.loads(SCOPE.read_text())
    reasons = {group["name"]: group["reason"] for group in scope["out"]}
    lines = [f"# huggingface_hub {version('huggingface_hub')}'s tests against the workshop hub",
             "", "Written by `tests/conformance/run.py --record`; the scope and its reasons are "
             "in `scope.toml`.", "", header]
    for module, row in sorted(rows.items()) + [("**all**", total)]:
        share = f"{100 * row['passed'] / row['hub']:.1f}" if row["hub"] else "-"
        lines.append(f"| {module} | {row['hub']} | {row['passed']} | {share} | "
                     f"{row['skipped']} | {row['local']} | {row['out']} |")
    lines += ["", "Failing hub tests: " + (", ".join(f"`{n}`" for n in failed) or "none."), "",
              "## Brought into scope", ""]
    for group in scope.get("in", []):  # tests an [[out]] marker would take, and why they run
        lines += [f"### {group['name']} ({len(group['tests'])})", "", group["reason"], "",
                  *[f"- `{test}`" for test in group["tests"]], ""]
    lines += ["## Out of scope", ""]
    by_group: dict[str, list[str]] = defaultdict(list)
    for nodeid, group in sorted(data["out_of_scope"].items()):
        by_group[group].append(nodeid.removeprefix("tests/"))
    for group, tests in sorted(by_group.items(), key=lambda item: -len(item[1])):
        lines += [f"### {group} ({len(tests)})", "", reasons.get(group, ""), "",
                  *[f"- `{test}`" for test in tests], ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", nargs="*", help="test modules (default: scope.toml's)")
    parser.add_argument("-k", dest="keyword", help="pytest -k expression")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--record", action="store_true",
                        help="write the results to tests/conformance/RESULTS.md")
    parser.add_argument("--min-pass", type=float, default=95.0,
                        help="exit 1 below this percentage of hub tests passing")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, after --")
    args = parser.parse_args(argv)

    modules = args.modules or tomllib.loads(SCOPE.read_text())["modules"]
    folder = sdist_tests()
    results = WORK / "results.json"
    results.unlink(missing_ok=True)
    started = time.monotonic()
    hub = start_hub(folder)
    try:
        production = start_production_hub()
        try:
            run_pytest(folder, hub, production, modules, args.keyword, results, args.pytest_args)
        finally:
            production.stop()
    finally:
        hub.stop()
    if not results.exists():
        print("pytest wrote no results (collection failed?)", file=sys.stderr)
        return 2
    passed, run = summarize(results, args.markdown, HERE / "RESULTS.md" if args.record else None)
    share = 100 * passed / run if run else 0.0
    print(f"\n{passed} of {run} in-scope hub tests passed ({share:.1f} %, target >= "
          f"{args.min_pass:g} %) in {time.monotonic() - started:.0f} s")
    return 0 if share >= args.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
