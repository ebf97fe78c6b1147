"""pyproject.toml is the one place pins live; environment.yml (Binder) must mirror it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(line): str(Requirement(line).specifier) for line in project["dependencies"]}


def environment_pins(text: str) -> dict[str, str]:
    env = yaml.safe_load(text)
    pip_lists = [item["pip"] for item in env["dependencies"] if isinstance(item, dict) and "pip" in item]
    assert len(pip_lists) == 1, "environment.yml needs exactly one pip: section"
    pins = {}
    for line in pip_lists[0]:
        if line.startswith("-"):  # --extra-index-url, -e .
            continue
        pins[_name(line)] = str(Requirement(line).specifier)
    return pins


def _name(line: str) -> str:
    return Requirement(line).name.lower().replace("_", "-")


def differences(pyproject: dict[str, str], environment: dict[str, str]) -> list[str]:
    out = []
    for name in sorted(set(pyproject) | set(environment)):
        if pyproject.get(name) != environment.get(name):
            out.append(
                f"{name}: pyproject {pyproject.get(name, 'missing')} vs environment.yml "
                f"{environment.get(name, 'missing')}"
            )
    return out


def test_every_runtime_dependency_is_pinned_exactly():
    loose = [name for name, spec in pyproject_pins().items() if not spec.startswith("==")]
    assert not loose, f"pin these with == in pyproject.toml: {loose}"


def test_environment_yml_mirrors_pyproject():
    problems = differences(pyproject_pins(), environment_pins((ROOT / "environment.yml").read_text()))
    assert not problems, "environment.yml and pyproject.toml disagree:\n" + "\n".join(problems)


def test_a_changed_pin_is_reported():
    text = (ROOT / "environment.yml").read_text().replace("numpy==2.4.6", "numpy==2.4.5")
    assert differences(pyproject_pins(), environment_pins(text)) == [
        "numpy: pyproject ==2.4.6 vs environment.yml ==2.4.5"
    ]


def test_environment_uses_cpu_torch_and_the_same_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in pip
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    # The supported Pythons are the tested ones: Binder's 3.11 (and CI's), nothing newer.
    supported = SpecifierSet(project["requires-python"])
    assert "3.11.7" in supported and "3.11.0" in supported
    assert "3.12.0" not in supported and "3.10.13" not in supported


def test_binder_scripts_fail_fast():
    # repo2docker ignores top-level files when a binder/ or .binder/ folder exists.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    for name in ("postBuild", "start"):
        path = ROOT / name
        assert path.exists(), f"{name} is missing"
        if path.exists():
            lines = path.read_text().splitlines()
            assert lines[0].startswith("#!"), f"{name} needs a shebang"
            assert "set -euo pipefail" in lines[1:4], f"{name} must begin with set -euo pipefail"
