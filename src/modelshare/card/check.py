"""Check a model or dataset card: what is missing, what is wrong, and a 0-100 score.

:func:`check_card` takes the card's text, a path to README.md, or a folder
holding one, and returns a :class:`CardCheck` with findings (each with an id,
a severity, a message, a fix and the section it points at) and a score. It
works offline and never raises on a card's content: empty, binary, huge or
malformed input gives findings.

How the score is computed
-------------------------

The score (0-100) says how much of what a careful reader needs the card gives them.
Model and dataset cards are scored on one scale. Raise it by writing what is missing,
not by padding: placeholders and template text earn nothing.

1. **Content, 90 points**, shared among the sections of the checklist by weight (see
   ``card.section_specs()``; model cards: limitations 14, evaluation 14, uses 10,
   training data 10, model details 9, out-of-scope use 8, ethics 6, summary 4, ...;
   dataset cards: considerations 24, collection 18, preprocessing and labelling 11, ...).
   A section earns ``weight * sqrt(words / full)``, at most its weight, where ``full`` is
   3 words per point of weight (limitations: 42 words; shorter for summary, contact and
   the like): half the words give 71% of the points. Words are those a person wrote:
   placeholders in every form, template sentences, HTML comments and tables of contents
   count zero, code counts a quarter (fully in the get-started example), and a section
   found only as a sentence elsewhere ("intended for ...", a results table, "we thank")
   earns half its weight. Model results without a single number earn half.
   Headings are matched through synonyms (e.g. "Usage", "Model in Action" = get
   started; "Intended uses & limitations" = both), bold labels (``**Limitations:**``)
   count as sub-sections, and subsections count towards their parent.
2. **Metadata, 10 points.** Model cards: a valid ``license`` 4, ``library_name`` 2,
   ``pipeline_tag`` 2, one of ``model-index``/``base_model``/``datasets`` 2. Dataset
   cards: ``license`` 4, ``task_categories`` 2, ``size_categories`` 2, ``language`` 2.
   A key with an error finding earns nothing.
3. **Penalties, at most 15.** Each other finding costs 4 (error) or 2 (warning), each
   finding id at most twice; missing or thin sections and missing metadata cost nothing
   here, because they already cost their points.
4. **Caps.** A card with a secret (a token, a key, a password) scores 0 until it is
   removed; so does input that is not text.

The weights were set on 44 real cards graded 1-5 by hand and checked on 23 held-out
ones (tests/cards/real/; benchmarks/cards.py): Spearman 0.84 on both, every card graded
excellent scored at least 75: a CI gate of ``--min-score 75`` lets such cards through.

Example:
    >>> result = check_card("---\\nlicense: mit\\n---\\n# Demo\\n\\nIt works really well.\\n")
    >>> result.score < 30, "claim-unsupported" in result.ids()
    (True, True)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from modelshare.card.document import CardDocument
from modelshare.card.frontmatter import split
from modelshare.card.sections import recognise_exact
from modelshare.card.sections import section_specs as section_table
from modelshare.rules import placeholders, secrets, weights
from modelshare.rules.findings import Finding
from modelshare.rules.metadata import check_metadata, hub_licenses, normalise_license

MAX_CHARS = 1_000_000
CONTENT_POINTS = 90  # the section weights add up to this (modelshare.card.sections)
METADATA_POINTS = 10
PENALTY = {"error": 4, "warning": 2, "info": 0}
MAX_REPEATS = 2  # a finding id costs points at most this many times
MAX_PENALTY = 15
NO_PENALTY = {
    "section-missing", "section-thin", "section-empty", "license-missing", "library-name-missing",
    "metadata-missing", "not-text", "section-unheaded", "evaluation-no-numbers", *secrets.IDS,
}
# Words of real text at which a section earns its full weight: three per point of weight
# (limitations, 14 points: 42 words), fewer for sections that are short by nature. A section
# earns weight * sqrt(words / full): half the words give 71% of the points.
FULL_WORDS = {"summary": 25, "contact": 6, "citation": 10, "acknowledgements": 6,
              "environmental_impact": 15, "weights": 10, "environment": 10, "get_started": 15,
              "maintenance": 10, "distribution": 15}
WORDS_PER_POINT = 3
# Code counts as text only where code is the content (an example, a package list).
CODE_SECTIONS = {"get_started", "environment"}
CODE_SHARE = 0.25  # elsewhere (data examples, logs) four words of code count as one
METADATA_PARTS = {  # points, key, findings that void them
    "model": [(4, "license", ("license-unknown", "license-type")),
              (2, "library_name", ("library-name-type",)),
              (2, "pipeline_tag", ("pipeline-tag-unknown", "pipeline-tag-type")),
              (2, ("model-index", "base_model", "datasets"), ("model-index-invalid",))],
    "dataset": [(4, "license", ("license-unknown", "license-type")),
                (2, "task_categories", ("task-categories-type",)),
                (2, "size_categories", ("size-categories-unknown",)),
                (2, "language", ("language-invalid", "language-type"))],
}
# Short sections often live in a sentence elsewhere ("We thank ...", an e-mail address):
# found that way they earn half their points and an info finding instead of "missing".
# Model cards often say what a model is for, what it was trained on or where it fails in
# the description instead of under a heading: found that way, they earn half their points.
MENTIONS = {
    "acknowledgements": re.compile(r"\bthank|\bgrateful|acknowledg|\bbenefit+ed from|"
                                   r"\bfunded by|\bsupported by|\bcourtesy of", re.I),
    "contact": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\bcontact (?:us|me)\b|/issues\b", re.I),
    "uses": re.compile(r"\bintended (?:for|to be used|use)|\bcan be used (?:for|to|as)\b"
                       r"|\byou can use (?:this|the|it)\b|\b(?:is|are|was) (?:meant|designed|made) "
                       r"(?:for|to)\b|\bfor use (?:in|as|by|with)\b", re.I),
    "limitations": re.compile(r"\bstruggles? (?:with|to)\b|\b(?:does|do) not (?:work|handle|perform)"
                              r"|\bfails? (?:on|to|when)\b|\bperforms? (?:poorly|worse)"
                              r"|\bnot (?:suitable|recommended|reliable)\b|\bbe careful\b", re.I),
    "training_data": re.compile(r"\b(?:pre-?)?trained (?:on|using) (?!the (?:same|original) "
                                r"model)[^.\n]{3,}", re.I),
    # a results table or "accuracy: 0.81" outside an Evaluation section
    "evaluation": re.compile(r"^\|.*\b(?:acc(?:uracy)?|f1|bleu|rouge[\w-]*|wer|exact|precision|recall"
                             r"|auc|mcc|perplexity)\b.*\|\s*$|\b(?:accuracy|f1|bleu|wer)\s*[:=]\s*\d",
                             re.I | re.M),
    # dataset cards: caveats in the summary, how the data came about in the description
    "considerations": re.compile(r"\bcaveats?\b|\blimitations?\b|\bnot be suitable|\bnot suitable"
                                 r"|\bwatch out\b|\bbe careful\b|\bbias(?:es|ed)?\b", re.I),
    "collection": re.compile(r"\b(?:were|was) (?:collected|aligned|scraped|downloaded|crawled"
                             r"|extracted|gathered|recorded|sampled)\b|\bcollected (?:from|by)\b",
                             re.I),
}
MENTION_HINTS = {  # cheap substring tests before the regular expressions above
    "acknowledgements": ("thank", "grateful", "acknowledg", "benefit", "funded by",
                         "supported by", "courtesy of"),
    "contact": ("@", "contact", "/issues"),
    "uses": ("intended", "can be used", "you can use", "meant", "designed", "made for",
             "for use"),
    "limitations": ("struggle", "not work", "not handle", "not perform", "fail", "poorly",
                    "worse", "not suitable", "not recommended", "not reliable", "careful"),
    "training_data": ("trained on", "trained using"),
    "evaluation": ("acc", "f1", "bleu", "rouge", "wer", "exact", "precision", "recall", "auc",
                   "mcc", "perplexity"),
    "considerations": ("caveat", "limitation", "suitable", "watch out", "careful", "bias"),
    "collection": ("collected", "aligned", "scraped", "downloaded", "crawled", "extracted",
                   "gathered", "recorded", "sampled"),
}
DATASET_KEYS = {"task_categories", "size_categories", "pretty_name", "configs", "dataset_info",
                "task_ids", "annotations_creators", "language_creators", "source_datasets"}
_DATASET_KEY = re.compile(r"^(?:" + "|".join(sorted(DATASET_KEYS)) + r")\s*:", re.M)

_COMMENT = placeholders.COMMENT
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1|\Z)", re.S | re.M)
# Matched against lower-cased text (faster than re.I on this many alternatives).
_CLAIMS = re.compile(
    r"state[- ]of[- ]the[- ]art|\bsota\b|works (?:really |very |extremely )?well\b"
    r"|(?:high|excellent|great|superior|impressive|outstanding|amazing) "
    r"(?:accuracy|performance|results|quality)\b|outperform(?:s|ed|ing)?\b|best[- ]in[- ]class"
    r"|(?:highly|very|extremely) accurate|\bunbiased|bias[- ]free"
    r"|(?:completely|fully|totally|perfectly) (?:fair|safe|accurate|robust|reliable)\b"
    r"|production[- ]ready|human[- ]level|\bbeats? (?:all|every)\b|\bno (?:known )?bias(?:es)?\b"
)
_CLAIM_HINTS = ("state", "sota", "well", "accura", "perform", "result", "quality", "best", "bias",
                "fair", "safe", "robust", "reliab", "production", "human", "beat")
_EVIDENCE = re.compile(r"\d%|\d %|\d?\.\d|±|\+/-|\bCI\b|[Ii]nterval")
_PICKLE_NAME = re.compile(r"[\w./-]{1,80}$")
_LICENSE_TEXT = re.compile(
    r"(?:\blicen[cs]e\**\s*:\**\s*|\b(?:released|licensed|distributed|available|published) under "
    r"(?:the |a |an )?)(?P<name>[A-Za-z][\w .+-]{1,40})", re.I)
_BASE_TEXT = re.compile(r"fine-?tun|pre-?trained|base model|based on|distilled from|initiali[sz]ed"
                        r"|starts? from|adapted from|derived from|version of|on top of|merge of")
# A parent named by a verb just before its id: "a fine-tuned version of X", "initialised from X".
_PARENT_VERB = re.compile(
    r"(?:fine-?tuned|finetuned|trained|distilled|initiali[sz]ed|adapted|derived|pruned|quantized"
    r"|quantised|converted|continued)(?: version| variant| checkpoint)? (?:of|from|on top of|with)"
    r"|\bversion of|\bbased on|\bstarts? from|\bon top of|\bmerge of|\bbase model(?: is|:)?"
    r"|\b(?:use|used|uses|start with|started with|fine-?tuned?|finetuned?) (?:the|a|an) pre-?trained",
    re.I)
# ...or just after it: "[codebert-base](...) fine-tuned on ...", "X model and fine-tuned it".
_PARENT_AFTER = re.compile(r"^[^.!?\n]{0,40}?\b(?:fine-?tuned|finetuned|further (?:pre-?)?trained"
                           r"|distilled)\b", re.I)
_MODEL_LINK = re.compile(r"huggingface\.co/(?!datasets/|spaces/|docs/|blog/)([\w.-]+/[\w.-]+)(/(?:resolve"
                         r"|blob|tree|raw)/)?")
_MODEL_ID = re.compile(r"`([\w.-]+/[\w.-]+)`")
_OWN_ID = re.compile(r"""(?:from_pretrained|pipeline|load)\([^)]*?['"]([\w.-]+/[\w.-]+)['"]""")
_SIZES = re.compile(r"(?:^|[-_.])(?:tiny|mini|small|base|medium|large|xl|xxl|huge|giant|\d+(?:\.\d+)?[bm]"
                    r"|l-?\d+|h-?\d+|a-?\d+)(?=$|[-_.])", re.I)
_EXPORTS = re.compile(r"(?:^|[-_.])(?:onnx|gguf|ggml|awq|gptq|exl2|int[48]|fp16|bf16|[48]bit|mlx"
                      r"|ct2|openvino|tflite|coreml|quantized|quantised)(?=$|[-_.])", re.I)
_DATASET_LINK = re.compile(r"huggingface\.co/datasets/([\w.-]+(?:/[\w.-]+)?)")
_PICKLE_FILES = set(weights.PICKLE_SUFFIXES + weights.MAYBE_PICKLE_SUFFIXES)


@dataclass
class SectionStatus:
    """How one checklist section fares: present, words of real text, points earned."""

    id: str
    title: str
    role: str
    weight: int
    present: bool
    words: int
    points: float


@dataclass
class CardCheck:
    """The result of :func:`check_card`."""

    score: int
    findings: list[Finding]
    sections: list[SectionStatus]
    repo_type: str
    source: str
    metadata: Any = None
    breakdown: dict[str, float] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # section id -> 1-based line in the file

    def line_of(self, finding: Finding) -> int:
        """The line of the file a finding points at: its section's heading, else line 1."""
        return self.lines.get(finding.section or "", 1)

    def ids(self) -> list[str]:
        return [f.id for f in self.findings]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def for_section(self, section_id: str | None) -> list[Finding]:
        return [f for f in self.findings if f.section == section_id]

    def passed(self, min_score: int = 0) -> bool:
        return self.score >= min_score

    def to_dict(self) -> dict:
        out = asdict(self)
        out["findings"] = [f.to_dict() for f in self.findings]
        out.pop("metadata")
        out.pop("lines")
        return out

    def report(self) -> str:
        """A plain-text report: score, breakdown, then findings, worst first."""
        order = {"error": 0, "warning": 1, "info": 2}
        b = self.breakdown
        lines = [
            f"{self.source}: {self.score}/100 ({self.repo_type} card; coverage "
            f"{b.get('coverage', 0):.0f}/{CONTENT_POINTS}, metadata {b.get('metadata', 0):.0f}/"
            f"{METADATA_POINTS}, penalties -{b.get('penalties', 0):.0f})"
        ]
        lines += [f"  {f.line()}" for f in sorted(self.findings, key=lambda f: order[f.severity])]
        return "\n".join(lines)

    __str__ = report

    def _repr_markdown_(self) -> str:
        """How a notebook shows the result: the score, then one row per finding."""
        b = self.breakdown
        head = (f"**{self.score}/100** (coverage {b.get('coverage', 0):.0f}/{CONTENT_POINTS}, "
                f"metadata {b.get('metadata', 0):.0f}/{METADATA_POINTS}, penalties "
                f"-{b.get('penalties', 0):.0f})")
        if not self.findings:
            return head + "\n\nNo findings."
        rows = [f"| {f.severity} | `{f.id}` | {f.section or ''} | {_cell(f.message)} | {_cell(f.fix)} |"
                for f in sorted(self.findings, key=lambda f: ("error", "warning", "info").index(
                    f.severity))]
        table = "| severity | finding | section | what | fix |\n|---|---|---|---|---|\n"
        return head + "\n\n" + table + "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def looks_like_path(source: str) -> bool:
    """A one-line string naming a file or folder ('card/README.md', './model'), not card text."""
    one_line = "\n" not in source and "\r" not in source and 0 < len(source.strip()) < 4096
    if not one_line:
        return False
    try:
        exists = Path(source).exists()
    except (OSError, ValueError):  # a name too long for the file system is text, not a path
        exists = False
    return exists or (" " not in source.strip()
                      and (source.endswith(".md") or "/" in source or "\\" in source))


def _read(source: str | bytes | Path | CardDocument) -> tuple[str | bytes, str, Path | None]:
    """(content, label, folder) from text, bytes, a file path or a folder path."""
    if isinstance(source, bytes):
        return source, "<bytes>", None
    if isinstance(source, CardDocument):  # the card editor passes the document it edits
        return source.text, "<card>", None
    if isinstance(source, str) and not looks_like_path(source):
        return source, "<text>", None
    path = Path(source)
    if path.is_dir():
        path = path / "README.md"
    if not path.is_file():
        raise FileNotFoundError(f"No card at {path}: give a README.md, a folder holding one, or "
                                "the card's text.")
    return path.read_bytes(), str(path), path.parent


_words = placeholders.words
# A bold label that names a section: "**Out-of-scope:** ..." (inline) or "**Limitations**"
# alone on its line (a heading written in bold).
_BOLD_LABEL = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?\*\*([^*\n]{2,60}?)[ \t]*[:.]?\*\*[:.]?[ \t]*(.*)$")
_LINK_ONLY = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)?[ \t]*\[[^\]\n]*\]\([^)\n]*\)[ \t]*$", re.M)


def _segments(block, repo_type: str):
    """(section ids, text) pieces of one block: its own text, and bold-labelled parts."""
    owners = tuple(dict.fromkeys(s for s in (block.owner, *block.also) if s))
    current, lines = owners, []
    for line in block.body.splitlines(keepends=True):
        match = _BOLD_LABEL.match(line) if "**" in line else None
        named = recognise_exact(match.group(1), repo_type) if match else None
        if named and named not in current and named != "summary":
            if match.group(2).strip():  # inline: only this line belongs to the named section
                yield (named,), match.group(2)
                continue
            yield current, "".join(lines)
            current, lines = (named,), []
            continue
        lines.append(line)
    yield current, "".join(lines)


def section_words(doc: CardDocument) -> dict[str, float]:
    """Words of real text per section id: prose, plus code (a quarter, except in examples)."""
    counts: Counter = Counter()
    for block in doc.blocks:
        for owners, text in _segments(block, doc.repo_type):
            if not owners or not text.strip():
                continue
            code = " ".join(m.group(0) for m in _FENCE.finditer(text)) if "``" in text or "~~" in text else ""
            prose = _FENCE.sub(" ", text) if code else text
            if "](" in prose:
                prose = _LINK_ONLY.sub(" ", prose)  # a table of contents is not text
            prose_words = _words(prose)
            code_words = len(placeholders.WORD.findall(code)) if code else 0
            for owner in owners:
                share = 1.0 if owner in CODE_SECTIONS else CODE_SHARE
                counts[owner] += prose_words + share * code_words
    return counts


class _Checker:
    def __init__(self, doc: CardDocument, label: str):
        self.doc = doc
        self.label = label
        self.findings: list[Finding] = []
        self.specs = {s.id: s for s in section_table(doc.repo_type)}
        self.starts = [block.line for block in doc.blocks]
        self._prose: list[tuple[int, str]] | None = None
        self._prose_text: str | None = None
        self.lowered = doc.body.lower()

    def add(self, id: str, severity: str, message: str, fix: str, section: str | None = None):
        self.findings.append(Finding(id, severity, message, fix, section))

    def owner(self, line: int) -> str | None:
        return self.doc.blocks[max(bisect_right(self.starts, line) - 1, 0)].owner

    def title(self, section_id: str | None) -> str:
        spec = self.specs.get(section_id or "")
        return f"'{spec.title}'" if spec else "the card"

    # -- pieces of text ----------------------------------------------------------
    def prose(self) -> list[tuple[int, str]]:
        """(line, text) of paragraphs, list items and tables, comments removed."""
        if self._prose is None:
            self._prose = [(line, _COMMENT.sub(" ", text)) for line, text in self.doc.paragraphs
                           if _COMMENT.sub(" ", text).strip()]
        return self._prose

    def prose_text(self) -> str:
        """What people wrote in paragraphs, list items and tables: no headings, code, comments,
        placeholders, template sentences or tables of contents."""
        if self._prose_text is None:
            text = placeholders.strip("\n".join(text for _, text in self.prose()))
            self._prose_text = _LINK_ONLY.sub(" ", text) if "](" in text else text
        return self._prose_text

    def code(self) -> list[tuple[int, str]]:
        return self.doc.code_blocks

    # -- checks ----------------------------------------------------------------
    def metadata(self) -> None:
        doc = self.doc
        if doc.yaml_text is None:
            self.add("metadata-missing", "error",
                     "The card has no YAML metadata block, so the Hub shows no licence, task or "
                     "library and nobody can filter for it.",
                     "Start the file with `---`, lines such as `license: mit` and "
                     "`library_name: sklearn`, then `---`.", "metadata")
            return
        if doc.meta_error is not None:
            self.add("metadata-yaml-invalid", "error",
                     f"The YAML metadata block cannot be read: {doc.meta_error}.",
                     "Fix the YAML between the two `---` lines at the line given: usually the "
                     "indentation, a tab, or an unclosed bracket or quote.", "metadata")
            return
        self.findings += check_metadata(doc.meta, doc.repo_type, doc.yaml_text)

    def coverage(self) -> list[SectionStatus]:
        statuses = []
        present = set(self.doc.section_ids())
        counted = section_words(self.doc)
        for spec in self.specs.values():
            if spec.weight == 0:
                continue
            words = round(counted.get(spec.id, 0))
            full = FULL_WORDS.get(spec.id, WORDS_PER_POINT * spec.weight)
            points = spec.weight * min(1.0, (words / full) ** 0.5)
            has = spec.id in present or words > 0
            statuses.append(SectionStatus(spec.id, spec.title, spec.role, spec.weight, has, words,
                                          round(points, 2)))
            mention = MENTIONS.get(spec.id) if words == 0 else None
            hints = MENTION_HINTS.get(spec.id, ())
            found = None
            if mention and any(hint in self.lowered for hint in hints):
                found = mention.search(self.prose_text())  # headings do not count
            if found:
                statuses[-1].points = spec.weight / 2
                statuses[-1].present = True
                self.add("section-unheaded", "info",
                         f"The card mentions {spec.title.lower()} ({found.group(0)!r}) but has no "
                         f"{spec.title!r} section; it earns half its {spec.weight} points.",
                         f"Give it a `## {spec.title}` section so readers find it.", spec.id)
            elif not has:
                sev = "warning" if spec.weight >= 4 else "info"
                also = ", ".join(f"'{s}'" for s in spec.synonyms[:3])
                self.add("section-missing", sev,
                         f"No {spec.title!r} section (worth {spec.weight} of {CONTENT_POINTS} "
                         f"content points). {spec.guidance}",
                         f"Add a `## {spec.title}` section (written by the {spec.role})"
                         + (f"; headings such as {also} count too." if also else "."), spec.id)
            elif words == 0:
                self.add("section-empty", "warning",
                         f"{spec.title!r} has a heading but no text of its own (at most "
                         "placeholders, template text or comments).",
                         f"Write it: {spec.guidance}", spec.id)
            elif words < full / 2:  # below 71% of its points
                self.add("section-thin", "info",
                         f"{spec.title!r} has only {words} words; it earns "
                         f"{points:.1f} of its {spec.weight} points (all of them from {full} words).",
                         f"Say more: {spec.guidance}", spec.id)
        return statuses

    def placeholders(self, statuses: list[SectionStatus]) -> None:
        lowered = self.lowered
        if "<!--" not in lowered and not any(hint in lowered for hint in placeholders.HINTS):
            return
        empty = {s.id for s in statuses if s.present and s.words == 0}
        counts: Counter = Counter()
        comments: Counter = Counter()
        for block in self.doc.blocks:
            text = block.heading + block.body
            if block.owner in empty:
                continue
            found = placeholders.find(_FENCE.sub(" ", _COMMENT.sub(" ", text)))
            counts[block.owner] += len(found)
            comments[block.owner] += len(_COMMENT.findall(text))
        for owner, count in counts.items():
            if count:
                self.add("placeholder", "warning",
                         f"{self.title(owner)} still has {count} placeholder(s) such as "
                         "'[More Information Needed]' or 'TODO'.",
                         "Replace each placeholder with the fact, or delete the line if it does "
                         "not apply (say why).", owner)
        for owner, count in comments.items():
            if count:
                self.add("template-comment", "info",
                         f"{self.title(owner)} still has {count} template comment(s) "
                         "(<!-- ... -->); readers of the raw file see them.",
                         "Delete the guidance comments once the section is written.", owner)

    def claims(self) -> None:
        seen: Counter = Counter()
        lowered = self.lowered
        if not any(hint in lowered for hint in _CLAIM_HINTS) or not _CLAIMS.search(lowered):
            return
        for line, text in self.prose():
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", " ", text)  # link texts are titles, not claims
            match = _CLAIMS.search(text.lower())
            if match and not _EVIDENCE.search(text):
                owner = self.owner(line)
                seen[owner] += 1
                if seen[owner] > 2:
                    continue
                self.add("claim-unsupported", "warning",
                         f"{self.title(owner)} claims {match.group(0)!r} without a number to "
                         "back it.",
                         "Give the metric, the test data and an interval (e.g. 'accuracy 0.81, "
                         "95% CI 0.79-0.83 on the 2010-2018 test years') or drop the claim.",
                         owner)

    def secrets(self) -> None:
        found = 0
        for part, text in (("metadata", self.doc.front), (None, self.doc.body)):
            for match in secrets.find_secrets(text) if text else ():
                found += 1
                if found > 5:
                    return
                kind = match.spec
                owner = part or self.owner(text.count("\n", 0, match.start))
                self.add(kind.id, kind.severity,
                         f"The card contains what looks like {kind.what} ({match.masked}). Anyone "
                         "who reads the card can use it.",
                         f"{kind.fix} Remove it from the repository history too.", owner)

    def pickles(self, folder: Path | None) -> None:
        mentioned = set()
        for line, text in self.prose() + self.code():
            if not any(hint in text for hint in weights.PICKLE_MENTION_HINTS):
                continue
            for match in weights.PICKLE_MENTION.finditer(text):
                what = match.group(0)
                if what.startswith("."):
                    name = _PICKLE_NAME.search(text, 0, match.start())
                    what = (name.group(0) if name else "") + what
                mentioned.add((what, self.owner(line)))
        for what, owner in sorted(mentioned, key=lambda x: (x[0], x[1] or ""))[:3]:
            self.add("weights-pickle", "warning",
                     f"{self.title(owner)} points readers to a pickle ({what}): loading a "
                     "pickle runs any code hidden in it.",
                     "Share the model as skops (scikit-learn) or safetensors, and give its sha256.",
                     owner)
        if folder is None:
            return
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _PICKLE_FILES)
        except OSError:
            return
        for path in files[:5]:
            try:
                scan = weights.scan_pickle(path)
            except OSError:
                continue
            if scan is not None:
                self.add("weights-pickle", "warning",
                         f"The folder holds {path.name}, a {scan.format} file that "
                         f"{scan.summary()}: whoever loads it runs that code.",
                         "Save the model with skops.io.dump (scikit-learn) or safetensors and "
                         "remove the pickle.", "weights")

    def contradictions(self) -> None:
        meta = self.doc.meta if isinstance(self.doc.meta, dict) else {}
        skip = {"training_data", "evaluation", "citation", "acknowledgements", "composition",
                "collection"}
        yaml_license = meta.get("license")
        known = hub_licenses()
        body = self.lowered
        for line, text in self.prose() if "licen" in body else ():
            owner = self.owner(line)
            if owner in skip:
                continue
            for match in _LICENSE_TEXT.finditer(text):
                words = match.group("name").split()
                # the longest run of leading words that names a Hub licence: "Apache License 2.0"
                candidates = (normalise_license(" ".join(words[:k]))
                              for k in range(min(len(words), 6), 0, -1))
                said = next((c for c in candidates if c in known and c not in ("other", "unknown")),
                            None)
                if said is None:
                    continue
                if isinstance(yaml_license, str) and yaml_license not in ("other", said):
                    self.add("license-contradiction", "error",
                             f"The metadata says `license: {yaml_license}` but {self.title(owner)} "
                             f"says {match.group(0).strip()!r}.",
                             "Decide which licence applies and make the YAML and the text agree.",
                             owner)
                    return
                if yaml_license is None:
                    self.add("license-only-in-text", "warning",
                             f"{self.title(owner)} names a licence ({said}) but the metadata has "
                             "no `license`, so the Hub shows none.",
                             f"Add `license: {said}` to the YAML block.", "metadata")
                    return
        base = meta.get("base_model")
        bases = [base] if isinstance(base, str) else [b for b in base or [] if isinstance(b, str)]
        for line, _text, parent in self.parents() if _BASE_TEXT.search(body) else ():
            if not bases:
                self.add("base-model-missing", "warning",
                         f"{self.title(self.owner(line))} says the model starts from `{parent}`, "
                         "but the metadata has no `base_model`.",
                         f"Add `base_model: {parent}` so the Hub links the two models and "
                         "readers can check the parent's card.", "metadata")
                break
            if parent not in bases:
                self.add("base-model-contradiction", "warning",
                         f"The metadata says `base_model: {bases[0]}` but "
                         f"{self.title(self.owner(line))} mentions `{parent}` as the starting point.",
                         "Make `base_model` and the text name the same parent model.", "metadata")
                break
        datasets = meta.get("datasets")
        listed = {datasets} if isinstance(datasets, str) else {
            d for d in datasets or [] if isinstance(d, str)}
        linked = []
        for line, text in self.prose() if "huggingface.co/datasets/" in body else ():
            if self.owner(line) in ("training_data", "composition", "collection"):
                linked += [d.rstrip(".") for d in _DATASET_LINK.findall(text)]
        missing = sorted({d for d in linked if d not in listed})
        if missing:
            self.add("datasets-missing-from-metadata", "warning",
                     f"The training data section links Hub datasets not listed in `datasets`: "
                     f"{', '.join(missing[:5])}.",
                     "Add them to `datasets:` in the YAML so the Hub links model and data.",
                     "metadata")

    def own_names(self) -> set[str]:
        """Names this card's model goes by: ids it loads in its own code, its title, model_name."""
        meta = self.doc.meta if isinstance(self.doc.meta, dict) else {}
        names = {m.split("/")[-1].lower() for _, code in self.code() for m in _OWN_ID.findall(code)}
        index = meta.get("model-index")
        for value in (meta.get("model_name"), index[0].get("name") if isinstance(index, list)
                      and index and isinstance(index[0], dict) else None,
                      next((b.title for b in self.doc.blocks if b.level == 1), None)):
            if isinstance(value, str) and value.strip():
                names.add(value.strip().split("/")[-1].lower())
        return names

    def parents(self):
        """(line, text, model id) for each model the text says this one starts from.

        Not a parent: the card's own repo or files, a sibling size of it, an export of it
        (ONNX, GGUF, int8...), or another card "this card is based on".
        """
        own = self.own_names()
        own_stems = {_SIZES.sub("", _EXPORTS.sub("", name)) for name in own}
        for line, text in self.prose():
            if not _BASE_TEXT.search(text.lower()):
                continue
            found = [(m.start(), m.group(1), bool(m.group(2))) for m in _MODEL_LINK.finditer(text)]
            found += [(m.start(), m.group(1), False) for m in _MODEL_ID.finditer(text)]
            for start, model_id, file_link in sorted(found):
                model_id = model_id.rstrip(".")
                name = model_id.split("/")[-1].lower()
                stem = _SIZES.sub("", _EXPORTS.sub("", name))
                before = text[max(0, start - 100):start]
                verbs = list(_PARENT_VERB.finditer(before))
                between = before[verbs[-1].end():] if verbs else ""
                after = re.sub(r"^[^\s)\]]*[)\]]*`?\)?", "", text[start + len(model_id):start + 200])
                if verbs and re.search(r"[.!?]\s", between):
                    verbs = []
                if not verbs and not _PARENT_AFTER.match(after):
                    continue  # no parent verb in the same sentence, just before or after the id
                tail = re.split(r"[.!?]\s", text[start:start + len(model_id) + 60])[0]
                if re.search(r"\bcards?\b", (between + tail).lower()):
                    continue  # "this card is based on X's card"
                if file_link or name in own or (stem and stem in own_stems) or \
                        _EXPORTS.search(name) and stem in own_stems:
                    continue
                yield line, text, model_id
                break

    def reported_numbers(self) -> None:
        """Each number in model-index should also be in the text a reader sees."""
        meta = self.doc.meta if isinstance(self.doc.meta, dict) else {}
        index = meta.get("model-index")
        if not isinstance(index, list) or any(f.id == "model-index-invalid" for f in self.findings):
            return
        text = _COMMENT.sub(" ", self.doc.body)
        numbers = re.findall(r"(?<![\w.])(\d+(?:\.\d+)?)(\s?%(?!\s*(?:CI|conf|interval)))?",
                             text.replace(",", ""))
        shown = [float(n) for n, _ in numbers]
        percents = [float(n) for n, percent in numbers if percent]
        for entry in index:
            for result in entry.get("results") or []:
                for metric in result.get("metrics") or []:
                    value = metric.get("value")
                    if isinstance(value, bool) or not isinstance(value, int | float):
                        continue
                    if any(abs(n - value) <= 0.006 for n in shown) or any(
                            abs(n - 100 * value) <= 0.6 for n in percents):
                        continue
                    self.add("model-index-not-in-text", "warning",
                             f"The metadata reports {metric.get('type')} = {value}, but the card's "
                             "text shows no such number.",
                             "Report the same results in the Evaluation section (with the test "
                             "data and an interval), or correct the model-index.", "evaluation")
                    return

    def evaluation(self, statuses: list[SectionStatus]) -> None:
        if self.doc.repo_type != "model":
            return
        status = next(s for s in statuses if s.id == "evaluation")
        if not status.present or status.words == 0:
            return
        text = _COMMENT.sub(" ", self.doc.content("evaluation"))
        if not re.search(r"\d", placeholders.strip(text)):
            self.add("evaluation-no-numbers", "warning",
                     "The evaluation section reports no numbers.",
                     "Report each metric with its value and an interval, and name the test data.",
                     "evaluation")
        elif not re.search(r"group|slice|disaggregat|\bby\s[^\n.:]{1,40}:|by\W{0,2}(?:gender|age|sex|"
                           r"race|region|country|year|language)|per[- ]class|\bfactors?\b", text, re.I):
            self.add("evaluation-no-subgroups", "info",
                     "The evaluation gives only overall results, none by subgroup.",
                     "Add a table of results by the groups the model affects (e.g. gender, age "
                     "band, year) with the number of rows in each.", "evaluation")

    def score(self, statuses: list[SectionStatus]) -> tuple[int, dict[str, float]]:
        content = sum(s.points for s in statuses)
        if self.doc.repo_type == "model" and any(f.id == "evaluation-no-numbers"
                                                 for f in self.findings):
            ev = next(s for s in statuses if s.id == "evaluation")
            content -= ev.points / 2  # results without a number are half the evidence
            ev.points /= 2
        meta = self.doc.meta if isinstance(self.doc.meta, dict) else {}
        bad = {f.id for f in self.findings if f.section == "metadata" and f.severity == "error"}
        metadata = 0.0
        for points, keys, errors in METADATA_PARTS["dataset" if self.doc.repo_type == "dataset"
                                                    else "model"]:
            keys = (keys,) if isinstance(keys, str) else keys
            if any(meta.get(k) for k in keys) and not bad & set(errors):
                metadata += points
        if "yaml-type-trap" in bad:
            metadata = max(0.0, metadata - 2)
        counts: Counter = Counter()
        penalties = 0
        for f in self.findings:
            if f.id in NO_PENALTY:
                continue
            counts[f.id] += 1
            if counts[f.id] <= MAX_REPEATS:
                penalties += PENALTY[f.severity]
        penalties = min(penalties, MAX_PENALTY)
        raw = content + metadata - penalties
        if any(f.id in secrets.IDS for f in self.findings):
            raw = 0
        breakdown = {"coverage": round(content, 1), "metadata": metadata,
                     "penalties": float(penalties)}
        return max(0, min(100, round(raw))), breakdown


def check_card(source: str | bytes | Path | CardDocument, repo_type: str | None = None
               ) -> CardCheck:
    """Check a card given as text, bytes, a CardDocument, a README.md path or a folder.

    Never raises on the card's content.

    ``repo_type`` is ``"model"`` or ``"dataset"``; ``None`` guesses from the metadata.
    Raises FileNotFoundError only when a path is given and nothing is there.
    """
    raw, label, folder = _read(source)
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return _not_text(label, repo_type, f"it is not UTF-8 text ({error.reason} at byte "
                             f"{error.start})")
    else:
        text = raw
    if "\x00" in text[:8192]:
        return _not_text(label, repo_type, "it contains NUL bytes, so it is a binary file")
    extra: list[Finding] = []
    if len(text) > MAX_CHARS:
        extra.append(Finding("card-too-large", "warning",
                             f"The card has {len(text):,} characters; only the first "
                             f"{MAX_CHARS:,} were checked.",
                             "Move long tables or logs to separate files and link them.", None))
        text = text[:MAX_CHARS]
    try:
        return _check_text(text, label, folder, repo_type, extra)
    except Exception as error:  # the promise: findings, never a traceback
        return CardCheck(0, [*extra, Finding(
            "check-failed", "error",
            f"The checker could not analyse this card ({type(error).__name__}: {error}).",
            "Please report the card to the course maintainers.", None)], [],
            repo_type or "model", label)


def _not_text(label: str, repo_type: str | None, why: str) -> CardCheck:
    finding = Finding("not-text", "error", f"This is not a card: {why}.",
                      "Give the README.md file (Markdown text, UTF-8).", None)
    return CardCheck(0, [finding], [], repo_type or "model", label)


def _check_text(text: str, label: str, folder: Path | None, repo_type: str | None,
                extra: list[Finding]) -> CardCheck:
    if repo_type is None:  # guessed from the top-level keys, before parsing anything
        yaml_text = split(text).yaml or ""
        repo_type = "dataset" if _DATASET_KEY.search(yaml_text) else "model"
    doc = CardDocument(text, repo_type)
    checker = _Checker(doc, label)
    checker.findings += extra
    if not text.strip():
        checker.add("card-empty", "error", "The card is empty.",
                    "Start from `modelshare card new` or modelshare.card.build_card().", None)
    checker.metadata()
    statuses = checker.coverage()
    checker.placeholders(statuses)
    checker.claims()
    checker.secrets()
    checker.pickles(folder)
    checker.contradictions()
    checker.reported_numbers()
    checker.evaluation(statuses)
    score, breakdown = checker.score(statuses)
    offset = doc.front.count("\n")
    lines = {"metadata": 1}
    for block in doc.blocks:
        for sid in (block.section, *block.also) if block.level else ():
            if sid:
                lines.setdefault(sid, offset + block.line + 1)
    return CardCheck(score, checker.findings, statuses, doc.repo_type, label, doc.meta, breakdown,
                     lines)
