"""``POST /api/validate-yaml``: check the YAML metadata at the top of a README.md.

huggingface_hub calls this before every commit that contains README.md and from
``ModelCard.validate()``. The reply has the Hub's shape: ``{"errors": [...],
"warnings": [...]}``, each item ``{"message": ...}``; any error makes it a 400,
which the client turns into a ``ValueError``, and warnings become a ``UserWarning``.

Where the metadata is, and how it is read, is :mod:`modelshare.card.frontmatter`
(huggingface_hub's own rule). The checks themselves (licence id known, languages,
model-index well formed...) are :func:`modelshare.rules.metadata.check_metadata`,
shared with the card checker, so the server and ``modelshare card check`` never
disagree. If that module is missing (a trimmed-down copy of the server), a minimal
check is used instead.

Example:

    >>> result = validate_yaml("---\\nlicense: apache 2.0\\n---\\n# My model", "model")
    >>> print(result["errors"][0]["message"])  # doctest: +ELLIPSIS
    "license" must be one of the Hub's licence ids: `license: apache 2.0` is not ... `apache-2.0`? ...
    >>> print(validate_yaml("# A README without metadata", "model")["warnings"][0]["message"])
    ... # doctest: +ELLIPSIS
    README.md has no metadata: ...
"""

from __future__ import annotations

from typing import Any

from modelshare.card.frontmatter import load_yaml, read_metadata, split

try:  # metadata checks shared with the card checker (see tests/test_architecture.py)
    from modelshare.rules.metadata import check_metadata
except ImportError:  # pragma: no cover - only in a copy of the server without modelshare.card
    check_metadata = None

__all__ = ["read_metadata", "split", "validate_yaml"]

NO_METADATA = ("README.md has no metadata: start it with a YAML block between two `---` lines "
               "(license, language, library_name, tags...) so people and the Hub can find the "
               "model and know how they may use it.")
# The Hub words a bad licence this way; huggingface_hub's tests look for these words.
HUB_LICENSE_WORDS = '"license" must be one of the Hub\'s licence ids: '


def validate_yaml(content: str, repo_type: str = "model") -> dict[str, list[dict[str, str]]]:
    """Check a README's metadata; return ``{"errors": [...], "warnings": [...]}`` as the Hub does."""
    yaml_text = split(content).yaml
    if yaml_text is None or not yaml_text.strip():
        return {"errors": [], "warnings": [{"message": NO_METADATA}]}
    meta, problem = load_yaml(yaml_text)
    if problem is not None:
        return {"errors": [{"message": f"the YAML metadata does not parse: {problem}"}],
                "warnings": []}
    if not isinstance(meta, dict):
        return {"errors": [{"message": "the YAML metadata must be a mapping of keys to values "
                            f"(found a {type(meta).__name__})"}], "warnings": []}
    if check_metadata is None:
        return _minimal_check(meta)
    result: dict[str, list[dict[str, str]]] = {"errors": [], "warnings": []}
    for finding in check_metadata(meta, repo_type=repo_type, yaml_text=yaml_text):
        message = f"{finding.message} Fix: {finding.fix}"
        # The card checker only warns about a well-formed licence id missing from its list
        # (the list may be older than the Hub's); the Hub itself refuses it, and so do we.
        error = finding.severity == "error" or finding.id == "license-unknown"
        if finding.id.startswith("license") and error:
            message = HUB_LICENSE_WORDS + message
        result["errors" if error else "warnings"].append({"message": message})
    return result


def _minimal_check(meta: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Used only without modelshare.card: the licence must at least be a string."""
    errors = []
    if "license" in meta and not isinstance(meta["license"], str):
        errors.append({"message": HUB_LICENSE_WORDS + "write one id, such as 'apache-2.0'"})
    return {"errors": errors, "warnings": []}
