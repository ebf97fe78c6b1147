"""The course's running example: an income classifier on GSS survey answers.

One model travels through the course: trained on 1974-1989 here, documented
in lessons 03-04, released in lesson 05 and met with later years in lesson 07.
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
