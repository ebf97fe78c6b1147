from __future__ import annotations

from modelshare import data, example


def test_running_example_trains_and_loses_accuracy_on_later_years():
    frame = data.gss_wages()
    split = example.training_split(frame)
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    early = model.score(split.X_test, split.y_test)
    X_late, y_late = data.income_task(example.working_age(frame), years=(2014, 2018))
    late = model.score(X_late, y_late)
    assert round(early, 3) == 0.804
    assert round(late, 3) == 0.763
    assert early - late > 0.03


def test_working_age_filter_drops_out_of_range_ages():
    frame = data.gss_wages()
    kept = example.working_age(frame)
    assert kept["age"].between(18, 75).all()
    assert len(kept) < len(frame)
