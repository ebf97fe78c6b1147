"""Two small widgets that ipywidgets lacks, for editors used by keyboard and screen reader.

- :class:`Disclosure`: a real ``<button>`` with ``aria-expanded`` that opens and
  closes a pane. ipywidgets' Accordion draws its headers as ``<div>`` elements
  that take no keyboard focus, so a section could only be opened with a mouse.
- :class:`LiveStatus`: a status line whose messages a screen reader reads out
  ("Saved ...", or an error). An ``ipywidgets.HTML`` replaces its whole content
  on each change, and content that arrives inside a brand-new element is not
  reliably announced; this widget keeps one live region for its lifetime.

Both are `anywidget <https://anywidget.dev>`_ widgets: the JavaScript below is all
there is, shipped to the browser through the widget's own messages (no CDN).

    >>> status = LiveStatus()
    >>> status.announce("Saved 120 characters to README.md.")
    >>> status.value, status.kind, status.seq
    ('Saved 120 characters to README.md.', 'info', 1)
"""

from __future__ import annotations

import anywidget
import traitlets

_DISCLOSURE_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "ms-disclosure";
  const update = () => {
    button.textContent = model.get("description");
    button.setAttribute("aria-expanded", String(model.get("expanded")));
  };
  const toggle = () => { model.set("expanded", !model.get("expanded")); model.save_changes(); };
  button.addEventListener("click", toggle);
  model.on("change:description", update);
  model.on("change:expanded", update);
  update();
  el.appendChild(button);
  return () => { model.off("change:description", update); model.off("change:expanded", update); };
}
export default { render };
"""

_LIVE_STATUS_ESM = """
function render({ model, el }) {
  const line = document.createElement("p");   // what everyone sees; typing updates it
  line.className = "ms-status-text";
  line.setAttribute("aria-hidden", "true");    // screen readers get the live copy below
  const live = document.createElement("p");   // read out when announce() bumps seq
  live.className = "ms-sr-only";
  live.setAttribute("role", "status");
  live.setAttribute("aria-atomic", "true");
  live.textContent = model.get("value");
  let timer = null;
  const show = () => {
    line.textContent = model.get("value");
    line.classList.toggle("ms-status-error", model.get("kind") === "error");
  };
  const announce = () => {
    show();
    live.setAttribute("aria-live", model.get("kind") === "error" ? "assertive" : "polite");
    live.textContent = "";                     // so the same words twice are read twice
    clearTimeout(timer);
    timer = setTimeout(() => { live.textContent = model.get("value"); }, 50);
  };
  model.on("change:value", show);
  model.on("change:kind", show);
  model.on("change:seq", announce);
  show();
  el.append(line, live);
  return () => { clearTimeout(timer); model.off("change:value", show);
                 model.off("change:kind", show); model.off("change:seq", announce); };
}
export default { render };
"""


class Disclosure(anywidget.AnyWidget):
    """A button that shows whether its pane is open (``expanded``); click, Enter or Space
    toggle it. The owner watches ``expanded`` and shows or hides the pane."""

    _esm = _DISCLOSURE_ESM
    description = traitlets.Unicode("").tag(sync=True)
    expanded = traitlets.Bool(False).tag(sync=True)


class LiveStatus(anywidget.AnyWidget):
    """A status line. Setting ``value`` only changes what is shown (typing updates it at
    every key); :meth:`announce` also has screen readers read it out."""

    _esm = _LIVE_STATUS_ESM
    value = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("info").tag(sync=True)  # "info" or "error"
    seq = traitlets.Int(0).tag(sync=True)  # bumped by announce(): the browser reads it out

    def announce(self, text: str, kind: str = "info") -> None:
        """Show ``text`` and have it read out (politely; at once for an error)."""
        self.kind = kind
        self.value = text
        self.seq += 1
