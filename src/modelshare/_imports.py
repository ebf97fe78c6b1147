"""Keep PyTorch out of Python processes that do not use it (about 150 MB each).

``import skops.io`` lists scikit-learn's estimators with
``sklearn.utils.all_estimators()``, which imports every scikit-learn package to look
inside it, among them ``sklearn.externals.array_api_compat.torch``, whose first line
imports PyTorch. A kernel that only saves a scikit-learn model with skops then holds
PyTorch for nothing: on Binder, where a lesson and its exercise share 1 GB, that is
the difference between fitting and not (see ``benchmarks/notebooks.py``).

While PyTorch is not loaded, that one package is reported as missing, which
``all_estimators`` skips (it holds no estimator). Once anything imports ``torch``,
the package imports as usual, so scikit-learn's array-API support for PyTorch
tensors keeps working. ``import modelshare`` installs this; a notebook that imports
``skops.io`` before anything from ``modelshare`` still loads PyTorch.

    >>> import sys, modelshare
    >>> any(isinstance(f, SkipTorchCompat) for f in sys.meta_path)
    True
"""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder

SKIPPED = "sklearn.externals.array_api_compat.torch"


class SkipTorchCompat(MetaPathFinder):
    """Refuse :data:`SKIPPED` while ``torch`` is not imported; otherwise stay out of the way."""

    def find_spec(self, name, path=None, target=None):
        if name == SKIPPED and "torch" not in sys.modules:
            raise ModuleNotFoundError(f"{SKIPPED} is skipped until PyTorch is imported "
                                      "(modelshare._imports)", name=name)
        return None


def install() -> None:
    if not any(isinstance(finder, SkipTorchCompat) for finder in sys.meta_path):
        sys.meta_path.insert(0, SkipTorchCompat())
