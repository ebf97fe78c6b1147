"""One thing a check found: what is wrong, how bad, how to fix it, and where.

Every check in modelshare (the card checker, the release scan, the workshop hub's
metadata check) reports :class:`Finding` objects. ``id`` is stable: tests, CI gates
and the card editor key on it. ``section`` names the card section a card finding
points at; ``path`` and ``where`` name the file (and line or notebook cell) a
release finding points at.

Example:
    >>> f = Finding("license-unknown", "error", "`license: apache2` is not a Hub id.",
    ...             "Use `apache-2.0`.", section="metadata")
    >>> f.line()
    'error   license-unknown [metadata]: `license: apache2` is not a Hub id. Fix: Use `apache-2.0`.'
    >>> Finding("hf-token", "error", "A Hugging Face token (hf_ab…).", "Revoke it.",
    ...         path="train.py", where="train.py:3").line()
    'error   hf-token  train.py:3: A Hugging Face token (hf_ab…). Fix: Revoke it.'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """A problem (or a hint) with its fix; ``severity`` is error, warning or info."""

    id: str
    severity: str
    message: str
    fix: str
    section: str | None = None  # card section id (card checks)
    path: str | None = None  # file, relative to the scanned folder (release scan)
    where: str | None = None  # path plus line or notebook cell (release scan)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got "
                             f"{self.severity!r}; pick the one that says how bad it is.")

    def to_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        """One printable line: severity, id, where, message and fix."""
        if self.where:
            place = f"  {self.where}"
        elif self.section:
            place = f" [{self.section}]"
        else:
            place = ""
        return f"{self.severity:<7} {self.id}{place}: {self.message} Fix: {self.fix}"
