"""The import directions of ARCHITECTURE.md, checked by reading the code.

Every ``import`` in ``src/modelshare`` (at the top of a module or inside a
function: a lazy import is still an arrow) is parsed with ``ast`` and each arrow
between two parts of the package is checked against :data:`ALLOWED`. A part that
does not exist yet (``rules`` before the rules core lands) simply has no arrows;
every part that exists is held to its rule.

The notebooks are read the same way: they import only the public face of
``modelshare`` (the names in ``modelshare.__all__``), never a private name.
"""

from __future__ import annotations

import ast
import functools
import importlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import modelshare

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "modelshare"

# Helpers any part may use; they import no other part (only each other).
BASE = {"modelshare", "modelshare.course", "modelshare.data", "modelshare.env",
        "modelshare._imports", "modelshare.example", "modelshare.feedback", "modelshare.pretrained",
        "modelshare.published", "modelshare.reuse", "modelshare.risks", "modelshare.tiny"}

# Which parts each part may import (its own modules always). Arrows point one way:
# widgets -> card / shift / release -> rules; the hub client stands alone; the
# server imports nothing from the teaching code but rules and card.frontmatter;
# a command-line module (cli.py, <group>/cli.py) may wire anything.
ALLOWED: dict[str, set[str]] = {
    "base": {"base"},
    "rules": set(),
    "card": {"rules", "base"},
    "shift": {"rules", "base"},
    "release": {"rules", "base", "hub.client"},
    "widgets": {"card", "shift", "release", "rules", "base"},
    # exercise material (a colleague's release, a card to review): built from the teaching code
    "practice": {"card", "shift", "release", "rules", "base"},
    # the seeded community (lesson 06): other people's releases, built with the teaching code
    "community": {"card", "release", "rules", "base"},
    "hub.client": set(),
    "hub.server": {"rules", "card.frontmatter"},
    "card.frontmatter": {"rules"},  # the server imports it: it must stay this light
    "cli": {"base", "rules", "card", "shift", "release", "hub.client", "hub.server",
            "card.frontmatter", "practice", "community"},
}

# Arrows that break a rule today and are being removed by work in progress on another
# branch: (importing module or package, imported module) -> who removes it. Delete the
# entry when that work has landed on main (the test fails on an entry that is no longer
# true, so none outlives its reason).
PENDING: dict[tuple[str, str], str] = {}


def pending(source: str, target: str) -> bool:
    return any(target == theirs and (source == mine or source.startswith(mine + "."))
               for mine, theirs in PENDING)


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (SRC.parent / relative).with_suffix(".py").exists() or (
        SRC.parent / relative / "__init__.py").exists()


def part_of(name: str) -> str:
    """The part of the package a module belongs to."""
    if name == "modelshare.cli" or name.endswith(".cli"):
        return "cli"
    if name == "modelshare.card.frontmatter":
        return "card.frontmatter"
    if name in ("modelshare.hub", "modelshare.hub.client"):
        return "hub.client"
    for part in ("hub.server", "rules", "card", "release", "widgets", "shift", "practice",
                 "community"):
        prefix = f"modelshare.{part}"
        if name == prefix or name.startswith(prefix + "."):
            return part
    if name in BASE:
        return "base"
    raise AssertionError(f"{name} belongs to no part: add it to BASE or to a part in "
                         "tests/test_architecture.py and to ARCHITECTURE.md")


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every modelshare module ``path`` imports."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append((node.lineno, target if is_module(target) else base))
    return [(line, name) for line, name in found
            if name == "modelshare" or name.startswith("modelshare.")]


@functools.cache
def arrows() -> list[tuple[str, int, str]]:
    """(importing module, line, imported module) for every import in the package."""
    return [(module_name(path), line, target)
            for path in sorted(SRC.rglob("*.py")) for line, target in imports_of(path)]


def test_every_module_belongs_to_a_part():
    for path in SRC.rglob("*.py"):
        part_of(module_name(path))


def violations(found: list[tuple[str, int, str]]) -> list[str]:
    broken = []
    for source, line, target in found:
        mine, theirs = part_of(source), part_of(target)
        if theirs == mine or theirs in ALLOWED[mine] or pending(source, target):
            continue
        if theirs == "card.frontmatter" and (mine == "card" or "card" in ALLOWED[mine]):
            continue  # front matter is part of card: whoever may use card may use it
        if mine == "hub.server" and theirs == "card" and target == "modelshare.card":
            continue  # the package itself, on the way to card.frontmatter
        broken.append(f"{source} (line {line}) imports {target}: {mine} may import only "
                      f"{sorted(ALLOWED[mine]) or 'nothing else'}")
    return broken


def test_imports_point_one_way():
    broken = violations(arrows())
    assert not broken, "imports against ARCHITECTURE.md:\n" + "\n".join(broken)


def test_an_arrow_the_wrong_way_is_caught():
    wrong = [("modelshare.card.check", 3, "modelshare.widgets.editor"),  # up, not down
             ("modelshare.release.scan", 4, "modelshare.card.session"),  # sideways
             ("modelshare.hub.server.app", 5, "modelshare.release.scan"),  # teaching code
             ("modelshare.hub.client", 6, "modelshare.env"),
             ("modelshare.rules", 7, "modelshare.card.document"),  # rules are the bottom
             ("modelshare.card.frontmatter", 8, "modelshare.card.document")]  # kept light
    right = [("modelshare.widgets.editor", 8, "modelshare.card.session"),
             ("modelshare.card.document", 8, "modelshare.card.frontmatter"),
             ("modelshare.hub.server.app", 9, "modelshare.card.frontmatter"),
             ("modelshare.cli", 10, "modelshare.release.cli")]
    assert len(violations(wrong)) == len(wrong)
    assert violations(right) == []


def test_pending_exceptions_are_still_true():
    seen = arrows()
    stale = [f"{mine} -> {theirs} ({why})" for (mine, theirs), why in PENDING.items()
             if not any(target == theirs and (source == mine or source.startswith(mine + "."))
                        for source, _, target in seen)]
    assert not stale, ("no longer imported: delete from PENDING in tests/test_architecture.py: "
                       + "; ".join(stale))


def test_the_checker_sees_lazy_imports_and_modules_imported_by_name():
    """The parser counts an import inside a function and a module imported by name."""
    widget = SRC / "widgets" / "editor.py"
    assert (module_name(widget), part_of("modelshare.card.session")) == (
        "modelshare.widgets.editor", "card")
    targets = {target for _, target in imports_of(SRC / "card" / "session.py")}
    assert "modelshare.card.build" in targets  # imported inside new_card()
    assert "modelshare.card.autofill" in targets  # `from modelshare.card import autofill`


def test_the_server_loads_no_teaching_code_and_no_heavy_library():
    """Imported in a fresh Python, the workshop hub loads neither torch, transformers nor
    scikit-learn, and no part of modelshare but the hub, rules and card front matter."""
    code = ("import json, sys, modelshare.hub.server, modelshare.hub.server.app; "
            "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True).stdout)
    heavy = [name for name in ("torch", "transformers", "sklearn", "datasets", "pandas")
             if name in loaded]
    assert heavy == [], f"the hub server imports {heavy}"
    pending = {target for (source, target) in PENDING if source.startswith("modelshare.hub")}
    allowed_prefixes = ("modelshare.hub", "modelshare.rules", "modelshare.card.frontmatter")
    teaching = [name for name in loaded if name.startswith("modelshare.")
                and not name.startswith(allowed_prefixes)
                and name not in {"modelshare.card", "modelshare.feedback"}  # package inits
                and name not in pending and part_of(name) != "base"]
    if "modelshare.card.metadata" in pending:
        teaching = [n for n in teaching if n != "modelshare.card.findings"]  # metadata's import
    assert teaching == [], f"the hub server loads teaching code: {teaching}"


def test_importing_the_package_stays_cheap():
    """`import modelshare` and the packages behind the public face load no ML library
    until a function needs it (a notebook's first cell, the CLI and the server start fast)."""
    code = ("import json, sys, modelshare, modelshare.release, modelshare.env, modelshare.card, "
            "modelshare.widgets, modelshare.cli; print(json.dumps(sorted(sys.modules)))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                           text=True, check=True).stdout))
    heavy = {"numpy", "pandas", "sklearn", "torch", "transformers", "datasets",
             "huggingface_hub", "ipywidgets", "jinja2", "fastapi"} & loaded
    assert heavy == set()


NOTEBOOKS = sorted([ROOT / "index.ipynb", *ROOT.glob("lessons/*.ipynb"),
                    *ROOT.glob("solutions/*.ipynb"), *ROOT.glob("exercises/*.ipynb")])


def notebook_code(path: Path) -> ast.Module:
    cells = [cell.source for cell in nbformat.read(path, as_version=4).cells
             if cell.cell_type == "code"]
    lines = [line for cell in cells for line in cell.splitlines()
             if not line.lstrip().startswith(("%", "!"))]  # IPython magics are not Python
    return ast.parse("\n".join(lines))


def public_names(submodule: str) -> set[str]:
    module = importlib.import_module(f"modelshare.{submodule}")
    return set(getattr(module, "__all__", None) or
               [name for name in dir(module) if not name.startswith("_")])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebooks_use_only_the_public_face(path):
    public = set(modelshare.__all__)
    wrong = []
    for node in ast.walk(notebook_code(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("modelshare"):
            names = [node.module + "." + alias.name for alias in node.names]
        else:
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not (
                    node.attr.startswith("__") and node.attr.endswith("__")):
                wrong.append(f"line {node.lineno}: private attribute .{node.attr}")
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] != "modelshare" or len(parts) == 1:
                continue
            ok = parts[1] in public and len(parts) <= 3 and (
                len(parts) == 2 or parts[2] in public_names(parts[1]))
            if not ok:
                wrong.append(f"line {node.lineno}: imports {name}")
    assert not wrong, f"{path.name} reaches past modelshare's public face: {wrong}"


def test_the_architecture_page_names_every_module():
    """ARCHITECTURE.md's map lists each module of the package (the hub server's inside
    files are the hub's own business and change with it)."""
    page = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    layout = page[page.index("```\n__init__.py"):]
    paths = [p for p in SRC.rglob("*") if p.suffix in (".py", ".env") or
             (p.is_dir() and (p / "__init__.py").exists())]
    missing = sorted({p.relative_to(SRC).as_posix() for p in paths
                      if "server" not in p.relative_to(SRC).parts[:2]
                      and p.name not in ("__init__.py", "__main__.py")
                      and (p.stem if p.suffix else p.name) + (p.suffix if p.suffix else "/")
                      not in layout})
    assert missing == [], f"add these to the layout in ARCHITECTURE.md: {missing}"
