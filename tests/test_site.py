"""The course website (``make site``): every page is there, no internal link is broken,
every image has alt text, nothing is fetched from the web, answers are folded away.

The site is built once per test session into ``_build/site`` by the same code as
``make site`` (Sphinx skips pages whose source did not change). A browser test
opens a lesson page in chromium and saves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

from modelshare import published  # noqa: E402

SITE = ROOT / "_build" / "site"


class Page(HTMLParser):
    """What a test needs from one HTML page: links, images, ids, scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.ids: set[str] = set()
        self.resources: list[str] = []  # scripts, stylesheets, images, frames: loaded at once
        self.details_depth = 0
        self.text_outside_details: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)
            self.resources.append(a.get("src") or "")
        if tag in ("script", "iframe") and a.get("src"):
            self.resources.append(a["src"])
        if tag == "link" and "stylesheet" in (a.get("rel") or "") and a.get("href"):
            self.resources.append(a["href"])
        if tag == "details":
            self.details_depth += 1

    def handle_endtag(self, tag):
        if tag == "details":
            self.details_depth -= 1

    def handle_data(self, data):
        if not self.details_depth:
            self.text_outside_details.append(data)


@functools.cache
def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="session")
def site() -> Path:
    build_site.build(SITE)
    return SITE


def html_pages(site: Path) -> list[Path]:
    """The pages (the theme's _static/ holds HTML templates, not pages)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def expected_pages() -> list[str]:
    pages = ["index.html", "search.html", "genindex.html"]
    for stem in build_site.lesson_stems():
        pages += [f"{folder}/{stem}.html" for folder in build_site.NOTEBOOK_FOLDERS
                  if (ROOT / folder / f"{stem}.ipynb").exists()]
    pages += [guide.removesuffix(".md") + ".html" for guide in build_site.guides()]
    return pages


def test_every_page_exists(site):
    missing = [page for page in expected_pages() if not (site / page).exists()]
    assert not missing, f"pages missing from the site: {missing}"
    # one page per lesson, exercise and solution notebook, and the guides that exist today
    assert (site / "instructors" / "README.html").exists()
    assert (site / "instructors" / "learner-setup.html").exists()
    if (ROOT / "glossary.md").exists():
        assert (site / "glossary.html").exists()


def test_the_home_page_maps_every_lesson_to_its_three_pages(site):
    home = parse(site / "index.html")
    for stem in build_site.lesson_stems():
        for folder in build_site.NOTEBOOK_FOLDERS:
            assert f"{folder}/{stem}.html" in home.links, f"home page does not link {folder}/{stem}"


def test_no_internal_link_is_broken(site):
    broken = []
    for path in html_pages(site):
        page = parse(path)
        for link in page.links + page.resources:
            if not link or is_external(link) or link.startswith(("mailto:", "javascript:")):
                continue
            parts = urlsplit(link)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)} -> {link}")
            elif parts.fragment and target.suffix == ".html" and \
                    parts.fragment not in parse(target).ids:
                broken.append(f"{path.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken[:40])


def test_the_link_checker_finds_a_broken_link(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html">b</a><a href="a.html#here">x</a>')
    page = parse(tmp_path / "a.html")
    assert page.links == ["b.html", "a.html#here"]
    assert not (tmp_path / "b.html").exists() and "here" not in page.ids


def meaningful_alt(alt: str | None) -> bool:
    """Alt text a person wrote: not missing, not empty, not a file name."""
    if not alt or not alt.strip():
        return False
    return not re.search(r"\.(png|jpe?g|svg|gif)$", alt.strip(), re.I)


def test_every_image_has_alt_text(site):
    missing = []
    for path in html_pages(site):
        name = path.relative_to(site).with_suffix("").as_posix()
        for image in parse(path).images:
            if not meaningful_alt(image.get("alt")):
                missing.append(f"{name}: {image.get('src')} (alt={image.get('alt')!r})")
    assert not missing, ("images without alt text (give a plot's cell the metadata "
                         '{"mystnb": {"image": {"alt": "..."}}}):\n' + "\n".join(missing))


def test_alt_text_check_rejects_file_names_and_blanks():
    assert not meaningful_alt("../_images/0136bb.png")
    assert not meaningful_alt("  ")
    assert not meaningful_alt(None)
    assert meaningful_alt("Accuracy falls from 0.81 in 1990 to 0.77 in 2018")


def test_pages_load_nothing_from_the_web(site):
    """An offline classroom sees the whole site: no CDN script, font or stylesheet."""
    outside = [f"{p.relative_to(site)}: {r}" for p in html_pages(site)
               for r in parse(p).resources if is_external(r)]
    assert not outside, "resources fetched from the web:\n" + "\n".join(outside[:20])
    css = [f"{p.relative_to(site)}: {m}" for p in site.rglob("*.css")
           for m in re.findall(r"url\(\s*['\"]?(https?:[^'\")]+)", p.read_text(errors="ignore"))]
    assert not css, "stylesheets that fetch from the web:\n" + "\n".join(css[:20])


def test_answers_are_folded_away_on_solution_pages(site):
    for stem in build_site.lesson_stems():
        notebook = nbformat.read(ROOT / "solutions" / f"{stem}.ipynb", as_version=4)
        answers = [c for c in notebook.cells if build_site.is_solution_cell(c)]
        page = parse(site / "solutions" / f"{stem}.html")
        visible = "".join(page.text_outside_details)
        assert "Show the answer" in (site / "solutions" / f"{stem}.html").read_text()
        for cell in answers:
            region = cell.source.split("### BEGIN SOLUTION")[-1].split("### END SOLUTION")[0]
            first = next((line.strip() for line in region.splitlines() if len(line.strip()) > 12),
                         None)
            if first:
                assert first not in visible, f"solutions/{stem}: answer shown unfolded: {first}"


def test_exercise_pages_show_no_answers(site):
    for stem in build_site.lesson_stems():
        exercise = (site / "exercises" / f"{stem}.html").read_text()
        assert "BEGIN SOLUTION" not in exercise and "Show the answer" not in exercise


def test_every_notebook_page_has_its_launch_links(site):
    for page in sorted(build_site.page_paths()):
        if not page.endswith(".ipynb"):
            continue
        links = parse(site / page.replace(".ipynb", ".html")).links
        assert published.binder_url(page) in links, f"{page}: no Binder link"
        assert published.local_lab_url(page) in links, f"{page}: no local JupyterLab link"


def test_widgets_become_a_note_not_a_script(site):
    html = (site / "lessons" / "04_model_cards.html").read_text()
    assert "widget-note" in html
    assert "application/vnd.jupyter.widget-view+json" not in html


def test_a_local_app_becomes_a_note_not_an_iframe(site):
    """Lesson 06's Gradio demo is an iframe to 127.0.0.1 in the notebook; on the site
    it would ask the visitor's own computer for it."""
    html = (site / "lessons" / "06_finding_and_reusing.html").read_text()
    assert "make lab" in html and "A live demo appears here" in html
    assert "127.0.0.1:7860" not in html


def test_links_to_repository_files_point_to_github():
    staged = build_site.page_paths()
    text = "See [the course map](../src/modelshare/course.py) and [setup](learner-setup.md#x)."
    out = build_site.rewrite_links(text, "instructors/README.md", staged)
    assert f"({published.github_url()}/blob/{published.BRANCH}/src/modelshare/course.py)" in out
    assert "(learner-setup.md#x)" in out


@pytest.fixture(scope="module")
def served_site(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_a_lesson_page_renders_in_chromium(served_site, chromium, artifacts_dir):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(served_site) else outside.append(r.url))
    try:
        page.goto(f"{served_site}/lessons/04_model_cards.html")
        heading = page.locator("h1").first
        assert "Writing model cards" in heading.inner_text()
        page.get_by_role("link", name="on Binder").first.wait_for()
        page.screenshot(path=str(artifacts_dir / "site-lesson-04.png"))
        page.goto(f"{served_site}/solutions/04_model_cards.html")
        answer = page.locator("details", has_text="Show the answer").first
        answer.locator("summary").click()
        assert answer.locator("pre").first.is_visible()
        page.screenshot(path=str(artifacts_dir / "site-solution-04.png"))
    finally:
        page.close()
    assert not outside, f"the site fetched from outside: {outside}"


def test_pages_show_the_outputs_as_committed(site):
    """Nothing is re-executed: the first printed line of each lesson is on its page as stored."""
    for stem in build_site.lesson_stems():
        notebook = nbformat.read(ROOT / "lessons" / f"{stem}.ipynb", as_version=4)
        printed = [line.strip() for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("output_type") == "stream"
                   for line in output.get("text", "").splitlines() if len(line.strip()) > 15]
        if not printed:
            continue
        text = " ".join(" ".join(parse(site / "lessons" / f"{stem}.html").text_outside_details)
                        .split())
        assert " ".join(printed[0].split()) in text, f"lessons/{stem}: {printed[0]!r} not shown"
