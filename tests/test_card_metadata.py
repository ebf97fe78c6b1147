"""Offline Hub metadata checks (modelshare.card.metadata)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources

import pytest
from huggingface_hub import EvalResult, ModelCardData
from huggingface_hub.repocard_data import eval_results_to_model_index, model_index_to_eval_results

from modelshare.card.findings import Finding
from modelshare.card.metadata import (
    check_metadata,
    check_model_index,
    hub_licenses,
    known_languages,
    library_names,
    normalise_license,
    pipeline_tags,
)

GOOD = {"license": "mit", "library_name": "sklearn", "pipeline_tag": "tabular-classification",
        "language": "en"}


def ids(findings):
    return [f.id for f in findings]


def test_good_metadata_has_no_findings():
    assert check_metadata(GOOD) == []


def test_import_stays_light():
    """The workshop hub server imports this module: no huggingface_hub, transformers or sklearn."""
    code = ("import sys, modelshare.card.metadata as m; m.check_metadata({'license': 'mit'});"
            "print([n for n in ('huggingface_hub', 'transformers', 'sklearn', 'torch', 'jinja2')"
            " if n in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reference_lists_are_shipped_as_package_data():
    data = json.loads(resources.files("modelshare.card").joinpath("data/licenses.json").read_text())
    assert "huggingface.co/docs/hub/repositories-licenses" in data["source"]
    licenses = hub_licenses()
    assert {"apache-2.0", "mit", "cc-by-4.0", "cc-by-nc-sa-4.0", "openrail++", "llama3.1",
            "gpl-3.0", "cc0-1.0", "other", "unknown"} <= licenses
    assert all(lic == lic.lower() and " " not in lic for lic in licenses)
    assert {"en", "fr", "sw", "zh", "code", "multilingual", "eng"} <= known_languages()
    assert {"tabular-classification", "text-classification", "sentence-similarity"} <= pipeline_tags()
    assert {"sklearn", "transformers", "sentence-transformers"} <= library_names()


@pytest.mark.parametrize("text, expected", [
    ("Apache License, Version 2.0", "apache-2.0"), ("MIT", "mit"), ("CC BY-NC 4.0", "cc-by-nc-4.0"),
    ("GNU GPL v3", "gpl-3.0"), ("the MIT license", "mit"),
])
def test_normalise_license(text, expected):
    assert normalise_license(text) == expected


@pytest.mark.parametrize("meta, finding", [
    ({"license": "Apache 2.0"}, "license-unknown"),
    ({"license": ["mit", "apache-2.0"]}, "license-type"),
    ({"license": 3}, "license-type"),
    ({}, "license-missing"),
    ({"license": "other"}, "license-other-unnamed"),
    ({"license": "other", "license_name": "x"}, "license-other-no-link"),
    ({"license": "mit", "license_name": "x"}, "license-name-unused"),
    ({"license": "mit", "language": "english"}, "language-invalid"),
    ({"license": "mit", "language": "qqq"}, "language-unknown"),
    ({"license": "mit", "language": {"en": 1}}, "language-type"),
    ({"license": "mit", "pipeline_tag": "tabular-clasification"}, "pipeline-tag-unknown"),
    ({"license": "mit", "library_name": "scikit-learn"}, "library-name-unknown"),
    ({"license": "mit", "library_name": ["sklearn"]}, "library-name-type"),
    ({"license": "mit", "tags": "a"}, None),
    ({"license": "mit", "tags": {"a": 1}}, "tags-type"),
    ({"license": "mit", "datasets": ["GSS wages 1974-2018"]}, "datasets-id-invalid"),
    ({"license": "mit", "base_model": "not a/valid id"}, "base-model-id-invalid"),
    ({"license": "mit", "base_model_relation": "copy", "base_model": "a/b"},
     "base-model-relation-unknown"),
    ({"license": "mit", "base_model_relation": "adapter"}, "base-model-relation-orphan"),
    ({"license": "mit", "co2_eq_emissions": "lots"}, "co2-type"),
    ({"licence": "mit"}, "metadata-key-typo"),
    ({"license": "mit", "Library_Name": "sklearn"}, "metadata-key-typo"),
])
def test_each_metadata_problem(meta, finding):
    found = ids(check_metadata({"library_name": "sklearn", **meta}
                               if "library_name" not in meta and "Library_Name" not in meta
                               else meta))
    if finding is None:
        assert not [f for f in found if f.startswith("tags")]
    else:
        assert finding in found


def test_license_fix_suggests_the_right_id():
    (finding,) = [f for f in check_metadata({"license": "Apache License 2.0", "library_name":
                                             "sklearn"}) if f.id == "license-unknown"]
    assert "`apache-2.0`" in finding.fix
    assert finding.section == "metadata" and finding.severity == "error"


def test_dataset_fields():
    meta = {"license": ["cc-by-4.0", "mit"], "size_categories": ["lots"],
            "task_categories": ["tabular-classification", "guessing"], "multilinguality": "mono"}
    found = ids(check_metadata(meta, "dataset"))
    assert "license-type" not in found  # datasets may have several licences
    assert {"size-categories-unknown", "task-category-unknown", "multilinguality-unknown"} <= set(found)
    assert "library-name-missing" not in found


def test_not_a_mapping_and_odd_values_never_raise():
    assert ids(check_metadata(["license", "mit"])) == ["metadata-not-mapping"]
    weird = {None: 1, 3: [1, 2], "license": {"a": [None]}, "model-index": "x", "language": [None]}
    assert all(isinstance(f, Finding) for f in check_metadata(weird))


def _index(**result):
    base = {"task": {"type": "tabular-classification"},
            "dataset": {"type": "custom", "name": "test rows"},
            "metrics": [{"type": "accuracy", "value": 0.8}]}
    base.update(result)
    return [{"name": "m", "results": [base]}]


def test_model_index_made_by_huggingface_hub_is_valid():
    results = [EvalResult(task_type="tabular-classification", dataset_type="custom",
                          dataset_name="test rows", metric_type="accuracy", metric_value=0.8,
                          source_name="us", source_url="https://example.org")]
    assert check_model_index(eval_results_to_model_index("m", results)) == []
    assert check_model_index(_index()) == []


@pytest.mark.parametrize("index", [
    "not a list", [], [{"name": "m"}], [{"results": []}], [{"name": "m", "results": {"a": 1}}],
    _index(task="tabular"), _index(dataset={"type": "custom"}), _index(metrics=[{"type": "acc"}]),
    _index(metrics=[{"value": 1}]), _index(metrics="accuracy"), [3],
])
def test_model_index_problems_agree_with_huggingface_hub(index):
    """What we call invalid, huggingface_hub cannot parse either (it raises or drops it)."""
    found = ids(check_model_index(index))
    assert "model-index-invalid" in found or "model-index-empty" in found
    if "model-index-invalid" in found:
        with pytest.raises(Exception):  # noqa: B017 - huggingface_hub raises several kinds
            model_index_to_eval_results(index)
        if index:  # an empty model-index is silently ignored by ModelCardData
            with pytest.raises(ValueError):
                ModelCardData(**{"model-index": index})


def test_text_metric_values_are_a_warning():
    found = check_model_index(_index(metrics=[{"type": "accuracy", "value": "high"}]))
    assert [(f.id, f.severity) for f in found] == [("model-index-value-text", "warning")]
    assert check_model_index(_index(metrics=[{"type": "wer", "value": "20.0 ± 1.2"}])) == []
