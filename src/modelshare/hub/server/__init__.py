"""The workshop hub: a small server that speaks the Hugging Face Hub API.

Learners publish to it with the real ``huggingface_hub``, ``transformers`` and
``datasets`` clients, without an account or a network. Start it with::

    modelshare hub serve --data hub-data          # or: python -m modelshare.hub.server

or, from Python (tests, notebook runners), as a separate process that stops on exit
(:mod:`.launch`)::

    with running(Path("/tmp/hub")) as hub:
        env = hub.env()   # HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1, ...

Modules, in the order a request meets them: :mod:`.app` (wires the routers),
:mod:`.middleware`, :mod:`.deps` (store, user, repo, body), :mod:`.routes` (the HTTP
API, one router per topic), :mod:`.community` (discussions, pull requests),
:mod:`.summary` (what a repo's card says, for search), :mod:`.gitfiles`
(``.gitattributes``, ``.gitignore``), :mod:`.storage` (SQLite + blobs), :mod:`.safety`
(names and paths), :mod:`.validate_yaml` (card metadata), :mod:`.web` (the pages);
:mod:`.serve` and :mod:`.launch` start it. This package imports nothing from the rest of ``modelshare``
except the shared card checks, so it can be read (and run) on its own.
"""

from modelshare.hub.server.launch import (
    DEFAULT_PORT,
    DEFAULT_USER,
    Hub,
    hub_env,
    running,
    start,
)

__all__ = ["DEFAULT_PORT", "DEFAULT_USER", "Hub", "hub_env", "running", "start"]
