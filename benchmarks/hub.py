"""How fast is the workshop hub? Two measurements, against targets from the course design.

1. Round trip of one large file (default 100 MB) through ``huggingface_hub``:
   ``upload_file`` (LFS) then ``hf_hub_download``, compared with a plain file copy
   on the same disk. Target: round trip <= 3x the plain copy.
2. Commit latency with many clients at once (default 30 processes, each making
   small commits to the same repo): p50 and p95 of ``create_commit``.
   Target: p95 <= 1 s.

Usage::

    .venv/bin/python benchmarks/hub.py [--size-mb 100] [--clients 30] [--commits 5]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from modelshare.env import course_environment

os.environ.update(course_environment())  # one thread, no telemetry
os.environ["HF_HUB_DISABLE_XET"] = "1"  # before huggingface_hub is imported
os.environ.pop("HF_ENDPOINT", None)

from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download  # noqa: E402

from modelshare.hub.server import running  # noqa: E402


def write_random(path: Path, size: int) -> None:
    with open(path, "wb") as out:
        for _ in range(size // (1 << 20)):
            out.write(os.urandom(1 << 20))
        out.write(os.urandom(size % (1 << 20)))


def plain_copy(source: Path, target: Path) -> float:
    start = time.perf_counter()
    shutil.copyfile(source, target)
    with open(target, "rb+") as handle:  # the hub syncs what it stores: do the same
        os.fsync(handle.fileno())
    return time.perf_counter() - start


def round_trip(hub, source: Path, cache: Path) -> tuple[float, float]:
    api = HfApi(endpoint=hub.endpoint, token=hub.token)
    api.create_repo("learner/big", exist_ok=True)
    start = time.perf_counter()
    api.upload_file(path_or_fileobj=str(source), path_in_repo="big.bin", repo_id="learner/big")
    uploaded = time.perf_counter()
    hf_hub_download("learner/big", "big.bin", endpoint=hub.endpoint, token=hub.token,
                    cache_dir=cache, force_download=True)
    return uploaded - start, time.perf_counter() - uploaded


def client(args: tuple[str, str, int, int, multiprocessing.Barrier]) -> list[float]:
    endpoint, token, number, commits, barrier = args
    api = HfApi(endpoint=endpoint, token=token)
    api.model_info("learner/busy")  # warm up: lazy imports and the HTTP connection
    barrier.wait()
    latencies = []
    for index in range(commits):
        operation = CommitOperationAdd(f"client-{number}/commit-{index}.txt",
                                       f"client {number} commit {index}\n".encode())
        start = time.perf_counter()
        api.create_commit("learner/busy", operations=[operation],
                          commit_message=f"client {number} commit {index}")
        latencies.append(time.perf_counter() - start)
    return latencies


def commit_latency(hub, clients: int, commits: int) -> list[float]:
    HfApi(endpoint=hub.endpoint, token=hub.token).create_repo("learner/busy", exist_ok=True)
    with multiprocessing.Manager() as manager:
        barrier = manager.Barrier(clients)
        jobs = [(hub.endpoint, hub.token, n, commits, barrier) for n in range(clients)]
        with multiprocessing.Pool(clients) as pool:
            results = pool.map(client, jobs)
    made = len(HfApi(endpoint=hub.endpoint, token=hub.token).list_repo_commits("learner/busy"))
    assert made == clients * commits + 1, f"lost commits: {made - 1} of {clients * commits}"
    return [latency for latencies in results for latency in latencies]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--commits", type=int, default=5, help="commits per client")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=Path.cwd()) as scratch:  # same disk as hub-data
        scratch = Path(scratch)
        source = scratch / "big.bin"
        write_random(source, args.size_mb * (1 << 20))
        with running(scratch / "hub") as hub:
            copy = plain_copy(source, scratch / "copy.bin")
            upload, download = round_trip(hub, source, scratch / "cache")
            total = upload + download
            print(f"{args.size_mb} MB plain copy:   {copy:6.2f} s")
            print(f"{args.size_mb} MB upload:       {upload:6.2f} s")
            print(f"{args.size_mb} MB download:     {download:6.2f} s")
            print(f"round trip / plain copy: {total / copy:5.1f}x  (target <= 3x)")
            print(f"round trip / two copies: {total / (2 * copy):5.1f}x  (a round trip moves "
                  "the file twice)")

            latencies = sorted(commit_latency(hub, args.clients, args.commits))
            p50 = statistics.median(latencies)
            p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
            print(f"{args.clients} clients x {args.commits} commits: p50 {p50:.3f} s, "
                  f"p95 {p95:.3f} s, max {latencies[-1]:.3f} s  (target p95 <= 1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
