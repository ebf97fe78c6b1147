from __future__ import annotations

import pytest

from modelshare import data


@pytest.fixture(scope="module")
def gss():
    return data.gss_wages()


def test_gss_complete_rows(gss):
    assert len(gss) == 37_185
    assert gss["year"].min() == 1974 and gss["year"].max() == 2018
    assert not gss.isna().any().any()


def test_income_task_early_years(gss):
    X, y = data.income_task(gss, years=(1974, 1989))
    assert list(X.columns) == data.NUMERIC_FEATURES + data.CATEGORICAL_FEATURES
    assert len(X) == len(y) == 12_782
    assert round(y.mean(), 3) == 0.282  # share above 25,000 (1986 dollars) in 1974-89


def test_income_task_bad_years_say_what_to_do(gss):
    with pytest.raises(ValueError, match="first year must not come after the last"):
        data.income_task(gss, years=(2000, 1990))
    with pytest.raises(ValueError, match="cover 1974-2018"):
        data.income_task(gss, years=(1900, 1950))


def test_reviews_train_and_test():
    train, test = data.fine_food_reviews()
    assert (len(train), len(test)) == (4000, 1000)
    assert set(train["label"]) == {0, 1}
    assert train["review"].str.len().min() > 0


def test_datasheets_name_licence_and_provenance():
    for sheet in (data.GSS_WAGES, data.FINE_FOOD_REVIEWS):
        text = sheet.summary()
        for word in ("licence", "collected by", "cite", "personal data"):
            assert word in text


def test_every_gss_column_has_a_meaning(gss):
    assert list(data.GSS_COLUMNS) == list(gss.columns)
    table = data.column_meanings(["occrecode", "wrkstat", "educcat"])
    assert list(table.index) == ["occrecode", "wrkstat", "educcat"]
    assert table["meaning"].str.len().min() > 10


def test_an_unknown_column_name_says_which_exist():
    with pytest.raises(KeyError, match="the extract has year, realrinc"):
        data.column_meanings(["income"])
