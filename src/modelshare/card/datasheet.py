"""Dataset cards: a datasheet (after Gebru et al.) from a :class:`modelshare.data.Datasheet`.

:func:`from_datasheet` turns the course's datasheet records into card
sections; :func:`modelshare.card.build_dataset_card` renders them and
:func:`modelshare.card.check_card` checks them (``repo_type="dataset"``).
What a datasheet record does not say (why the data were made, who maintains
them) stays a placeholder for you to fill.

Example:
    >>> from modelshare import data
    >>> fill = from_datasheet(data.GSS_WAGES)
    >>> sorted(fill.sections)[:3]
    ['citation', 'collection', 'considerations']
"""

from __future__ import annotations

from modelshare.card.autofill import Fill, from_dataframe


def from_datasheet(sheet, frame=None) -> Fill:
    """Sections of a dataset card from a Datasheet (and, if given, the DataFrame itself)."""
    fill = Fill()
    fill.sections["summary"] = sheet.description
    fill.sections["collection"] = (
        f"- **Collected by:** {sheet.collected_by}\n- **How:** {sheet.collection}\n"
        f"- **Reached us through:** {sheet.packaged_by}"
    )
    fill.sections["distribution"] = f"- **Licence:** {sheet.licence}\n- **Terms of use:** {sheet.terms}"
    issues = "\n".join(f"- {issue}" for issue in sheet.known_issues)
    fill.sections["considerations"] = (
        f"- **Personal data:** {sheet.personal_data}\n" + (issues or "- No known issues recorded.")
    )
    fill.sections["citation"] = sheet.citation
    if frame is not None:
        described = from_dataframe(frame, provenance=False)
        fill.sections["composition"] = described.sections["training_data"]
        fill.facts.update(described.facts)
        fill.metadata["size_categories"] = [_size_category(len(frame))]
    return fill


def _size_category(n: int) -> str:
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
              (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")]
    return next((label for bound, label in bounds if n < bound), "10M<n<100M")
