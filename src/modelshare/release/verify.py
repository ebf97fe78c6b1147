"""Verify a published release the way a stranger would: download, scan, load, rerun, compare.

``huggingface_hub`` reads ``HF_ENDPOINT`` once, when it is imported, so
:func:`verify` takes an optional ``api`` (``HfApi(endpoint=..., token=...)``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from modelshare.env import course_environment
from modelshare.release.plan import hf_api
from modelshare.release.scan import release_files, scan

RUNNER = Path(__file__).with_name("run_scripts.py")  # runs in the fresh Python, stdlib only


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Difference:
    """A number the card claims that the rerun did not reproduce."""

    metric: str
    claimed: float
    measured: float | None

    def __str__(self) -> str:
        got = "not measured" if self.measured is None else f"{self.measured:.4f}"
        return f"{self.metric}: the card claims {self.claimed:.4f}, the rerun gives {got}"


@dataclass
class VerifyReport:
    """What a stranger found when downloading and rerunning a release."""

    repo_id: str
    revision: str | None
    commit: str | None
    checks: list[Check] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    measured: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks) and not self.differences

    def __str__(self) -> str:
        title = f"{self.repo_id} @ {self.revision or 'main'}"
        if self.commit:
            title += f" (commit {self.commit[:12]})"
        lines = [title]
        lines += [f"  {'OK  ' if c.ok else 'FAIL'}  {c.name}: {c.detail}" for c in self.checks]
        lines += [f"  DIFF  {d}" for d in self.differences]
        lines.append("Verified: the release reproduces its card." if self.ok
                     else "NOT verified: see FAIL/DIFF above.")
        return "\n".join(lines)


def card_claims(readme: str | Path) -> dict[str, float]:
    """The metric values a card's model-index claims, e.g. {'accuracy': 0.8036}."""
    from huggingface_hub import ModelCard

    card = ModelCard.load(Path(readme), ignore_metadata_errors=True)
    return {r.metric_type: float(r.metric_value) for r in (card.data.eval_results or [])}


def _stranger_env() -> dict[str, str]:
    """The environment for downloaded scripts: no tokens, the course's one-thread settings."""
    hidden = {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    for key, value in course_environment().items():
        env.setdefault(key, value)
    return env


def run_in_fresh_python(folder: Path, names: Sequence[str], timeout: float = 300) -> dict[str, dict]:
    """Run ``names`` (e.g. example.py) from ``folder`` in a fresh Python without your tokens.

    Returns {name: {"ok": bool, "stdout": str, "error": str}}
    (see :mod:`modelshare.release.run_scripts`).
    """
    # `python -c` with the runner's code: nothing of modelshare is imported, and the
    # release folder comes first on sys.path, as when a stranger runs `python example.py`.
    done = subprocess.run(
        [sys.executable, "-c", RUNNER.read_text(encoding="utf-8"), *names], cwd=folder,
        capture_output=True, text=True, timeout=timeout, env=_stranger_env(),
        stdin=subprocess.DEVNULL,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {name: {"ok": False, "stdout": "", "error": error} for name in names}


def _load_weights(folder: Path, trusted: Sequence[str]) -> Check:
    skops_files = sorted(folder.glob("*.skops"))
    tensors = sorted(folder.glob("*.safetensors"))
    if skops_files:
        import skops.io as sio

        file = skops_files[0]
        unknown = [t for t in sio.get_untrusted_types(file=file) if t not in trusted]
        if unknown:
            return Check("load", False, f"{file.name} holds types nobody said to trust: "
                         f"{', '.join(unknown)}. Read them, then pass trusted=[...] if you do.")
        model = sio.load(file, trusted=list(trusted) or None)
        return Check("load", True, f"{file.name} loads with skops: {type(model).__name__}")
    if tensors:
        from safetensors import safe_open

        names = 0
        for file in tensors:
            with safe_open(file, framework="numpy") as handle:
                names += len(list(handle.keys()))
        return Check("load", True, f"{len(tensors)} safetensors file(s), {names} tensors")
    return Check("load", False, "no weights in a safe format (.skops or .safetensors).")


def verify(
    repo_id: str,
    revision: str | None = None,
    *,
    api=None,
    folder: str | Path | None = None,
    trusted: Sequence[str] = (),
    tolerance: float = 0.001,
    run_scripts: bool = True,
    timeout: float = 300,
) -> VerifyReport:
    """Check a published release the way a stranger would.

    Downloads ``revision`` into a clean folder (``folder``, or a temporary one that is
    removed afterwards), scans it, loads the weights (skops with trusted types only,
    or safetensors), runs ``example.py`` and ``evaluate.py`` (in a separate Python,
    without your tokens), and compares the numbers with the card's model-index.

    Running downloaded scripts runs someone else's code: pass ``run_scripts=False``
    for a release you do not trust.

    >>> report = verify("learner/income", "v1.0", api=api)   # doctest: +SKIP
    >>> report.ok, report.differences                        # doctest: +SKIP
    (True, [])
    """
    api = hf_api(api)
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="verify-") as tmp:
            return verify(repo_id, revision, api=api, folder=Path(tmp) / "release",
                          trusted=trusted, tolerance=tolerance, run_scripts=run_scripts,
                          timeout=timeout)
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty: verify downloads into a clean folder.")
    commit = api.model_info(repo_id, revision=revision).sha
    api.snapshot_download(repo_id, revision=commit, local_dir=folder)
    report = VerifyReport(repo_id, revision, commit)
    files = [p.relative_to(folder).as_posix() for p in release_files(folder)]
    report.checks.append(Check("download", True, f"{len(files)} files into a clean folder"))

    scanned = scan(folder)
    report.checks.append(Check("scan", not scanned.errors, str(scanned).replace("\n", "\n    ")))

    readme = folder / "README.md"
    claims = card_claims(readme) if readme.exists() else {}
    report.checks.append(Check(
        "card", bool(claims),
        f"claims {', '.join(f'{k}={v}' for k, v in claims.items())}" if claims
        else "the card states no results (no model-index): nothing to compare.",
    ))
    report.checks.append(_load_weights(folder, trusted))

    if not run_scripts:
        report.checks.append(Check("scripts", True, "not run (run_scripts=False)"))
        return report
    scripts = [name for name in ("example.py", "evaluate.py") if (folder / name).exists()]
    ran = run_in_fresh_python(folder, scripts, timeout) if scripts else {}
    if "example.py" in ran:
        result = ran["example.py"]
        report.checks.append(Check("example", result["ok"], "example.py runs" if result["ok"]
                                   else f"example.py failed: {result['error']}"))
    else:
        report.checks.append(Check("example", False, "no example.py: add a runnable example."))
    if "evaluate.py" not in ran:
        report.checks.append(Check("evaluate", not claims,
                                   "no evaluate.py: the card's numbers cannot be rerun."))
        return report
    result = ran["evaluate.py"]
    try:
        report.measured = json.loads(result["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        report.checks.append(Check("evaluate", False, "evaluate.py did not print JSON metrics"
                                   + (f": {result['error']}" if result["error"] else ".")))
        return report
    report.checks.append(Check("evaluate", True, f"evaluate.py measured {report.measured}"))
    for metric, claimed in claims.items():
        got = report.measured.get(metric)
        if got is None or abs(float(got) - claimed) > tolerance:
            report.differences.append(Difference(metric, claimed, got))
    return report
