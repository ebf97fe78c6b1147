"""The pytest plugin starts one hub for a notebook run and hands it to kernels and tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

TESTS = Path(__file__).resolve().parent

NOTEBOOK_CELL = """\
import os
from huggingface_hub import HfApi
api = HfApi()
assert api.whoami()["name"] == "learner"
api.create_repo("from-a-notebook")
# 1.5 MB goes through LFS: works only if the kernel got HF_HUB_DISABLE_XET=1
api.upload_file(path_or_fileobj=os.urandom(1_500_000), path_in_repo="w.bin",
                repo_id="learner/from-a-notebook")
assert api.file_exists("learner/from-a-notebook", "w.bin")
"""

PYTHON_TEST = """\
import os

def test_the_fixture_is_the_hub_the_kernels_use(local_hub):
    assert os.environ["HF_ENDPOINT"] == local_hub.endpoint
    assert os.environ["HF_TOKEN"] == local_hub.token
    assert os.environ["HF_HUB_DISABLE_XET"] == "1"
"""


@pytest.mark.slow
def test_notebook_run_gets_one_fresh_hub(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell(NOTEBOOK_CELL))
    nbformat.write(notebook, tmp_path / "publish.ipynb")
    (tmp_path / "test_fixture.py").write_text(PYTHON_TEST)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    env["PYTHONPATH"] = str(TESTS)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "hubplugin", "-p", "no:cacheprovider",
         "--nbval-lax", "--nbval-current-env", "-q", "publish.ipynb", "test_fixture.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout
