"""The course's running example: an income classifier on GSS survey answers.

One model travels through the course: trained on 1974-1989 here, documented
in lessons 03-04, released in lesson 05, and met with later years in lessons 07-08
(07 sees and detects the shift, 08 retrains on 2006-12 answers and documents it).
Every lesson builds it with these functions, so it is the same model each time.

    >>> from modelshare import data, example
    >>> frame = data.gss_wages()                                  # doctest: +SKIP
    >>> split = example.training_split(frame)                     # doctest: +SKIP
    >>> model = example.income_pipeline().fit(split.X_train, split.y_train)   # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from modelshare import data

TRAINING_YEARS = (1974, 1989)
SEED = 0
TEST_SIZE = 0.25


def income_pipeline() -> Pipeline:
    """Standardise the numbers, one-hot encode the categories, then a logistic regression."""
    preprocess = ColumnTransformer(
        [
            ("numeric", StandardScaler(), data.NUMERIC_FEATURES),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), data.CATEGORICAL_FEATURES),
        ]
    )
    return Pipeline([("preprocess", preprocess), ("classifier", LogisticRegression(max_iter=1000))])


def working_age(frame: pd.DataFrame, low: int = 18, high: int = 75) -> pd.DataFrame:
    """The outlier filter: keep answers from people aged ``low`` to ``high``."""
    return frame[(frame["age"] >= low) & (frame["age"] <= high)].reset_index(drop=True)


@dataclass
class Split:
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series


def training_split(frame: pd.DataFrame, years: tuple[int, int] = TRAINING_YEARS) -> Split:
    """Filter, select the training years and split 75/25, stratified, with a fixed seed."""
    X, y = data.income_task(working_age(frame), years=years)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, random_state=SEED, stratify=y
    )
    return Split(X_train, X_test, y_train, y_test)


# -- what the course team wrote about the running example (lesson 04) -------------------
# Autofill cannot write these: they are judgements and facts only people know. Lesson 04
# writes a few of them by hand and takes the rest from here; open this file to read them.

CARD_SECTIONS: dict[str, str] = {
    "summary": (
        "A logistic regression that guesses whether a US adult's yearly income is above 25,000 "
        "(1986 dollars) from eight survey answers. It was made to teach how to document and share "
        "a model, not to make decisions about anyone."),
    "uses": (
        "Teaching and self-study: learners inspect, document, release and stress-test it in the "
        "course 'Sharing Models Responsibly'. Researchers may use it as a small, fully documented "
        "baseline for studying how a model trained on one period behaves on later ones."),
    "out_of_scope": (
        "- Any decision about a real person (pay, credit, hiring, benefits): it is a teaching model "
        "and it misses most high-earning women.\n"
        "- Anyone surveyed after 1989, or outside the United States: the model has never seen them, "
        "and lesson 07 shows its accuracy changes on later years.\n"
        "- Guessing the income of people who were not working: the training rows only include "
        "people with a recorded income."),
    "details": (
        "- **Developed by:** the course team of 'Sharing Models Responsibly'\n"
        "- **Model type:** scikit-learn Pipeline: scaling and one-hot encoding, then LogisticRegression\n"
        "- **Version and date:** 1.0, trained on GSS years 1974-1989\n"
        "- **Licence:** MIT for the model; the data keep their own terms (see Training Data)"),
    "get_started": (
        "```python\nimport skops.io as sio\n"
        "model = sio.load('gss-income.skops', trusted=sio.get_untrusted_types(file='gss-income.skops'))\n"
        "print(model.predict_proba(X)[:, 1])  # X: a DataFrame with the eight feature columns\n```\n"
        "Check the types `get_untrusted_types` lists before you trust them."),
    "weights": (
        "`gss-income.skops`, saved with skops: loading it runs no code, unlike a pickle. Lesson 05 "
        "publishes it with its size and sha256 so that a download can be checked."),
    "ethics": (
        "The data describe real people who answered a voluntary, anonymised survey; they did not "
        "agree to this model. We checked results by gender and found the model misses most "
        "high-earning women, so it must not inform any decision about a person."),
    "shift": (
        "Trained on 1974-1989 only. Jobs, education and pay changed since; a rising share of women "
        "in high-paid jobs makes the gender gap above worse. Re-evaluate on recent years before any "
        "new use, and watch the share of predicted high incomes over time."),
    "environmental_impact": (
        "Trained in a few seconds at most on one laptop CPU core; we did not measure energy, and "
        "the footprint is negligible next to the laptop's idle use."),
    "contact": "Open an issue in the course repository; the course team reads them.",
    "acknowledgements": (
        "NORC at the University of Chicago collected the GSS with funding from the US National "
        "Science Foundation."),
}

# Facts autofill leaves as placeholders ("- **label:** [More Information Needed]").
CARD_FACTS: dict[str, str] = {
    "Train/test split": (
        f"{1 - TEST_SIZE:.0%} / {TEST_SIZE:.0%}, stratified by the target, `random_state={SEED}`"),
    "Rows removed (outliers, missing values)": (
        "answers with any missing value; people younger than 18 or older than 75"),
    "How the settings were chosen": (
        "not tuned: library defaults, with `max_iter=1000` so the solver converges; a simple model "
        "that learners can inspect"),
}

# The risk register of lesson 04: (risk id, what could happen, likelihood, impact,
# mitigation, owner) for each of the eight risks of lesson 02.
RISK_CONTEXT = (
    "Trained on answers from 1974-1989 to a US survey, with gender recorded as two categories. "
    "On the test years it finds far fewer of the women who earn above the threshold than of the "
    "men (see Evaluation).")
RISKS: list[dict[str, str]] = [
    {"risk_id": "bias", "concern": "It rarely predicts a high income for a woman, so it misses "
     "most high-earning women", "likelihood": "high", "impact": "high",
     "mitigation": "Results by gender in the card; out of scope for any decision",
     "owner": "model developer"},
    {"risk_id": "robustness", "concern": "Incomes and jobs changed after 1989; accuracy on later "
     "years differs", "likelihood": "high", "impact": "medium",
     "mitigation": "Say the years; monitor and re-evaluate (lesson 07)", "owner": "model developer"},
    {"risk_id": "misuse", "concern": "Used to guess the income of a real applicant or employee",
     "likelihood": "medium", "impact": "high",
     "mitigation": "Listed as out of scope; teaching licence note", "owner": "project organiser"},
    {"risk_id": "privacy", "concern": "A rare combination of answers could point to one "
     "respondent", "likelihood": "low", "impact": "high",
     "mitigation": "No training rows are published", "owner": "project organiser"},
    {"risk_id": "consent", "concern": "Respondents agreed to a survey, not to this model",
     "likelihood": "medium", "impact": "medium",
     "mitigation": "Teaching use only, as the GSS terms allow", "owner": "project organiser"},
    {"risk_id": "ip", "concern": "The GSS extract comes through GPL-licensed packages",
     "likelihood": "low", "impact": "medium",
     "mitigation": "Data terms and path stated; no package code in the model",
     "owner": "project organiser"},
    {"risk_id": "reproducibility", "concern": "Different package versions give different numbers",
     "likelihood": "medium", "impact": "low", "mitigation": "Environment and seed in the card",
     "owner": "model developer"},
    {"risk_id": "accountability", "concern": "Nobody answers for a decision made with it",
     "likelihood": "low", "impact": "high",
     "mitigation": "Contact given; any decision use is out of scope", "owner": "project organiser"},
]

# The short card lesson 05 releases the model with (lesson 04 wrote the full one).
RELEASE_CARD = """---
license: mit
language: en
library_name: sklearn
pipeline_tag: tabular-classification
tags:
- tabular-classification
- course
---
# GSS income classifier, 1974-1989

A logistic regression that guesses whether a US adult's yearly income is above
25,000 (1986 dollars) from eight answers to the General Social Survey. Made to
teach how to document and share a model; not for decisions about anyone.

## Training data
GSS answers from 1974-1989 (NORC), working age 18-75, complete rows only;
75% for training, 25% held out for the evaluation, stratified, seed 0.

## Limitations
Trained on the 1970s and 80s: incomes, jobs and education changed since
(lesson 07). It finds far fewer high-earning women than men.
"""
