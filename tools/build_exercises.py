"""Generate exercises/ from solutions/ (solutions are the only source).

    python tools/build_exercises.py          # write exercises/NN_topic.ipynb
    python tools/build_exercises.py --check  # exit 1 if exercises/ is stale

Rules (nbgrader-style, but every exercise runs without raising):
- In a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
  become a placeholder: each name the solution assigns becomes
  ``name = ...  # your code here`` (so the check that follows says
  "not answered yet" instead of crashing); a region that assigns nothing
  becomes ``# your code here``. A dict of answers keeps its keys:
  ``matches = {"a": ..., "b": ...}  # your answer here``.
- In a Markdown cell the region becomes "*Write your answer here.*"
- Cells tagged ``solution`` disappear (for example worked answers to a challenge).
- Outputs and execution counts are cleared; cell ids are kept so that
  regenerating gives the same file.
- Open writing: a cell that calls ``self_assess("id", name, rubric)`` (or
  ``self_assess("id", {"Label": name, ...}, rubric)``) gives the text its
  solution region assigns to ``name`` as the model answer. All model answers go
  to ``src/modelshare/model_answers.json``, which ``modelshare.feedback`` reads
  when a learner asks to see one; the exercise itself never shows it. A text
  placeholder reads ``name = ...  # your answer here, in quotes``; another
  literal ``# your answer here``; anything computed ``# your code here``.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
MODEL_ANSWERS = ROOT / "src" / "modelshare" / "model_answers.json"

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


def literal_assignments(code: str) -> dict:
    """Names that ``code`` binds to a plain literal (text, number, list, dict...), with the value."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return found


def placeholder_comment(literals: dict, name: str) -> str:
    """What goes where: text in quotes, a value typed in, or code."""
    if name not in literals:
        return "your code here"
    return "your answer here, in quotes" if isinstance(literals[name], str) else "your answer here"


def placeholder_value(literals: dict, name: str) -> str:
    """``...``; for a dict of answers keyed by text (a matching), its keys with ``...`` values,
    so the learner fills in the blanks instead of guessing the keys."""
    value = literals.get(name)
    if isinstance(value, dict) and value and all(isinstance(key, str) for key in value):
        return "{" + ", ".join(f"{json.dumps(key)}: ..." for key in value) + "}"
    return "..."


def solution_regions(source: str) -> list[str]:
    """The code inside each BEGIN/END SOLUTION region of a code cell, dedented."""
    regions, region, indent = [], None, ""
    for line in source.splitlines():
        begin = BEGIN.match(line)
        if begin:
            region, indent = [], begin.group(1)
        elif END.match(line) and region is not None:
            regions.append(_dedent(region, indent))
            region = None
        elif region is not None:
            region.append(line)
    return regions


def model_answers(solution: nbformat.NotebookNode, name: str = "notebook") -> dict:
    """{exercise id: model answer} for every ``self_assess`` call in a solution notebook."""
    answers: dict = {}
    texts: dict = {}  # the text may be written in an earlier cell than the self_assess call
    for cell in solution.cells:
        if cell.cell_type == "code":
            for region in solution_regions(cell.source):
                texts.update(literal_assignments(region))
    for index, cell in enumerate(solution.cells):
        if cell.cell_type != "code" or "self_assess(" not in cell.source:
            continue
        where = f"{name}, cell {index}"
        try:
            tree = ast.parse(strip_code(cell.source, where))
        except SyntaxError:
            continue
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", getattr(
                    call.func, "attr", None)) == "self_assess" and len(call.args) >= 2
                    and isinstance(call.args[0], ast.Constant)):
                continue
            exercise, target = call.args[0].value, call.args[1]
            if isinstance(target, ast.Name):
                wanted = {None: target.id}
            elif isinstance(target, ast.Dict) and all(
                    isinstance(k, ast.Constant) and isinstance(v, ast.Name)
                    for k, v in zip(target.keys, target.values, strict=True)):
                wanted = {k.value: v.id for k, v in zip(target.keys, target.values, strict=True)}
            else:
                raise SolutionMarkupError(
                    f"{where}: self_assess({exercise!r}, ...) needs a name, or a dict of labels to "
                    "names, as its answer, so that the model answer can be found.")
            missing = [var for var in wanted.values() if not isinstance(texts.get(var), str)]
            if missing:
                raise SolutionMarkupError(
                    f"{where}: the model answer of {exercise!r} must be plain text assigned to "
                    f"{missing[0]!r} in the solution region (no f-string, no computation).")
            answers[exercise] = (texts[wanted[None]] if None in wanted
                                 else {label: texts[var] for label, var in wanted.items()})
    return answers


def render_model_answers(solutions: list[Path]) -> str:
    answers: dict = {}
    for path in solutions:
        answers.update(model_answers(nbformat.read(path, as_version=4), path.name))
    return json.dumps(dict(sorted(answers.items())), indent=2, ensure_ascii=False) + "\n"


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
            code = _dedent(region, indent)
            names = assigned_names(code)
            texts = literal_assignments(code)
            if names:
                out += [f"{indent}{name} = {placeholder_value(texts, name)}  "
                        f"# {placeholder_comment(texts, name)}" for name in names]
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
    parser.add_argument("--model-answers", type=Path, default=MODEL_ANSWERS, help=argparse.SUPPRESS)
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
    try:
        answers_text = render_model_answers(list(wanted.values()))
    except SolutionMarkupError as error:
        problems.append(f"{error}")
    else:
        target = args.model_answers
        relative = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        if args.check:
            if not target.exists() or target.read_text() != answers_text:
                problems.append(f"{relative} is stale")
        elif not target.exists() or target.read_text() != answers_text:
            target.write_text(answers_text)
            print(f"wrote {relative}")
    for extra in sorted(exercises.glob("*.ipynb")):
        if extra.name not in wanted:
            problems.append(f"exercises/{extra.name} has no solution in solutions/ (delete it)")
    if problems:
        print("\n".join(problems))
        if args.check:
            print("Fix: run `make exercises` (python tools/build_exercises.py) and commit exercises/ "
                  "and src/modelshare/model_answers.json.")
        return 1
    if args.check:
        print(f"exercises/ is up to date with {len(wanted)} solution notebook(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
