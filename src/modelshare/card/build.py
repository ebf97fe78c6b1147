"""Build a model or dataset card from the course template.

:func:`build_card` merges what you write (``sections``) with what autofill
found (``fills``), renders ``templates/modelcard.md.jinja`` through
huggingface_hub's ``ModelCard.from_template`` and returns a
:class:`~modelshare.card.document.CardDocument` (call ``.to_model_card()``
for the huggingface_hub object, ``.save(path)`` to write README.md).

Example:
    >>> doc = build_card("gss-income", metadata={"license": "mit"},
    ...                  sections={"uses": "Teaching only."})
    >>> doc.get("uses")
    'Teaching only.'
    >>> "[More Information Needed]" in doc.get("limitations")
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import Any

from modelshare.card.autofill import Fill
from modelshare.card.document import CardDocument
from modelshare.card.sections import section_specs as section_table


def template_path(repo_type: str = "model") -> str:
    """Path of the course's Jinja template for ``"model"`` or ``"dataset"`` cards."""
    name = "datasetcard.md.jinja" if repo_type == "dataset" else "modelcard.md.jinja"
    return str(resources.files("modelshare.card").joinpath("templates", name))


def merge(sections: dict[str, str] | None, metadata: dict | None,
          fills: Iterable[Fill]) -> tuple[dict[str, str], dict[str, Any], list]:
    """Your sections and metadata win; fills add what you left out (tags are united)."""
    out_sections: dict[str, str] = {}
    out_meta: dict[str, Any] = dict(metadata or {})
    results: list = []
    for fill in fills:
        for sid, text in fill.sections.items():
            out_sections[sid] = f"{out_sections[sid]}\n\n{text}" if sid in out_sections else text
        for key, value in fill.metadata.items():
            if key == "tags":
                tags = list(out_meta.get("tags") or [])
                out_meta["tags"] = tags + [t for t in value if t not in tags]
            else:
                out_meta.setdefault(key, value)
        results += fill.eval_results
    out_sections.update({k: v for k, v in (sections or {}).items() if v})
    return out_sections, out_meta, results


# Keywords the model template reads besides ``sections`` (a misspelt one would be
# silently ignored by Jinja, so build_card refuses unknown ones).
DETAILS = ("developers", "funded_by", "shared_by", "model_type", "version", "license",
           "base_model", "repo", "paper", "hardware_type", "hours_used", "cloud_provider",
           "co2_emitted")


def _guide(repo_type: str) -> dict[str, str]:
    return {s.id: f"{s.guidance} Best written by: {s.role}." for s in section_table(repo_type)}


def build_card(model_id: str, *, metadata: dict | None = None,
               sections: dict[str, str] | None = None, fills: Iterable[Fill] = (),
               **details: Any) -> CardDocument:
    """Render a model card. ``details`` fill the Model Details list when you give no
    ``details`` section: developers, funded_by, shared_by, model_type, version, repo, paper,
    and the Environmental Impact list: hardware_type, hours_used, cloud_provider, co2_emitted.
    """
    from huggingface_hub import ModelCard, ModelCardData

    fills = list(fills)
    typos = sorted(set(details) - set(DETAILS))
    if typos:
        raise ValueError(f"build_card() got unknown detail(s) {typos}; use one of: "
                         f"{', '.join(DETAILS)}.")
    unknown = set(sections or {}) - {s.id for s in section_table("model")}
    if unknown:
        valid = ", ".join(s.id for s in section_table("model"))
        raise ValueError(f"Unknown section id(s) {sorted(unknown)}; use valid ids: {valid}.")
    text_sections, meta, results = merge(sections, metadata, fills)
    if results:
        meta.setdefault("model_name", model_id)
        meta["eval_results"] = list(meta.get("eval_results") or []) + results
    for fill in fills:
        for key, value in fill.details.items():
            details.setdefault(key, value)
    card = ModelCard.from_template(
        ModelCardData(**meta), template_path=template_path("model"), model_id=model_id,
        sections=text_sections, guide=_guide("model"), **details,
    )
    return CardDocument(card.content, "model")


def build_dataset_card(pretty_name: str, *, metadata: dict | None = None,
                       sections: dict[str, str] | None = None, fills: Iterable[Fill] = ()
                       ) -> CardDocument:
    """Render a dataset card (a datasheet after Gebru et al.)."""
    from huggingface_hub import DatasetCard, DatasetCardData

    unknown = set(sections or {}) - {s.id for s in section_table("dataset")}
    if unknown:
        valid = ", ".join(s.id for s in section_table("dataset"))
        raise ValueError(f"Unknown section id(s) {sorted(unknown)}; use valid ids: {valid}.")
    text_sections, meta, _ = merge(sections, metadata, fills)
    meta.setdefault("pretty_name", pretty_name)
    card = DatasetCard.from_template(
        DatasetCardData(**meta), template_path=template_path("dataset"),
        sections=text_sections, guide=_guide("dataset"),
    )
    return CardDocument(card.content, "dataset")
