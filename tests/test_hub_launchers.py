"""start (Binder) and tools/lab.py hand the local hub to the kernels."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hub_helpers import BIN
from servers import free_port

ROOT = Path(__file__).resolve().parents[1]

PRINT_ENV = ("import json, os; print(json.dumps({k: v for k, v in os.environ.items() "
             "if k.startswith('HF_')}))")


def test_binder_start_runs_the_command_with_the_local_hub(tmp_path):
    data = tmp_path / "hub-data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env |= {"HUB_DATA": str(data), "HUB_PORT": str(free_port()),
            "PATH": f"{BIN}{os.pathsep}{env['PATH']}"}
    try:
        result = subprocess.run(
            ["bash", str(ROOT / "start"), sys.executable, "-c",
             PRINT_ENV + "; from modelshare.hub import status; print(status().user)"],
            env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        seen = json.loads(result.stdout.splitlines()[0])
        assert seen["HF_ENDPOINT"] == f"http://127.0.0.1:{env['HUB_PORT']}"
        assert seen["HF_TOKEN"] == (data / "tokens" / "learner.token").read_text().strip()
        assert seen["HF_HUB_DISABLE_XET"] == "1"
        assert result.stdout.splitlines()[1] == "learner"
    finally:
        pid_file = data / "server.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), signal.SIGTERM)


def load_lab():
    spec = importlib.util.spec_from_file_location("lab", ROOT / "tools" / "lab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_lab_keeps_a_hub_chosen_by_the_environment(capsys):
    lab = load_lab()
    extra, hub = lab.choose_hub({"HF_ENDPOINT": "http://192.168.1.20:8765", "HF_TOKEN": "hf_x"})
    assert (extra, hub) == ({"HF_HUB_DISABLE_XET": "1"}, None)
    extra, hub = lab.choose_hub({"HF_ENDPOINT": "https://huggingface.co"})
    assert (extra, hub) == ({}, None)
    assert "HF_TOKEN is not set" in capsys.readouterr().out
    assert lab.lab_command(["--no-browser"])[-1] == "--no-browser"
    assert lab.FIRST_LESSON in lab.lab_command([])


@pytest.mark.slow
def test_make_lab_serves_the_first_lesson_and_stops_cleanly(tmp_path):
    """`make lab` runs tools/lab.py: the URL it prints answers 200 on lesson 00."""
    import re
    import time
    import urllib.error
    import urllib.request

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env |= {"MODELSHARE_HUB_DATA": str(tmp_path / "hub-data"), "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    lab = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "lab.py"), "--no-browser", f"--port={port}",
         "--ServerApp.port_retries=0", "--IdentityProvider.token=lab-test"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    lines: list[str] = []
    status = None
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, no proxy
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = lab.stdout.readline()
            if not line:
                break
            lines.append(line)
            if re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=", line):
                break
        printed = "".join(lines)
        assert f"http://127.0.0.1:{port}/lab?token=" in printed, "no URL printed:\n" + printed
        assert "Local workshop hub: http://127.0.0.1:" in printed
        lesson = f"http://127.0.0.1:{port}/lab/tree/lessons/00_setup.ipynb?token=lab-test"
        for _ in range(100):  # the URL is printed a moment before the server accepts
            try:
                with direct.open(lesson, timeout=30) as answer:
                    status = answer.status
                break
            except urllib.error.URLError:
                time.sleep(0.2)
        assert status == 200
        contents = f"http://127.0.0.1:{port}/api/contents/lessons/00_setup.ipynb?token=lab-test&content=0"
        with direct.open(contents, timeout=30) as answer:
            assert json.loads(answer.read())["name"] == "00_setup.ipynb"
    finally:
        lab.send_signal(signal.SIGTERM)
        rest, _ = lab.communicate(timeout=60)
    assert "Local hub stopped" in rest
