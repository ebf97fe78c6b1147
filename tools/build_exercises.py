"""Generate exercises/ from solutions/ (solutions are the only source).

    python tools/build_exercises.py          # write exercises/NN_topic.ipynb
    python tools/build_exercises.py --check  # exit 1 if exercises/ is stale

Rules (nbgrader-style, but every exercise runs without raising):
- In a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
  become a placeholder: each name the solution assigns becomes
  ``name = ...  # your code here`` (so the check that follows says
  "not answered yet" instead of crashing); a region that assigns nothing
  becomes ``# your code here``.
- In a Markdown cell the region becomes "*Write your answer here.*"
- Cells tagged ``solution`` disappear (for example worked answers to a challenge).
- Outputs and execution counts are cleared; cell ids are kept so that
  regenerating gives the same file.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"

BEGIN = re.compile(r"^(\s*)#+\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*#+\s*END SOLUTION\s*$")
MD_BEGIN = re.compile(r"^\s*(<!--\s*)?#+\s*BEGIN SOLUTION\s*(-->)?\s*$")
MD_END = re.compile(r"^\s*(<!--\s*)?#+\s*END SOLUTION\s*(-->)?\s*$")


class SolutionMarkupError(ValueError):
    """A solution region is not closed, or is nested."""


def assigned_names(code: str) -> list[str]:
    """Names bound at the top level of ``code``, in order, without repeats."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names: list[str] = []

    def add(target: ast.AST) -> None:
        if isinstance(target, ast.Name) and target.id not in names:
            names.append(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                add(element)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                add(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            add(node.target)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name not in names:
            names.append(node.name)
    return names


def _dedent(lines: list[str], indent: str) -> str:
    return "\n".join(line[len(indent):] if line.startswith(indent) else line for line in lines)


def strip_code(source: str, where: str) -> str:
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for number, line in enumerate(source.splitlines(), start=1):
        begin = BEGIN.match(line)
        if begin:
            if region is not None:
                raise SolutionMarkupError(f"{where}, line {number}: BEGIN SOLUTION inside another one.")
            region, indent = [], begin.group(1)
            continue
        if END.match(line):
            if region is None:
                raise SolutionMarkupError(f"{where}, line {number}: END SOLUTION without a BEGIN.")
            names = assigned_names(_dedent(region, indent))
            if names:
                out += [f"{indent}{name} = ...  # your code here" for name in names]
            else:
                out.append(f"{indent}# your code here")
            region = None
            continue
        if region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise SolutionMarkupError(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION.")
    return "\n".join(out)


def strip_markdown(source: str, where: str) -> str:
    out: list[str] = []
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        if MD_BEGIN.match(line):
            if inside:
                raise SolutionMarkupError(f"{where}, line {number}: BEGIN SOLUTION inside another one.")
            inside = True
            out.append("*Write your answer here.*")
            continue
        if MD_END.match(line):
            if not inside:
                raise SolutionMarkupError(f"{where}, line {number}: END SOLUTION without a BEGIN.")
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise SolutionMarkupError(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION.")
    return "\n".join(out)


def make_exercise(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """Return the exercise notebook generated from a solution notebook."""
    exercise = nbformat.v4.new_notebook(metadata=solution.metadata)
    for index, cell in enumerate(solution.cells):
        tags = list(cell.get("metadata", {}).get("tags", []))
        if "solution" in tags:
            continue
        where = f"{name}, cell {index}"
        new = nbformat.NotebookNode(
            {key: value for key, value in cell.items() if key not in ("outputs", "execution_count")}
        )
        new.metadata = nbformat.NotebookNode(dict(cell.get("metadata", {})))
        new.metadata.pop("execution", None)
        if cell.cell_type == "code":
            new.source = strip_code(cell.source, where)
            new.outputs = []
            new.execution_count = None
        elif cell.cell_type == "markdown":
            new.source = strip_markdown(cell.source, where)
        exercise.cells.append(new)
    return exercise


def render(solution_path: Path) -> str:
    solution = nbformat.read(solution_path, as_version=4)
    return nbformat.writes(make_exercise(solution, solution_path.name)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale exercises")
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS, help=argparse.SUPPRESS)
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    solutions, exercises = args.solutions, args.exercises

    problems: list[str] = []
    wanted = {path.name: path for path in sorted(solutions.glob("[0-9][0-9]_*.ipynb"))}
    for name, path in wanted.items():
        try:
            text = render(path)
        except SolutionMarkupError as error:
            problems.append(f"{error}")
            continue
        target = exercises / name
        if args.check:
            if not target.exists():
                problems.append(f"exercises/{name} is missing")
            elif target.read_text() != text:
                problems.append(f"exercises/{name} is stale")
        else:
            exercises.mkdir(exist_ok=True)
            if not target.exists() or target.read_text() != text:
                target.write_text(text)
                print(f"wrote exercises/{name}")
    for extra in sorted(exercises.glob("*.ipynb")):
        if extra.name not in wanted:
            problems.append(f"exercises/{extra.name} has no solution in solutions/ (delete it)")
    if problems:
        print("\n".join(problems))
        if args.check:
            print("Fix: run `make exercises` (python tools/build_exercises.py) and commit exercises/.")
        return 1
    if args.check:
        print(f"exercises/ is up to date with {len(wanted)} solution notebook(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
