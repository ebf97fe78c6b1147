"""Model and dataset cards: build, autofill from artifacts, check and score, edit.

Build a card for a fitted model (lessons 03-04)::

    from modelshare import card
    doc = card.build_card("gss-income", metadata={"license": "mit"},
                          sections={"uses": "Teaching only."},
                          fills=[card.from_estimator(model), card.from_dataframe(X, y),
                                 card.from_environment(), card.from_weights("model.skops"),
                                 card.from_evaluation(model, X_test, y_test, groups="gender")])
    card.check_card(doc)          # score 0-100 and findings, each pointing at a section id
    doc.save("my-model/README.md")

Edit a card section by section (what the card editor widget and the
distribution-shift report use)::

    doc = card.load_card("my-model")              # byte-exact round trip
    card.section_specs("model")                   # id, title, role, weight, guidance
    doc.get("shift"); doc.set("shift", markdown)  # one section; the rest is untouched
    doc.set_metadata("license", "apache-2.0")     # one YAML key; order and comments kept
    card.render_html(doc)                         # HTML preview (raw HTML escaped)

Check cards from the command line, as a linter: ``modelshare card check --help``
explains the score and the exit codes; ``.pre-commit-hooks.yaml`` runs it on commit.

Errors follow one rule: an argument with a bad value raises ValueError whose message
says what to pass instead; a path with nothing there raises FileNotFoundError. A card's
content never raises: :func:`check_card` reports it as findings.

Importing this package is cheap: the names below load their module (and
huggingface_hub, scikit-learn...) only when first used, so a server that needs
only :func:`check_metadata` never pays for the rest.
"""

from __future__ import annotations

import importlib

from modelshare.rules.findings import Finding
from modelshare.rules.metadata import check_metadata

_LAZY: dict[str, str] = {
    "build_card": "modelshare.card.build",
    "build_dataset_card": "modelshare.card.build",
    "check_card": "modelshare.card.check",
    "CardCheck": "modelshare.card.check",
    "CardDocument": "modelshare.card.document",
    "load_card": "modelshare.card.document",
    "section_specs": "modelshare.card.sections",
    "section": "modelshare.card.sections",
    "SectionSpec": "modelshare.card.sections",
    "render_html": "modelshare.card.render",
    "Fill": "modelshare.card.autofill",
    "from_estimator": "modelshare.card.autofill",
    "from_dataframe": "modelshare.card.autofill",
    "from_environment": "modelshare.card.autofill",
    "from_weights": "modelshare.card.autofill",
    "from_evaluation": "modelshare.card.autofill",
    "from_transformers": "modelshare.card.autofill",
    "from_datasheet": "modelshare.card.datasheet",
    "CardSession": "modelshare.card.session",
}

__all__ = ["Finding", "check_metadata", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'modelshare.card' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
