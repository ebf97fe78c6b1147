"""nbval strict really guards the lessons: a changed stored output fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_nbval(path: Path) -> subprocess.CompletedProcess:
    """nbval strict on one notebook outside the repository, with the hub plugin (lesson 00
    asks the hub who you are) loaded by hand since the root conftest is not in reach."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--nbval", "--nbval-current-env", "-p", "hubplugin",
         "--nbval-sanitize-with", str(ROOT / "tests" / "sanitize.cfg"), "-p", "no:cacheprovider",
         "--rootdir", str(path.parent), str(path)],
        capture_output=True, text=True, cwd=path.parent, env=env,
    )


@pytest.mark.slow
def test_changed_output_fails_strict_nbval(tmp_path):
    original = tmp_path / "00_setup.ipynb"
    shutil.copy(ROOT / "lessons" / "00_setup.ipynb", original)
    assert run_nbval(original).returncode == 0

    notebook = nbformat.read(original, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.source == "favourite_number * 6")
    assert cell.outputs[0]["data"]["text/plain"] == "42"
    cell.outputs[0]["data"]["text/plain"] = "43"
    nbformat.write(notebook, original)
    result = run_nbval(original)
    assert result.returncode != 0
    assert "43" in result.stdout and "42" in result.stdout
