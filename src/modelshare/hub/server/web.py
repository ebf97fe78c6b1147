"""The hub's web pages: ``/`` lists the repos you may see, a repo page shows its card,
its files and its history.

Pages are Jinja2 templates (``templates/``, autoescaped) rendered on the server, and
the card's text goes through markdown-it-py with raw HTML disabled, so a card cannot
inject scripts. Nothing is loaded from another site: the style sheet is ``static/``.
In a browser the pages are public-only unless you pass ``?token=...`` once: it is then
kept in a cookie for this hub (never sent anywhere else).

Pages: ``/`` searches models, datasets and Spaces (filters as links, like the Hub's);
``/{ns}/{name}`` (``/datasets/...``, ``/spaces/...``) shows a repo's card, files and
history; ``.../discussions`` is its Community tab and ``.../discussions/{num}`` one thread;
``/docs`` lists the API. To add a page: write ``templates/NAME.html``
(``{% extends "base.html" %}``) and a route below that calls
``page(request, "NAME.html", title, user, **context)``; keep it usable with a keyboard
(labels on inputs, real links and buttons) and load nothing from another site.

Example: open http://127.0.0.1:8765/ after ``modelshare hub serve``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.convertors import StringConvertor, register_url_convertor

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


TYPES = (("model", "Models"), ("dataset", "Datasets"), ("space", "Spaces"), ("all", "All"))
SORT_CHOICES = (("lastModified", "Recently updated"), ("downloads", "Most downloads"),
                ("createdAt", "Newest"))
FACETS = (("Libraries", "library_name"), ("Tasks", "pipeline_tag"), ("Licences", "license:"),
          ("Tags", "tags"))


@router.get("/", response_class=HTMLResponse)
def index(request: Request, user: BrowserUser, store: Store, search: str = "",
          type: str = "model", sort: str = "lastModified") -> HTMLResponse:
    """Search models, datasets and Spaces, with filters like the Hub's (tags, library,
    task, licence) as links with counts."""
    from modelshare.hub.server.routes.repos import Search, find_repos

    filters = [f for value in request.query_params.getlist("filter") for f in value.split()]
    types = ["model", "dataset", "space"] if type == "all" else [type]
    results = find_repos(store, user, types, Search([search] if search else [], "", filters),
                         sort if sort in dict(SORT_CHOICES) else "")
    visible = find_repos(store, user, types, Search([]))

    def with_filter(value: str) -> str:
        return "/?" + urlencode([("search", search), ("type", type), ("sort", sort)]
                                + [("filter", f) for f in [*filters, value]])

    query = {"search": search, "type": type, "sort": sort, "filters": filters}
    return page(request, "index.html", "search", user, query=query, types=TYPES,
                sorts=SORT_CHOICES, results=results, facets=facets(visible, filters),
                with_filter=with_filter,
                any_repos=any(store.may_read(r, user) for r in store.list_repos()))


def facets(found: list, chosen: list[str]) -> list[tuple[str, list[tuple[str, int]]]]:
    """(heading, [(value, count)]) of the filters the visible repos offer, most used first."""
    out = []
    for heading, key in FACETS:
        counts: Counter = Counter()
        for _, item in found:
            if key == "tags":
                values = [t for t in item["tags"] if ":" not in t
                          and t not in (item.get("library_name"), item.get("pipeline_tag"))]
            elif key.endswith(":"):
                values = [t for t in item["tags"] if t.startswith(key)]
            else:
                values = [item[key]] if item.get(key) else []
            counts.update(v for v in values if v not in chosen)
        if counts:
            out.append((heading, counts.most_common(8)))
    return out


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request, user: BrowserUser) -> HTMLResponse:
    """The API, listed from its OpenAPI description: a page that needs no script or CDN."""
    groups: dict[str, list] = {}
    for path, operations in request.app.openapi()["paths"].items():
        for method, operation in operations.items():
            summary = (operation.get("description") or operation.get("summary") or "")
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append(
                (method.upper(), path, summary.split("\n\n")[0].replace("\n", " ")))
    return page(request, "docs.html", "API", user, groups=sorted(groups.items()))


def repo_page(request: Request, kind: str, ns: str, name: str, user: str | None,
              store: Storage) -> HTMLResponse:
    revision = request.query_params.get("revision", "main")
    try:
        repo = find_repo(store, kind, ns, name, user)
        oid = store.resolve(repo, check_revision(revision))
    except HubError as error:
        return not_found(request, user, f"{ns}/{name}@{revision}", error)
    files = store.tree(oid)
    readme = store.read(files["README.md"]).decode("utf-8", "replace") \
        if "README.md" in files else ""
    body = split(readme).body
    downloads = store.downloads().get(repo.id, (0, 0))[0] if repo.type != "space" else None
    return page(request, "repo.html", repo.repo_id, user, repo=repo, revision=revision,
                oid=oid, meta=read_metadata(readme), tab="card", downloads=downloads,
                open_count=open_count(store, repo),
                card_html=Markup(markdown.render(body)) if body.strip() else "",
                files=list(files.values()), commits=list(store.history(oid)))


def community_page(request: Request, kind: str, ns: str, name: str, user: str | None,
                   store: Storage, num: int | None = None) -> HTMLResponse:
    """The Community tab: every discussion and pull request, or one thread with its diff."""
    from modelshare.hub.server import community
    from modelshare.hub.server.routes.discussions import event

    try:
        repo = find_repo(store, kind, ns, name, user)
        discussion = community.get(store, repo, num) if num is not None else None
    except HubError as error:
        return not_found(request, user, f"{ns}/{name}", error)
    common = {"repo": repo, "tab": "community", "open_count": open_count(store, repo)}
    if discussion is None:
        return page(request, "discussions.html", f"{repo.repo_id} community", user,
                    discussions=community.discussions(store, repo), **common)
    events = []
    for stored in community.events(store, discussion):
        shown = event(stored)
        if shown["type"] == "comment":
            shown |= {"html": Markup(shown["data"]["latest"]["html"]),
                      "edited": shown["data"]["edited"], "hidden": shown["data"]["hidden"]}
        events.append(shown | {"created": shown["createdAt"], "author": stored["author"]})
    return page(request, "discussion.html", f"#{discussion.num} {discussion.title}", user,
                d=discussion, events=events,
                diff=community.diff(store, discussion) if discussion.is_pr else "",
                conflicts=community.conflicting_files(store, discussion), **common)


def open_count(store: Storage, repo) -> int:
    from modelshare.hub.server import community

    return sum(d.status in ("open", "draft") for d in community.discussions(store, repo))


def not_found(request: Request, user: str | None, what: str, error: HubError) -> HTMLResponse:
    return page(request, "message.html", "not found", user, status=error.status,
                heading="Not found", message=f"{what}: {error.message}")


class PageKind(StringConvertor):
    """Models live at /{ns}/{name}; datasets and Spaces at /datasets/... and /spaces/...."""

    regex = "datasets|spaces"


register_url_convertor("page_kind", PageKind())


@router.get("/{kind:page_kind}/{ns}/{name}", response_class=HTMLResponse)
def typed_repo_page(request: Request, kind: str, ns: str, name: str, user: BrowserUser,
                    store: Store) -> HTMLResponse:
    return repo_page(request, kind, ns, name, user, store)


@router.get("/{kind:page_kind}/{ns}/{name}/discussions", response_class=HTMLResponse)
@router.get("/{kind:page_kind}/{ns}/{name}/discussions/{num}", response_class=HTMLResponse)
def typed_community_page(request: Request, kind: str, ns: str, name: str, user: BrowserUser,
                         store: Store, num: int | None = None) -> HTMLResponse:
    return community_page(request, kind, ns, name, user, store, num)


@router.get("/{ns}/{name}/discussions", response_class=HTMLResponse)
@router.get("/{ns}/{name}/discussions/{num}", response_class=HTMLResponse)
def model_community_page(request: Request, ns: str, name: str, user: BrowserUser,
                         store: Store, num: int | None = None) -> HTMLResponse:
    return community_page(request, "models", ns, name, user, store, num)


@router.get("/{ns}/{name}", response_class=HTMLResponse)
def model_page(request: Request, ns: str, name: str, user: BrowserUser,
               store: Store) -> HTMLResponse:
    return repo_page(request, "models", ns, name, user, store)
