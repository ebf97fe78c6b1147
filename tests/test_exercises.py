"""The exercise generator (tools/build_exercises.py) and the sync check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_exercises as gen  # noqa: E402


def test_solution_region_becomes_placeholders_for_assigned_names():
    code = "x = 1\n### BEGIN SOLUTION\nmodel, score = fit()\ntotal = 3\n### END SOLUTION\ncheck(total)"
    assert gen.strip_code(code, "t") == (
        "x = 1\nmodel = ...  # your code here\nscore = ...  # your code here\n"
        "total = ...  # your answer here\ncheck(total)"
    )


def test_region_without_assignment_and_indented_region():
    assert gen.strip_code("### BEGIN SOLUTION\nprint(1)\n### END SOLUTION", "t") == "# your code here"
    code = "def f():\n    ### BEGIN SOLUTION\n    y = 2\n    ### END SOLUTION\n    return y"
    assert gen.strip_code(code, "t") == "def f():\n    y = ...  # your answer here\n    return y"


def test_unclosed_or_nested_regions_are_errors():
    with pytest.raises(gen.SolutionMarkupError, match="never closed"):
        gen.strip_code("### BEGIN SOLUTION\nx = 1", "t")
    with pytest.raises(gen.SolutionMarkupError, match="without a BEGIN"):
        gen.strip_code("### END SOLUTION", "t")
    with pytest.raises(gen.SolutionMarkupError, match="inside another"):
        gen.strip_code("### BEGIN SOLUTION\n### BEGIN SOLUTION", "t")


def test_markdown_regions_and_solution_cells():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Q?\n### BEGIN SOLUTION\nsecret\n### END SOLUTION\nafter"),
        nbformat.v4.new_code_cell("print('answer')", metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("a = 1", execution_count=3, outputs=[nbformat.v4.new_output("stream", text="x")]),
    ]
    out = gen.make_exercise(nb)
    assert [c.cell_type for c in out.cells] == ["markdown", "code"]
    assert out.cells[0].source == "Q?\n*Write your answer here.*\nafter"
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None


def test_generated_exercise_runs_and_says_not_answered(tmp_path):
    code = gen.strip_code(
        "from modelshare import check_answer\n### BEGIN SOLUTION\nn = 2\n### END SOLUTION\n"
        "check_answer('t', n, expected=2)",
        "t",
    )
    script = tmp_path / "ex.py"
    script.write_text(code)
    result = subprocess.run([sys.executable, script], capture_output=True, text=True,
                            env={"PATH": "/usr/bin", "MODELSHARE_STRICT": ""})
    assert result.returncode == 0, result.stderr
    assert "Not answered yet" in result.stdout


def test_repository_exercises_are_in_sync():
    assert gen.main(["--check"]) == 0


def test_editing_a_solution_without_regenerating_is_caught(tmp_path, capsys):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    shutil.copytree(ROOT / "solutions", solutions)
    shutil.copytree(ROOT / "exercises", exercises)
    assert gen.main(["--check", "--solutions", str(solutions), "--exercises", str(exercises)]) == 0
    path = solutions / "00_setup.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\nOne more sentence."
    nbformat.write(nb, path)
    assert gen.main(["--check", "--solutions", str(solutions), "--exercises", str(exercises)]) == 1
    assert "exercises/00_setup.ipynb is stale" in capsys.readouterr().out


def test_text_placeholders_say_in_quotes_and_literals_say_answer():
    code = '### BEGIN SOLUTION\nethics = ("Do not use it "\n          "for hiring.")\nletters = {"a"}\nn = len(x)\n### END SOLUTION'
    assert gen.strip_code(code, "t") == (
        "ethics = ...  # your answer here, in quotes\nletters = ...  # your answer here\n"
        "n = ...  # your code here"
    )


def _solution_with(source: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    return nb


def test_model_answers_come_from_the_solution_region_of_self_assess_cells():
    one = _solution_with('### BEGIN SOLUTION\nethics = ("No decisions "\n  "about people.")\n'
                         '### END SOLUTION\nself_assess("03-ethics", ethics, RUBRIC)')
    assert gen.model_answers(one) == {"03-ethics": "No decisions about people."}
    parts = _solution_with('### BEGIN SOLUTION\nuses = "Teach."\nscope = "Hiring."\n'
                           '### END SOLUTION\n'
                           'self_assess("04-uses", {"Uses": uses, "Out of scope": scope}, R)')
    assert gen.model_answers(parts) == {"04-uses": {"Uses": "Teach.", "Out of scope": "Hiring."}}
    exercise = gen.make_exercise(one)
    assert "No decisions" not in exercise.cells[0].source


def test_a_model_answer_must_be_plain_text():
    computed = _solution_with('### BEGIN SOLUTION\nreview = f"score {score}"\n### END SOLUTION\n'
                              'self_assess("07-review", review, R)')
    with pytest.raises(gen.SolutionMarkupError, match="must be plain text assigned to 'review'"):
        gen.model_answers(computed)
    expression = _solution_with('### BEGIN SOLUTION\nx = "a b"\n### END SOLUTION\n'
                                'self_assess("e", x + "c", R)')
    with pytest.raises(gen.SolutionMarkupError, match="needs a name, or a dict"):
        gen.model_answers(expression)


def test_stale_model_answers_are_caught(tmp_path, capsys):
    answers = tmp_path / "model_answers.json"
    args = ["--check", "--model-answers", str(answers)]
    assert gen.main(args) == 1
    assert "model_answers.json is stale" in capsys.readouterr().out
    assert gen.main(["--model-answers", str(answers), "--exercises", str(tmp_path / "ex")]) == 0
    assert gen.main(args) == 0
    assert answers.read_text() == (ROOT / "src" / "modelshare" / "model_answers.json").read_text()


def test_a_dict_of_answers_keeps_its_keys_with_blanks():
    code = '### BEGIN SOLUTION\nmatches = {"a": "privacy", "b": "consent"}\n### END SOLUTION'
    assert gen.strip_code(code, "t") == 'matches = {"a": ..., "b": ...}  # your answer here'
