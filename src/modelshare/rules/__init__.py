"""Every safety and quality rule, written once and imported wherever it is needed.

- :mod:`~modelshare.rules.findings`: the one :class:`Finding` type every check reports.
- :mod:`~modelshare.rules.secrets`: what tokens, keys and passwords look like.
- :mod:`~modelshare.rules.weights`: which files are pickles (through ``picklescan``,
  what the Hugging Face Hub runs on uploads) and what a pickle would import.
- :mod:`~modelshare.rules.placeholders`: what counts as text a person wrote.

The card checker, the release scan, the card editor and the workshop hub's
``validate-yaml`` all import these, so they never disagree. This package imports
nothing else from modelshare.
"""

from modelshare.rules.findings import SEVERITIES, Finding

__all__ = ["SEVERITIES", "Finding"]
