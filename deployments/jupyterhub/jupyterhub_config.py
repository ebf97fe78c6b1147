"""JupyterHub configuration for the course: the workshop hub as a JupyterHub service.

What it does:

1. JupyterHub starts ``modelshare hub serve`` as a *managed service* named
   ``workshop-hub`` (JupyterHub restarts it if it dies and stops it on shutdown).
   Its data (one SQLite file and the uploaded files) live in ``MODELSHARE_HUB_DATA``.
2. Before each learner's server starts, a pre-spawn hook gives that learner a
   workshop-hub account (``modelshare hub add-user NAME``) and puts its token in
   the server's environment with ``HF_ENDPOINT``, so every kernel publishes to the
   workshop hub as that learner. Nobody sees or types a token.
3. JupyterHub's admins (e.g. ``c.Authenticator.admin_users``) become the workshop hub's
   admins when their server starts: they see every learner's repos, private ones
   included, but write only to their own namespace, like everyone.
4. The workshop hub's web pages are at ``https://YOUR-JUPYTERHUB/services/workshop-hub/``
   (listed under Services on JupyterHub's home page), through JupyterHub's proxy: no
   tunnel. There they show nothing until you sign in with your token (in a JupyterLab
   terminal: ``echo $HF_TOKEN``).

Use it as it is (``jupyterhub -f jupyterhub_config.py``), or load it from a deployment's
own config (it only adds to what that config set):

* The Littlest JupyterHub: copy it to ``/opt/tljh/config/jupyterhub_config.d/``.
* Zero to JupyterHub: ``hub.extraFiles`` mounts it into the hub's ``jupyterhub_config.d``
  (``deployments/jupyterhub/z2jh-values.yaml``).
* This machine, for a rehearsal, the test and the benchmark: ``deployments/jupyterhub/local.py``.
* Recipes for all three: ``instructors/jupyterhub.md``.

Settings come from environment variables of the JupyterHub process; all are optional:

- ``MODELSHARE_HUB_DATA``: the workshop hub's data folder. Keep it on persistent storage.
  Default: ``workshop-hub`` in JupyterHub's working folder, next to ``jupyterhub.sqlite``.
- ``MODELSHARE_HUB_PORT``: the port the workshop hub listens on. Default: 8765.
- ``MODELSHARE_HUB_BIND``: the address it listens on. Default: 127.0.0.1; 0.0.0.0 on
  Kubernetes, where learners' servers run in other pods.
- ``MODELSHARE_HUB_URL``: the address kernels use (their ``HF_ENDPOINT``).
  Default: ``http://127.0.0.1:PORT``.
- ``MODELSHARE_COMMAND``: the ``modelshare`` program. Default: beside JupyterHub's Python,
  else on PATH, else in The Littlest JupyterHub's user environment.

The hook runs the ``modelshare`` command rather than importing ``modelshare``, so JupyterHub's
own environment needs nothing from the course (on TLJH and on Kubernetes it is a different one).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
from pathlib import Path

# `c`, the configuration, is defined by whoever runs this file: JupyterHub's config loader
# (jupyterhub -f, TLJH's jupyterhub_config.d) and Zero to JupyterHub's jupyterhub_config.d loop,
# where `get_config` means something else. So this file uses `c` and never calls get_config().
c = globals()["c"]

SERVICE = "workshop-hub"


def _setting(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


TLJH_USER_ENV = Path("/opt/tljh/user/bin/modelshare")  # The Littlest JupyterHub's learners' env


def modelshare_command() -> list[str]:
    """The ``modelshare`` program: MODELSHARE_COMMAND, else beside this Python, else on PATH,
    else in The Littlest JupyterHub's user environment."""
    configured = os.environ.get("MODELSHARE_COMMAND", "").strip()
    if configured:
        return [configured]
    beside = Path(sys.executable).with_name("modelshare")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("modelshare")
    if found:
        return [found]
    if TLJH_USER_ENV.exists():
        return [str(TLJH_USER_ENV)]
    # JupyterHub then logs "No such file" when it starts the service: say what to do instead.
    raise SystemExit(
        "jupyterhub_config.py: the `modelshare` command was not found. Install the course "
        "package where learners' kernels run and set MODELSHARE_COMMAND to its `modelshare` "
        "program (The Littlest JupyterHub: /opt/tljh/user/bin/modelshare)."
    )


HUB_DATA = Path(_setting("MODELSHARE_HUB_DATA", "workshop-hub")).resolve()
HUB_PORT = int(_setting("MODELSHARE_HUB_PORT", "8765"))
HUB_BIND = _setting("MODELSHARE_HUB_BIND", "127.0.0.1")
HUB_URL = _setting("MODELSHARE_HUB_URL", f"http://127.0.0.1:{HUB_PORT}").rstrip("/")
MODELSHARE = modelshare_command()


def course_environment() -> dict[str, str]:
    """The course's one-thread, fixed-hashing settings, from their one source (the package's
    ``env/course.env``): imported where JupyterHub's Python has the course package (this
    machine, Dockerfile.hub), else through ``modelshare env course --json`` (The Littlest
    JupyterHub, whose learners' environment is another one). Many learners share the
    cores, and one BLAS thread per kernel is what keeps training fast."""
    import subprocess

    try:
        from modelshare.env import course_environment as read_course_env
    except ImportError:
        pass
    else:
        return read_course_env()
    try:
        answer = subprocess.run([*MODELSHARE, "env", "course", "--json"], capture_output=True,
                                text=True, timeout=60, check=True)
        return {str(k): str(v) for k, v in json.loads(answer.stdout).items()}
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise SystemExit(f"jupyterhub_config.py: `{' '.join(MODELSHARE)} env course --json` "
                         f"failed ({error}); is the course package installed there?") from None


COURSE_ENV = course_environment()


# The name the workshop hub accepts (modelshare.hub.server.safety.check_name):
# letters, digits, '.', '_', '-', starting and ending with a letter or digit.
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9._-]+")


def workshop_hub_name(jupyterhub_name: str) -> str:
    """A JupyterHub user name as a workshop-hub user name: 'ada' stays 'ada',
    'ada@uni.edu' becomes 'ada-uni.edu' (characters the hub refuses become '-')."""
    name = _NOT_ALLOWED.sub("-", jupyterhub_name)
    name = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", name))
    return name.strip("._-")[:96].strip("._-")


def claim_workshop_hub_name(jupyterhub_name: str) -> str:
    """The learner's workshop-hub name, refusing one that another JupyterHub user already has
    ('ada@uni.edu' and 'ada-uni.edu' would otherwise share an account and its repos).

    Who has which name is kept in HUB_DATA/jupyterhub-users.json. Hooks run one at a time on
    JupyterHub's event loop, and nothing here awaits, so two spawns cannot interleave.
    """
    name = workshop_hub_name(jupyterhub_name)
    if not name:
        raise RuntimeError(f"JupyterHub user {jupyterhub_name!r} has no usable workshop-hub "
                           "name: use letters or digits in user names")
    owners_file = HUB_DATA / "jupyterhub-users.json"
    owners = json.loads(owners_file.read_text()) if owners_file.exists() else {}
    owner = owners.get(name)
    if owner not in (None, jupyterhub_name):
        raise RuntimeError(f"JupyterHub users {owner!r} and {jupyterhub_name!r} would share the "
                           f"workshop-hub account {name!r}: rename one of them")
    if owner is None:
        owners[name] = jupyterhub_name
        HUB_DATA.mkdir(parents=True, exist_ok=True)
        partial = owners_file.with_suffix(".json.tmp")
        partial.write_text(json.dumps(owners, indent=1, sort_keys=True))
        partial.replace(owners_file)  # atomic: a crash leaves the old file or the new one
    return name


# -- 1. the workshop hub, started and watched by JupyterHub -----------------------------

WORKSHOP_HUB_SERVICE = {
    "name": SERVICE,
    # The hub serves its web pages under the path JupyterHub's proxy gives it
    # (JUPYTERHUB_SERVICE_PREFIX, /services/workshop-hub/): anyone who reaches JupyterHub
    # reaches them, so there every page and API call needs a learner's token (pages: Sign in).
    "command": [*MODELSHARE, "hub", "serve", "--data", str(HUB_DATA), "--host", HUB_BIND,
                "--port", str(HUB_PORT)],
    # JupyterHub waits for this address at start-up and routes /services/workshop-hub/ to it;
    # kernels talk to it directly (HF_ENDPOINT), without the proxy hop.
    "url": HUB_URL,
    "display": True,  # listed under Services on JupyterHub's home page
    "environment": dict(COURSE_ENV),
}
# Append, never assign: loaded with load_subconfig (The Littlest JupyterHub's
# jupyterhub_config.d), an assignment would replace the services configured before this
# file, such as the idle culler; an append is merged into them.
if isinstance(c.JupyterHub.get("services"), list):
    c.JupyterHub.services = [s for s in c.JupyterHub.services if s.get("name") != SERVICE]
c.JupyterHub.services.append(WORKSHOP_HUB_SERVICE)


# -- 2. every learner gets a workshop-hub account and its token, before the server starts --

async def give_workshop_hub_token(spawner) -> None:
    """Create (or find) the learner's workshop-hub account; put its token in the environment.

    ``modelshare hub add-user NAME`` prints the user's token (the workshop hub keeps its users
    in HUB_DATA, so the service does not need to be restarted).
    """
    name = claim_workshop_hub_name(spawner.user.name)
    # JupyterHub's admins (instructors) may read every learner's repos, private ones too.
    admin = "--admin" if spawner.user.admin else "--no-admin"
    process = await asyncio.create_subprocess_exec(
        *MODELSHARE, "hub", "add-user", name, "--data", str(HUB_DATA), admin,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
    )
    try:  # the token is the last line on stdout; notes and errors may come on stderr
        output, notes = await asyncio.wait_for(process.communicate(), timeout=60)
    except TimeoutError:
        process.kill()
        raise RuntimeError(f"`modelshare hub add-user {name}` did not answer within 60 s; is "
                           f"{HUB_DATA} on a slow or locked disk?") from None
    lines = output.decode(errors="replace").strip().splitlines()
    token = lines[-1].strip() if lines else ""
    if process.returncode != 0 or not token.startswith("hf_"):
        said = " ".join([*lines, *notes.decode(errors="replace").split()])[-500:]
        raise RuntimeError(f"could not give {spawner.user.name!r} a workshop-hub account "
                           f"(`modelshare hub add-user {name}` said: {said})")
    # A new dict, never an in-place update: the configured dict may be shared between users.
    spawner.environment = {
        **spawner.environment,
        **COURSE_ENV,  # one BLAS thread per kernel: many learners share the cores
        # The same variables as modelshare.hub.server.hub_env (tests/test_jupyterhub.py
        # checks that they agree); HF_HOME stays in the learner's home folder.
        "HF_ENDPOINT": HUB_URL,
        "HF_TOKEN": token,
        "HF_HUB_DISABLE_XET": "1",  # the workshop hub takes large files through LFS, not Xet
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_UPDATE_DOWNLOAD_COUNTS": "False",
        "HF_HUB_OFFLINE": "0",
    }
    spawner.log.info("workshop hub: %s publishes as %s to %s", spawner.user.name, name, HUB_URL)


c.Spawner.pre_spawn_hook = give_workshop_hub_token
