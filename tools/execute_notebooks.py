"""Re-execute index.ipynb, lessons/ and solutions/ and write their outputs back.

    python tools/execute_notebooks.py                 # every lesson and solution
    python tools/execute_notebooks.py lessons/00_setup.ipynb

Uses the same settings as `make test` (one BLAS/torch thread, strict
feedback, a fresh local hub, no downloads), so the outputs it stores are the
ones nbval expects. Run it in the pinned environment (.venv) after changing
a lesson, then run `make exercises` and commit all three folders.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from modelshare.env import course_environment

ROOT = Path(__file__).resolve().parents[1]

# What `make test` runs notebooks with: the course environment (one source:
# src/modelshare/env/course.env), a local hub that takes large files through LFS, strict feedback.
NOTEBOOK_ENV = {**course_environment(), "HF_HUB_DISABLE_XET": "1", "MODELSHARE_STRICT": "1"}

@contextlib.contextmanager
def course_hub():
    """A fresh local hub for the run, exported to the kernels' environment."""
    from modelshare.hub.server import running

    with tempfile.TemporaryDirectory(prefix="modelshare-hub-") as data, running(Path(data)) as hub:
        # the community lesson 06 browses, seeded as `make lab` and the tests do
        subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "seed", "--data", data,
                        "--endpoint", hub.endpoint], check=True, stdout=subprocess.DEVNULL,
                       env={k: v for k, v in os.environ.items() if not k.startswith("HF_")})
        os.environ.update(hub.env())
        yield hub


def execute(path: Path, timeout: int = 600) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    # Execution timestamps and widget state (about 1 MB, new ids each run) would
    # make every run a diff; nbval never compares them.
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(notebook, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.paths or [ROOT / "index.ipynb"] + sorted(
        [*ROOT.glob("lessons/[0-9][0-9]_*.ipynb"), *ROOT.glob("solutions/[0-9][0-9]_*.ipynb")]
    )
    os.environ.update(NOTEBOOK_ENV)
    with course_hub():
        for path in paths:
            print(f"executing {path.relative_to(ROOT) if path.is_absolute() else path} ...", flush=True)
            print(f"  done in {execute(path.resolve()):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
