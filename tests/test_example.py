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


def test_written_card_sections_are_real_sections_without_placeholders():
    from modelshare import card

    ids = {spec.id for spec in card.section_specs("model")}
    assert set(example.CARD_SECTIONS) <= ids
    assert not any("[More Information Needed]" in text for text in example.CARD_SECTIONS.values())


def test_card_facts_answer_the_placeholders_autofill_leaves():
    from modelshare import card

    frame = data.gss_wages()
    split = example.training_split(frame)
    model = example.income_pipeline().fit(split.X_train, split.y_train)
    fill = card.from_estimator(model)
    text = fill.sections["preprocessing"] + fill.sections["training_procedure"]
    for label in example.CARD_FACTS:
        assert f"**{label}:** [More Information Needed]" in text, label


def test_the_risk_register_of_the_running_example_is_complete():
    from modelshare.widgets import RiskRegister

    register = RiskRegister(example.RISK_CONTEXT)
    for risk in example.RISKS:
        register.assess(**risk)
    assert register.problems() == []
    assert {risk["risk_id"] for risk in example.RISKS} == set(register.entries)


def test_release_card_has_a_licence_and_no_contact_yet():
    from modelshare import card

    check = card.check_card(example.RELEASE_CARD)
    assert check.metadata["license"] == "mit"
    assert "## Contact" not in example.RELEASE_CARD  # lesson 05 adds it as version v1.1
