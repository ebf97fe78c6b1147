"""What a repo's files say about it: card metadata, tags, library and task.

The Hub reads a repo's ``README.md`` front matter and ``config.json`` to show and search
it. This module does the same, in one place, for ``model_info`` and for search
(:mod:`.routes.repos`): the summary of ``main`` is stored with the repo after each commit.

Example:

    >>> card = b"---\\nlicense: mit\\nlibrary_name: sklearn\\ntags: [tabular]\\ndatasets: [gss]\\n---\\n"
    >>> summary = summarize({"README.md": card}.get, "model")
    >>> summary["library_name"], summary["tags"]
    ('sklearn', ['tabular', 'sklearn', 'dataset:gss', 'license:mit'])
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from modelshare.card.frontmatter import read_metadata

# Architectures suffix -> pipeline tag, so pipeline(model=repo_id) finds its task
# (huggingface.co infers it the same way when the card does not say).
ARCHITECTURE_TASKS = {
    "ForSequenceClassification": "text-classification",
    "ForTokenClassification": "token-classification",
    "ForQuestionAnswering": "question-answering",
    "ForMaskedLM": "fill-mask",
    "ForCausalLM": "text-generation",
    "LMHeadModel": "text-generation",
    "ForConditionalGeneration": "text2text-generation",
    "ForImageClassification": "image-classification",
}
DATASET_FIELDS = ("task_categories", "task_ids", "language", "language_creators",
                  "multilinguality", "size_categories")
SMALL = 1024 * 1024  # config.json and README.md larger than this are not read


def summarize(read: Callable[[str], bytes | None], repo_type: str) -> dict[str, Any]:
    """The summary of a repo at one commit; ``read(path)`` gives a small file's bytes or None.

    Returns ``cardData`` (the card's metadata or None), ``tags`` (as the Hub lists them:
    the card's tags; for models the library, the task, ``base_model:``, ``dataset:`` and
    languages; for datasets ``language:``, ``task_categories:``...; ``license:``), and for
    models ``library_name``, ``pipeline_tag`` and ``config``.
    """
    readme = read("README.md")
    card = read_metadata(readme.decode("utf-8", "replace")) if readme else {}
    summary: dict[str, Any] = {"cardData": card or None}
    tags = _as_list(card.get("tags"))
    if repo_type == "model":
        config = _json(read("config.json"))
        library = card.get("library_name") or ("transformers" if config is not None else None)
        task = card.get("pipeline_tag") or _task_from_config(config)
        summary |= {"library_name": library if isinstance(library, str) else None,
                    "pipeline_tag": task if isinstance(task, str) else None}
        if config is not None:
            summary["config"] = {k: config[k] for k in ("architectures", "model_type")
                                 if k in config}
        tags += [t for t in (summary["library_name"], summary["pipeline_tag"]) if t]
        tags += [f"base_model:{m}" for m in _as_list(card.get("base_model"))]
        tags += [f"dataset:{d}" for d in _as_list(card.get("datasets"))]
        tags += _as_list(card.get("language"))
    if repo_type == "dataset":  # datasets name the field in the tag: language:en
        tags += [f"{key}:{value}" for key in DATASET_FIELDS for value in _as_list(card.get(key))]
    tags += [f"license:{lic}" for lic in _as_list(card.get("license"))]
    summary["tags"] = list(dict.fromkeys(t for t in tags if t))  # in order, once each
    return summary


def _as_list(value) -> list[str]:
    """A metadata value that may be one item or a list, as a list of strings."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [str(v) for v in items if isinstance(v, str | int | float) and not isinstance(v, bool)]


def _json(data: bytes | None) -> dict | None:
    if data is None:
        return None
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _task_from_config(config: dict | None) -> str | None:
    for architecture in (config or {}).get("architectures") or []:
        for suffix, task in ARCHITECTURE_TASKS.items():
            if str(architecture).endswith(suffix):
                return task
    return None
