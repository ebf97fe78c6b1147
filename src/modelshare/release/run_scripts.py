"""Run a release's scripts one after the other in one Python; print the results as JSON.

:func:`~modelshare.release.verify` runs this file's code in a fresh Python, in the
downloaded folder and without your tokens, as ``python -c "<this file>" example.py
evaluate.py``: it imports nothing of modelshare, and the folder comes first on
``sys.path`` as when a stranger runs ``python example.py`` there.

One process for all scripts because importing skops, scikit-learn and pandas takes
seconds: once is enough. Each script gets its own stdout. The last line printed is
``{name: {"ok": bool, "stdout": str, "error": str}}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import sys
import traceback
from collections.abc import Sequence


def run(names: Sequence[str]) -> dict[str, dict]:
    """Run each script as ``__main__``; a script that fails does not stop the next one."""
    results = {}
    for name in names:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                runpy.run_path(name, run_name="__main__")
            results[name] = {"ok": True, "stdout": out.getvalue(), "error": ""}
        except BaseException as error:  # a script may raise anything, SystemExit included
            ok = isinstance(error, SystemExit) and error.code in (None, 0)
            error_text = "" if ok else traceback.format_exc(limit=-1).strip().splitlines()[-1]
            results[name] = {"ok": ok, "stdout": out.getvalue(), "error": error_text}
    return results


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
