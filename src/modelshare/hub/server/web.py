"""The hub's web pages: ``/`` lists the repos you may see, a repo page shows its card,
its files and its history.

Pages are Jinja2 templates (``templates/``, autoescaped) rendered on the server, and
the card's text goes through markdown-it-py with raw HTML disabled, so a card cannot
inject scripts. Nothing is loaded from another site: the style sheet is ``static/``.

Signing in: the pages show public repos; ``/signin`` is a form that takes your token in
the body of a POST and keeps it in a cookie that scripts cannot read (HttpOnly), that
other sites' pages never send (SameSite=Strict) and that only this hub's path gets; the
"Sign out" button forgets it. A token in a page's address (``?token=``) is refused: an
address stays in the browser's history and in server and proxy logs.

Behind a proxy (``serve --root-path /services/workshop-hub``, JupyterHub's), links in
the templates are written from the hub's root (``href="/docs"``) and :func:`page` puts
the root path in front of them.

Pages: ``/`` searches models, datasets and Spaces (filters as links, like the Hub's);
``/{ns}/{name}`` (``/datasets/...``, ``/spaces/...``) shows a repo's card, files (each
pickle marked with what its scan found, see :mod:`.scans`), versions and history;
``.../discussions`` is its Community tab and ``.../discussions/{num}`` one thread;
``/docs`` lists the API. To add a page: write ``templates/NAME.html``
(``{% extends "base.html" %}``) and a route below that calls
``page(request, "NAME.html", title, user, **context)``; keep it usable with a keyboard
(labels on inputs, real links and buttons) and load nothing from another site.

Example: open http://127.0.0.1:8765/ after ``modelshare hub serve``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs, urlencode, urlsplit

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup
from starlette.convertors import StringConvertor, register_url_convertor

from modelshare.card.frontmatter import read_metadata, split
from modelshare.hub.server.deps import (
    COOKIE,
    RawBody,
    SignInRequired,
    Store,
    error_response,
    find_repo,
    reader,
    route_path,
)
from modelshare.hub.server.safety import check_revision
from modelshare.hub.server.scans import scan_entry
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


class TokenInAddress(HubError):
    """``?token=`` in a page's address: refused (see :func:`on_token_in_address`)."""


def browser_user(request: Request, store: Store) -> str | None:
    """The user of the sign-in cookie or of the Authorization header; an address with
    ``?token=`` is refused, and its token never used."""
    if "token" in request.query_params:
        raise TokenInAddress(400, "A token does not belong in a page's address")
    return reader(request, store)


BrowserUser = Annotated[str | None, Depends(browser_user)]
LOCAL_LINK = re.compile(r'((?:href|action|src)=")/(?!/)')  # a link to "/x", not to "//host/x"
PAGE_HEADERS = {
    "Referrer-Policy": "same-origin",  # addresses (and what they name) stay on this hub
    "Content-Security-Policy": "frame-ancestors 'none'",  # no other site frames the sign-in
    "X-Content-Type-Options": "nosniff",
}


def page(request: Request, template: str, title: str, user: str | None, status: int = 200,
         **context) -> HTMLResponse:
    """Render ``templates/{template}``, its links under the root path (if any)."""
    root = request.scope.get("root_path", "")
    html = templates.get_template(template).render(title=title, user=user, root=root,
                                                   **context)
    if root:
        html = LOCAL_LINK.sub(lambda match: match.group(1) + root + "/", html)
    headers = PAGE_HEADERS | ({"Cache-Control": "no-store"} if user else {})  # a shared PC
    return HTMLResponse(html, status_code=status, headers=headers)


# -- signing in and out -------------------------------------------------------------------


def local_target(next_page: str) -> str:
    """Where to go after signing in: a page of this hub, never another site.

    >>> local_target("/learner/model?revision=v1"), local_target("//evil.example/x")
    ('/learner/model?revision=v1', '/')
    """
    ok = next_page.startswith("/") and not next_page.startswith("//") and "\\" not in next_page
    return next_page if ok else "/"


def refuse_other_sites(request: Request) -> None:
    """Forms are posted from this hub's own pages only (no other site signs you in as
    someone else, or out)."""
    fetched_from = request.headers.get("sec-fetch-site", "same-origin")
    origin = request.headers.get("origin")
    if fetched_from not in ("same-origin", "none") or (
            origin and urlsplit(origin).netloc != request.headers.get("host")):
        raise HubError(403, "This form can only be sent from the hub's own pages")


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, user: BrowserUser) -> HTMLResponse:
    return page(request, "signin.html", "sign in", user,
                next=local_target(request.query_params.get("next", "/")))


@router.post("/signin", response_class=HTMLResponse)
def signin(request: Request, raw: RawBody, store: Store) -> Response:
    """The form's POST: a valid token goes into the cookie; the page asked for comes next."""
    refuse_other_sites(request)
    form = parse_qs(raw.decode("utf-8", "replace"))
    token = form.get("token", [""])[0].strip()
    next_page = local_target(form.get("next", ["/"])[0])
    user = store.user_for_token(token) if token else None
    if user is None:
        error = ("That is not a token of this hub. Copy all of it (it starts with hf_), "
                 "and use the token for this hub, not one from huggingface.co."
                 if token else "Paste your token into the box, then sign in.")
        return page(request, "signin.html", "sign in", None, status=401, next=next_page,
                    error=error)
    root = request.scope.get("root_path", "")
    response = RedirectResponse(root + next_page, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path=root + "/",
                        secure=request.url.scheme == "https")
    return response


@router.post("/signout")
def signout(request: Request) -> Response:
    refuse_other_sites(request)
    root = request.scope.get("root_path", "")
    response = RedirectResponse(root + "/", status_code=303)
    response.delete_cookie(COOKIE, path=root + "/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


async def on_token_in_address(request: Request, error: TokenInAddress) -> Response:
    """``?token=``: say why it is refused and what to do instead; nothing is signed in."""
    response = page(request, "message.html", "token in address", None, status=400,
                    heading="Tokens do not go in addresses", message=(
                        "This page was asked for with ?token= in its address. The hub does not "
                        "use it: an address is kept in your browser's history and in the logs "
                        "of servers and proxies on the way, where others can read it. Sign in "
                        "with the form instead; it sends your token in the request's body. If "
                        "this browser is shared, ask for a new token (the instructor runs "
                        "modelshare hub add-user NAME --new-token); the old one then stops "
                        "working."), link=("/signin", "Sign in"))
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


async def on_sign_in_required(request: Request, error: SignInRequired) -> Response:
    """Through the proxy without a token: the API answers 401, a page the sign-in form."""
    path = route_path(request)
    if path.startswith("/api/") or "/resolve/" in path or ".git/" in path:
        return error_response(error)
    wanted = path + (f"?{request.url.query}" if request.url.query else "")
    return page(request, "signin.html", "sign in", None, status=401, next=local_target(wanted),
                error="Sign in to see this hub's pages: through JupyterHub it is reachable "
                      "from outside the class, so it shows its repos to signed-in users only.")


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
    meta = read_metadata(readme)
    downloads = store.downloads().get(repo.id, (0, 0))[0] if repo.type != "space" else None
    scans = {path: scan_entry(store, entry) for path, entry in files.items()}
    return page(request, "repo.html", repo.repo_id, user, repo=repo, revision=revision,
                oid=oid, meta=meta, tab="card", downloads=downloads,
                open_count=open_count(store, repo), readme="README.md" in files,
                card_html=Markup(markdown.render(body)) if body.strip() else "",
                files=list(files.values()), commits=list(store.history(oid)), scans=scans,
                unsafe=[scan for scan in scans.values() if scan and scan.status == "unsafe"],
                summary=store.summary(repo) if revision == "main" else None,
                tags=[(name, commit) for kind, name, commit in store.refs(repo) if kind == "tag"],
                datasets=linked_datasets(store, meta, user))


def linked_datasets(store: Storage, meta: dict, user: str | None) -> list[tuple[str, bool]]:
    """(id, on this hub) of each dataset the card's ``datasets:`` names."""
    names = meta.get("datasets") if isinstance(meta.get("datasets"), list) else []
    out = []
    for name in names:
        parts = str(name).split("/")
        repo = store.get_repo("dataset", *parts) if len(parts) == 2 else None
        visible = repo is not None and store.may_read(repo, user)  # a private one: no link
        out.append((str(name), visible))
    return out


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
