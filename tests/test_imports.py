"""modelshare keeps PyTorch out of processes that only use skops (modelshare/_imports.py)."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def test_skops_after_modelshare_leaves_pytorch_unloaded():
    assert run("import sys, modelshare, skops.io; print('torch' in sys.modules)") == "False"


def test_the_problem_it_works_around_is_still_there():
    """skops.io alone imports PyTorch (through sklearn's all_estimators). When a new release
    stops doing that, this fails: then delete modelshare/_imports.py."""
    assert run("import sys, skops.io; print('torch' in sys.modules)") == "True"


def test_once_pytorch_is_loaded_nothing_is_skipped():
    out = run("import modelshare, skops.io, torch\n"
              "import sklearn.externals.array_api_compat.torch as compat\n"
              "print(compat.__name__)")
    assert out == "sklearn.externals.array_api_compat.torch"


def test_a_model_still_round_trips_through_skops():
    out = run("import modelshare, tempfile, sys\n"
              "import skops.io as sio\n"
              "from sklearn.linear_model import LogisticRegression\n"
              "model = LogisticRegression().fit([[0], [1], [2], [3]], [0, 0, 1, 1])\n"
              "path = tempfile.mkdtemp() + '/m.skops'\n"
              "sio.dump(model, path)\n"
              "loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))\n"
              "print(loaded.predict([[3]])[0], 'torch' in sys.modules)")
    assert out == "1 False"
