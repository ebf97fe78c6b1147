"""glossary.md: the Carpentries-style page of every term the lessons explain.

- one `###` heading per term: lower case, letters/digits/spaces/hyphens only, so
  that GitHub and JupyterLab give it the same anchor (spaces become hyphens);
- terms in alphabetical order, each with a definition;
- every link to `glossary.md#...` (from the notebooks, README and the guide)
  and every link inside the glossary points at a term that exists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "glossary.md"
HEADING = re.compile(r"^### (.+)$", re.M)
LINK = re.compile(r"glossary\.md#([^)\s\"'>]+)")


def anchor(term: str) -> str:
    return term.replace(" ", "-")


def entries(text: str) -> dict[str, str]:
    """{term: definition} in file order."""
    parts = HEADING.split(text)
    return {term: body.strip() for term, body in zip(parts[1::2], parts[2::2], strict=True)}


def linked_anchors(text: str) -> list[str]:
    return LINK.findall(text)


def notebook_text(path: Path) -> str:
    notebook = json.loads(path.read_text())
    return "\n".join("".join(cell["source"]) for cell in notebook["cells"])


def documents() -> list[Path]:
    return sorted(
        [ROOT / "README.md", ROOT / "index.ipynb", *ROOT.glob("instructors/*.md"),
         *ROOT.glob("lessons/*.ipynb"), *ROOT.glob("solutions/*.ipynb"),
         *ROOT.glob("exercises/*.ipynb")]
    )


def text_of(path: Path) -> str:
    return notebook_text(path) if path.suffix == ".ipynb" else path.read_text()


TERMS = entries(GLOSSARY.read_text())


def test_glossary_has_terms():
    assert len(TERMS) >= 40


def test_terms_are_headings_that_give_the_same_anchor_everywhere():
    bad = [term for term in TERMS if not re.fullmatch(r"[a-z0-9][a-z0-9 -]*", term)]
    assert not bad, f"glossary.md: use lower-case letters, digits, spaces and hyphens only: {bad}"


def test_terms_are_alphabetical_and_unique():
    terms = list(TERMS)
    assert len(terms) == len(set(terms)), "a term appears twice in glossary.md"
    assert terms == sorted(terms), (
        "glossary.md: keep the terms in alphabetical order; first out of place: "
        + next(a for a, b in zip(terms, sorted(terms), strict=True) if a != b)
    )


def test_every_term_has_a_definition():
    empty = [term for term, body in TERMS.items() if len(body.split()) < 8]
    assert not empty, f"glossary.md: these terms have no real definition: {empty}"


def test_links_inside_the_glossary_resolve():
    anchors = {anchor(term) for term in TERMS}
    inside = re.findall(r"\]\(#([^)]+)\)", GLOSSARY.read_text())
    assert inside, "the glossary cross-links no term (see also ...)"
    assert set(inside) <= anchors, f"glossary.md links to missing terms: {set(inside) - anchors}"


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_to_the_glossary_resolve(path):
    anchors = {anchor(term) for term in TERMS}
    missing = sorted(set(linked_anchors(text_of(path))) - anchors)
    assert not missing, f"{path.relative_to(ROOT)} links to glossary terms that do not exist: {missing}"


def test_a_broken_link_is_caught():
    anchors = {anchor(term) for term in TERMS}
    text = "see [kernel](../glossary.md#kernel) and [x](../glossary.md#no-such-term)"
    assert set(linked_anchors(text)) - anchors == {"no-such-term"}


def test_readme_links_the_glossary():
    assert "(glossary.md)" in (ROOT / "README.md").read_text()


def test_every_term_is_linked_from_a_lesson():
    """The glossary holds the terms the lessons explain: each is linked where it is first used."""
    linked = set()
    for path in [ROOT / "index.ipynb", *ROOT.glob("lessons/*.ipynb")]:
        linked |= set(linked_anchors(text_of(path)))
    unused = [term for term in TERMS if anchor(term) not in linked]
    assert not unused, (f"glossary terms no lesson links to: {unused}. Link each where a lesson "
                        "first uses it, as [term](../glossary.md#term-with-hyphens)")
