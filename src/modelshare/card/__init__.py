"""Model and dataset cards: build, autofill from artifacts, check and score, edit.

Importing this package is cheap: the names below load their module (and
huggingface_hub, scikit-learn...) only when first used, so a server that needs
only :func:`check_metadata` never pays for the rest.
"""

from __future__ import annotations

import importlib

from modelshare.card.findings import Finding
from modelshare.card.metadata import check_metadata

_LAZY: dict[str, str] = {}

__all__ = ["Finding", "check_metadata", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'modelshare.card' has no attribute {name!r}")
