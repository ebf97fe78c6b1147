"""Card editors for JupyterLab: write a model or dataset card and watch it improve.

:class:`ModelCardEditor` shows the card section by section (an accordion,
each pane with the guidance and the role best placed to write it), the
metadata with the Hub's lists as suggestions, a live preview, a completeness
meter whose findings each open their section, and buttons to autofill, save,
load and discard the draft. Every change is written to a draft file
(``.modelshare/drafts/<name>.md`` next to the notebook), and an editor created
again with the same name after a kernel restart picks it up.

The widgets are thin: the work is done by
:class:`modelshare.card.session.CardSession`, which tests drive without a
browser. Everything the buttons do is also a method, so a notebook can drive
the editor from code.

Example (``editor`` alone as the last line of a cell shows it in JupyterLab):
    >>> editor = ModelCardEditor("gss-income", drafts_dir=None)
    >>> editor.set("uses", "Teaching model cards in a workshop.").get("uses")
    'Teaching model cards in a workshop.'
    >>> editor.get("uses") == editor.session.get("uses")  # the session underneath
    True
    >>> editor.close()
"""

from __future__ import annotations

import html
import time
import weakref
from pathlib import Path
from typing import Any

import ipywidgets as w
import traitlets

from modelshare.card.check import CardCheck
from modelshare.card.document import CardDocument
from modelshare.card.session import (
    DRAFTS_DIR,
    ROLE_NAMES,
    CardSession,
    autofill_sources,
    editable_sections,
    meta_fields,
    meta_to_widget,
    widget_to_meta,
)
from modelshare.widgets._a11y import Disclosure, LiveStatus

MAX_FINDINGS = 8
# Plain symbols (no emoji presentation) so that they show with any font, e.g. in a container.
_ICON = {"error": "✖", "warning": "⚠", "info": "ℹ"}
# The editor's look, scoped to it. Keyboard users see where they are: every control shows a
# thick outline when focused (JupyterLab's inputs otherwise only change a border colour).
_EDITOR_CSS = """<style>
.ms-card-editor :is(input, textarea, button, select):focus-visible,
.ms-card-editor .ms-preview:focus-visible {
  outline: 3px solid #1a56db !important; outline-offset: 1px; }
.ms-card-editor .ms-sr-only, .ms-card-editor .ms-section-area > label {
  position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.ms-card-editor .ms-disclosure {
  width: 100%; text-align: left; margin: 1px 0; padding: 6px 8px; cursor: pointer;
  font: inherit; color: var(--jp-ui-font-color1, #111);
  background: var(--jp-layout-color2, #eee); border: 1px solid var(--jp-border-color1, #bbb); }
.ms-card-editor .ms-disclosure::before { content: "\\25B8  " / ""; }
.ms-card-editor .ms-disclosure[aria-expanded="true"]::before { content: "\\25BE  " / ""; }
.ms-card-editor .ms-pane { padding: 4px 8px 10px 8px; }
.ms-card-editor .ms-status-text { margin: 4px 0; }
.ms-card-editor .ms-status-error { color: #b00020; }
.ms-card-editor .ms-preview { border: 1px solid #767676; border-radius: 4px; }
.ms-card-editor .ms-preview-body { padding: 0 8px; }
.ms-card-editor .ms-preview-body table { border-collapse: collapse; }
.ms-card-editor .ms-preview-body td, .ms-card-editor .ms-preview-body th {
  border: 1px solid #ccc; padding: 2px 6px; }
.ms-card-editor .ms-preview-body .card-metadata { font-size: 90%; margin: 8px 0; }
</style>"""


class SectionList(w.VBox):
    """Panes under header buttons, at most one open (like ``ipywidgets.Accordion``, whose
    headers take no keyboard focus): Tab reaches every header, Enter or Space opens it, and a
    closed pane's fields leave the Tab order."""

    selected_index = traitlets.Int(None, allow_none=True)

    def __init__(self, panes: list[w.Widget], **kwargs):
        self.panes = list(panes)
        self.headers = [Disclosure() for _ in self.panes]
        children = []
        for index, (header, pane) in enumerate(zip(self.headers, self.panes, strict=True)):
            pane.add_class("ms-pane")
            pane.layout.display = "none"
            header.observe(self._on_header(index), names="expanded")
            children += [header, pane]
        super().__init__(children=children, **kwargs)
        self.observe(self._show, names="selected_index")

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(header.description for header in self.headers)

    @titles.setter
    def titles(self, titles) -> None:
        for header, title in zip(self.headers, titles, strict=True):
            header.description = title

    def _on_header(self, index: int):
        def callback(change):
            if change["new"]:
                self.selected_index = index
            elif self.selected_index == index:
                self.selected_index = None
        return callback

    def _show(self, _=None) -> None:
        for index, (header, pane) in enumerate(zip(self.headers, self.panes, strict=True)):
            opened = index == self.selected_index
            header.expanded = opened
            pane.layout.display = None if opened else "none"


class CardEditor(w.VBox):
    """The machinery shared by :class:`ModelCardEditor` and :class:`DatasetCardEditor`."""

    repo_type = "model"
    # The open editor of each draft file: a new editor on the same draft (the cell run
    # again) closes the old one, so two editors never overwrite each other's draft.
    _by_draft: weakref.WeakValueDictionary = weakref.WeakValueDictionary()

    def __init__(self, name: str, card: CardDocument | str | Path | None = None, *,
                 drafts_dir: str | Path | None = DRAFTS_DIR, restore: bool = True,
                 save_path: str | Path | None = None, **sources: Any):
        super().__init__()
        self.session = CardSession(name, card, repo_type=self.repo_type, drafts_dir=drafts_dir,
                                   restore=restore)
        if self.session.draft_path is not None:
            previous = self._by_draft.get(self.session.draft_path)
            if previous is not None and previous is not self:
                previous.close()
            self._by_draft[self.session.draft_path] = self
        self.sources = {k: v for k, v in sources.items() if v is not None}
        self.specs = editable_sections(self.repo_type)
        self.last_update_ms = 0.0
        self._syncing = False
        self._build(save_path or Path("_work") / name / "README.md")
        self._sync_widgets()
        self._refresh()

    # -- construction ----------------------------------------------------------
    def _build(self, save_path: str | Path) -> None:
        self.title = w.HTML(f"<h3>{html.escape(self.repo_type.title())} card: "
                            f"{html.escape(self.session.name)}</h3>")
        self.status = LiveStatus()  # "Saved", "Loaded", errors: shown and read out
        self.status.add_class("ms-status")

        self.meta_widgets: dict[str, w.Widget] = {}
        rows = []
        for field in meta_fields(self.repo_type):
            # Every field is named by its <label>: the label, not the hint, is what a screen
            # reader announces. Lists are typed comma-separated into a plain text box (the
            # TagsInput widget hid its box from the Tab key once it held a value).
            options = dict(description=field.label, layout=w.Layout(width="95%"),
                           style={"description_width": "150px"})
            if field.kind == "choice":
                widget = w.Combobox(options=list(field.options), ensure_option=False,
                                    placeholder=field.help[:60], **options)
            elif field.kind == "list":
                widget = w.Text(placeholder="comma-separated: " + field.help[:50], **options)
            else:
                widget = w.Text(placeholder=field.help[:60], **options)
            widget.add_class(f"ms-meta-{field.key}")
            widget.observe(self._on_meta(field.key, field.kind), names="value")
            self.meta_widgets[field.key] = widget
            rows.append(widget)
        meta_help = w.HTML("<p>The YAML block at the top of README.md: the Hub reads it to show "
                           "the licence and to let people filter by task, language and library."
                           "</p>")
        panes = [w.VBox([meta_help, *rows])]

        self.section_widgets: dict[str, w.Textarea] = {}
        for spec in self.specs:
            guide = w.HTML(f"<p><b>Best written by:</b> {html.escape(ROLE_NAMES[spec.role])} "
                           f"({spec.role}).<br>{html.escape(spec.guidance)}</p>")
            # The field's name is the section title (a label read by screen readers and
            # hidden on screen, where the section's header already shows it).
            area = w.Textarea(description=spec.title, placeholder=spec.guidance,
                              continuous_update=True,
                              layout=w.Layout(width="98%", height="180px"))
            area.add_class(f"ms-section-{spec.id}")
            area.add_class("ms-section-area")
            area.observe(self._on_section(spec.id), names="value")
            self.section_widgets[spec.id] = area
            panes.append(w.VBox([guide, area]))
        self.accordion = SectionList(panes, layout=w.Layout(width="55%"))
        self.accordion.add_class("ms-sections")

        self.score_label = w.HTML()
        self.score_label.add_class("ms-score")
        self.meter = w.FloatProgress(min=0, max=100, layout=w.Layout(width="98%"),
                                     description="Completeness", style={"description_width": "0px"})
        self.meter.add_class("ms-meter")
        self.finding_rows = []
        for i in range(MAX_FINDINGS):
            button = w.Button(layout=w.Layout(width="190px", min_width="190px"))
            button.add_class(f"ms-finding-{i}")
            button.on_click(self._on_finding(i))
            text = w.HTML(layout=w.Layout(width="auto"))
            self.finding_rows.append((w.HBox([button, text]), button, text))
        self.more = w.HTML()
        # The preview scrolls itself and takes keyboard focus (Tab, then arrow keys or Page
        # Down), so a keyboard user can read all of it.
        self.preview = w.HTML(layout=w.Layout(max_height="640px", overflow="auto"))
        self.preview.tabbable = True
        self.preview.add_class("ms-preview")
        right = w.VBox([self.score_label, self.meter, *(r[0] for r in self.finding_rows),
                        self.more, w.HTML("<h4>Preview</h4>"), self.preview],
                       layout=w.Layout(width="45%"))

        self.autofill_button = w.Button(description="Autofill", icon="magic",
                                        tooltip="Fill empty sections from the model, its data and "
                                                "its evaluation", disabled=not self.sources)
        self.autofill_button.on_click(lambda _: self._guard(self.autofill))
        self.path = w.Text(value=str(save_path), description="File",
                           layout=w.Layout(width="360px"), style={"description_width": "40px"})
        self.path.add_class("ms-path")
        self.save_button = w.Button(description="Save", icon="save", button_style="primary")
        self.save_button.add_class("ms-save")
        self.save_button.on_click(lambda _: self._guard(self.save))
        self.load_button = w.Button(description="Load", icon="folder-open")
        self.load_button.add_class("ms-load")
        self.load_button.on_click(lambda _: self._guard(self.load))
        self.discard_button = w.Button(description="Discard draft", icon="undo",
                                       tooltip="Back to the starting card (the draft is kept as "
                                               "<name>.discarded.md)")
        self.discard_button.on_click(lambda _: self._guard(self.discard_draft))
        actions = w.HBox([self.autofill_button, self.path, self.save_button, self.load_button,
                          self.discard_button])
        self.children = [w.HTML(_EDITOR_CSS), self.title, actions, self.status,
                         w.HBox([self.accordion, right], layout=w.Layout(width="100%"))]
        self.add_class("ms-card-editor")

    # -- callbacks (thin: forward to the session, then refresh) -----------------
    def _on_section(self, section_id: str):
        def callback(change):
            if not self._syncing:
                self._timed(lambda: self.session.set(section_id, change["new"]))
        return callback

    def _on_meta(self, key: str, kind: str):
        def callback(change):
            if not self._syncing:
                value = _as_list(change["new"]) if kind == "list" else change["new"]
                self._timed(lambda: self.session.set_metadata(key, widget_to_meta(value, kind)))
        return callback

    def _on_finding(self, index: int):
        def callback(_):
            findings = self.session.findings()
            if index < len(findings):
                section = findings[index].section
                self.open_section(section)
                # Take the keyboard to the field to fix (the metadata pane has several).
                if section in self.section_widgets:
                    self.section_widgets[section].focus()
        return callback

    def _guard(self, action) -> None:
        """Run a button's action; show a problem in the status line instead of losing it."""
        try:
            action()
        except Exception as error:  # a button must explain, not fail silently in the log
            self._report(error)

    def _report(self, error: Exception) -> None:
        """Show a problem in the status line and have screen readers read it out at once."""
        self.status.announce(f"✖ {type(error).__name__}: {error}", kind="error")

    def _timed(self, change) -> None:
        """Apply a typed change, refresh the view and time it; a problem goes to the status
        line (an error in a widget callback would otherwise only reach the kernel's log)."""
        start = time.perf_counter()
        try:
            change()
        except Exception as error:
            self._refresh()
            self._report(error)
            return
        self._refresh()
        self.last_update_ms = (time.perf_counter() - start) * 1000

    # -- view ------------------------------------------------------------------
    def _sync_widgets(self) -> None:
        """Show the session's card in every field (after load, autofill, restore)."""
        self._syncing = True
        try:
            for spec in self.specs:
                self.section_widgets[spec.id].value = self.session.get(spec.id)
            for field in meta_fields(self.repo_type):
                value = meta_to_widget(self.session.meta.get(field.key), field.kind)
                self.meta_widgets[field.key].value = _as_text(value)
        finally:
            self._syncing = False

    def _refresh(self, *, announce: bool = False) -> None:
        """Show the card's state; ``announce`` also has screen readers read the status (after a
        button's action, never at each key typed)."""
        check = self.session.check()
        self.preview.value = ('<div class="ms-preview-body">' + self.session.preview_html()
                              + "</div>")
        self.meter.value = check.score
        self.meter.bar_style = ("success" if check.score >= 80 else
                                "warning" if check.score >= 50 else "danger")
        self.score_label.value = (f"<b>Completeness: {check.score}/100</b> · "
                                  f"{len(check.findings)} findings · sections: ● done, "
                                  "◐ thin, ○ empty")
        findings = self.session.findings()
        for i, (row, button, text) in enumerate(self.finding_rows):
            if i < len(findings):
                f = findings[i]
                button.description = f"{_ICON[f.severity]} {self._place(f.section)}"
                button.tooltip = f"Open {self._place(f.section)}: {f.fix}"
                text.value = (f"<span title='{html.escape(f.fix, quote=True)}'>"
                              f"{html.escape(f.message)}</span>")
                row.layout.display = None
            else:
                row.layout.display = "none"
        extra = len(findings) - MAX_FINDINGS
        self.more.value = f"<i>and {extra} more (see editor.check().report())</i>" if extra > 0 else ""
        self._update_titles(check)
        prefix = "↺ " if self.session.restored else ""
        text = prefix + self.session.status
        if announce:
            self.status.announce(text)
        else:
            self.status.kind, self.status.value = "info", text

    def _update_titles(self, check: CardCheck) -> None:
        status = {s.id: s for s in check.sections}
        bad_meta = any(f.section in ("metadata", None) and f.severity != "info"
                       for f in check.findings)
        titles = [("⚠ " if bad_meta else "✓ ") + "Metadata (YAML)"]
        for spec in self.specs:
            s = status.get(spec.id)
            if s is None:
                mark = "·"  # counts for no points (e.g. Citation)
            elif s.points >= s.weight:
                mark = "●"
            elif s.points > 0:
                mark = "◐"
            else:
                mark = "○"
            titles.append(f"{mark} {spec.title} · {spec.role}")
        if tuple(self.accordion.titles) != tuple(titles):
            self.accordion.titles = tuple(titles)

    def _place(self, section_id: str | None) -> str:
        for spec in self.specs:
            if spec.id == section_id:
                return spec.title
        return "Metadata"

    # -- public actions (the buttons call these) -------------------------------
    def open_section(self, section_id: str | None) -> int:
        """Open the pane of a section ('metadata' or None opens the metadata pane)."""
        ids = [spec.id for spec in self.specs]
        index = ids.index(section_id) + 1 if section_id in ids else 0
        self.accordion.selected_index = index
        return index

    def set(self, section_id: str, markdown: str) -> CardEditor:
        """Write a section as if typed into its field."""
        self._known(section_id)
        area = self.section_widgets[section_id]
        if area.value != markdown:
            area.value = markdown  # the observer forwards it, exactly as typing does
        else:
            self._timed(lambda: self.session.set(section_id, markdown))
        return self

    def set_metadata(self, key: str, value: Any) -> CardEditor:
        """Set a metadata key (through its widget when the editor has one)."""
        field = next((f for f in meta_fields(self.repo_type) if f.key == key), None)
        if field is None:
            self._timed(lambda: self.session.set_metadata(key, value))
        else:
            self.meta_widgets[key].value = _as_text(meta_to_widget(value, field.kind))
        return self

    def autofill(self, *, overwrite: bool = False) -> list[str]:
        """Fill empty sections and missing metadata from the artifacts given to the editor."""
        if not self.sources:
            raise ValueError("Nothing to autofill from: create the editor with model=..., "
                             "train=(X, y), test=(X, y) (and groups=..., datasheet=...).")
        notes = self.session.autofill(autofill_sources(**self.sources), overwrite=overwrite)
        self._sync_widgets()
        self._refresh(announce=True)
        return notes

    def save(self, path: str | Path | None = None) -> Path:
        """Save README.md (metadata + markdown) to ``path`` or to the path in the File box."""
        written = self.session.save(path or self.path.value)
        self._refresh(announce=True)
        return written

    def load(self, path: str | Path | None = None) -> CardEditor:
        """Load a card from ``path`` or from the File box; round-trip safe."""
        self.session.load(path or self.path.value)
        self._sync_widgets()
        self._refresh(announce=True)
        return self

    def discard_draft(self) -> CardEditor:
        """Go back to the card the editor started from (the draft is kept aside)."""
        self.session.discard_draft()
        self._sync_widgets()
        self._refresh(announce=True)
        return self

    # -- reading ---------------------------------------------------------------
    def get(self, section_id: str) -> str:
        """A section's text as its field shows it (the template's guidance comment left out).

        The same as ``editor.session.get(section_id)``, which keeps working.
        """
        self._known(section_id)
        return self.session.get(section_id)

    def _known(self, section_id: str) -> None:
        if section_id not in self.section_widgets:
            valid = ", ".join(self.section_widgets)
            raise ValueError(f"No section {section_id!r} in this editor: use one of {valid}.")

    @property
    def text(self) -> str:
        return self.session.text

    @property
    def score(self) -> int:
        return self.session.score

    def check(self) -> CardCheck:
        return self.session.check()

    def close(self) -> None:
        """Close this editor and every widget inside it."""
        def walk(widget):
            for child in getattr(widget, "children", ()):
                walk(child)
            if widget is not self:
                widget.close()
        walk(self)
        super().close()


def _as_text(value: Any) -> str:
    """A metadata value as a text box shows it: lists comma-separated."""
    return ", ".join(value) if isinstance(value, list) else value


def _as_list(text: str) -> list[str]:
    """What a learner typed into a list field ("en, fr") as a list."""
    return [item.strip() for item in text.split(",") if item.strip()]


class ModelCardEditor(CardEditor):
    """Write a model card: sections, metadata, autofill, preview, meter, save/load, drafts.

    ``model``, ``train=(X, y)``, ``test=(X, y)``, ``groups`` (a test column for
    per-group results) and ``datasheet`` feed the Autofill button.
    """

    repo_type = "model"

    def __init__(self, name: str, card: CardDocument | str | Path | None = None, *,
                 model=None, train=None, test=None, groups=None, datasheet=None,
                 drafts_dir: str | Path | None = DRAFTS_DIR, restore: bool = True,
                 save_path: str | Path | None = None, n_resamples: int = 200):
        extra = {"n_resamples": n_resamples} if model is not None else {}
        super().__init__(name, card, drafts_dir=drafts_dir, restore=restore, save_path=save_path,
                         model=model, train=train, test=test, groups=groups, datasheet=datasheet,
                         **extra)


class DatasetCardEditor(CardEditor):
    """Write a dataset card (a datasheet); ``datasheet`` and ``frame`` feed Autofill."""

    repo_type = "dataset"

    def __init__(self, name: str, card: CardDocument | str | Path | None = None, *,
                 datasheet=None, frame=None, drafts_dir: str | Path | None = DRAFTS_DIR,
                 restore: bool = True, save_path: str | Path | None = None):
        super().__init__(name, card, drafts_dir=drafts_dir, restore=restore, save_path=save_path,
                         datasheet=datasheet, frame=frame)
