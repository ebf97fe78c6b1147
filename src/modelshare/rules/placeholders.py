"""What counts as text a person wrote, and what is a placeholder or template text.

One definition, used by the card checker (a section of placeholders earns nothing),
the card editor (a section of placeholders is shown empty) and the release step.
Counted as zero words:

- placeholders in every form the Hub's and the course's templates write them:
  ``[More Information Needed]``, ``[Needs More Information]``, bold
  ``**[More Information Needed]**``, linked ``[More Information Needed](https://...)``
  (the URL is not text either), the Trainer's bare ``More information needed``,
  ``TODO``/``TBD``/``FIXME``, ``Lorem ipsum``, ``{{ jinja }}`` leftovers,
  ``[Your ...]``/``[Insert ...]``/``<your ...>``, ``[N/A]``;
- template instruction lines: ``[Add homepage URL here if available]()``, a link
  whose target is empty;
- HTML comments ``<!-- ... -->`` (template guidance);
- empty prompts such as ``- **Developed by:**`` once the placeholder is gone;
- boilerplate sentences that the Hub's own card templates write for you (read from
  the installed ``huggingface_hub`` package, not copied here), e.g. the default
  "Recommendations" paragraph.

Example:
    >>> words("[More Information Needed](https://github.com/huggingface/datasets)")
    0
    >>> words("- **Developed by:** **[More Information Needed]**\\n<!-- who? -->")
    0
    >>> words("Teaching only; not for decisions about people.")
    7
    >>> find("TODO: write this. [Needs More Information]")
    ['TODO', '[Needs More Information]']
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

# One pattern for every placeholder form. Linked and bold forms are matched whole, so
# neither the URL nor the asterisks are left behind as "words".
PLACEHOLDER = re.compile(
    r"\*{0,2}\[(?:More Information Needed|Needs More Information|More info needed|N/?A|TBD|TODO"
    r"|Dataset Name|Model ID|Model Name)\]\*{0,2}(?:\([^)\s]*\))?"
    r"|\[[^\]\n]{2,300}\]\(\)"  # template instruction: "[Add homepage URL here]()"
    r"|\b[Mm]ore [Ii]nformation [Nn]eeded\b|\b[Nn]eeds [Mm]ore [Ii]nformation\b"
    r"|\b(?:TODO|TBD|FIXME|XXX)\b:?|[Ll]orem ipsum(?: dolor sit amet)?|\{\{[^}]*\}\}|\{%[^%]*%\}"
    r"|\[(?:[Yy]our|[Ii]nsert|[Aa]dd|[Ee]nter) [^\]\n]{0,60}\]|<(?:your|insert)[ _-][^>\n]{0,40}>"
)
#: Cheap substring tests (on lower-cased text) that decide whether PLACEHOLDER runs at all.
HINTS = ("information needed", "more information", "n/a", "na]", "todo", "tbd", "fixme", "xxx",
         "lorem", "{{", "{%", "]()", "[your", "[insert", "[add ", "[enter", "<your", "<insert",
         "[dataset name]", "[model id]", "[model name]")
COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# An empty prompt once placeholders are gone: "- **Developed by:**", "**Homepage:**".
EMPTY_LABEL = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?\*\*[^*\n]{1,80}:?\*\*:?[ \t]*$", re.M)
WORD = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[*_`>#|]|\[|\]\([^)]*\)|\]")


def _normalise(line: str) -> str:
    return _SPACE.sub(" ", _MARKUP.sub(" ", line)).strip(" .:-").lower()


@cache
def boilerplate() -> frozenset[str]:
    """Sentences the Hub's card templates write by themselves (normalised, lower case).

    Read from the templates inside the installed huggingface_hub package (found
    without importing it); empty if the package is not installed.
    """
    spec = importlib.util.find_spec("huggingface_hub")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    found = set()
    for folder in spec.submodule_search_locations:
        for template in sorted(Path(folder, "templates").glob("*card_template.md")):
            text = COMMENT.sub("\n", template.read_text(encoding="utf-8"))
            found.update(re.findall(r'default\("([^"]{30,})"', text))  # default paragraphs
            for line in text.splitlines():
                if "{{" not in line and "{%" not in line and not line.lstrip().startswith("#"):
                    found.add(line)
    return frozenset(n for n in map(_normalise, found) if len(n) >= 30)


@cache
def _boilerplate_hints() -> tuple[str, ...]:
    """The first three words of each boilerplate sentence: a cheap test before the real one."""
    return tuple({" ".join(sentence.split()[:3]) for sentence in boilerplate()})


def strip(text: str) -> str:
    """The text without comments, placeholders, empty prompts and template boilerplate."""
    text = COMMENT.sub(" ", text)
    known = boilerplate()
    if known and any(hint in text.lower() for hint in _boilerplate_hints()):
        text = "\n".join(line for line in text.splitlines() if _normalise(line) not in known)
    lowered = text.lower()
    if any(hint in lowered for hint in HINTS):
        text = PLACEHOLDER.sub(" ", text)
    if "**" in text:
        text = EMPTY_LABEL.sub(" ", text)
    return text


def words(text: str) -> int:
    """How many words a person wrote in ``text``."""
    return len(WORD.findall(strip(text)))


def is_blank(text: str | None) -> bool:
    r"""True when nothing in ``text`` was written by a person.

    >>> is_blank("<!-- hint -->\n\n- **Test data:** [More Information Needed]"), is_blank(None)
    (True, True)
    """
    return text is None or words(text) == 0


def find(text: str) -> list[str]:
    """The placeholders in ``text`` (outside HTML comments), in order."""
    text = COMMENT.sub(" ", text)
    lowered = text.lower()
    if not any(hint in lowered for hint in HINTS):
        return []
    return [m.group(0).strip("*:") for m in PLACEHOLDER.finditer(text)]
