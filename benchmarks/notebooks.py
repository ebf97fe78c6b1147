"""Wall time and peak memory of every notebook, each in a fresh kernel.

    .venv/bin/python benchmarks/notebooks.py [paths...]

Prints a Markdown table. Targets (issue 2): every notebook <= 20 s and
<= 700 MB peak resident memory of its kernel (Binder guarantees 1 GB).
The kernel's peak is read from /proc/<pid>/status (VmHWM) just before it
shuts down, so it is the high-water mark of the whole run (Linux only).
Run with the machine otherwise idle: a busy second core changes the times.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from execute_notebooks import NOTEBOOK_ENV, course_hub  # noqa: E402

TIME_TARGET_S = 20
MEMORY_TARGET_MB = 700


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(path: Path) -> tuple[float, float]:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - start
        pid = client.km.provisioner.process.pid
        peak = peak_rss_mb(pid)
    return elapsed, peak


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or [ROOT / "index.ipynb"] + sorted(
        [*ROOT.glob("lessons/[0-9][0-9]_*.ipynb"), *ROOT.glob("solutions/[0-9][0-9]_*.ipynb"),
         *ROOT.glob("exercises/[0-9][0-9]_*.ipynb")]
    )
    os.environ.update(NOTEBOOK_ENV)
    os.environ["MODELSHARE_STRICT"] = ""  # exercises run with their placeholders
    rows = []
    with course_hub():
        for path in paths:
            seconds, megabytes = measure(path)
            ok = seconds <= TIME_TARGET_S and megabytes <= MEMORY_TARGET_MB
            rows.append((str(path.relative_to(ROOT)), seconds, megabytes, ok))
            print(f"  measured {rows[-1][0]}", file=sys.stderr, flush=True)
    print(f"| notebook | wall time (s) | kernel peak RSS (MB) | within {TIME_TARGET_S} s / {MEMORY_TARGET_MB} MB |")
    print("| --- | ---: | ---: | --- |")
    for name, seconds, megabytes, ok in rows:
        print(f"| {name} | {seconds:.1f} | {megabytes:.0f} | {'yes' if ok else 'NO'} |")
    total = sum(row[1] for row in rows)
    print(f"| **all {len(rows)} notebooks** | {total:.1f} | max {max(r[2] for r in rows):.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
