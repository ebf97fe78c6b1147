"""How long `release.scan` takes on a 1,000-file folder (target: under 2 s).

    .venv/bin/python benchmarks/release.py [--files 1000] [--repeat 5]

The folder mixes what real release folders hold: Python and Markdown files,
JSON configs, CSV data, notebooks with outputs, small binary weights, one
skops model, one 5 MB safetensors file, and five planted problems (which
must all be found).
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from modelshare import release  # noqa: E402

TOKEN = "hf_" + "Zq7" * 12


def make_folder(root: Path, files: int) -> int:
    """Write ``files`` files under ``root``; return how many planted problems it holds."""
    rng = np.random.default_rng(0)
    text = "Some documentation about the model and how it was trained.\n" * 40
    code = "import numpy as np\n\ndef predict(x):\n    return np.tanh(x) * 2\n" * 30
    notebook = {
        "cells": [{"cell_type": "code", "source": "print('hello')", "metadata": {},
                   "outputs": [{"output_type": "stream", "name": "stdout", "text": "hello\n" * 50}],
                   "execution_count": 1}] * 10,
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    table = "age,income,education\n" + "".join(
        f"{20 + i % 50},{1000 * (i % 70)},High School\n" for i in range(400))
    makers = [
        lambda p: p.with_suffix(".md").write_text(text),
        lambda p: p.with_suffix(".py").write_text(code),
        lambda p: p.with_suffix(".json").write_text(json.dumps({"layers": list(range(200))})),
        lambda p: p.with_suffix(".csv").write_text(table),
        lambda p: p.with_suffix(".ipynb").write_text(json.dumps(notebook)),
        lambda p: p.with_suffix(".npz").write_bytes(rng.bytes(20_000)),
    ]
    for i in range(files - 6):
        sub = root / f"part{i % 20:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        makers[i % len(makers)](sub / f"file{i:04d}")
    (root / "model.safetensors").write_bytes(rng.bytes(5 * release.MB))
    (root / "config.py").write_text(f"TOKEN = '{TOKEN}'\n")
    (root / ".env").write_text("A=1\n")
    (root / "model.pkl").write_bytes(pickle.dumps(list(range(100))))
    (root / "people.csv").write_text("name,email\nAda,ada@example.org\n")
    (root / "big.bin").write_bytes(b"\1" * (release.MAX_SIZE + 1))
    return 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        planted = make_folder(root, args.files)
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        times, report = [], None
        for _ in range(args.repeat):
            start = time.perf_counter()
            report = release.scan(root)
            times.append(time.perf_counter() - start)
        found = {f.id for f in report}
        print("| files | MB | findings | planted kinds found | median s | max s | target |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print(f"| {report.files} | {size / release.MB:.0f} | {len(report)} | "
              f"{len(found & {'hf-token', 'env-file', 'pickle', 'personal-data', 'too-large'})}"
              f"/{planted} | {statistics.median(times):.3f} | {max(times):.3f} | < 2 s |")


if __name__ == "__main__":
    main()
