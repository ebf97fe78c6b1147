"""Run the course's JupyterHub on this machine, on loopback, and act as its learners.

A rehearsal before a workshop, the test (``tests/test_jupyterhub.py``) and the load check
(``benchmarks/jupyterhub.py``) all use it. It starts the real JupyterHub (from PyPI) with
the real ``configurable-http-proxy`` (from npm, ``make jupyterhub-proxy``), loads
``jupyterhub_config.py`` from this folder unchanged, and adds what only a single machine
needs: free ports on 127.0.0.1, state in one folder, a shared password
(``SharedPasswordAuthenticator``) and ``SimpleLocalProcessSpawner`` (servers run as the
same system user, in ``STATE/home/NAME``: fine for a rehearsal, never for a real class).

Learners are driven the way JupyterLab drives a server: log in through the login form,
start a server through the REST API, open a notebook session, and run its cells over the
kernel's websocket.

Example::

    >>> with LocalJupyterHub(Path("/tmp/rehearsal")) as jhub:
    ...     ada = jhub.learner("ada")
    ...     ada.start_server()
    ...     ada.open_notebook(Path("lessons/00_setup.ipynb"))
    ...     ada.run("from modelshare import hub; hub.status()")
    'Hub: the local hub at http://127.0.0.1:..., signed in as ada. ...'

A rehearsal you can click through (stop with Ctrl-C)::

    .venv/bin/python deployments/jupyterhub/local.py --users ada,bob
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import websocket

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tests"))
from servers import free_port  # noqa: E402  (the project's one copy)

CONFIG = HERE / "jupyterhub_config.py"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
RUN_MARKER = "MODELSHARE_JUPYTERHUB_RUN"  # set in every process of one run, to find them all
INSTRUCTOR = "instructor"

LOCAL_CONFIG = """\
# Written by deployments/jupyterhub/local.py: single-machine settings, then the course's config.
import json, os
settings = json.loads(os.environ["MODELSHARE_LOCAL_SETTINGS"])
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.JupyterHub.db_url = "sqlite:///" + settings["state"] + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = settings["state"] + "/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = settings["state"] + "/jupyterhub.pid"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % settings["proxy_api_port"]
c.ConfigurableHTTPProxy.pid_file = settings["state"] + "/proxy.pid"
c.ConfigurableHTTPProxy.debug = False
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["MODELSHARE_LEARNER_PASSWORD"]
c.SharedPasswordAuthenticator.admin_password = os.environ["MODELSHARE_INSTRUCTOR_PASSWORD"]
c.Authenticator.admin_users = {settings["instructor"]}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = settings["state"] + "/home/{username}"
c.Spawner.args = settings["server_args"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = settings["start_timeout"]
c.Spawner.http_timeout = settings["start_timeout"]
c.Spawner.environment = {settings["marker"]: settings["run_id"]}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.shutdown_on_logout = False
c.JupyterHub.services = []  # as The Littlest JupyterHub does before its jupyterhub_config.d
load_subconfig(settings["config"])
for service in c.JupyterHub.services:  # so that stop() finds the workshop hub too
    service.setdefault("environment", {})[settings["marker"]] = settings["run_id"]
"""


class JupyterHubError(RuntimeError):
    """JupyterHub or a learner's server did something a learner would see as broken."""


@dataclass
class LocalJupyterHub:
    """JupyterHub + proxy + workshop hub on loopback, state in ``state``; stop() ends them all."""

    state: Path
    start_timeout: int = 120
    url: str = ""
    workshop_hub_url: str = ""
    learner_password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    instructor_password: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def log(self) -> Path:
        return self.state / "jupyterhub.log"

    @property
    def workshop_hub_data(self) -> Path:
        return self.state / "workshop-hub"

    def start(self) -> LocalJupyterHub:
        if not PROXY.exists():
            raise JupyterHubError(f"configurable-http-proxy is not installed at {PROXY}: run "
                                  "`make jupyterhub-proxy` (npm ci in deployments/jupyterhub)")
        self.state = self.state.resolve()
        self.state.mkdir(parents=True, exist_ok=True)
        port, hub_port, proxy_api_port, workshop_port = (free_port() for _ in range(4))
        self.url = f"http://127.0.0.1:{port}"
        self.workshop_hub_url = f"http://127.0.0.1:{workshop_port}"
        root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
        settings = {
            "port": port, "hub_port": hub_port, "proxy_api_port": proxy_api_port,
            "state": str(self.state), "proxy": str(PROXY), "config": str(CONFIG),
            "instructor": INSTRUCTOR, "marker": RUN_MARKER, "run_id": self.run_id,
            "start_timeout": self.start_timeout,
            # Jupyter refuses to run as root without this; containers and CI often are root.
            "server_args": ["--allow-root"] if root else [],
        }
        config = self.state / "jupyterhub_local_config.py"
        config.write_text(LOCAL_CONFIG)
        bin_dir = str(Path(sys.executable).parent)  # jupyterhub-singleuser and modelshare
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("HF_", "JUPYTERHUB_"))},
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            "MODELSHARE_LOCAL_SETTINGS": json.dumps(settings),
            "MODELSHARE_LEARNER_PASSWORD": self.learner_password,
            "MODELSHARE_INSTRUCTOR_PASSWORD": self.instructor_password,
            "MODELSHARE_HUB_DATA": str(self.workshop_hub_data),
            "MODELSHARE_HUB_PORT": str(workshop_port),
            RUN_MARKER: self.run_id,
        }
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [str(Path(bin_dir) / "jupyterhub"), "-f", str(config)], cwd=self.state, env=env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            self._wait_for(f"{self.url}/hub/api", "JupyterHub")
            self._wait_for(f"{self.workshop_hub_url}/api/status", "the workshop hub service")
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_for(self, url: str, what: str) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise JupyterHubError(f"JupyterHub stopped (exit code {self.process.returncode}) "
                                      f"before {what} answered; its log says:\n{self.tail()}")
            try:
                if requests.get(url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.25)
        raise JupyterHubError(f"{what} did not answer at {url} within {self.start_timeout} s; "
                              f"JupyterHub's log says:\n{self.tail()}")

    def tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def processes(self) -> list[psutil.Process]:
        """Every live process of this run: JupyterHub, proxy, servers, kernels, workshop hub."""
        found = []
        for proc in psutil.process_iter():
            try:
                if proc.environ().get(RUN_MARKER) == self.run_id:
                    found.append(proc)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
        return [proc for proc in found if proc.pid != os.getpid()]

    def stop(self) -> None:
        """Stop JupyterHub (it stops servers, proxy and service), then end any straggler."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        leftovers = self.processes()
        for proc in leftovers:
            try:
                proc.terminate()
            except psutil.NoSuchProcess:
                pass
        _, alive = psutil.wait_procs(leftovers, timeout=10)
        for proc in alive:
            try:
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=10)

    def __enter__(self) -> LocalJupyterHub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def learner(self, name: str) -> Learner:
        password = self.instructor_password if name == INSTRUCTOR else self.learner_password
        return Learner(self, name, password)


@dataclass
class Learner:
    """One person at a browser, reduced to the requests a browser and JupyterLab send."""

    jhub: LocalJupyterHub
    name: str
    password: str
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    token: str = ""
    kernel_id: str = ""
    start_seconds: float = 0.0
    client_session: str = ""
    reconnects: int = 0
    stderr: str = ""
    displays: list[str] = field(default_factory=list)
    _ws: websocket.WebSocket | None = field(default=None, repr=False)

    # -- JupyterHub ----------------------------------------------------------------------

    def log_in(self) -> None:
        """Fill in the login form, then ask for an API token as the token page does."""
        hub = f"{self.jhub.url}/hub"
        page = self.session.get(f"{hub}/login", timeout=30)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        reply = self.session.post(
            f"{hub}/login", timeout=30, allow_redirects=False,
            data={"username": self.name, "password": self.password,
                  "_xsrf": xsrf.group(1) if xsrf else ""},
        )
        if reply.status_code != 302:
            raise JupyterHubError(f"{self.name} could not log in: HTTP {reply.status_code}")
        home = self.session.get(f"{hub}/token", timeout=30).text
        xsrf = re.search(r'xsrf_token:\s*"([^"]+)"', home)
        reply = self.session.post(
            f"{hub}/api/users/{self.name}/tokens", timeout=30,
            headers={"X-XSRFToken": xsrf.group(1) if xsrf else ""},
            json={"note": "local.py learner", "expires_in": 3600},
        )
        if reply.status_code != 201:
            raise JupyterHubError(f"{self.name} got no API token: HTTP {reply.status_code} "
                                  f"{reply.text[:300]}")
        self.token = reply.json()["token"]

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to JupyterHub (``/hub/...``) or to this learner's server (``/user/...``)."""
        headers = {"Authorization": f"token {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.jhub.url}{path}", headers=headers,
                                timeout=kwargs.pop("timeout", 60), **kwargs)

    def start_server(self) -> float:
        """Start this learner's server and wait until it answers; return the seconds it took."""
        if not self.token:
            self.log_in()
        began = time.monotonic()
        reply = self.api("POST", f"/hub/api/users/{self.name}/server")
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise JupyterHubError(f"starting {self.name}'s server: HTTP {reply.status_code} "
                                  f"{reply.text[:500]}")
        deadline = began + self.jhub.start_timeout
        while time.monotonic() < deadline:
            user = self.api("GET", f"/hub/api/users/{self.name}").json()
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                if self.api("GET", f"/user/{self.name}/api/status").status_code == 200:
                    self.start_seconds = time.monotonic() - began
                    return self.start_seconds
            elif not user.get("pending") and reply.status_code != 400 and \
                    time.monotonic() - began > 5 and not server:
                raise JupyterHubError(f"{self.name}'s server failed to start; JupyterHub's log "
                                      f"says:\n{self.jhub.tail()}")
            time.sleep(0.25)
        raise JupyterHubError(f"{self.name}'s server was not ready after "
                              f"{self.jhub.start_timeout} s:\n{self.jhub.tail()}")

    def stop_server(self) -> None:
        self.close_kernel()
        self.api("DELETE", f"/hub/api/users/{self.name}/server")

    # -- the learner's own server (what JupyterLab does) -----------------------------------

    def open_notebook(self, notebook: Path) -> str:
        """Upload a notebook into the learner's home and open it: a session with a kernel."""
        content = json.loads(notebook.read_text())
        reply = self.api("PUT", f"/user/{self.name}/api/contents/{notebook.name}",
                         json={"type": "notebook", "format": "json", "content": content})
        if reply.status_code not in (200, 201):
            raise JupyterHubError(f"upload to {self.name}'s server: HTTP {reply.status_code}")
        reply = self.api("POST", f"/user/{self.name}/api/sessions",
                         json={"path": notebook.name, "type": "notebook", "name": notebook.name,
                               "kernel": {"name": "python3"}})
        if reply.status_code != 201:
            raise JupyterHubError(f"kernel for {self.name}: HTTP {reply.status_code} {reply.text}")
        self.kernel_id = reply.json()["kernel"]["id"]
        self.client_session = uuid.uuid4().hex
        self._connect()
        return self.kernel_id

    def _connect(self) -> None:
        """Open the kernel's websocket. With the same session id, as JupyterLab does, the
        server keeps the kernel's messages while the connection is down and replays them."""
        ws_url = self.jhub.url.replace("http", "ws", 1)
        self._ws = websocket.create_connection(
            f"{ws_url}/user/{self.name}/api/kernels/{self.kernel_id}/channels"
            f"?session_id={self.client_session}",
            header=[f"Authorization: token {self.token}"], timeout=self.jhub.start_timeout,
        )

    def _receive(self) -> dict:
        try:
            return json.loads(self._ws.recv())
        except websocket.WebSocketConnectionClosedException:
            # The server closes a connection whose pings go unanswered for 30 s, which a
            # very busy machine can cause; reconnect once per loss, as JupyterLab does.
            self.reconnects += 1
            self._connect()
            return json.loads(self._ws.recv())

    def run(self, code: str, timeout: float = 300) -> str:
        """Run one cell in the learner's kernel; return what it showed (text), raise on error.

        What it shows is stdout and the cell's result; stderr (warnings) and displays
        (progress bars, widgets) are kept apart in ``self.stderr`` and ``self.displays``.
        """
        msg_id = uuid.uuid4().hex
        self._ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                       "session": self.client_session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        shown, error, idle, replied = [], None, False, False
        self.stderr, self.displays = "", []
        deadline = time.monotonic() + timeout
        while not (idle and replied):
            if time.monotonic() > deadline:
                raise JupyterHubError(f"a cell in {self.name}'s kernel ran over {timeout} s")
            message = self._receive()
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content["name"] == "stderr":
                self.stderr += content["text"]
            elif kind == "stream":
                shown.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                data = content["data"]
                text = data.get("text/markdown") or data.get("text/plain", "")
                (shown if kind == "execute_result" else self.displays).append(text)
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
        if error:
            raise JupyterHubError(f"a cell failed in {self.name}'s kernel: {error}\n{code}")
        return "\n".join(shown)

    def run_notebook(self, notebook: Path) -> list[str]:
        """Open ``notebook`` on the learner's server and run its code cells in order."""
        self.open_notebook(notebook)
        cells = json.loads(notebook.read_text())["cells"]
        return [self.run("".join(cell["source"])) for cell in cells if cell["cell_type"] == "code"]

    def close_kernel(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self.kernel_id:
            self.api("DELETE", f"/user/{self.name}/api/kernels/{self.kernel_id}")
            self.kernel_id = ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state", type=Path, default=Path("jupyterhub-state"),
                        help="folder for JupyterHub's and the workshop hub's data")
    args = parser.parse_args(argv)
    with LocalJupyterHub(args.state) as jhub:
        print(f"JupyterHub: {jhub.url} (log in as any name with password "
              f"{jhub.learner_password}; as {INSTRUCTOR!r} with {jhub.instructor_password})")
        print(f"Workshop hub: {jhub.workshop_hub_url}. Ctrl-C stops everything.", flush=True)
        try:
            jhub.process.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
