"""Build the course website (``make site``) from the notebooks as committed.

    python tools/build_site.py            # -> _build/site/index.html
    python tools/build_site.py --out DIR

Nothing is executed: every page shows the outputs stored in the repository.
The pages are first copied into ``_build/site-src/`` (only files whose content
changed, so Sphinx rebuilds only those), with four additions:

- under each notebook's title, a line of links: run it on Binder, run it in
  the JupyterLab that ``make lab`` started, its exercises and solutions;
- in solutions, every answer cell is folded away behind "Show the answer";
- a widget output (it needs a running kernel) becomes a short note, and so does
  an app the kernel served on the learner's own machine (lesson 06's Gradio demo,
  an iframe to 127.0.0.1: a visitor's browser would ask its own computer for it);
- a link to a repository file that is not a page of the site points to GitHub.

Then Sphinx (with myst-nb and sphinx-book-theme) builds the HTML; any Sphinx
warning (a broken cross-reference, a missing page) fails the build.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import jinja2
import nbformat

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
BUILD = ROOT / "_build"
NOTEBOOK_FOLDERS = ("lessons", "exercises", "solutions")
# Guides shown when they exist (some are still being written), in sidebar order.
GUIDES = ("instructors/learner-setup.md", "instructors/README.md", "instructors/jupyterhub.md",
          "glossary.md", "ARCHITECTURE.md", "docs/architecture.md", "architecture.md")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ('<p class="widget-note">An interactive widget appears here when you run this '
               "notebook (on Binder or in your own JupyterLab).</p>")
LOCAL_APP = re.compile(r"""<iframe[^>]+src=["']https?://(127\.0\.0\.1|localhost)[:/]""", re.I)
LOCAL_APP_NOTE = ('<p class="widget-note">A live demo appears here when you run this notebook '
                  "in JupyterLab on your own computer (<code>make lab</code>).</p>")
SHOW_ANSWER = {"code_prompt_show": "Show the answer", "code_prompt_hide": "Hide the answer"}
_LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)(\)|\s+\"[^\"]*\"\))")


def lesson_stems() -> list[str]:
    return sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def guides() -> list[str]:
    return [g for g in GUIDES if (ROOT / g).exists()]


def page_paths() -> set[str]:
    """Repository paths (posix) that become pages of the site."""
    pages = {f"{folder}/{stem}.ipynb" for folder in NOTEBOOK_FOLDERS for stem in lesson_stems()
             if (ROOT / folder / f"{stem}.ipynb").exists()}
    return pages | set(guides())


def is_solution_cell(cell) -> bool:
    return cell.cell_type == "code" and ("### BEGIN SOLUTION" in cell.source
                                         or "solution" in cell.metadata.get("tags", []))


def rewrite_links(markdown: str, page: str, staged: set[str],
                  images: set[str] | None = None) -> str:
    """Point links to repository files that are not on the site at GitHub; a local image
    stays local (its path is added to ``images``, to be copied beside the page)."""
    from modelshare import published

    def fix(match: re.Match) -> str:
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target, re.I):
            return match.group(0)  # absolute URL, anchor, or site-absolute
        path, _, anchor = target.partition("#")
        repo_path = posixpath.normpath(str(PurePosixPath(page).parent / path))
        if repo_path in staged or not (ROOT / repo_path).exists():
            return match.group(0)  # a page (Sphinx resolves it) or missing (the build warns)
        if match.group(1).startswith("!"):
            if images is not None:
                images.add(repo_path)
            return match.group(0)
        kind = "tree" if (ROOT / repo_path).is_dir() else "blob"
        url = f"{published.github_url()}/{kind}/{published.BRANCH}/{repo_path}"
        return match.group(1) + url + ("#" + anchor if anchor else "") + match.group(3)

    return _LINK.sub(fix, markdown)


def launch_line(page: str) -> str:
    from modelshare import published

    folder, name = page.split("/", 1)
    links = [f"[on Binder]({published.binder_url(page)})",
             f"[in your JupyterLab]({published.local_lab_url(page)}) (after `make lab`)"]
    others = [f"[{other}](../{other}/{name})" for other in NOTEBOOK_FOLDERS
              if other != folder and (ROOT / other / name).exists()]
    line = "**Run this notebook:** " + " · ".join(links)
    if others:
        line += " · **See also:** " + " · ".join(others)
    return f'<div class="launch-links">\n\n{line}\n\n</div>'


def stage_notebook(page: str, staged: set[str], images: set[str]) -> str:
    notebook = nbformat.read(ROOT / page, as_version=4)  # a fresh copy: the file is not touched
    first = next((c for c in notebook.cells if c.cell_type == "markdown"), None)
    if first is not None:
        lines = first.source.splitlines()
        title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
        insert_at = 0 if title is None else title + 1
        if title is not None and page.startswith("solutions/"):
            heading = lines[title]
            lines[title] = (heading.replace("Exercises:", "Solutions:", 1) if "Exercises:" in heading
                            else heading + " (solutions)")
        lines[insert_at:insert_at] = ["", launch_line(page), ""]
        first.source = "\n".join(lines)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, page, staged, images)
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                output["data"] = {"text/html": WIDGET_NOTE}
            elif LOCAL_APP.search(str(data.get("text/html", ""))):
                output["data"] = {"text/html": LOCAL_APP_NOTE}
        if page.startswith("solutions/") and is_solution_cell(cell):
            tags = cell.metadata.setdefault("tags", [])
            if "hide-cell" not in tags:
                tags.append("hide-cell")
            cell.metadata.setdefault("mystnb", {}).update(SHOW_ANSWER)
    return nbformat.writes(notebook)


def home_page() -> str:
    from modelshare import course, published

    stems = lesson_stems()
    by_number = {lesson.number: lesson for lesson in course.LESSONS}
    rows = ["| # | lesson | teaching | exercises | practise | answers |",
            "| --- | --- | --- | --- | --- | --- |"]
    for stem in stems:
        number = stem[:2]
        lesson = by_number.get(number)
        title = lesson.title if lesson else stem[3:].replace("_", " ")
        minutes = (f"{lesson.teaching} min", f"{lesson.exercises} min") if lesson else ("", "")
        rows.append(f"| {number} | [{title}](lessons/{stem}.ipynb) | {minutes[0]} | {minutes[1]} | "
                    f"[exercises](exercises/{stem}.ipynb) | [solutions](solutions/{stem}.ipynb) |")
    extras = []
    present = guides()
    if present:
        extras.append("## Guides\n")
        for page in present:
            heading = _title_of(ROOT / page)
            extras.append(f"- [{heading}]({page})")
    template = jinja2.Template((SITE / "index.md").read_text(encoding="utf-8"))
    return template.render(
        binder=published.binder_url(), clone=published.clone_command(),
        lesson_map="\n".join(rows), lessons=[Path(s) for s in stems],
        guides=[g.removesuffix(".md") for g in present], extras=extras,
    )


def _title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def _write(path: Path, content: str | bytes, written: set[Path]) -> None:
    """Write only when the content changed, so Sphinx rebuilds only changed pages."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    written.add(path)


def stage(source: Path) -> None:
    """Lay out the pages of the site in ``source``."""
    written: set[Path] = set()
    staged = page_paths()
    for item in SITE.rglob("*"):
        if item.is_file() and item.name != "index.md" and "__pycache__" not in item.parts:
            _write(source / item.relative_to(SITE), item.read_bytes(), written)
    _write(source / "index.md", home_page(), written)
    images: set[str] = set()
    for page in sorted(staged):
        if page.endswith(".ipynb"):
            _write(source / page, stage_notebook(page, staged, images), written)
        else:
            text = (ROOT / page).read_text(encoding="utf-8")
            _write(source / page, rewrite_links(text, page, staged, images), written)
    for image in sorted(images):
        _write(source / image, (ROOT / image).read_bytes(), written)
    for stale in [p for p in source.rglob("*") if p.is_file() and p not in written]:
        stale.unlink()  # a page that no longer exists must not linger on the site


def build(out: Path, *, quiet: bool = True) -> float:
    """Stage and build the site into ``out``; returns the seconds it took."""
    start = time.perf_counter()
    source = BUILD / "site-src"
    stage(source)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-j", "1",
               "-d", str(BUILD / "site-doctrees"), str(source), str(out)]
    if quiet:
        command.append("-q")
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"the site did not build (Sphinx exit {result.returncode}); "
                         "the warnings above say which page and line")
    (out / ".nojekyll").touch()  # GitHub Pages: serve _static/ and _images/ as they are
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD / "site")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args(argv)
    seconds = build(args.out.resolve(), quiet=not args.verbose)
    index = args.out / "index.html"
    print(f"site built in {seconds:.1f} s: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
