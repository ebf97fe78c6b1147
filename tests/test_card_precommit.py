"""The pre-commit hooks in .pre-commit-hooks.yaml run `modelshare card check` as documented.

pre-commit itself needs the network to install a hook's environment, which tests may not
use; so this runs each hook's entry exactly as pre-commit does (entry, then args, then the
staged file names that match `files`). `pre-commit try-repo` was run by hand (see
benchmarks/README.md).
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "tests" / "cards"
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def run_hook(hook: dict, files: list[str], args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    staged = [f for f in files if re.search(hook["files"], f)]
    command = shlex.split(hook["entry"]) + args + staged
    command[0] = str(Path(sys.executable).with_name(command[0]))  # the installed console script
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def test_hooks_are_declared_for_readme_files():
    assert {h["id"] for h in HOOKS} == {"modelshare-card-check", "modelshare-card-check-system"}
    for hook in HOOKS:
        assert hook["entry"] == "modelshare card check"
        assert re.search(hook["files"], "models/income/README.md")
        assert not re.search(hook["files"], "notes.md")


def test_hook_passes_a_good_card_and_fails_a_broken_one(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "README.md").write_text((CARDS / "good_gss_full.md").read_text())
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "README.md").write_text((CARDS / "broken_yaml.md").read_text())
    hook = HOOKS[0]
    ok = run_hook(hook, ["good/README.md", "train.py"], ["--min-score", "75"], tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run_hook(hook, ["good/README.md", "broken/README.md"], [], tmp_path)
    assert bad.returncode == 1 and "metadata-yaml-invalid" in bad.stdout
