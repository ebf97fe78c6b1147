"""A class arriving on the course's JupyterHub: how long until each learner has a server,
and how much memory does each learner take?

Starts the real JupyterHub + configurable-http-proxy + workshop hub on loopback
(``deployments/jupyterhub/local.py``, the deployment's config unchanged), then N simulated
learners (default 30), all at once or spread over ``--ramp`` seconds. Each one logs in
through the login form, starts a server, runs lesson 00 in it over the kernel's websocket,
and publishes a small model (a card and 1 MB of safetensors weights) with huggingface_hub.

Reports: server start time (start request -> server answers) p50 / p95 / max, lesson and
publish times, errors, and memory per learner (their server + kernel): the peak resident
memory (RSS, sampled every second) and the memory unique to them at the end (USS, what
another learner does not share). The per-learner memory limits in instructors/jupyterhub.md
come from these figures and from benchmarks/notebooks.py (the heaviest lesson's kernel).

Targets (2-core machine, 24 GB): start p95 <= 60 s (JupyterHub's default start timeout:
beyond it, a start fails), 0 errors.

``--storage`` measures instead what one learner stores over the whole course: every lesson and
exercise in order against a fresh workshop hub, then the hub's data (repos), the learner's
Hugging Face cache and the files the notebooks wrote in ``_work/``.

Usage::

    .venv/bin/python benchmarks/jupyterhub.py [--users 30] [--ramp 0]
    .venv/bin/python benchmarks/jupyterhub.py --storage
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deployments" / "jupyterhub"))

from local import RUN_MARKER, LocalJupyterHub  # noqa: E402

LESSON_00 = ROOT / "lessons" / "00_setup.ipynb"
MB = 1024 * 1024

PUBLISH = """\
import pathlib, tempfile
import numpy as np
from huggingface_hub import HfApi
from safetensors.numpy import save_file
folder = pathlib.Path(tempfile.mkdtemp())
weights = np.random.default_rng(0).standard_normal((512, 512)).astype("float32")  # 1 MB
save_file({"weight": weights}, folder / "model.safetensors")
(folder / "README.md").write_text("---\\nlicense: mit\\nlibrary_name: sklearn\\n---\\n# A model\\n")
api = HfApi()
repo = api.create_repo(api.whoami()["name"] + "/benchmark-model", exist_ok=True).repo_id
api.upload_folder(folder_path=folder, repo_id=repo, commit_message="First release")
print(sorted(api.list_repo_files(repo)))
"""


class MemorySampler(threading.Thread):
    """Every second: resident memory of each learner's processes, and of the shared ones."""

    def __init__(self, run_id: str):
        super().__init__(daemon=True)
        self.run_id = run_id
        self.peak: dict[str, int] = defaultdict(int)  # learner (or "shared") -> peak RSS
        self.role_peak: dict[str, int] = defaultdict(int)  # "server" / "kernel" -> largest RSS
        self.stopping = threading.Event()

    def by_owner(self) -> dict[str, list[psutil.Process]]:
        owners: dict[str, list[psutil.Process]] = defaultdict(list)
        for proc in psutil.process_iter():
            try:
                env = proc.environ()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            if env.get(RUN_MARKER) == self.run_id:
                owners[env.get("JUPYTERHUB_USER") or "shared"].append(proc)
        return owners

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            for owner, procs in self.by_owner().items():
                total = 0
                for proc in procs:
                    try:
                        rss = proc.memory_info().rss
                        role = "kernel" if "ipykernel" in " ".join(proc.cmdline()) else "server"
                    except psutil.NoSuchProcess:
                        continue
                    total += rss
                    if owner != "shared":
                        self.role_peak[role] = max(self.role_peak[role], rss)
                self.peak[owner] = max(self.peak[owner], total)

    def unique(self) -> dict[str, int]:
        """Memory unique to each owner's processes now (USS: freed if they stopped)."""
        result = {}
        for owner, procs in self.by_owner().items():
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_full_info().uss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            result[owner] = total
        return result


def learner_session(jhub: LocalJupyterHub, name: str, delay: float) -> dict:
    time.sleep(delay)
    learner = jhub.learner(name)
    times = {}
    began = time.monotonic()
    learner.log_in()
    times["login"] = time.monotonic() - began
    times["start"] = learner.start_server()
    began = time.monotonic()
    outputs = learner.run_notebook(LESSON_00)
    times["lesson"] = time.monotonic() - began
    status = next(text for text in outputs if text.startswith("Hub:"))
    if f"signed in as {name}." not in status:
        raise RuntimeError(f"{name}'s kernel is not signed in as {name}: {status}")
    began = time.monotonic()
    published = learner.run(PUBLISH)
    times["publish"] = time.monotonic() - began
    if "model.safetensors" not in published:
        raise RuntimeError(f"{name}'s publication is missing its weights: {published}")
    times["reconnects"] = learner.reconnects
    return times


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / MB if path.exists() else 0


def storage() -> int:
    """Disk one learner fills over the course: the hub's repos, the HF cache, ``_work/``."""
    import nbformat
    from nbclient import NotebookClient

    sys.path.insert(0, str(ROOT / "tools"))
    from execute_notebooks import NOTEBOOK_ENV, course_hub

    notebooks = sorted([*ROOT.glob("lessons/[0-9][0-9]_*.ipynb"),
                        *ROOT.glob("exercises/[0-9][0-9]_*.ipynb")], key=lambda p: p.name)
    work = [ROOT / folder / "_work" for folder in ("lessons", "exercises")]
    before = sum(folder_mb(path) for path in work)
    os.environ.update(NOTEBOOK_ENV)
    os.environ["MODELSHARE_STRICT"] = ""  # exercises run with their placeholders, as a learner's
    with course_hub() as hub:
        for path in notebooks:
            notebook = nbformat.read(path, as_version=4)
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            print(f"  ran {path.relative_to(ROOT)}", file=sys.stderr, flush=True)
        data = hub.data_dir
        cache = folder_mb(data / "hf-home")
        repos = folder_mb(data) - cache
    written = sum(folder_mb(path) for path in work) - before
    print(f"One learner, {len(notebooks)} notebooks (lessons and exercises) in order:")
    print()
    print("| stored | MB |")
    print("| --- | ---: |")
    print(f"| on the workshop hub (repos, database) | {repos:.1f} |")
    print(f"| Hugging Face cache (downloads from the hub) | {cache:.1f} |")
    print(f"| files the notebooks wrote (`_work/`) | {written:.1f} |")
    return 0


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="spread the logins over this many seconds (default 0: all at once)")
    parser.add_argument("--state", type=Path, default=None,
                        help="keep JupyterHub's state and log in this folder (default: a "
                        "temporary folder, deleted afterwards)")
    parser.add_argument("--storage", action="store_true",
                        help="measure one learner's disk use over the whole course instead")
    args = parser.parse_args(argv)
    if args.storage:
        return storage()
    load_before = os.getloadavg()
    results, errors = [], []
    with tempfile.TemporaryDirectory() as scratch, \
            LocalJupyterHub(args.state or Path(scratch), start_timeout=600) as jhub:
        sampler = MemorySampler(jhub.run_id)
        sampler.start()
        names = [f"learner{n:02d}" for n in range(1, args.users + 1)]
        delays = [args.ramp * n / max(1, args.users - 1) for n in range(args.users)]
        began = time.monotonic()
        with ThreadPoolExecutor(args.users) as pool:
            futures = {pool.submit(learner_session, jhub, name, delay): name
                       for name, delay in zip(names, delays, strict=True)}
            for future, name in futures.items():
                try:
                    results.append(future.result())
                except Exception as error:
                    logged = [line for line in jhub.tail(10**7).splitlines()
                              if name in line and line.startswith(("[W", "[E", "[C"))]
                    errors.append(f"{name}: {type(error).__name__}: {error}\n"
                                  f"{traceback.format_exc(limit=-2)}" + "\n".join(logged[-5:]))
        wall = time.monotonic() - began
        unique = sampler.unique()
        sampler.stopping.set()
        sampler.join()
        peak, role_peak = dict(sampler.peak), dict(sampler.role_peak)
    load_after = os.getloadavg()

    learners = [owner for owner in peak if owner != "shared"]
    rss = [peak[owner] / MB for owner in learners]
    uss = [unique.get(owner, 0) / MB for owner in learners]
    print(f"{args.users} learners, logins spread over {args.ramp:.0f} s, {os.cpu_count()} cores; "
          f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f}")
    print()
    print("| measure | p50 | p95 | max |")
    print("| --- | ---: | ---: | ---: |")
    for key, label in (("login", "log in (login form + API token)"),
                       ("start", "server start (request -> server answers)"),
                       ("lesson", "lesson 00, all cells in a new kernel"),
                       ("publish", "publish a card + 1 MB weights")):
        values = [r[key] for r in results]
        if values:
            print(f"| {label} | {statistics.median(values):.1f} s | {p95(values):.1f} s | "
                  f"{max(values):.1f} s |")
    if rss:
        print(f"| memory per learner, peak RSS (server + kernel) | {statistics.median(rss):.0f} MB"
              f" | {p95(rss):.0f} MB | {max(rss):.0f} MB |")
        print(f"| memory per learner, unique at the end (USS) | {statistics.median(uss):.0f} MB"
              f" | {p95(uss):.0f} MB | {max(uss):.0f} MB |")
    print(f"| largest single-user server process / kernel (RSS) | | | "
          f"{role_peak.get('server', 0) / MB:.0f} / {role_peak.get('kernel', 0) / MB:.0f} MB |")
    print()
    print(f"Shared processes (JupyterHub, proxy, workshop hub): peak RSS "
          f"{peak.get('shared', 0) / MB:.0f} MB. Whole class done in {wall:.0f} s.")
    print(f"Errors: {len(errors)} of {args.users} learners. Kernel websocket reconnections: "
          f"{sum(r['reconnects'] for r in results)}.")
    for error in errors:
        print(error)
    starts = [r["start"] for r in results]
    ok = not errors and starts and p95(starts) <= 60
    print(f"Target start p95 <= 60 s and 0 errors: {'met' if ok else 'MISSED'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
