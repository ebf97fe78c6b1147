"""tools/check_python.py: make stops early, with the exact command, on an unsupported Python."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import check_python  # noqa: E402
import pytest  # noqa: E402


def test_the_checked_version_is_the_one_pyproject_states():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    supported = SpecifierSet(project["requires-python"])
    assert f"{check_python.SUPPORTED[0]}.{check_python.SUPPORTED[1]}.0" in supported


def test_this_python_passes():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "check_python.py")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_another_version_gets_the_install_command_for_its_system():
    ubuntu = {"ID": "ubuntu", "ID_LIKE": "debian"}
    [message] = check_python.problems((3, 13), True, "Darwin", {})
    assert "Python 3.13" in message and "brew install python@3.11" in message
    [message] = check_python.problems((3, 12), True, "Linux", ubuntu)
    assert "python3.11-venv" in message and "deadsnakes" in message
    [message] = check_python.problems((3, 10), True, "Linux", {"ID": "debian"})
    assert "sudo apt-get install python3.11 python3.11-venv" in message
    [message] = check_python.problems((3, 12), True, "Windows", {})
    assert "wsl --install" in message


def test_a_python_without_venv_support_is_told_what_to_install():
    [message] = check_python.problems((3, 11), False, "Linux", {"ID": "debian"})
    assert "sudo apt-get install python3.11-venv" in message
    assert check_python.problems((3, 11), True, "Linux", {}) == []


def test_other_pythons_really_stop(tmp_path):
    """With a real other interpreter (pyenv may have one), the script exits 1."""
    others = sorted(Path.home().glob(".pyenv/versions/3.1[02]*/bin/python3"))
    if not others:
        pytest.skip("no Python 3.10 or 3.12 on this machine (the unit checks above still hold)")
    result = subprocess.run([str(others[0]), str(ROOT / "tools" / "check_python.py")],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "tested on Python 3.11 only" in result.stderr
