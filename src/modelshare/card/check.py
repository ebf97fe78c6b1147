"""Check a model or dataset card: what is missing, what is wrong, and a 0-100 score.

:func:`check_card` takes the card's text, a path to README.md, or a folder
holding one, and returns a :class:`CardCheck` with findings (each with an id,
a severity, a message, a fix and the section it points at) and a score. It
works offline and never raises on a card's content: empty, binary, huge or
malformed input gives findings.

How the score is computed (0-100; raise it by fixing findings, not by padding):

1. **Coverage, 80 points.** Each section of the course checklist has a weight
   (see ``weight`` in :mod:`modelshare.card.sections`: e.g. limitations 8,
   evaluation 8, training data 8, intended uses 7, ... contact 2). A section earns
   its full weight when it has at least 15 words of real text (8 for the summary,
   2-3 for contact, citation and acknowledgements), half when it has fewer, and
   nothing when it is missing or holds only placeholders and template comments.
   Acknowledgements or a contact given in passing elsewhere (a "we thank",
   an e-mail address) earn half.
   Headings are matched through synonyms ("Usage" and "How to use" count as
   the examples section, "Intended uses" as uses, "Caveats" as limitations).
2. **Metadata, 20 points.** Model cards: a valid ``license`` 8, ``library_name``
   4, a known ``pipeline_tag`` 4, a readable ``model-index`` with results 4.
   Dataset cards: ``license`` 8, ``task_categories`` 4, ``size_categories`` 4,
   ``language`` 4.
3. **Penalties.** Every other finding costs points by severity: error 8,
   warning 3, info 0; each finding id counts at most 3 times. Findings about
   missing or thin sections and missing metadata cost nothing here, because
   they already cost their coverage or metadata points.
4. **Caps.** A card with a secret (a token, a key) scores 0 until it is
   removed; so does input that is not text.

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
from modelshare.card.metadata import check_metadata, hub_licenses, normalise_license
from modelshare.card.sections import sections as section_table
from modelshare.rules import placeholders, secrets, weights
from modelshare.rules.findings import Finding

MAX_CHARS = 1_000_000
PENALTY = {"error": 8, "warning": 3, "info": 0}
MAX_REPEATS = 3
NO_PENALTY = {
    "section-missing", "section-thin", "section-empty", "license-missing", "library-name-missing",
    "metadata-missing", "not-text", "section-unheaded", *secrets.IDS,
}
FULL_WORDS = {"summary": 8, "contact": 2, "citation": 3, "acknowledgements": 3,
              "environmental_impact": 6, "weights": 8, "environment": 10, "out_of_scope": 10,
              "get_started": 8}
DEFAULT_FULL_WORDS = 15
# Short sections often live in a sentence elsewhere ("We thank ...", an e-mail address):
# found that way they earn half their points and an info finding instead of "missing".
MENTIONS = {
    "acknowledgements": re.compile(r"\bthank|\bgrateful|acknowledg|\bbenefit+ed from|"
                                   r"\bfunded by|\bsupported by|\bcourtesy of", re.I),
    "contact": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\bcontact (?:us|me)\b|/issues\b", re.I),
}
MENTION_HINTS = {  # cheap substring tests before the regular expressions above
    "acknowledgements": ("thank", "grateful", "acknowledg", "benefit", "funded by",
                         "supported by", "courtesy of"),
    "contact": ("@", "contact", "/issues"),
}
DATASET_KEYS = {"task_categories", "size_categories", "pretty_name", "configs", "dataset_info",
                "task_ids", "annotations_creators", "language_creators", "source_datasets"}

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
_BASE_TEXT = re.compile(r"fine-?tun|pre-?trained|base model|based on|distilled from|initiali[sz]ed")
_MODEL_LINK = re.compile(r"huggingface\.co/(?!datasets/|spaces/|docs/|blog/)([\w.-]+/[\w.-]+)")
_MODEL_ID = re.compile(r"`([\w.-]+/[\w.-]+)`")
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
        return out

    def report(self) -> str:
        """A plain-text report: score, breakdown, then findings, worst first."""
        order = {"error": 0, "warning": 1, "info": 2}
        b = self.breakdown
        lines = [
            f"{self.source}: {self.score}/100 ({self.repo_type} card; coverage "
            f"{b.get('coverage', 0):.0f}/80, metadata {b.get('metadata', 0):.0f}/20, "
            f"penalties -{b.get('penalties', 0):.0f})"
        ]
        lines += [f"  {f.line()}" for f in sorted(self.findings, key=lambda f: order[f.severity])]
        return "\n".join(lines)

    __str__ = report

    def _repr_markdown_(self) -> str:
        """How a notebook shows the result: the score, then one row per finding."""
        b = self.breakdown
        head = (f"**{self.score}/100** (coverage {b.get('coverage', 0):.0f}/80, metadata "
                f"{b.get('metadata', 0):.0f}/20, penalties -{b.get('penalties', 0):.0f})")
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


class _Checker:
    def __init__(self, doc: CardDocument, label: str):
        self.doc = doc
        self.label = label
        self.findings: list[Finding] = []
        self.specs = {s.id: s for s in section_table(doc.repo_type)}
        self.starts = [block.line for block in doc.blocks]
        self._prose: list[tuple[int, str]] | None = None
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
        self.findings += check_metadata(doc.meta, doc.repo_type)

    def coverage(self) -> list[SectionStatus]:
        statuses = []
        present = set(self.doc.section_ids())
        for spec in self.specs.values():
            if spec.weight == 0:
                continue
            text = self.doc.content(spec.id)
            words = _words(text)
            full = FULL_WORDS.get(spec.id, DEFAULT_FULL_WORDS)
            points = spec.weight if words >= full else (spec.weight / 2 if words else 0.0)
            has = spec.id in present or words > 0
            statuses.append(SectionStatus(spec.id, spec.title, spec.role, spec.weight, has, words,
                                          points))
            mention = MENTIONS.get(spec.id) if not has else None
            hints = MENTION_HINTS.get(spec.id, ())
            found = None
            if mention and any(hint in self.lowered for hint in hints):
                found = mention.search(_COMMENT.sub(" ", self.doc.body))
            if found:
                statuses[-1].points = spec.weight / 2
                self.add("section-unheaded", "info",
                         f"The card mentions {spec.title.lower()} ({found.group(0)!r}) but has no "
                         f"{spec.title!r} section; it earns half its {spec.weight} points.",
                         f"Give it a `## {spec.title}` section so readers find it.", spec.id)
            elif not has:
                sev = "warning" if spec.weight >= 4 else "info"
                also = ", ".join(f"'{s}'" for s in spec.synonyms[:3])
                self.add("section-missing", sev,
                         f"No {spec.title!r} section (worth {spec.weight} of 80 coverage points). "
                         f"{spec.guidance}",
                         f"Add a `## {spec.title}` section (written by the {spec.role})"
                         + (f"; headings such as {also} count too." if also else "."), spec.id)
            elif words == 0:
                self.add("section-empty", "warning",
                         f"{spec.title!r} has a heading but no text of its own (at most "
                         "placeholders or template comments).",
                         f"Write it: {spec.guidance}", spec.id)
            elif words < full:
                self.add("section-thin", "info",
                         f"{spec.title!r} has only {words} words; it earns half its "
                         f"{spec.weight} points.",
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
        for line, text in self.prose() if _BASE_TEXT.search(body) else ():
            if not _BASE_TEXT.search(text.lower()):
                continue
            ids = _MODEL_LINK.findall(text) + _MODEL_ID.findall(text)
            ids = [i.rstrip(".") for i in ids if not i.startswith(("datasets/", "spaces/"))]
            if not ids:
                continue
            if not bases:
                self.add("base-model-missing", "warning",
                         f"{self.title(self.owner(line))} says the model starts from `{ids[0]}`, "
                         "but the metadata has no `base_model`.",
                         f"Add `base_model: {ids[0]}` so the Hub links the two models and "
                         "readers can check the parent's card.", "metadata")
                break
            if not set(ids) & set(bases):
                self.add("base-model-contradiction", "warning",
                         f"The metadata says `base_model: {bases[0]}` but "
                         f"{self.title(self.owner(line))} mentions `{ids[0]}` as the starting point.",
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
        total = sum(s.weight for s in statuses) or 1
        coverage = 80 * sum(s.points for s in statuses) / total
        meta = self.doc.meta if isinstance(self.doc.meta, dict) else {}
        bad = {f.id for f in self.findings if f.section == "metadata"}
        if self.doc.repo_type == "dataset":
            parts = [(8, "license", ("license-unknown", "license-type")),
                     (4, "task_categories", ("task-categories-type",)),
                     (4, "size_categories", ("size-categories-unknown",)),
                     (4, "language", ("language-invalid", "language-type"))]
        else:
            parts = [(8, "license", ("license-unknown", "license-type")),
                     (4, "library_name", ("library-name-type",)),
                     (4, "pipeline_tag", ("pipeline-tag-unknown",)),
                     (4, "model-index", ("model-index-invalid", "model-index-empty"))]
        metadata = float(sum(points for points, key, errors in parts
                             if meta.get(key) and not bad & set(errors)))
        counts: Counter = Counter()
        penalties = 0
        for f in self.findings:
            if f.id in NO_PENALTY:
                continue
            counts[f.id] += 1
            if counts[f.id] <= MAX_REPEATS:
                penalties += PENALTY[f.severity]
        raw = coverage + metadata - penalties
        if any(f.id in secrets.IDS for f in self.findings):
            raw = 0
        breakdown = {"coverage": round(coverage, 1), "metadata": metadata,
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
    doc = CardDocument(text, repo_type or "model")
    if repo_type is None and isinstance(doc.meta, dict) and DATASET_KEYS & set(doc.meta):
        doc = CardDocument(text, "dataset")
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
    return CardCheck(score, checker.findings, statuses, doc.repo_type, label, doc.meta, breakdown)
