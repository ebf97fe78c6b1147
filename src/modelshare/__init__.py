"""modelshare: the helpers behind "Sharing Models Responsibly".

The lessons use only the names below. Each is a small module (or function)
that a learner can open and follow down to the library call that does the
real work (huggingface_hub, scikit-learn, scipy, skops...).

================  ==========================================================
``check_answer``  instant feedback in exercises (``modelshare.feedback``)
``feedback``      all the exercise checks: values, choices, statements, self-assessment
``practice``      what the exercises hand you: a messy release, a stand-in neighbour...
``course``        the course map: lessons and their minutes
``env``           check and capture the Python environment
``data``          real offline datasets, each with a datasheet
``example``       the running example: the GSS income classifier
``pretrained``    the offline all-MiniLM-L6-v2 encoder (lesson 01)
``published``     where the course lives: GitHub, Binder and local launch links
``reuse``         reuse a shared encoder or train from scratch: learning curve, paired test (01)
``risks``         membership inference and pickle inspection (lesson 02)
``tiny``          two tiny PyTorch models trained in seconds, to publish in lesson 05
``card``          build, autofill, check and edit model and dataset cards
``release``       prepare, scan, plan, publish and verify a release
``hub``           which hub this kernel talks to; the workshop hub server
``shift``         detect, estimate, correct and report distribution shift
``widgets``       card editors, risk register, shift explorer
``practice``      what the exercises hand you: a card to review, a messy release...
``community``     other people's models on the hub (lesson 06), and a Gradio demo
================  ==========================================================

Submodules load on first use, so ``import modelshare`` stays cheap (the
workshop hub server imports only what it needs).
"""

from __future__ import annotations

import importlib

from modelshare import _imports
from modelshare.feedback import check_answer

_imports.install()  # keeps PyTorch out of kernels that only use skops (see _imports.py)

__version__ = "0.1.0"

_SUBMODULES = (
    "card", "community", "course", "data", "env", "example", "feedback", "hub", "practice",
    "pretrained", "published", "release", "reuse", "risks", "shift", "tiny", "widgets",
)

__all__ = ["check_answer", *_SUBMODULES]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"modelshare.{name}")
    raise AttributeError(f"module 'modelshare' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
