"""Pictures in the notebooks can be read by everyone.

- every plot a lesson or solution shows has alt text in its cell's metadata
  (``{"mystnb": {"image": {"alt": "..."}}}``, which the website puts on the image);
- a notebook that plots uses the course style, matplotlib's colour-blind-safe
  ``petroff10``, before its first plot, and no plotting cell picks colours from
  matplotlib's default palette by name (``"tab:red"``), which that style replaces;
- every picture in Markdown has alt text.

Notebooks still being reworked by their owners are listed in KNOWN, with the owner:
their test is expected to fail, and fails loudly once it passes (remove the line then).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("lessons/[0-9][0-9]_*.ipynb"),
                    *ROOT.glob("solutions/[0-9][0-9]_*.ipynb")])
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")
STYLE = re.compile(r"""(plt|mpl|matplotlib)\.style\.use\(\s*["']petroff10["']\s*\)""")
DEFAULT_COLOURS = re.compile(r"""colou?r\s*=\s*["'](tab:\w+|C\d)["']""")
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
MIN_ALT = 20  # characters: a sentence, not "plot"

# Notebooks whose plots do not follow these rules yet, and who is reworking them.
KNOWN: dict[str, str] = {}


def image_cells(notebook) -> list[tuple[int, nbformat.NotebookNode]]:
    return [(index, cell) for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and any(
                kind in output.get("data", {}) for output in cell.get("outputs", [])
                for kind in IMAGE_TYPES)]


def alt_text(cell) -> str:
    return str(cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")).strip()


def plot_problems(notebook) -> list[str]:
    """What keeps this notebook's pictures from everyone, one line per problem."""
    found = []
    plots = image_cells(notebook)
    for index, cell in plots:
        if len(alt_text(cell)) < MIN_ALT:
            found.append(f"cell {index}: a plot without alt text (cell metadata "
                         '{"mystnb": {"image": {"alt": "what the plot shows"}}})')
        for colour in DEFAULT_COLOURS.findall(cell.source):
            found.append(f"cell {index}: colour {colour!r} from the default palette; let "
                         "petroff10 choose, and tell lines apart by marker or line style too")
    if plots:
        first = plots[0][0]
        styled = any(STYLE.search(c.source) for c in notebook.cells[:first + 1]
                     if c.cell_type == "code")
        if not styled:
            found.append(f'no plt.style.use("petroff10") before the first plot (cell {first})')
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for alt, target in MARKDOWN_IMAGE.findall(cell.source):
            if len(alt.strip()) < 3:
                found.append(f"cell {index}: picture {target} without alt text")
        for tag in HTML_IMAGE.findall(cell.source):
            if not re.search(r"""\balt\s*=\s*["'][^"']{3,}""", tag):
                found.append(f"cell {index}: <img> without alt text")
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=relative(p), marks=pytest.mark.xfail(
        strict=True, reason=f"being reworked by the {KNOWN[relative(p)]}"))
     if relative(p) in KNOWN else pytest.param(p, id=relative(p)) for p in NOTEBOOKS])
def test_pictures_have_alt_text_and_the_course_style(path):
    problems = plot_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{relative(path)}:\n" + "\n".join(problems)


def test_known_exceptions_name_existing_notebooks():
    assert all((ROOT / name).exists() for name in KNOWN), "remove KNOWN entries for lost files"


def notebook_of(*cells) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = list(cells)
    return notebook


def plot_cell(source: str, alt: str | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    if alt is not None:
        cell.metadata["mystnb"] = {"image": {"alt": alt}}
    return cell


def test_the_checks_catch_each_problem_and_pass_a_good_notebook():
    good = notebook_of(nbformat.v4.new_code_cell('import matplotlib.pyplot as plt\n'
                                                 'plt.style.use("petroff10")'),
                       plot_cell('ax.plot(x, y, "o-", label="1990-2018")',
                                 alt="Accuracy by survey year: it falls from 0.81 to 0.77."),
                       nbformat.v4.new_markdown_cell("![The card editor](img/editor.png)"))
    assert plot_problems(good) == []
    bad = notebook_of(plot_cell('ax.plot(x, y, color="tab:red")', alt="plot"),
                      nbformat.v4.new_markdown_cell('![](img/a.png) <img src="b.png">'))
    problems = "\n".join(plot_problems(bad))
    assert "without alt text (cell metadata" in problems
    assert "'tab:red'" in problems
    assert 'no plt.style.use("petroff10")' in problems
    assert "picture img/a.png without alt text" in problems and "<img> without alt" in problems
