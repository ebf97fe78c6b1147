"""The seeded community and lesson 06's demo: time, disk and memory.

    .venv/bin/python benchmarks/community.py

Prints a Markdown table. Targets (issue 17): `modelshare hub seed` on a fresh hub
<= 30 s and <= 50 MB of new disk (MiniLM's 87 MB of weights are hard-linked from the
installed package, so they take no new disk on the same file system; the table shows
both figures); seeding again takes about a second; the Gradio demo fits a lesson
kernel (<= 700 MB with the lesson's own imports). Also: the first and a later view of
the pickle's page (the first one scans the file). Run on an otherwise idle machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from modelshare import pretrained
from modelshare.env import course_environment
from modelshare.hub.server import running

SEED_SECONDS, SEED_MB, KERNEL_MB = 30, 50, 700


def seed(hub) -> tuple[float, float]:
    """(seconds, peak MB of the seeding process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "seed", "--data",
                    str(hub.data_dir), "--endpoint", hub.endpoint], env=env, check=True,
                   capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def disk(folder: Path) -> tuple[float, float]:
    """(MB of files in the hub's folder, MB of them that are new on disk: not hard links
    to the installed MiniLM package)."""
    package = {(p.stat().st_dev, p.stat().st_ino) for p in pretrained.model_dir().rglob("*")
               if p.is_file()}
    total = new = 0
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "server.lock":
            info = path.stat()
            total += info.st_size
            if (info.st_dev, info.st_ino) not in package:
                new += info.st_size
    return total / 2**20, new / 2**20


def page_seconds(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as answer:
        answer.read()
    return time.perf_counter() - start


GRADIO_PROBE = textwrap.dedent("""
    import json, resource, urllib.request
    def rss():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    import skops.io, huggingface_hub
    from modelshare import data, example
    split = example.training_split(data.gss_wages())
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    before = rss()
    from modelshare.community import demo
    app = demo.build(model)
    url = demo.show(app)
    urllib.request.urlopen(url).read()
    after = rss()
    app.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"before": before, "after": after, "peak": peak}))
""")


def gradio_memory() -> dict:
    env = {**os.environ, **course_environment()}
    done = subprocess.run([sys.executable, "-c", GRADIO_PROBE], capture_output=True, text=True,
                          env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-community-") as data, \
            running(Path(data)) as hub:
        seconds, peak = seed(hub)
        total, new = disk(Path(data))
        rows.append(("seed a fresh hub: time", f"{seconds:.1f} s", f"<= {SEED_SECONDS} s",
                     seconds <= SEED_SECONDS))
        rows.append(("seed: new disk (all files, incl. hard-linked MiniLM)",
                     f"{new:.1f} MB ({total:.1f} MB)", f"<= {SEED_MB} MB", new <= SEED_MB))
        rows.append(("seed: peak memory of the seeding process", f"{peak:.0f} MB", "reported",
                     True))
        again, _ = seed(hub)
        rows.append(("seed again (nothing to do)", f"{again:.1f} s", "about 1-3 s", again < 10))
        url = f"{hub.endpoint}/fastmodels/income-classifier"
        first, later = page_seconds(url), page_seconds(url)
        rows.append(("pickle's page, first view (scans the file)", f"{first * 1000:.0f} ms",
                     "reported", True))
        rows.append(("pickle's page, later view (scan remembered)", f"{later * 1000:.0f} ms",
                     "reported", True))
    gradio = gradio_memory()
    rows.append(("Gradio demo: kernel before / after build+launch+one page",
                 f"{gradio['before']:.0f} / {gradio['after']:.0f} MB "
                 f"(+{gradio['after'] - gradio['before']:.0f} MB)", f"<= {KERNEL_MB} MB",
                 gradio["after"] <= KERNEL_MB))
    print("| what | measured | target | ok |")
    print("| --- | --- | --- | --- |")
    for what, measured, target, ok in rows:
        print(f"| {what} | {measured} | {target} | {'yes' if ok else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
