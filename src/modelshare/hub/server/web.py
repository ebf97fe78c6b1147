"""The hub's web pages: ``/`` lists the repos you may see, a repo page shows its card,
its files and its history.

Pages are Jinja2 templates (``templates/``, autoescaped) rendered on the server, and
the card's text goes through markdown-it-py with raw HTML disabled, so a card cannot
inject scripts. Nothing is loaded from another site: the style sheet is ``static/``.
In a browser the pages are public-only unless you pass ``?token=...`` once: it is then
kept in a cookie for this hub (never sent anywhere else).

To add a page: write ``templates/NAME.html`` (``{% extends "base.html" %}``) and a
route below that calls ``page(request, "NAME.html", title, **context)``.

Example: open http://127.0.0.1:8765/ after ``modelshare hub serve``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from modelshare.card.frontmatter import read_metadata, split
from modelshare.hub.server.deps import Store, current_user, find_repo
from modelshare.hub.server.safety import check_revision
from modelshare.hub.server.storage import HubError, Storage

HERE = Path(__file__).parent
STATIC = {"hub.css": "text/css"}

router = APIRouter(include_in_schema=False)


def filesize(size: int) -> str:
    """Sizes a person reads.

    >>> filesize(1536)
    '1.5 kB'
    >>> filesize(12)
    '12 bytes'
    """
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def metavalue(value) -> str:
    """A metadata value as text; nested values as YAML.

    >>> metavalue(["en", "fr"])
    'en, fr'
    """
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(map(str, value))
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).strip()
    return str(value)


templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                        autoescape=select_autoescape(["html"]))
templates.filters["filesize"] = filesize
templates.filters["metavalue"] = metavalue
markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def browser_user(request: Request, store: Store) -> str | None:
    """The user of ``?token=``, of the ``hub_token`` cookie, or of the Authorization header."""
    token = request.query_params.get("token") or request.cookies.get("hub_token")
    if token:
        return store.user_for_token(token)
    return current_user(request, store)


BrowserUser = Annotated[str | None, Depends(browser_user)]


def page(request: Request, template: str, title: str, user: str | None, status: int = 200,
         **context) -> HTMLResponse:
    """Render ``templates/{template}``; remember a valid ``?token=`` in a cookie."""
    html = templates.get_template(template).render(title=title, user=user, **context)
    response = HTMLResponse(html, status_code=status)
    token = request.query_params.get("token")
    if token and user is not None:
        response.set_cookie("hub_token", token, httponly=True, samesite="strict")
    return response


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    if name not in STATIC:
        raise HubError(404, f"no static file {name}")
    return FileResponse(HERE / "static" / name, media_type=STATIC[name])


@router.get("/", response_class=HTMLResponse)
def index(request: Request, user: BrowserUser,
          store: Store) -> HTMLResponse:
    repos = [r for r in store.list_repos() if not r.private or r.namespace == user]
    return page(request, "index.html", "repositories", user, repos=repos)


def repo_page(request: Request, kind: str, ns: str, name: str, user: str | None,
              store: Storage) -> HTMLResponse:
    revision = request.query_params.get("revision", "main")
    try:
        repo = find_repo(store, kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
    except HubError as error:
        return page(request, "message.html", "not found", user, status=error.status,
                    heading="Not found", message=f"{ns}/{name}@{revision}: {error.message}")
    files = store.tree(oid)
    readme = store.read(files["README.md"]).decode("utf-8", "replace") \
        if "README.md" in files else ""
    body = split(readme).body
    return page(request, "repo.html", repo.repo_id, user, repo=repo, revision=revision,
                oid=oid, meta=read_metadata(readme),
                card_html=Markup(markdown.render(body)) if body.strip() else "",
                files=list(files.values()), commits=list(store.history(oid)))


@router.get("/datasets/{ns}/{name}", response_class=HTMLResponse)
def dataset_page(request: Request, ns: str, name: str, user: BrowserUser,
                 store: Store) -> HTMLResponse:
    return repo_page(request, "datasets", ns, name, user, store)


@router.get("/{ns}/{name}", response_class=HTMLResponse)
def model_page(request: Request, ns: str, name: str, user: BrowserUser,
               store: Store) -> HTMLResponse:
    return repo_page(request, "models", ns, name, user, store)
