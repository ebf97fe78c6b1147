"""``make lab``: choose the hub, then start JupyterLab on the first lesson.

- With no ``HF_ENDPOINT`` set, start the local workshop hub in the background
  (data in ./hub-data, git-ignored) and give JupyterLab's kernels its
  ``HF_ENDPOINT``, ``HF_TOKEN`` and ``HF_HUB_DISABLE_XET=1``; seed it, also in the
  background, with the community lesson 06 browses (``modelshare hub seed``: about
  20 s the first time, a second afterwards; log in hub-data/seed.log).
- With ``HF_ENDPOINT`` set (a classroom hub, or https://huggingface.co), use that
  hub and the ``HF_TOKEN`` you exported; no local hub is started.

Usage::

    make lab                                                   # local hub
    HF_ENDPOINT=http://192.168.1.20:8765 HF_TOKEN=hf_... make lab  # classroom hub
    .venv/bin/python tools/lab.py --no-browser                 # extra args go to JupyterLab
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from modelshare.env import course_environment
from modelshare.hub.client import kind_of
from modelshare.hub.server import DEFAULT_PORT, Hub, start

ROOT = Path(__file__).resolve().parents[1]
FIRST_LESSON = "lessons/00_setup.ipynb"


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def choose_hub(environ: dict[str, str]) -> tuple[dict[str, str], Hub | None]:
    """(variables for the kernels, the local hub we started or None)."""
    endpoint = environ.get("HF_ENDPOINT")
    if endpoint:
        print(f"Using the hub at {endpoint} ({kind_of(endpoint)}): HF_ENDPOINT is set.")
        if not environ.get("HF_TOKEN"):
            print("Warning: HF_TOKEN is not set; you can read public repos but not publish.")
        extra = {} if kind_of(endpoint) == "huggingface.co" else {"HF_HUB_DISABLE_XET": "1"}
        return extra, None
    port = DEFAULT_PORT if port_is_free(DEFAULT_PORT) else None
    data = Path(environ.get("MODELSHARE_HUB_DATA") or ROOT / "hub-data")  # tests use a temp folder
    try:
        hub = start(data, port)
    except RuntimeError as error:
        if "already serving" in str(error):
            sys.exit("Another `make lab` (or `modelshare hub serve`) already serves hub-data/: "
                     "use that JupyterLab, or stop it first.")
        raise
    shown = data.relative_to(ROOT) if data.is_relative_to(ROOT) else data
    print(f"Local workshop hub: {hub.endpoint} (user {hub.user}, data in {shown}/, "
          f"log in {shown}/server.log). Browse your repos there.")
    return hub.env(), hub


def seed_in_background(hub: Hub) -> subprocess.Popen:
    """``modelshare hub seed`` next to JupyterLab: lesson 06 needs it, lesson 00 does not."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    with open(hub.data_dir / "seed.log", "a") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "modelshare.cli", "hub", "seed", "--data", str(hub.data_dir),
             "--endpoint", hub.endpoint], env={**env, **course_environment()},
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def lab_command(extra_args: list[str]) -> list[str]:
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={ROOT}", FIRST_LESSON]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root
    return command + extra_args


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # `kill` (SIGTERM) stops the lab and the hub like Ctrl-C does


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    env_for_kernels, hub = choose_hub(dict(os.environ))
    env = {**os.environ, **env_for_kernels, **course_environment()}  # one thread, fixed hashing
    seeding = seed_in_background(hub) if hub is not None else None
    if seeding is not None:
        print("Seeding the community that lesson 06 browses, in the background (log in "
              "hub-data/seed.log).")
    print("Starting JupyterLab; open the URL it prints below (with its token).", flush=True)
    lab = subprocess.Popen(lab_command(argv), env=env, cwd=ROOT)
    try:
        return lab.wait()
    except KeyboardInterrupt:
        lab.terminate()
        try:
            lab.wait(timeout=15)
        except subprocess.TimeoutExpired:
            lab.kill()
        return 0
    finally:
        if seeding is not None and seeding.poll() is None:
            seeding.terminate()  # a later `make lab` finishes what is missing
            try:
                seeding.wait(timeout=15)
            except subprocess.TimeoutExpired:
                seeding.kill()
        if hub is not None:
            hub.stop()
            print("Local hub stopped (your repos stay in hub-data/).")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
