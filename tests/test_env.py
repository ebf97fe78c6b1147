from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from modelshare import env
from modelshare.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_check_prints_ok_for_installed_pins(capsys):
    statuses = env.check(("numpy", "scikit-learn"))
    out = capsys.readouterr().out
    assert [s.ok for s in statuses] == [True, True]
    assert "OK    numpy 2.4.6" in out
    assert "All 2 packages OK." in out


def test_a_wrong_version_prints_fail_with_a_fix():
    status = env.PackageStatus("numpy", "==1.0.0", "2.4.6")
    assert not status.ok
    line = status.line()
    assert line.startswith("FAIL  numpy: installed 2.4.6, the course wants ==1.0.0.")
    assert "pip install 'numpy==1.0.0'" in line


def test_a_missing_package_is_a_fail(capsys):
    statuses = env.check(("surely-not-installed-pkg",))
    assert not statuses[0].ok
    out = capsys.readouterr().out
    assert "FAIL  surely-not-installed-pkg: not installed" in out
    assert "1 problem(s)" in out


def test_local_build_tag_does_not_fail_the_check():
    assert env.PackageStatus("torch", "==2.13.0", "2.13.0+cpu").ok


def test_pins_come_from_the_installed_package_metadata():
    pins = env.pinned_requirements()
    assert pins["torch"] == "==2.13.0"
    assert "pytest" not in pins  # dev extra is not a course requirement


def test_capture_and_requirements():
    info = env.capture(("numpy", "not-a-package"))
    assert info["python"] == ".".join(map(str, sys.version_info[:3]))
    assert info["packages"] == {"numpy": "2.4.6"}
    assert env.requirements_txt(info) == "numpy==2.4.6\n"


def test_cli_env_capture_prints_json():
    out = subprocess.run(
        [sys.executable, "-m", "modelshare.cli", "env", "capture"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert json.loads(out)["packages"]["scikit-learn"] == "1.9.1"


def test_a_too_old_python_is_a_fail_and_the_command_exits_1(monkeypatch, capsys):
    monkeypatch.setattr(env, "MIN_PYTHON", (99, 0))
    assert not env.python_ok()
    assert main(["env", "check"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  python " in out and ": the course needs 99.0 or newer" in out
    assert "1 problem(s)" in out  # every package is fine: the one problem is Python


def test_env_check_exits_0_when_everything_is_fine(capsys):
    assert main(["env", "check"]) == 0
    assert "All 12 packages OK." in capsys.readouterr().out


# ----------------------------------------------------------- the course environment

COURSE_ENV_NAMES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                    "TOKENIZERS_PARALLELISM", "PYTHONHASHSEED")


def test_course_environment_is_one_thread_and_fixed_hashing():
    values = env.course_environment()
    assert {name: values[name] for name in COURSE_ENV_NAMES} == {
        "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false", "PYTHONHASHSEED": "0"}


def test_make_and_bash_read_the_same_course_environment():
    """The Makefile `include`s course.env and Binder's start sources it: same values."""
    clean = {"PATH": os.environ["PATH"]}
    names = "|".join(env.course_environment())
    made = subprocess.run(
        ["make", "--no-print-directory", "--eval", f"show: ; @env | grep -E '^({names})='",
         "show"], cwd=ROOT, env=clean, capture_output=True, text=True, check=True).stdout
    sourced = subprocess.run(
        ["bash", "-c", f". src/modelshare/env/course.env && env | grep -E '^({names})='"],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=True).stdout
    expected = {f"{k}={v}" for k, v in env.course_environment().items()}
    assert set(made.split()) == expected
    assert set(sourced.split()) == expected
    assert '. "$ROOT/src/modelshare/env/course.env"' in (ROOT / "start").read_text()


def test_nothing_else_sets_the_course_environment_by_hand():
    """One source: a second place that sets a thread count would drift from it."""
    files = [ROOT / "Makefile", ROOT / "start", *ROOT.glob("tools/*.py"),
             *ROOT.glob("benchmarks/*.py"), *ROOT.glob("tests/*.py"),
             *(ROOT / "src").rglob("*.py")]
    names = "|".join(COURSE_ENV_NAMES)
    setting = re.compile(  # NAME=1, NAME := 1, "NAME": "1", setenv("NAME", "1")
        rf"\b({names})(\s*:?=\s*\S|['\"]\s*[:,]\s*['\"])")
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}"
             for path in files if path != Path(__file__)
             for match in setting.finditer(path.read_text(encoding="utf-8"))]
    assert found == [], "set these in src/modelshare/env/course.env only"


def test_cli_prints_the_course_environment_for_a_shell_and_as_json(capsys):
    assert main(["env", "course"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"export {k}={v}" for k, v in env.course_environment().items()]
    assert main(["env", "course", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == env.course_environment()
