"""What a card editor edits: one card being written, without a single widget.

:class:`CardSession` holds one card being written: it edits sections and
metadata through :class:`~modelshare.card.document.CardDocument` (so loading
and saving unchanged gives back the same bytes), checks the card with
:func:`~modelshare.card.check.check_card`, renders the preview with
:func:`~modelshare.card.render.render_html`, applies autofill results, and
keeps a **draft** on disk after every change, so a kernel restart loses
nothing: a new session with the same name picks the draft up again.

Tests drive this class directly; the widgets in :mod:`modelshare.widgets.editor`
only forward what a learner types to it and show what it returns. The helpers
below it (the metadata fields an editor offers, which sections it shows, what a
field shows) are plain functions for the same reason; what counts as a blank
section is the one rule in :mod:`modelshare.rules.placeholders`.

Example:
    >>> import tempfile
    >>> session = CardSession("demo", drafts_dir=tempfile.mkdtemp())
    >>> [f.id for f in session.check().for_section("uses")]
    ['section-empty']
    >>> _ = session.set("uses", "Learners use it in a two-hour workshop to practise writing "
    ...                 "a model card for a small tabular classifier.")
    >>> session.check().for_section("uses"), session.draft_path.exists()
    ([], True)
    >>> CardSession("demo", drafts_dir=session.draft_path.parent).restored
    True
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from modelshare.card.check import CardCheck, check_card
from modelshare.card.document import REGEX_YAML_BLOCK, CardDocument
from modelshare.card.render import render_html
from modelshare.card.sections import SectionSpec, section_specs
from modelshare.rules import placeholders
from modelshare.rules.findings import Finding
from modelshare.rules.metadata import (
    SIZE_CATEGORIES,
    hub_licenses,
    library_names,
    pipeline_tags,
)

DRAFTS_DIR = Path(".modelshare") / "drafts"
PLACEHOLDER = "[More Information Needed]"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
ROLE_NAMES = {
    "developer": "the developer who trained the model",
    "sociotechnic": "someone who weighs ethics, law and social impact",
    "organiser": "the project organiser",
}

_REF_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:", re.M)
# The guidance comment the course template puts at the top of each section.
_GUIDE_COMMENT = re.compile(r"<!--(?:(?!-->).)*?Best written by:(?:(?!-->).)*-->[ \t]*(?:\r\n|\r|\n)*",
                            re.S)
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")
# Labels of the "Model Details" list in the course template (card/templates/modelcard.md.jinja).
DETAIL_LABELS = {
    "developers": "Developed by", "funded_by": "Funded by", "shared_by": "Shared by",
    "model_type": "Model type", "version": "Version and date", "repo": "Repository",
    "paper": "Paper",
}


@dataclass(frozen=True)
class MetaField:
    """One metadata widget: a YAML key, its kind and the values the Hub knows."""

    key: str
    label: str
    kind: str  # "choice" (one value, suggestions), "list" (several values) or "text"
    options: tuple[str, ...] = ()
    help: str = ""


def meta_fields(repo_type: str = "model") -> tuple[MetaField, ...]:
    """The metadata a card editor offers, with the Hub's lists as suggestions."""
    licence = MetaField("license", "Licence", "choice", tuple(sorted(hub_licenses())),
                        "A Hub licence id such as mit or cc-by-4.0; 'other' needs license_name.")
    language = MetaField("language", "Language", "list", (),
                         "ISO 639 codes of the languages the model or data handle, e.g. en.")
    tags = MetaField("tags", "Tags", "list", (), "Free words that help people find it.")
    if repo_type == "dataset":
        return (
            licence, language,
            MetaField("pretty_name", "Name", "text", (), "A readable name for the dataset."),
            MetaField("task_categories", "Task categories", "list", (),
                      "Tasks the data fit, e.g. tabular-classification."),
            MetaField("size_categories", "Size", "choice", SIZE_CATEGORIES,
                      "How many rows, as a Hub size bucket."),
            tags,
        )
    return (
        licence, language,
        MetaField("library_name", "Library", "choice", tuple(sorted(library_names())),
                  "The library that loads the model; sklearn for scikit-learn."),
        MetaField("pipeline_tag", "Task (pipeline_tag)", "choice", tuple(sorted(pipeline_tags())),
                  "What the model does, e.g. tabular-classification."),
        tags,
        MetaField("datasets", "Datasets", "list", (),
                  "Hub ids of the datasets it was trained on (links model and data)."),
    )


@lru_cache(maxsize=1024)
def _render_cached(markdown: str) -> str:
    return render_html(markdown).strip("\n")


def editable_sections(repo_type: str = "model") -> tuple[SectionSpec, ...]:
    """Sections the editor shows: every section except pure parents such as 'Training Details'."""
    return tuple(s for s in section_specs(repo_type) if s.id != "training")


# What counts as empty is the rule the card checker scores by (modelshare.rules.placeholders):
# a section the editor shows empty is a section the checker finds empty, and the other way round.
is_blank = placeholders.is_blank


def shown_text(markdown: str | None) -> str:
    """A section as its field shows it: without the template's guidance comment (the pane
    shows the guidance), and empty while it holds only a placeholder."""
    if markdown is None:
        return ""
    text = _GUIDE_COMMENT.sub("", markdown).strip("\r\n")
    # The template's prompt labels ("- **Test data:**") stay visible to fill in; a field
    # holding nothing but placeholders and comments is shown empty.
    bare = placeholders.PLACEHOLDER.sub(" ", placeholders.COMMENT.sub(" ", text))
    return "" if not re.search(r"\w", bare) else text


def meta_to_widget(value: Any, kind: str) -> Any:
    """A metadata value as the widget shows it: a str, or a list of str for 'list' fields."""
    if kind == "list":
        if value is None:
            return []
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        return [str(value)]
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def widget_to_meta(value: Any, kind: str) -> Any:
    """A widget value as it goes into the YAML block; None (remove the key) when empty."""
    if kind == "list":
        items = [str(v).strip() for v in value or [] if str(v).strip()]
        return items or None
    text = str(value or "").strip()
    return text or None


def sorted_findings(check: CardCheck, repo_type: str = "model") -> list[Finding]:
    """Findings worst first, then by how much their section weighs."""
    weight = {s.id: s.weight for s in section_specs(repo_type)}
    return sorted(check.findings,
                  key=lambda f: (SEVERITY_ORDER[f.severity], -weight.get(f.section or "", 5)))


def slug(name: str) -> str:
    """A file-name-safe version of a card name: 'GSS income / v1' -> 'GSS-income-v1'."""
    out = _SLUG.sub("-", name).strip("-.")
    if not out:
        raise ValueError(f"Card name {name!r} has no letters or digits; give a name like 'gss-income'.")
    return out


def new_card(name: str, repo_type: str = "model") -> CardDocument:
    """An empty card from the course template (every section a placeholder)."""
    from modelshare.card.build import build_card, build_dataset_card

    if repo_type == "dataset":
        return build_dataset_card(name)
    return build_card(name)


def as_document(card: CardDocument | str | Path | None, name: str, repo_type: str) -> CardDocument:
    """Accept a CardDocument, card text, a README.md path / folder, or None (a new card)."""
    if card is None:
        return new_card(name, repo_type)
    if isinstance(card, CardDocument):
        return CardDocument(card.text, repo_type)
    if isinstance(card, Path) or (isinstance(card, str) and "\n" not in card and len(card) < 4096
                                  and (card.endswith(".md") or Path(card).is_dir())):
        return CardDocument.load(card, repo_type)
    if isinstance(card, str):
        return CardDocument(card, repo_type)
    raise ValueError(f"card must be a CardDocument, the card's text or a path, got "
                     f"{type(card).__name__}: pass card=open('README.md').read() or the path.")


def autofill_sources(*, model=None, train=None, test=None, groups=None, datasheet=None,
                     frame=None, environment: bool = True, n_resamples: int = 200,
                     dataset_name: str = "held-out test split") -> list:
    """The autofill results (Fill objects) for whatever artifacts are given.

    ``train`` and ``test`` are ``(X, y)`` pairs; ``groups`` a column of the test
    features for per-group results; ``frame`` a DataFrame for a dataset card.
    """
    from modelshare.card import autofill
    from modelshare.card.datasheet import from_datasheet

    fills = []
    if model is None and train is None and (datasheet is not None or frame is not None):
        if datasheet is not None:  # a dataset card
            return [from_datasheet(datasheet, frame)]
        described = autofill.from_dataframe(frame, provenance=False)
        return [autofill.Fill(sections={"composition": described.sections["training_data"]},
                              facts=described.facts)]
    if model is not None:
        fills.append(autofill.from_estimator(model))
    if train is not None:
        X, y = _pair(train, "train")
        fills.append(autofill.from_dataframe(X, y, datasheet=datasheet))
    if model is not None and test is not None:
        X, y = _pair(test, "test")
        fills.append(autofill.from_evaluation(model, X, y, groups=groups, n_resamples=n_resamples,
                                              dataset_name=dataset_name))
    if environment and model is not None:
        fills.append(autofill.from_environment())
    return fills


def _pair(value, what: str):
    if not (isinstance(value, tuple | list) and len(value) == 2):
        raise ValueError(f"{what} must be a pair (X, y), e.g. {what}=(split.X_{what}, "
                         f"split.y_{what}); got {type(value).__name__}")
    return value


class CardSession:
    """One card being written: edit, check, preview, autofill, save, load, keep a draft."""

    def __init__(self, name: str, card: CardDocument | str | Path | None = None, *,
                 repo_type: str = "model", drafts_dir: str | Path | None = DRAFTS_DIR,
                 restore: bool = True):
        if repo_type not in ("model", "dataset"):
            raise ValueError(f"repo_type must be 'model' or 'dataset', got {repo_type!r}")
        self.name = name
        self.repo_type = repo_type
        self.start = as_document(card, name, repo_type)
        self.drafts_dir = None if drafts_dir is None else Path(drafts_dir).resolve()
        self.draft_path = None if self.drafts_dir is None else self.drafts_dir / f"{slug(name)}.md"
        self.restored = False
        self.status = "New card from the course template." if card is None else "Card loaded."
        self.doc = CardDocument(self.start.text, repo_type)  # a copy: edits leave start alone
        if restore and self.draft_path is not None and self.draft_path.is_file():
            self.doc = CardDocument.load(self.draft_path, repo_type)
            self.restored = True
            when = time.strftime("%H:%M:%S", time.localtime(self.draft_path.stat().st_mtime))
            self.status = (f"Restored your draft from {self._shown(self.draft_path)} (saved at "
                           f"{when}). 'Discard draft' goes back to the starting card.")
        self._check: CardCheck | None = None
        self._check_text: str | None = None

    @staticmethod
    def _shown(path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    # -- reading ---------------------------------------------------------------
    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def meta(self) -> dict:
        return self.doc.meta if isinstance(self.doc.meta, dict) else {}

    def get(self, section_id: str) -> str:
        """A section's markdown as the editor shows it (see :func:`shown_text`)."""
        return shown_text(self.doc.get(section_id))

    def check(self) -> CardCheck:
        """The checker's verdict on the current text (computed once per change)."""
        if self._check is None or self._check_text != self.doc.text:
            self._check = check_card(self.doc.text, self.repo_type)
            self._check_text = self.doc.text
        return self._check

    @property
    def score(self) -> int:
        return self.check().score

    def findings(self) -> list[Finding]:
        return sorted_findings(self.check(), self.repo_type)

    def preview_html(self) -> str:
        """The card as HTML (:func:`~modelshare.card.render.render_html`), block by block.

        Each heading block is rendered on its own and cached, so an edit re-renders
        only the block that changed (about 10 ms less per keystroke on a full card).
        A block that would read as a YAML header on its own, or a card with
        reference-style links (defined in one block, used in another), is rendered whole.
        """
        blocks = [b.heading + b.body for b in self.doc.blocks]
        if any(REGEX_YAML_BLOCK.match(b) for b in blocks) or _REF_DEFINITION.search(self.doc.body):
            return render_html(self.doc)
        parts = [_render_cached(self.doc.front)] + [_render_cached(b) for b in blocks]
        return "\n".join(p for p in parts if p)

    # -- editing ---------------------------------------------------------------
    def set(self, section_id: str, markdown: str) -> CardSession:
        """Replace one section's text; an empty text puts the placeholder back."""
        text = markdown if markdown.strip() else PLACEHOLDER
        self.doc.set(section_id, text)
        self._changed(f"Edited '{self._title(section_id)}'.")
        return self

    def set_metadata(self, key: str, value: Any) -> CardSession:
        """Set one YAML key (``None``, '' or [] removes it)."""
        if value in ("", [], ()):
            value = None
        self.doc.set_metadata(key, value)
        self._changed(f"Set metadata '{key}'." if value is not None else f"Removed '{key}'.")
        return self

    def autofill(self, fills: Iterable, *, overwrite: bool = False) -> list[str]:
        """Write what autofill found into the card; your own text wins unless ``overwrite``.

        Sections that hold only a placeholder are filled, metadata keys that are
        missing are set (tags are united), evaluation results become the
        ``model-index`` block, Model Details placeholders get the facts.
        Returns one line per thing done or kept, plus autofill's warnings.
        """
        from modelshare.card.build import merge

        fills = list(fills)
        texts, meta, results = merge(None, None, fills)
        notes: list[str] = []
        for section_id, markdown in texts.items():
            current = self.doc.get(section_id)
            if overwrite or is_blank(current):
                self.doc.set(section_id, markdown)
                notes.append(f"filled '{self._title(section_id)}'")
            else:
                notes.append(f"kept your text in '{self._title(section_id)}'")
        present = self.meta
        for key, value in meta.items():
            if key == "tags":
                tags = meta_to_widget(present.get("tags"), "list")
                new = tags + [t for t in value if t not in tags]
                if new != tags:
                    self.doc.set_metadata("tags", new)
                    notes.append("added tags " + ", ".join(t for t in value if t not in tags))
            elif present.get(key) in (None, "", []) or overwrite:
                self.doc.set_metadata(key, value)
                notes.append(f"set {key}")
        if results and (overwrite or not self.meta.get("model-index")):
            from huggingface_hub.repocard_data import eval_results_to_model_index

            self.doc.set_metadata("model-index", eval_results_to_model_index(self.name, results))
            notes.append(f"wrote {len(results)} evaluation results to model-index")
        details = {k: v for fill in fills for k, v in getattr(fill, "details", {}).items()}
        notes += self._fill_details(details)
        notes += [f"warning: {w}" for fill in fills for w in fill.warnings]
        self._changed("Autofill: " + ("; ".join(notes) if notes else "nothing to add") + ".")
        return notes

    def _fill_details(self, details: dict[str, str]) -> list[str]:
        body = self.doc.get("details") if self.repo_type == "model" else None
        if not details or body is None:
            return []
        done = []
        for key, value in details.items():
            label = DETAIL_LABELS.get(key)
            line = f"- **{label}:** {PLACEHOLDER}"
            if label and line in body:
                body = body.replace(line, f"- **{label}:** {value}")
                done.append(f"filled '{label}' in Model Details")
        if done:
            self.doc.set("details", body)
        return done

    # -- files -----------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the card (YAML metadata + markdown) to README.md at ``path`` (file or folder)."""
        path = Path(path)
        if path.suffix.lower() != ".md" and not path.is_file():
            path = path / "README.md"
        written = self.doc.save(path)
        self.status = f"Saved {len(self.doc.text):,} characters to {self._shown(written.resolve())}."
        return written

    def load(self, path: str | Path) -> CardSession:
        """Replace the card with the one at ``path``; the old text stays in the draft history."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"No card at {path}: give a README.md or a folder holding one.")
        self._keep_previous()
        self.doc = CardDocument.load(path, self.repo_type)
        self._changed(f"Loaded {self._shown(path.resolve())}.")
        return self

    def discard_draft(self) -> CardSession:
        """Go back to the starting card; the draft is kept as ``<name>.discarded.md``."""
        self._keep_previous()
        if self.draft_path is not None and self.draft_path.exists():
            self.draft_path.unlink()
        self.doc = CardDocument(self.start.text, self.repo_type)
        self.restored = False
        self.status = "Back to the starting card; your old draft is in " + (
            self._shown(self.draft_path.with_suffix(".discarded.md")) if self.draft_path else "memory")
        return self

    def _keep_previous(self) -> None:
        if self.draft_path is not None and self.draft_path.exists():
            os.replace(self.draft_path, self.draft_path.with_suffix(".discarded.md"))

    def _changed(self, status: str) -> None:
        try:
            self._write_draft()
        except OSError as error:  # a full or read-only disk must not stop the editing
            self.status = (f"{status} Could not write the draft ({error}): your text is only in "
                           "memory, so Save the card to another folder now.")
            return
        self.status = status

    def _write_draft(self) -> None:
        """Write the whole card to the draft file atomically (a crash leaves the old draft)."""
        if self.draft_path is None:
            return
        self.draft_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.draft_path.with_suffix(".md.tmp")
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(self.doc.text)
        os.replace(tmp, self.draft_path)

    def _title(self, section_id: str) -> str:
        for spec in section_specs(self.repo_type):
            if spec.id == section_id:
                return spec.title
        return section_id

    def __repr__(self) -> str:
        return f"CardSession({self.name!r}, {self.repo_type}, score={self.score})"
