"""The workshop hub's web application: the routers of :mod:`.routes` and :mod:`.web` on one store.

Each router holds one topic of the Hugging Face Hub API that ``huggingface_hub``,
``transformers`` and ``datasets`` use; :mod:`.deps` gives them the store, the user and
the repo. ``modelshare hub serve`` (:mod:`.serve`) runs this app with uvicorn::

    uvicorn.run(create_app(Path("hub-data")), host="127.0.0.1", port=8765)
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from modelshare.hub.server import deps, web
from modelshare.hub.server.middleware import KeepEncodedSlashes, RequestIds, RootPath
from modelshare.hub.server.routes import account, cards, discussions, files, refs, repos, uploads
from modelshare.hub.server.safety import check_name
from modelshare.hub.server.storage import HubError, Storage

ROUTERS = (account, repos, files, uploads, refs, discussions, cards, web)


def create_app(data_dir: Path, limits: deps.Limits | None = None, owner: str = "learner",
               root_path: str = "") -> FastAPI:
    """The hub on the data folder ``data_dir``; ``owner`` gets a token in ``tokens/{owner}.token``.

    ``root_path`` (e.g. ``/services/workshop-hub``): the hub also answers under it, as
    JupyterHub's proxy forwards requests (:class:`.middleware.RootPath`); there every
    request needs a token (:func:`.deps.token_required_outside`).
    """
    store = Storage(data_dir)
    store.lock_for_serving()
    store.add_user(check_name(owner, "user name"))  # keeps the owner's token if it has one
    app = FastAPI(title="modelshare workshop hub", description="The part of the Hugging Face "
                  "Hub API used by huggingface_hub, transformers and datasets.",
                  docs_url=None, redoc_url=None,  # their pages load scripts from a CDN:
                                                  # web.py serves /docs without any
                  dependencies=[Depends(deps.token_required_outside)])
    app.state.store, app.state.limits = store, limits or deps.Limits()
    app.add_exception_handler(HubError, deps.on_hub_error)
    app.add_exception_handler(RequestValidationError, deps.on_bad_request)
    app.add_exception_handler(StarletteHTTPException, deps.on_http_error)
    app.add_exception_handler(web.TokenInAddress, web.on_token_in_address)
    app.add_exception_handler(deps.SignInRequired, web.on_sign_in_required)
    app.add_middleware(KeepEncodedSlashes)
    app.add_middleware(RequestIds)
    if root_path:
        app.add_middleware(RootPath, prefix=root_path)  # the outermost: it runs first
    for module in ROUTERS:
        app.include_router(module.router)
    return app
