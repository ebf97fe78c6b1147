"""The card checks' :class:`Finding` is the one in :mod:`modelshare.rules.findings`."""

from modelshare.rules.findings import SEVERITIES, Finding

__all__ = ["SEVERITIES", "Finding"]
