"""Render a card to HTML for a live preview (markdown-it-py, raw HTML switched off).

The YAML block becomes a small table of its top-level keys, template comments
are dropped, and any HTML written in the card is shown as text, so a preview
can never run a script from a card.

Example:
    >>> html = render_html("---\\nlicense: mit\\n---\\n# Demo\\n\\n<!-- hint -->\\nHello *you*.\\n")
    >>> "<em>you</em>" in html, "hint" in html, "<td>mit</td>" in html
    (True, False, True)
"""

from __future__ import annotations

import html as _html
import re
import reprlib
from functools import cache

from modelshare.card.document import CardDocument

_COMMENT = re.compile(r"<!--.*?-->", re.S)


@cache
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default")  # html=False: raw HTML is escaped; tables on


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring = 3, 8, 8, 120


def _value(value) -> str:
    """A short text for one metadata value; bounded even for a YAML alias bomb."""
    text = value if isinstance(value, str) else _SHORT.repr(value)
    return _html.escape(text if len(text) <= 200 else text[:197] + "...")


def render_html(card: str | CardDocument) -> str:
    """The card as an HTML fragment: a metadata table, then the rendered markdown."""
    doc = card if isinstance(card, CardDocument) else CardDocument(card)
    parts = []
    if isinstance(doc.meta, dict) and doc.meta:
        rows = "".join(
            f"<tr><th>{_html.escape(str(k))}</th><td>{_value(v)}</td></tr>" for k, v in doc.meta.items()
        )
        parts.append(f'<table class="card-metadata">{rows}</table>')
    elif doc.meta_error:
        parts.append(f'<p class="card-metadata-error">YAML error: {_html.escape(doc.meta_error)}</p>')
    parts.append(_renderer().render(_COMMENT.sub("", doc.body)))
    return "\n".join(parts)
