"""Load, edit and save a card without disturbing what you did not touch.

huggingface_hub's ``ModelCard`` re-writes the YAML block on save (comments,
quoting and list style change), so a load -> save round trip is not
byte-identical. :class:`CardDocument` keeps the raw text and edits it in
place, one section or one metadata key at a time:

- loading and saving unchanged gives back the same bytes;
- :meth:`CardDocument.set` replaces the text of one section and nothing else;
- :meth:`CardDocument.set_metadata` rewrites the lines of one YAML key and
  keeps every other key, its order, comments and unknown keys.

Headings are found with markdown-it-py (so a ``#`` inside a code block is not
a heading) and matched to section ids through the synonym table in
:mod:`modelshare.card.sections`.

Example:
    >>> doc = CardDocument("---\\nlicense: mit  # ours\\n---\\n# Wages\\n\\n## Uses\\n\\nTeaching.\\n")
    >>> doc.get("uses")
    'Teaching.'
    >>> doc.set("uses", "Teaching only.").set_metadata("library_name", "sklearn").text
    '---\\nlicense: mit  # ours\\nlibrary_name: sklearn\\n---\\n# Wages\\n\\n## Uses\\n\\nTeaching only.\\n'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from modelshare.card.frontmatter import REGEX_YAML_BLOCK, load_yaml, split
from modelshare.card.sections import recognise_all, recognise_exact, section, section_specs

_NEWLINE = re.compile(r"\r\n?|\n")
_TOP_KEY = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#\-'"][^:]*?))\s*:(?:\s|$)""")


@cache
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.core.ruler.disable(["inline", "text_join"])  # block structure is all we need: 4x faster
    # A '#' line quoted with '>' is not a section of the card: skipping block quotes saves
    # time. (Link reference definitions stay: "[x]: y" above "===" is not a heading.)
    md.block.ruler.disable(["blockquote"])
    return md


def _lines(text: str) -> list[str]:
    """Split keeping line ends, with the same idea of a line end as markdown-it."""
    out, start = [], 0
    for m in _NEWLINE.finditer(text):
        out.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


Heads = list[tuple[list[int], int, str]]  # ([first line, line after], level, title)


def _structure(body: str) -> tuple[Heads, list[tuple[int, str]], list[tuple[int, str]]]:
    """Headings, paragraphs and code blocks (with their first line) according to markdown-it."""
    tokens = _markdown().parse(body)
    heads, paragraphs, code = [], [], []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            heads.append((tok.map, int(tok.tag[1]), tokens[i + 1].content.strip()))
        elif tok.type == "inline" and tok.map and tokens[i - 1].type != "heading_open":
            paragraphs.append((tok.map[0], tok.content))
        elif tok.type in ("fence", "code_block") and tok.map:
            code.append((tok.map[0], tok.content))
    return heads, paragraphs, code


def _line_ending(text: str) -> str:
    m = _NEWLINE.search(text)
    return m.group(0) if m else "\n"


@dataclass
class Block:
    """A heading and the text under it, up to the next heading (raw, untouched)."""

    heading: str  # the heading line(s) as written; "" for text before the first heading
    body: str
    level: int  # 1-6; 0 for text before the first heading
    title: str
    section: str | None = None  # section id this heading stands for
    owner: str | None = None  # section id its text counts towards (inherited from a parent)
    also: tuple[str, ...] = ()  # more sections a combined heading covers ("Uses & limitations")
    line: int = 0  # first line of the heading in the body (0-based, as markdown-it counts)


class CardDocument:
    """A model or dataset card as raw text, split into metadata and sections."""

    def __init__(self, text: str, repo_type: str = "model"):
        if not isinstance(text, str):
            raise ValueError(f"CardDocument wants the card's text as a str, got "
                             f"{type(text).__name__}; read a file with CardDocument.load(path).")
        self.repo_type = repo_type
        self._parse(text)

    # -- reading ---------------------------------------------------------------
    def _parse(self, text: str) -> None:
        parts = split(text)
        self.front, self.yaml_text, body = parts.head, parts.yaml, parts.body
        self.meta, self.meta_error = load_yaml(self.yaml_text)
        lines = _lines(body)
        # markdown-it only: a line scan beside it saved nothing measurable (benchmarks/cards.py;
        # fewer than 1 card in 10 had no code, HTML or setext heading to send it to markdown-it).
        heads, self.paragraphs, self.code_blocks = _structure(body)
        blocks = [Block("", "".join(lines[: heads[0][0][0]] if heads else lines), 0, "")]
        for n, ((start, end), level, title) in enumerate(heads):
            stop = heads[n + 1][0][0] if n + 1 < len(heads) else len(lines)
            blocks.append(Block("".join(lines[start:end]), "".join(lines[end:stop]), level, title,
                                line=start))
        self.blocks = blocks
        self._label()

    def _label(self) -> None:
        summary_taken = False
        stack: list[Block] = []
        for block in self.blocks:
            if block.level == 0:
                block.section = block.owner = "summary"
                continue
            covers = recognise_all(block.title, self.repo_type)
            block.section = covers[0] if covers else None
            block.also = covers[1:]
            if block.level == 1 and not summary_taken:
                summary_taken = True
                # The first H1 is the card's title ("# Demo"), unless it names a section
                # exactly in several words ("# Model Details") or the card uses H1 for its
                # sections (another H1 follows): then the card has no title line.
                named = recognise_exact(block.title, self.repo_type)
                h1s = sum(1 for b in self.blocks if b.level == 1)
                if named in (None, "summary") or (len(block.title.split()) < 2 and h1s < 2):
                    block.section, block.also = "summary", ()
            while stack and stack[-1].level >= block.level:
                stack.pop()
            block.owner = block.section or (stack[-1].owner if stack else None)
            stack.append(block)

    @property
    def text(self) -> str:
        """The whole card, exactly as it would be saved."""
        return self.front + "".join(b.heading + b.body for b in self.blocks)

    @property
    def body(self) -> str:
        """The card without its YAML block."""
        return "".join(b.heading + b.body for b in self.blocks)

    def section_ids(self) -> list[str]:
        """Ids of the sections present, in card order, each once."""
        seen: list[str] = []
        for block in self.blocks:
            if block.level == 0 and not block.body.strip():
                continue
            for sid in (block.section, *block.also):
                if sid and sid not in seen:
                    seen.append(sid)
        return seen

    def _span(self, section_id: str) -> tuple[int, int] | None:
        """Blocks [start, stop) that make up a section: its heading block and the
        deeper headings under it that are not themselves another section."""
        section(section_id, self.repo_type)  # ValueError with the valid ids for a typo
        starts = [i for i, b in enumerate(self.blocks) if b.section == section_id]
        if section_id == "summary":  # the text under the title beats the text above it
            starts = [i for i in starts if self.blocks[i].level == 1] or [
                i for i in starts if self.blocks[i].body.strip()
            ] or starts
        if not starts:
            return None
        start = stop = starts[0]
        level = self.blocks[start].level
        for stop in range(start + 1, len(self.blocks) + 1):
            if stop == len(self.blocks):
                break
            block = self.blocks[stop]
            if level == 0 or block.level <= level or block.section not in (None, section_id):
                break
        return start, stop

    def get(self, section_id: str) -> str | None:
        """A section's markdown without its heading (subsections included), or None if absent."""
        span = self._span(section_id)
        if span is None:
            return None
        start, stop = span
        first, rest = self.blocks[start], self.blocks[start + 1 : stop]
        return (first.body + "".join(b.heading + b.body for b in rest)).strip("\r\n")

    def content(self, section_id: str) -> str:
        """All text that counts towards a section: every heading matched to it, with subsections."""
        return "".join(b.body for b in self.blocks if b.owner == section_id or section_id in b.also)

    # -- editing ---------------------------------------------------------------
    def set(self, section_id: str, markdown: str) -> CardDocument:
        """Replace one section's text (adding the section if missing); returns self.

        Blank lines around the old text, the heading, subsections and every
        other section are kept exactly.
        """
        nl = _line_ending(self.text)
        markdown = _NEWLINE.sub(nl, markdown.strip("\r\n"))
        span = self._span(section_id)
        if span is not None:
            start, stop = span
            block = self.blocks[start]
            old = block.body + "".join(b.heading + b.body for b in self.blocks[start + 1 : stop])
            core = old.strip("\r\n")
            if core:
                lead = old[: len(old) - len(old.lstrip("\r\n"))]
                trail = old[len(old.rstrip("\r\n")):]
            else:
                last = stop == len(self.blocks)
                lead, trail = (nl if block.level else ""), (nl if last else nl + nl)
            block.body = lead + markdown + trail
            del self.blocks[start + 1 : stop]
        else:
            self._insert(section_id, markdown, nl)
        self._parse(self.text)
        return self

    def _insert(self, section_id: str, markdown: str, nl: str) -> None:
        spec = section(section_id, self.repo_type)
        order = [s.id for s in section_specs(self.repo_type)]
        rank = order.index(section_id)
        at = len(self.blocks)
        for i, block in enumerate(self.blocks):
            if block.level in (0, 1) and block.owner == "summary":
                continue
            if block.owner in order and order.index(block.owner) > rank and block.level <= 2:
                at = i
                break
        level = spec.level if spec.level > 1 else 2
        previous = self.blocks[at - 1]
        if previous.level < 2 and level == 3:
            level = 2
        if not (previous.heading + previous.body).endswith(("\n", "\r")):
            previous.body += nl
        if previous.body.strip() and not previous.body.endswith(nl + nl):
            previous.body += nl
        block = Block("#" * level + " " + spec.title + nl, nl + markdown + nl + nl, level, spec.title)
        self.blocks.insert(at, block)

    def set_metadata(self, key: str, value: Any) -> CardDocument:
        """Set (or with ``value=None`` remove) one top-level YAML key; returns self.

        Only that key's lines change; other keys keep their order, comments and style.
        """
        if self.meta_error is not None or (self.yaml_text is not None and not isinstance(self.meta, dict)):
            raise ValueError(
                f"The card's YAML block cannot be read ({self.meta_error or 'not a mapping'}); "
                "fix it by hand before editing metadata."
            )
        nl = _line_ending(self.text)
        dumped = "" if value is None else _dump({key: value})
        dumped = dumped.replace("\n", nl)
        if self.yaml_text is None:
            if value is None:
                return self
            self.front = f"---{nl}{dumped}---{nl}"
            self._parse(self.front + self.body)
            return self
        lines = _lines(self.yaml_text)
        if self.meta == {} and self.yaml_text.strip().startswith("{"):
            lines = []  # an empty flow mapping ("{}", as build_card writes) cannot take a new key
        start = stop = None
        for i, line in enumerate(lines):
            m = _TOP_KEY.match(line)
            if m is None:
                continue
            name = next(g for g in m.groups() if g is not None).strip()
            if start is not None:
                stop = i
                break
            if name == key:
                start = i
        if start is None:
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += nl
            new_yaml = "".join(lines) + dumped
        else:
            stop = len(lines) if stop is None else stop
            new_yaml = "".join(lines[:start]) + dumped + "".join(lines[stop:])
        if new_yaml.endswith(nl) and (start is None or stop == len(lines)):
            new_yaml = new_yaml[: -len(nl)]  # the block's closing line break belongs to group 3
        m = REGEX_YAML_BLOCK.search(self.front)
        self.front = self.front[: m.start(2)] + new_yaml + self.front[m.end(2):]
        self._parse(self.front + self.body)
        return self

    # -- files -----------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path, repo_type: str = "model") -> CardDocument:
        """Read a card from a file (or a folder holding README.md), keeping line ends."""
        path = Path(path)
        if path.is_dir():
            path = path / "README.md"
        with open(path, encoding="utf-8", newline="") as handle:
            return cls(handle.read(), repo_type)

    def save(self, path: str | Path) -> Path:
        """Write the card byte for byte as :attr:`text`."""
        path = Path(path)
        if path.is_dir():
            path = path / "README.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(self.text)
        return path

    def to_model_card(self):
        """The same text as a huggingface_hub ``ModelCard`` / ``DatasetCard`` (for push_to_hub)."""
        from huggingface_hub import DatasetCard, ModelCard

        cls = DatasetCard if self.repo_type == "dataset" else ModelCard
        return cls(self.text, ignore_metadata_errors=True)

    def __repr__(self) -> str:
        return f"CardDocument({len(self.text)} chars, sections={self.section_ids()})"


def _dump(data: dict) -> str:
    """YAML for one key; readable unicode unless a character would not read back (e.g. NEL)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=1000)
    if yaml.safe_load(text) != data:
        text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=1000)
    return text


def load_card(path: str | Path, repo_type: str = "model") -> CardDocument:
    """Read a card (README.md or its folder) for editing: ``load_card("my-model").get("uses")``."""
    return CardDocument.load(path, repo_type)
