"""The hub's web pages: ``/`` lists the repos you may see, a repo page shows its card,
its files and its history.

Pages are rendered on the server with Jinja2 (autoescaped) and the card's text with
markdown-it-py with raw HTML disabled, so a card cannot inject scripts. In a browser
the pages are public-only unless you pass ``?token=...`` once: it is then kept in a
cookie for this hub (never sent anywhere else).

Example: open http://127.0.0.1:8765/ after ``modelshare hub serve``.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markdown_it import MarkdownIt

from modelshare.hub.server.cardcheck import read_metadata, split_front_matter
from modelshare.hub.server.safety import check_revision
from modelshare.hub.server.storage import HubError, Storage

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; }
a { color: #0b5cad; } table { border-collapse: collapse; margin: 1rem 0; }
td { white-space: pre-wrap; }
td, th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; vertical-align: top; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .5rem 1.5rem; }
.muted { color: #666; } .badge { background: #eee; border-radius: 4px; padding: 0 .4rem; }
code { background: #f4f4f4; padding: 0 .2rem; }
"""

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} - workshop hub</title>
<style>{{ style }}</style></head><body>
<p><a href="/">workshop hub</a>{% if user %} &middot; signed in as <b>{{ user }}</b>{% endif %}</p>
{{ body }}
</body></html>"""

INDEX = """<h1>Repositories</h1>
{% if repos %}<table id="repos"><tr><th>repo</th><th>type</th><th>visibility</th></tr>
{% for r in repos %}<tr><td><a href="/{{ r.url_path }}">{{ r.repo_id }}</a></td>
<td>{{ r.type }}</td><td>{{ "private" if r.private else "public" }}</td></tr>{% endfor %}
</table>{% else %}<p id="empty">No repositories yet. Publish one with
<code>huggingface_hub.create_repo("{{ user or "you" }}/my-model")</code>.</p>{% endif %}
<p class="muted">API reference: <a href="/docs">/docs</a>.</p>"""

REPO = """<h1>{{ repo.repo_id }} <span class="badge">{{ repo.type }}</span>
{% if repo.private %}<span class="badge">private</span>{% endif %}</h1>
<p class="muted">revision {{ revision }} &middot; commit <code>{{ oid[:12] }}</code></p>
<h2>Card</h2>
{% if meta %}<table id="metadata">{% for key, value in meta.items() %}
<tr><th>{{ key }}</th><td>{{ value | metavalue }}</td></tr>{% endfor %}</table>{% endif %}
<div class="card" id="card">{% if card_html %}{{ card_html }}{% else %}
<p class="muted">This repo has no README.md (model card) yet.</p>{% endif %}</div>
<h2>Files</h2>
<table id="files"><tr><th>file</th><th>size</th><th></th></tr>
{% for f in files %}<tr><td><a href="/{{ repo.url_path }}/resolve/{{ oid }}/{{ f.path }}">{{ f.path }}</a></td>
<td>{{ f.size | filesize }}</td><td>{{ "LFS" if f.lfs else "" }}</td></tr>{% endfor %}</table>
<h2>History</h2>
<table id="history"><tr><th>commit</th><th>title</th><th>author</th><th>date</th></tr>
{% for c in commits %}<tr><td><code>{{ c.oid[:12] }}</code></td><td>{{ c.title }}</td>
<td>{{ c.author }}</td><td>{{ c.created[:19].replace("T", " ") }}</td></tr>{% endfor %}</table>"""


def filesize(size: int) -> str:
    """Sizes a person reads: ``1536`` -> ``'1.5 kB'``."""
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def metavalue(value) -> str:
    """A metadata value as text: ``['en', 'fr']`` -> ``'en, fr'``; nested values as YAML."""
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(map(str, value))
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True).strip()
    return str(value)


_env = Environment(autoescape=True)
_env.filters["filesize"] = filesize
_env.filters["metavalue"] = metavalue
_markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


def render(template: str, title: str, user: str | None, **context) -> HTMLResponse:
    from markupsafe import Markup

    body = Markup(_env.from_string(template).render(user=user, **context))
    html = _env.from_string(PAGE).render(title=title, style=Markup(STYLE), user=user, body=body)
    return HTMLResponse(html)


def add_routes(app: FastAPI, store: Storage, current_user: Callable, find_repo: Callable) -> None:
    """Add ``/`` and the repo pages (``/{ns}/{name}``, ``/datasets/{ns}/{name}``) to ``app``."""

    def browser_user(request: Request) -> str | None:
        token = request.query_params.get("token") or request.cookies.get("hub_token")
        if token:
            return store.user_for_token(token)
        return current_user(request)

    def remember(response: HTMLResponse, request: Request) -> HTMLResponse:
        token = request.query_params.get("token")
        if token and store.user_for_token(token):
            response.set_cookie("hub_token", token, httponly=True, samesite="strict")
        return response

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request) -> HTMLResponse:
        user = browser_user(request)
        repos = [r for r in store.list_repos() if store.may_read(r, user)]
        return remember(render(INDEX, "repositories", user, repos=repos), request)

    def repo_page(request: Request, kind: str, ns: str, name: str) -> HTMLResponse:
        from markupsafe import Markup

        user = browser_user(request)
        revision = request.query_params.get("revision", "main")
        try:
            repo = find_repo(kind, ns, name, user)
            oid = store.resolve(repo, check_revision(revision))
        except HubError as error:
            page = render("<h1>Not found</h1><p>{{ message }}</p>", "not found", user,
                          message=f"{ns}/{name}@{revision}: {error.message}")
            page.status_code = error.status
            return page
        files = store.tree(oid)
        readme = store.read(files["README.md"]).decode("utf-8", "replace") \
            if "README.md" in files else ""
        meta = read_metadata(readme)
        body = split_front_matter(readme)[1]
        context = dict(
            repo=repo, revision=revision, oid=oid, meta=meta,
            card_html=Markup(_markdown.render(body)) if body.strip() else "",
            files=list(files.values()), commits=list(store.history(oid)),
        )
        return remember(render(REPO, repo.repo_id, user, **context), request)

    @app.get("/datasets/{ns}/{name}", response_class=HTMLResponse, include_in_schema=False)
    def dataset_page(request: Request, ns: str, name: str) -> HTMLResponse:
        return repo_page(request, "datasets", ns, name)

    @app.get("/{ns}/{name}", response_class=HTMLResponse, include_in_schema=False)
    def model_page(request: Request, ns: str, name: str) -> HTMLResponse:
        return repo_page(request, "models", ns, name)
