"""A risk register for sharing a model: rate each risk, plan for it, name who owns it.

The eight risks come from the course's lesson 02 (after the Carpentries
"Trustworthy AI" lesson): privacy, informed consent, data bias and fairness,
intellectual property, robustness and generalisation, reproducibility,
unintended use and misuse, and responsible AI (accountability and
transparency). For each you record what could happen with *this* model, how
likely it is, how bad it would be, what you do about it and who is
responsible. :meth:`RiskRegister.to_markdown` turns the register into the
card's "Bias, Risks, and Limitations" section, highest rating first.

:class:`RiskRegister` is plain Python (tests drive it without a browser);
:meth:`RiskRegister.widget` shows one row of fields per risk.

Example:
    >>> register = RiskRegister()
    >>> _ = register.assess("bias", "Lower accuracy for women", likelihood="high",
    ...                     impact="medium", mitigation="Report per-group results",
    ...                     owner="model developer")
    >>> register.entry("bias").rating
    'high'
    >>> "| Data bias and fairness | high | medium | high |" in register.to_markdown()
    True
"""

from __future__ import annotations

import html
from dataclasses import dataclass

LEVELS = ("low", "medium", "high")
_RANK = {level: n for n, level in enumerate(LEVELS, start=1)}


@dataclass(frozen=True)
class Risk:
    """One kind of risk and the question that helps you assess it."""

    id: str
    title: str
    question: str


RISKS: tuple[Risk, ...] = (
    Risk("privacy", "Privacy",
         "Could the model, its outputs or its card reveal something about a person in the "
         "training data?"),
    Risk("consent", "Informed consent",
         "Did the people behind the data agree to their data being used to build and share a "
         "model like this one?"),
    Risk("bias", "Data bias and fairness",
         "Does the model work worse for some groups, or learn and repeat an unfair pattern that "
         "is in its data?"),
    Risk("ip", "Intellectual property",
         "Are you allowed to share the model, its data and its code, and on what terms?"),
    Risk("robustness", "Robustness and generalisation",
         "Will it still work on data unlike its training data: other years, places or people?"),
    Risk("reproducibility", "Reproducibility",
         "Could someone else rebuild the model from what you publish and get the same results?"),
    Risk("misuse", "Unintended use and misuse",
         "What could someone do with it that it was never meant for, and who would be harmed?"),
    Risk("accountability", "Responsible AI: accountability and transparency",
         "Who answers for the decisions made with it, and can a person affected find out how it "
         "reached them?"),
)


def rating(likelihood: str, impact: str) -> str:
    """Likelihood x impact on a 3 x 3 grid: 'low' (1-2), 'medium' (3-4) or 'high' (6-9)."""
    product = _RANK[likelihood] * _RANK[impact]
    return "high" if product >= 6 else "medium" if product >= 3 else "low"


@dataclass
class Entry:
    """Your assessment of one risk for one model."""

    risk: Risk
    concern: str = ""
    likelihood: str = ""
    impact: str = ""
    mitigation: str = ""
    owner: str = ""

    @property
    def assessed(self) -> bool:
        return bool(self.likelihood and self.impact)

    @property
    def rating(self) -> str:
        return rating(self.likelihood, self.impact) if self.assessed else ""

    def problems(self) -> list[str]:
        """What is still missing for an assessed risk to be useful to a reader."""
        if not self.assessed:
            return []
        missing = [name for name in ("concern", "mitigation", "owner") if not getattr(self, name).strip()]
        return [f"{self.risk.title}: say the {name}" for name in missing]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or "-"


class RiskRegister:
    """The eight risks of sharing a model, each with likelihood, impact, mitigation and owner."""

    def __init__(self, intro: str = ""):
        self.intro = intro
        self.entries = {risk.id: Entry(risk) for risk in RISKS}

    def entry(self, risk_id: str) -> Entry:
        try:
            return self.entries[risk_id]
        except KeyError:
            raise ValueError(f"No risk {risk_id!r}; the register has: "
                             f"{', '.join(self.entries)}. Use one of those ids.") from None

    def assess(self, risk_id: str, concern: str = "", *, likelihood: str = "", impact: str = "",
               mitigation: str = "", owner: str = "") -> RiskRegister:
        """Record one risk; returns the register so calls can be chained."""
        entry = self.entry(risk_id)
        for name, value in (("likelihood", likelihood), ("impact", impact)):
            value = value.strip().lower()
            if value and value not in LEVELS:
                raise ValueError(f"{name}={value!r} for {risk_id!r}: use one of {', '.join(LEVELS)}.")
            setattr(entry, name, value)
        entry.concern, entry.mitigation, entry.owner = concern, mitigation, owner
        return self

    def assessed(self) -> list[Entry]:
        """Assessed entries, highest rating first (then by impact, then in register order)."""
        order = list(self.entries)
        done = [e for e in self.entries.values() if e.assessed]
        return sorted(done, key=lambda e: (-_RANK[e.rating], -_RANK[e.impact],
                                           order.index(e.risk.id)))

    def problems(self) -> list[str]:
        """Gaps a reader would notice: unassessed risks and assessed ones without a plan."""
        out = [f"{e.risk.title}: not assessed yet" for e in self.entries.values() if not e.assessed]
        for entry in self.entries.values():
            out += entry.problems()
        return out

    def to_markdown(self) -> str:
        """The card's "Bias, Risks, and Limitations" section."""
        parts = [self.intro.strip()] if self.intro.strip() else []
        rows = self.assessed()
        if rows:
            parts.append(
                "Risks assessed before sharing (likelihood and impact each low, medium or high; "
                "the rating combines them), highest first:"
            )
            table = ["| risk | likelihood | impact | rating | what could happen | mitigation | owner |",
                     "|---|---|---|---|---|---|---|"]
            table += [f"| {e.risk.title} | {e.likelihood} | {e.impact} | {e.rating} | "
                      f"{_cell(e.concern)} | {_cell(e.mitigation)} | {_cell(e.owner)} |" for e in rows]
            parts.append("\n".join(table))
        todo = [e.risk.title for e in self.entries.values() if not e.assessed]
        if todo:
            parts.append("Not assessed yet: " + ", ".join(todo) + ".")
        return "\n\n".join(parts)

    def write_to(self, card, section_id: str = "limitations"):
        """Write the section into a card editor, a CardSession or a CardDocument (anything
        with ``.set(section_id, markdown)``); use ``section_id="considerations"`` for a
        dataset card."""
        return card.set(section_id, self.to_markdown())

    # -- widget ----------------------------------------------------------------
    def widget(self, editor=None, section_id: str = "limitations"):
        """One row of fields per risk and a button that writes the section into ``editor``."""
        import ipywidgets as w

        rows = []
        preview = w.HTML()
        preview.add_class("ms-risk-preview")

        def update(_=None):
            preview.value = (f"<pre style='white-space:pre-wrap'>"
                             f"{html.escape(self.to_markdown())}</pre>")

        for entry in self.entries.values():
            fields = {
                "likelihood": w.Dropdown(options=[("?", ""), *[(x, x) for x in LEVELS]],
                                         value=entry.likelihood, description="likelihood",
                                         layout=w.Layout(width="180px")),
                "impact": w.Dropdown(options=[("?", ""), *[(x, x) for x in LEVELS]],
                                     value=entry.impact, description="impact",
                                     layout=w.Layout(width="180px")),
                "concern": w.Text(value=entry.concern, placeholder="what could happen",
                                  layout=w.Layout(width="32%")),
                "mitigation": w.Text(value=entry.mitigation, placeholder="what you do about it",
                                     layout=w.Layout(width="32%")),
                "owner": w.Text(value=entry.owner, placeholder="who owns it",
                                layout=w.Layout(width="16%")),
            }

            def on_change(change, entry=entry):
                setattr(entry, change["owner"]._ms_field, change["new"])
                update()

            for name, field in fields.items():
                field._ms_field = name
                field.add_class(f"ms-risk-{entry.risk.id}-{name}")
                field.observe(on_change, names="value")
            head = w.HTML(f"<b>{html.escape(entry.risk.title)}</b>: "
                          f"{html.escape(entry.risk.question)}")
            rows.append(w.VBox([head, w.HBox([fields["likelihood"], fields["impact"]]),
                                w.HBox([fields["concern"], fields["mitigation"],
                                        fields["owner"]])]))
        button = w.Button(description="Write to card", icon="pencil", disabled=editor is None,
                          tooltip="Write the register into the card's 'Bias, Risks, and "
                                  "Limitations' section")
        button.on_click(lambda _: self.write_to(editor, section_id))
        update()
        return w.VBox([*rows, button, preview])
