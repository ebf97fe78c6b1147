"""One thing a card check found: what is wrong, how bad, and how to fix it.

Every check in :mod:`modelshare.card` returns a list of :class:`Finding`.
``id`` is stable (tests, CI gates and the editor widget key on it);
``section`` names the card section it points at (``None`` for the card as a
whole or its YAML metadata).

Example:
    >>> f = Finding("license-unknown", "error", "license 'apache2' is not a Hub id.",
    ...             "Use 'apache-2.0'.", section=None)
    >>> f.severity
    'error'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """A problem (or hint) found in a card."""

    id: str
    severity: str
    message: str
    fix: str
    section: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, got {self.severity!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    def line(self) -> str:
        """One printable line, e.g. ``error  license-unknown: ... Fix: ...``."""
        where = f" [{self.section}]" if self.section else ""
        return f"{self.severity:<7} {self.id}{where}: {self.message} Fix: {self.fix}"
