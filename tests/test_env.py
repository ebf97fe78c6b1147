from __future__ import annotations

import json
import subprocess
import sys

from modelshare import env


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
