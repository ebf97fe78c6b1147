"""Write (or update) a notebook from a jupytext "percent" script.

    python tools/notebook_from_script.py draft.py lessons/NN_topic.ipynb

Authoring in a plain-text script is easier to review and diff; the notebook
stays the committed source. Existing cell outputs are dropped: run
tools/execute_notebooks.py afterwards. Cell tags use jupytext's syntax:
``# %% tags=["solution"]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def convert(script: Path, target: Path) -> None:
    notebook = jupytext.read(script, fmt="py:percent")
    notebook.metadata = nbformat.NotebookNode(
        {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    )
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, target)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    convert(Path(sys.argv[1]), Path(sys.argv[2]))
