"""Check and capture the Python environment; the course's one-thread settings.

``check()`` is the first cell a learner runs: one line per package the course
needs, OK or FAIL, with a one-line fix. ``capture()`` records the environment
for a model card or a release, so that someone else can rebuild it.
``course_environment()`` reads ``course.env`` (next to this file), the one source
of the one-thread, fixed-hash settings that the Makefile, Binder's ``start``,
``tools/``, the tests and ``release.verify`` all use.

Example:
    >>> from modelshare import env
    >>> statuses = env.check(("numpy", "pandas"))
    OK    python 3...
    OK    numpy ...
    OK    pandas ...
    <BLANKLINE>
    All 2 packages OK.
    >>> sorted(env.capture(("numpy",))["packages"])
    ['numpy']
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

# The packages a learner meets by name in the lessons; the rest are pinned too
# but only matter to the maintainers.
COURSE_PACKAGES = (
    "jupyterlab",
    "ipywidgets",
    "huggingface_hub",
    "transformers",
    "datasets",
    "scikit-learn",
    "skops",
    "torch",
    "numpy",
    "pandas",
    "scipy",
    "matplotlib",
)

MIN_PYTHON = (3, 11)
COURSE_ENV = Path(__file__).with_name("course.env")

FIX = "run `make lab` from the course folder (it reinstalls the pinned versions), or: pip install '{req}'"


@dataclass(frozen=True)
class PackageStatus:
    """One line of the environment check."""

    name: str
    wanted: str
    installed: str | None

    @property
    def ok(self) -> bool:
        if self.installed is None:
            return False
        return Requirement(f"{self.name}{self.wanted}").specifier.contains(
            _public(self.installed), prereleases=True
        )

    def line(self) -> str:
        if self.ok:
            return f"OK    {self.name} {self.installed}"
        have = "not installed" if self.installed is None else f"installed {self.installed}"
        return (
            f"FAIL  {self.name}: {have}, the course wants {self.wanted}. "
            f"Fix: {FIX.format(req=self.name + self.wanted)}"
        )


def _public(version: str) -> str:
    """'2.13.0+cpu' -> '2.13.0': a local build tag does not change the release."""
    return version.split("+", 1)[0]


def pinned_requirements() -> dict[str, str]:
    """The pins this package was installed with, e.g. {'numpy': '==2.4.6'}."""
    pins: dict[str, str] = {}
    for line in metadata.requires("modelshare") or []:
        req = Requirement(line)
        if req.marker is not None:  # extras such as 'dev'
            continue
        pins[_canonical(req.name)] = str(req.specifier)
    return pins


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-")


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def python_ok() -> bool:
    """True when this Python is new enough for the course (3.11 or newer)."""
    return sys.version_info[:2] >= MIN_PYTHON


def check(packages: tuple[str, ...] | None = None, *, show: bool = True) -> list[PackageStatus]:
    """Print OK/FAIL for each package the course needs and return the statuses.

    Python itself is checked first (see :func:`python_ok`; the course needs 3.11 or newer).
    """
    pins = pinned_requirements()
    names = packages if packages is not None else COURSE_PACKAGES
    statuses = [
        PackageStatus(name, pins.get(_canonical(name), ""), installed_version(name))
        for name in names
    ]
    if show:
        py = platform.python_version()
        py_ok = python_ok()
        wanted = ".".join(map(str, MIN_PYTHON))
        print(f"{'OK  ' if py_ok else 'FAIL'}  python {py}"
              + ("" if py_ok else f": the course needs {wanted} or newer"))
        for status in statuses:
            print(status.line())
        problems = sum(not s.ok for s in statuses) + (not py_ok)
        if problems:
            print(f"\n{problems} problem(s). Fix them before the next lesson; ask a helper if stuck.")
        else:
            print(f"\nAll {len(statuses)} packages OK.")
    return statuses


def capture(packages: tuple[str, ...] | None = None) -> dict:
    """Return Python, platform and package versions as plain data.

    >>> info = capture(("numpy",))
    >>> sorted(info)
    ['machine', 'packages', 'platform', 'python']
    """
    names = packages if packages is not None else COURSE_PACKAGES
    return {
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "packages": {name: installed_version(name) for name in names if installed_version(name)},
    }


def requirements_txt(info: dict | None = None) -> str:
    """The captured packages as a pip requirements file."""
    info = info or capture()
    return "".join(f"{name}=={version}\n" for name, version in sorted(info["packages"].items()))


def course_environment() -> dict[str, str]:
    """The course's settings from ``course.env``: one BLAS/torch thread, fixed hashing.

    >>> course_environment()["OMP_NUM_THREADS"]
    '1'
    """
    values = {}
    for line in COURSE_ENV.read_text(encoding="utf-8").splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            values[name.strip()] = value.strip()
    return values
