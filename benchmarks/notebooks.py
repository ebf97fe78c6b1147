"""Time and memory of the notebooks: one at a time, and as a Binder learner runs them.

    .venv/bin/python benchmarks/notebooks.py                  # both tables
    .venv/bin/python benchmarks/notebooks.py --per-notebook [paths...]
    .venv/bin/python benchmarks/notebooks.py --binder [lesson numbers, e.g. 01 04]

**Per notebook** (issue 2): each notebook in a fresh kernel; its wall time and
its kernel's peak memory. Targets: <= 20 s and <= 700 MB per notebook.

**As on Binder** (issue 18): mybinder.org guarantees 1 GB for everything a
learner runs: JupyterLab's server, the local hub and every kernel. A learner
opens a lesson, runs it, then opens its exercise beside it (two kernels). This
starts a real JupyterLab server and a real hub, opens the lesson through the
server's sessions API (the call JupyterLab's page makes), runs every cell in its
kernel, then does the same for the exercise while the lesson's kernel stays
alive. A sampler adds up the memory of all these processes ten times a second;
the peak of that sum must stay <= 1024 MB for every lesson.

Memory is given two ways. RSS counts each process's resident pages, so a library
loaded by both kernels is counted twice. PSS (Linux) shares such pages out
between the processes that map them, so the sum of PSS is the memory the machine
(and Binder's container limit) really holds: it is the figure judged against the
target. Elsewhere than Linux only RSS is shown.

Run it with the machine otherwise idle: a busy second core changes the times.
Exercises run with their placeholders (not in strict mode), as a learner meets them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from jupyter_client import BlockingKernelClient
from jupyter_core.paths import jupyter_runtime_dir
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
from execute_notebooks import NOTEBOOK_ENV, course_hub  # noqa: E402
from servers import free_port, wait_for_http  # noqa: E402

TIME_TARGET_S = 20
MEMORY_TARGET_MB = 700
BINDER_TARGET_MB = 1024
MB = 1024 * 1024
HAS_PSS = sys.platform.startswith("linux")


def memory_mb(process: psutil.Process) -> tuple[float, float]:
    """(RSS, PSS) of one process in MB; PSS is RSS where the system has no PSS."""
    try:
        if HAS_PSS:
            info = process.memory_full_info()
            return info.rss / MB, info.pss / MB
        rss = process.memory_info().rss / MB
        return rss, rss
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return 0.0, 0.0


def alone(process: psutil.Process):
    return lambda: [process]


def family(process: psutil.Process):
    return lambda: [process, *process.children(recursive=True)]


def children(process: psutil.Process):
    return lambda: process.children(recursive=True)


@dataclass
class Sampler:
    """Adds up the memory of groups of processes ten times a second; each group is a function
    that lists its processes now (kernels come and go)."""

    groups: dict[str, Callable[[], list[psutil.Process]]]
    interval: float = 0.1
    peaks: dict[str, float] = field(default_factory=dict)  # each part's own peak PSS
    peak_rss: float = 0.0
    peak_pss: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        total_rss = total_pss = 0.0
        for name, members in self.groups.items():
            rss = pss = 0.0
            try:
                processes = members()
            except psutil.NoSuchProcess:
                processes = []
            for process in processes:
                r, p = memory_mb(process)
                rss, pss = rss + r, pss + p
            self.peaks[name] = max(self.peaks.get(name, 0.0), pss)
            total_rss, total_pss = total_rss + rss, total_pss + pss
        self.peak_rss = max(self.peak_rss, total_rss)
        self.peak_pss = max(self.peak_pss, total_pss)

    def run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# -- one notebook at a time ----------------------------------------------------------------
def peak_of_process(pid: int, sampled: float) -> float:
    """The kernel's high-water mark: exact from /proc on Linux, else the sampled peak."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return sampled


def measure(path: Path) -> tuple[float, float]:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        process = psutil.Process(client.km.provisioner.process.pid)
        with Sampler({"kernel": family(process)}) as sampler:
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
        elapsed = time.perf_counter() - start
        peak = peak_of_process(process.pid, sampler.peak_rss)
    return elapsed, peak


def per_notebook(paths: list[Path]) -> list[str]:
    rows = []
    for path in paths:
        seconds, megabytes = measure(path)
        ok = seconds <= TIME_TARGET_S and megabytes <= MEMORY_TARGET_MB
        rows.append((str(path.relative_to(ROOT)), seconds, megabytes, ok))
        print(f"  measured {rows[-1][0]}", file=sys.stderr, flush=True)
    out = [f"| notebook | wall time (s) | kernel peak RSS (MB) | within {TIME_TARGET_S} s / "
           f"{MEMORY_TARGET_MB} MB |", "| --- | ---: | ---: | --- |"]
    out += [f"| {name} | {seconds:.1f} | {megabytes:.0f} | {'yes' if ok else 'NO'} |"
            for name, seconds, megabytes, ok in rows]
    total = sum(row[1] for row in rows)
    out.append(f"| **all {len(rows)} notebooks** | {total:.1f} | max {max(r[2] for r in rows):.0f} | |")
    return out


# -- a lesson and its exercise, as on Binder -------------------------------------------------
class Lab:
    """A JupyterLab server (the one Binder runs) whose kernels we drive through its API."""

    def __init__(self, env: dict[str, str]):
        self.port, self.token = free_port(), "benchmark"
        self.log = tempfile.NamedTemporaryFile(prefix="lab-", suffix=".log", delete=False)
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
                   "--ip=127.0.0.1", f"--port={self.port}",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={ROOT}"]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        wait_for_http(f"{self.url}/api/status?token={self.token}", timeout=120, proc=self.process)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as reply:
            text = reply.read()
        return json.loads(text) if text else {}

    def open(self, path: str) -> tuple[str, BlockingKernelClient]:
        """Open a notebook as JupyterLab's page does (a session with a kernel); return the
        session id and a client connected to its kernel."""
        session = self.api("POST", "/api/sessions",
                           {"path": path, "type": "notebook", "name": Path(path).name,
                            "kernel": {"name": "python3"}})
        connection = Path(jupyter_runtime_dir()) / f"kernel-{session['kernel']['id']}.json"
        client = BlockingKernelClient(connection_file=str(connection))
        client.load_connection_file()
        # No heartbeat: on a loaded machine a late heartbeat reads as "kernel died".
        client.start_channels(hb=False)
        message_id = client.kernel_info()
        deadline = time.monotonic() + 180
        while True:  # the kernel answers kernel_info once it is ready for code
            reply = client.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == message_id:
                return session["id"], client

    def close(self, session: str, client: BlockingKernelClient) -> None:
        client.stop_channels()
        self.api("DELETE", f"/api/sessions/{session}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def run_cells(client: BlockingKernelClient, path: Path) -> list[str]:
    """Run every code cell; return the errors (a learner's run would show them)."""
    errors = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        reply = client.execute_interactive(cell.source, timeout=600, output_hook=lambda _: None)
        if reply["content"]["status"] != "ok":
            errors.append(f"{path.name}: {reply['content'].get('ename')}: "
                          f"{reply['content'].get('evalue')}")
    return errors


def binder(lessons: list[str]) -> list[str]:
    # Kernels inherit the server's environment: the hub's variables and the course settings;
    # exercises are run as a learner meets them (placeholders, no strict mode).
    env = {**os.environ, "MODELSHARE_STRICT": ""}
    lab = Lab(env)
    rows, problems = [], []
    try:
        server = psutil.Process(lab.process.pid)
        hub_process = psutil.Process(int(os.environ["MODELSHARE_HUB_PID"]))
        for number in lessons:
            lesson = next(ROOT.glob(f"lessons/{number}_*.ipynb"))
            exercise = ROOT / "exercises" / lesson.name
            opened = []
            sampler = Sampler({"JupyterLab": alone(server), "hub": family(hub_process),
                               "kernels": children(server)})
            start = time.perf_counter()
            with sampler:
                for path in (lesson, exercise):
                    if not path.exists():
                        continue
                    session, client = lab.open(path.relative_to(ROOT).as_posix())
                    opened.append((session, client))
                    problems += run_cells(client, path)
            for session, client in opened:
                lab.close(session, client)
            rows.append((lesson.stem, sampler.peaks["JupyterLab"], sampler.peaks["hub"],
                         sampler.peaks["kernels"],
                         sampler.peak_rss, sampler.peak_pss, time.perf_counter() - start))
            print(f"  measured {lesson.stem} + its exercise", file=sys.stderr, flush=True)
            time.sleep(2)  # let the kernels exit before the next pair starts
    finally:
        lab.stop()
    unit = "PSS" if HAS_PSS else "RSS"
    out = [f"| lesson + its exercise | JupyterLab {unit} | hub {unit} | two kernels {unit} | "
           f"all, RSS | **all, {unit}** | within {BINDER_TARGET_MB} MB | time (s) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    for stem, server_mb, hub_mb, kernels_mb, rss, pss, seconds in rows:
        out.append(f"| {stem} | {server_mb:.0f} | {hub_mb:.0f} | {kernels_mb:.0f} | {rss:.0f} | "
                   f"**{pss:.0f}** | {'yes' if pss <= BINDER_TARGET_MB else 'NO'} | "
                   f"{seconds:.0f} |")
    out.append("")
    out.append("(each part's own peak; 'all' is the peak of the sum, sampled ten times a second)")
    if problems:
        out += ["", "Cells that failed:", *(f"- {p}" for p in problems)]
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-notebook", action="store_true", help="only the first table")
    parser.add_argument("--binder", action="store_true", help="only the Binder table")
    parser.add_argument("items", nargs="*", help="notebook paths (--per-notebook) or lesson "
                        "numbers (--binder)")
    args = parser.parse_args(argv)
    both = not (args.per_notebook or args.binder)
    os.environ.update(NOTEBOOK_ENV)
    os.environ["MODELSHARE_STRICT"] = ""  # exercises run with their placeholders
    with course_hub() as hub:
        if hub is not None and hub.process is not None:
            os.environ["MODELSHARE_HUB_PID"] = str(hub.process.pid)
        if args.per_notebook or both:
            paths = [Path(p).resolve() for p in (args.items if args.per_notebook else [])] or \
                [ROOT / "index.ipynb"] + sorted(
                    [*ROOT.glob("lessons/[0-9][0-9]_*.ipynb"),
                     *ROOT.glob("solutions/[0-9][0-9]_*.ipynb"),
                     *ROOT.glob("exercises/[0-9][0-9]_*.ipynb")])
            print("\n".join(per_notebook(paths)))
        if args.binder or both:
            numbers = (args.items if args.binder else []) or sorted(
                p.name[:2] for p in ROOT.glob("lessons/[0-9][0-9]_*.ipynb"))
            if both:
                print()
            print("\n".join(binder(numbers)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
