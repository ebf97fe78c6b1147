"""Split a README into its YAML metadata block and its Markdown body, as huggingface_hub does.

The Hub, the huggingface_hub client (``ModelCard``, ``metadata_load``), the card
checker, the card editor and the workshop hub must agree on where the metadata is.
:data:`REGEX_YAML_BLOCK` is huggingface_hub's own pattern (tests/test_card_frontmatter.py
checks they stay equal): the opening ``---`` must be the first non-blank line and
stand alone (no trailing spaces); the closing ``---`` may have trailing spaces.
A card that does not match has no metadata, for all of them.

It needs only PyYAML, so the workshop hub uses it too.

Example:
    >>> parts = split("---\\nlicense: mit\\n---\\n# Demo\\n")
    >>> parts.yaml, parts.body
    ('license: mit', '# Demo\\n')
    >>> split("--- \\nlicense: mit\\n---\\n# Demo\\n").yaml is None   # trailing space: no block
    True
    >>> load_yaml("language: [en, no]")   # modelshare.rules.metadata names the `no` trap
    ({'language': ['en', False]}, None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

REGEX_YAML_BLOCK = re.compile(
    r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))"
)


@dataclass(frozen=True)
class FrontMatter:
    """A card split in three: ``head`` (the block with its ``---`` lines), ``yaml``, ``body``."""

    head: str
    yaml: str | None
    body: str


def split(text: str) -> FrontMatter:
    """The metadata block and the body; ``yaml`` is None when the card has no block."""
    match = REGEX_YAML_BLOCK.search(text)
    if match is None:
        return FrontMatter("", None, text)
    return FrontMatter(text[: match.end()], match.group(2), text[match.end():])


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser when present
    """PyYAML's safe loader, but dates stay strings (as the Hub shows them)."""


Loader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(yaml_text: str | None) -> tuple[Any, str | None]:
    """(data, None) or (None, what is wrong and where). ``None`` text gives (None, None)."""
    if yaml_text is None:
        return None, None
    try:
        data = yaml.load(yaml_text, Loader=Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2} of the card" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, f"{problem}{where}"
    except RecursionError:
        return None, "the YAML is nested too deeply"
    return ({} if data is None else data), None


def read_metadata(text: str) -> dict:
    """The card's metadata as a dict; {} when there is none or it cannot be read."""
    data, _ = load_yaml(split(text).yaml)
    return data if isinstance(data, dict) else {}
