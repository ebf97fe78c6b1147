"""Before ``make`` builds .venv: is this Python one the course supports, and can it make a venv?

    python3 tools/check_python.py        # exit 0, or 1 with the exact command that fixes it

The course is tested on Python 3.11 only (CI, Binder and ``requires-python`` in
pyproject.toml agree), so any other version stops here with the command that
installs 3.11 on this kind of machine. Runs on any Python 3, standard library only.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

SUPPORTED = (3, 11)


def os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value.strip().strip('"') for key, value in pairs}


def install_hint(system: str, release: dict[str, str]) -> str:
    """The command that installs Python 3.11 with venv support here."""
    distro = release.get("ID", "")
    like = release.get("ID_LIKE", "").split()
    if system == "Darwin":
        return "brew install python@3.11   (then: make PYTHON=python3.11 lab)"
    if system == "Linux" and (distro == "ubuntu" or "ubuntu" in like):
        return ("sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt-get install python3.11 "
                "python3.11-venv   (or: uv python install 3.11; then make PYTHON=python3.11 lab)")
    if system == "Linux" and (distro == "debian" or "debian" in like):
        return "sudo apt-get install python3.11 python3.11-venv   (Debian 12; or: uv python install 3.11)"
    if system == "Windows":
        return ("use WSL: wsl --install -d Ubuntu, then follow the Linux steps inside it "
                "(see instructors/learner-setup.md)")
    return "install Python 3.11 (python.org or uv python install 3.11), then make PYTHON=python3.11 lab"


def problems(version: tuple[int, int], has_venv: bool, system: str,
             release: dict[str, str]) -> list[str]:
    found = []
    if version != SUPPORTED:
        found.append(f"This is Python {version[0]}.{version[1]}; the course is tested on Python "
                     f"3.11 only. Install it with:\n    {install_hint(system, release)}")
    elif not has_venv:
        hint = ("sudo apt-get install python3.11-venv" if system == "Linux"
                else install_hint(system, release))
        found.append(f"This Python cannot create a virtual environment (no ensurepip). "
                     f"Install it with:\n    {hint}")
    return found


def main() -> int:
    try:
        import ensurepip  # noqa: F401  (Debian splits it into python3.X-venv)
        import venv  # noqa: F401
        has_venv = True
    except ImportError:
        has_venv = False
    found = problems(sys.version_info[:2], has_venv, platform.system(), os_release())
    for problem in found:
        print(f"{sys.executable}: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
