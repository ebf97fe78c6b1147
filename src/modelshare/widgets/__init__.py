"""Notebook widgets (ipywidgets). Each is a thin view over plain, tested logic.

- ``ModelCardEditor`` / ``DatasetCardEditor``: write a card section by section with a
  live preview, a completeness meter and an autosaved draft (lesson 04). The logic
  underneath is ``CardSession`` (:mod:`modelshare.card.session`, also importable here).
- ``RiskRegister``: the risks of sharing, each with likelihood, impact, mitigation and
  owner; writes the card's "Bias, Risks, and Limitations" section (lesson 04).
- ``ShiftExplorer``: pick a deployment window and subgroup and watch accuracy and
  the shift detectors (lesson 07).
"""

from __future__ import annotations

import importlib

_LAZY = {
    "ModelCardEditor": "modelshare.widgets.editor",
    "DatasetCardEditor": "modelshare.widgets.editor",
    "CardEditor": "modelshare.widgets.editor",
    "CardSession": "modelshare.card.session",  # the logic under the editors, kept here too
    "RiskRegister": "modelshare.widgets.risk_register",
    "RISKS": "modelshare.widgets.risk_register",
    "ShiftExplorer": "modelshare.widgets.shift",
}

__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'modelshare.widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
