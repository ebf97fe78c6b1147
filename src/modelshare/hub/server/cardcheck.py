"""``POST /api/validate-yaml``: check the YAML metadata at the top of a README.md.

huggingface_hub calls this before every commit that contains README.md and from
``ModelCard.validate()``. The reply has the Hub's shape: ``{"errors": [...],
"warnings": [...]}``, each item ``{"message": ...}``; any error makes it a 400,
which the client turns into a ``ValueError``.

The checks themselves (licence id known, languages, model-index well formed...)
are :func:`modelshare.rules.metadata.check_metadata`, shared with the card checker,
so the server and ``modelshare card check`` never disagree. If that module is
missing (a trimmed-down copy of the server), a minimal check is used instead.

Example::

    >>> check_card("---\\nlicense: apache 2.0\\n---\\n# My model", "model")["errors"]
    [{'message': "license 'apache 2.0' is not a Hub licence id ... Fix: ..."}]
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:  # the single place where the server reuses teaching code: the shared metadata checks
    from modelshare.rules.metadata import check_metadata
except ImportError:  # pragma: no cover - only in a copy of the server without modelshare.card
    check_metadata = None

FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*$", re.DOTALL | re.MULTILINE)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """Split a README into (YAML text or None, markdown body)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end():].lstrip("\r\n")


def read_metadata(text: str) -> dict[str, Any]:
    """The card's metadata as a dict ({} when missing or unreadable): used for ``cardData``."""
    yaml_text, _ = split_front_matter(text)
    if yaml_text is None:
        return {}
    try:
        meta = yaml.safe_load(yaml_text)
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def check_card(content: str, repo_type: str = "model") -> dict[str, list[dict[str, str]]]:
    """Check a README's metadata; return ``{"errors": [...], "warnings": [...]}`` as the Hub does."""
    yaml_text, _ = split_front_matter(content)
    if yaml_text is None or not yaml_text.strip():
        return {"errors": [], "warnings": []}
    try:
        meta = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2} of README.md)" if where else ""
        return {"errors": [{"message": f"the YAML metadata does not parse{line}: {error}"}],
                "warnings": []}
    if not isinstance(meta, dict):
        return {"errors": [{"message": "the YAML metadata must be a mapping of keys to values "
                            f"(found a {type(meta).__name__})"}], "warnings": []}
    if check_metadata is None:
        return _minimal_check(meta)
    findings = check_metadata(meta, repo_type=repo_type)
    return {
        "errors": [{"message": f"{f.message} Fix: {f.fix}"} for f in findings if f.severity == "error"],
        "warnings": [{"message": f"{f.message} Fix: {f.fix}"}
                     for f in findings if f.severity == "warning"],
    }


def _minimal_check(meta: dict) -> dict[str, list[dict[str, str]]]:
    """Used only without modelshare.card: the licence must at least be a string."""
    errors = []
    if "license" in meta and not isinstance(meta["license"], str):
        errors.append({"message": "license must be a licence id such as 'apache-2.0'"})
    return {"errors": errors, "warnings": []}
