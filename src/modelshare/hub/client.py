"""Which hub does this kernel talk to? And how to switch.

There are three hubs and one code path: the lessons call ``huggingface_hub``,
``transformers`` and ``datasets`` as you would at home; only ``HF_ENDPOINT`` and
``HF_TOKEN`` differ.

1. **huggingface.co**: your account and a write token (``HF_ENDPOINT`` unset).
2. **a classroom hub**: ``modelshare hub serve --host 0.0.0.0`` on the instructor's
   laptop; ``HF_ENDPOINT=http://<laptop>:8765`` and the token from ``modelshare hub add-user``.
3. **the local hub**: the same server on 127.0.0.1, started by ``make lab``, by
   Binder and by the tests.

On JupyterHub (``JUPYTERHUB_USER`` is set) the workshop hub runs as a JupyterHub service
and each learner's server gets its address and the learner's token when it starts:
:func:`status` calls it "the workshop hub of this JupyterHub" and says to restart the
server (not to set variables) when something is wrong.

``huggingface_hub`` reads ``HF_ENDPOINT`` once, when it is imported. So the hub is
chosen *before* the kernel starts, or with :func:`use` before anything imports
``huggingface_hub``.

Example::

    >>> import modelshare.hub
    >>> modelshare.hub.status()  # doctest: +SKIP
    Hub: the local hub at http://127.0.0.1:8765, signed in as learner.
    ...
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from urllib.parse import urlparse

HF_CO = "https://huggingface.co"


@dataclass
class HubStatus:
    """What :func:`status` found. ``ok`` is False when publishing would fail or go astray."""

    kind: str  # "huggingface.co", "local" or "classroom"
    endpoint: str
    user: str | None
    ok: bool
    problem: str | None = None
    jupyterhub: bool = False  # this kernel runs on a JupyterHub server (JUPYTERHUB_USER is set)

    def __str__(self) -> str:
        where = {"huggingface.co": "huggingface.co", "local": "the local hub",
                 "classroom": "a classroom hub"}[self.kind]
        if self.jupyterhub and self.kind != "huggingface.co":
            where = "the workshop hub of this JupyterHub"
        who = f"signed in as {self.user}" if self.user else "not signed in"
        lines = [f"Hub: {where} at {self.endpoint}, {who}."]
        if self.problem:
            lines.append(f"Problem: {self.problem}")
        lines.append(SWITCH_ON_JUPYTERHUB if self.jupyterhub else SWITCH)
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython shows str(), not the dataclass
        printer.text(str(self))


SWITCH = (
    "To switch hub, set HF_ENDPOINT and HF_TOKEN before starting Jupyter, or call\n"
    "modelshare.hub.use(endpoint, token) in a fresh kernel before importing huggingface_hub:\n"
    "  local hub:      make lab (starts it and sets both for you)\n"
    "  classroom hub:  HF_ENDPOINT=http://<instructor-laptop>:8765, token from the instructor\n"
    "  huggingface.co: unset HF_ENDPOINT, HF_TOKEN=<your write token from huggingface.co>"
)


# On JupyterHub the hub was chosen for the learner: the server's environment holds
# HF_ENDPOINT and the learner's own HF_TOKEN (deployments/jupyterhub/jupyterhub_config.py).
RESTART_SERVER = ("restart your server: File > Hub Control Panel > Stop My Server, then "
                  "Start My Server")
SWITCH_ON_JUPYTERHUB = (
    "On JupyterHub, your server got the hub and your token when it started (HF_ENDPOINT,\n"
    "HF_TOKEN). To get them again, " + RESTART_SERVER + ".\n"
    "To publish to huggingface.co instead, make this the first cell of a fresh kernel:\n"
    "  import getpass, modelshare.hub\n"
    "  modelshare.hub.use(\"https://huggingface.co\", token=getpass.getpass(\"Your write token: \"))"
)


def kind_of(endpoint: str) -> str:
    """'huggingface.co', 'local' (this machine) or 'classroom' (any other server)."""
    host = urlparse(endpoint).hostname or ""
    if host == "huggingface.co" or host.endswith(".huggingface.co") or host == "hf.co":
        return "huggingface.co"
    if host in ("127.0.0.1", "localhost", "::1"):
        return "local"
    return "classroom"


def wanted_endpoint() -> str:
    """The endpoint this environment asks for (``HF_ENDPOINT``, or huggingface.co)."""
    return (os.environ.get("HF_ENDPOINT") or HF_CO).rstrip("/")


def import_problem() -> str | None:
    """A message when huggingface_hub was imported before the hub was chosen, else None."""
    if "huggingface_hub" not in sys.modules:
        return None
    from huggingface_hub import constants

    if constants.ENDPOINT.rstrip("/") == wanted_endpoint():
        return None
    return (
        f"huggingface_hub was imported while HF_ENDPOINT pointed to {constants.ENDPOINT}; it "
        f"keeps using that hub even though HF_ENDPOINT is now {wanted_endpoint()}. Restart the "
        "kernel and choose the hub first (modelshare.hub.use(...) as the first cell, or "
        "start Jupyter with `make lab`)."
    )


def use(endpoint: str, token: str | None = None) -> None:
    """Choose the hub for this kernel; only possible before huggingface_hub is imported.

    >>> modelshare.hub.use("http://127.0.0.1:8765", token="hf_...")  # doctest: +SKIP
    """
    if "huggingface_hub" in sys.modules:
        from huggingface_hub import constants

        if constants.ENDPOINT.rstrip("/") != endpoint.rstrip("/"):
            raise RuntimeError(
                f"huggingface_hub is already imported and talks to {constants.ENDPOINT}. "
                "Restart the kernel and call modelshare.hub.use(...) before anything imports "
                "huggingface_hub, transformers or datasets."
            )
    os.environ["HF_ENDPOINT"] = endpoint.rstrip("/")
    if token is not None:
        os.environ["HF_TOKEN"] = token
    if kind_of(endpoint) != "huggingface.co":
        os.environ["HF_HUB_DISABLE_XET"] = "1"  # the workshop hub takes large files through LFS


def status() -> HubStatus:
    """Which hub, which user, and what is wrong if anything (asks the hub who you are)."""
    from huggingface_hub import HfApi, constants
    from huggingface_hub.errors import HfHubHTTPError, LocalTokenNotFoundError

    endpoint = constants.ENDPOINT.rstrip("/")
    kind = kind_of(endpoint)
    jupyterhub = bool(os.environ.get("JUPYTERHUB_USER"))
    problem = import_problem()
    if problem is None and kind != "huggingface.co" and not constants.HF_HUB_DISABLE_XET:
        problem = ("HF_HUB_DISABLE_XET is not set: large uploads to this hub will fail. Set "
                   "HF_HUB_DISABLE_XET=1 before starting the kernel (make lab does).")
    user = None
    try:
        user = HfApi(endpoint=endpoint).whoami()["name"]
    except LocalTokenNotFoundError:
        problem = problem or ("no token: your server started before JupyterHub gave it one; "
                              + RESTART_SERVER + "." if jupyterhub else
                              "no token: set HF_TOKEN to your token for this hub.")
    except HfHubHTTPError as error:
        code = error.response.status_code if error.response is not None else "?"
        problem = problem or (f"the hub answered {code}: no valid token. " + (
            "Your server may have an old one: " + RESTART_SERVER + "." if jupyterhub else
            "Set HF_TOKEN to your token for this hub."))
    except Exception as error:  # connection refused, DNS, timeout...
        problem = problem or (f"cannot reach {endpoint} ({type(error).__name__}). " + (
            "The workshop hub may be restarting: try again in a minute, then tell your "
            "instructor." if jupyterhub else "Is it running?"))
    return HubStatus(kind=kind, endpoint=endpoint, user=user, ok=problem is None,
                     problem=problem, jupyterhub=jupyterhub)
