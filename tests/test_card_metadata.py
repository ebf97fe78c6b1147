"""Offline Hub metadata checks (modelshare.rules.metadata) and their reference lists."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml
from huggingface_hub import EvalResult, ModelCardData
from huggingface_hub.repocard_data import eval_results_to_model_index, model_index_to_eval_results

from modelshare.rules.findings import Finding
from modelshare.rules.metadata import (
    SIZE_CATEGORIES,
    check_metadata,
    check_model_index,
    hub_licenses,
    known_languages,
    library_names,
    list_date,
    normalise_license,
    pipeline_tags,
)

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"license": "mit", "library_name": "sklearn", "pipeline_tag": "tabular-classification",
        "language": "en"}


def ids(findings):
    return [f.id for f in findings]


def test_good_metadata_has_no_findings():
    assert check_metadata(GOOD) == []


def test_import_stays_light():
    """The workshop hub server imports this module: no huggingface_hub, transformers or sklearn."""
    code = ("import sys, modelshare.rules.metadata as m; m.check_metadata({'license': 'mit'});"
            "print([n for n in ('huggingface_hub', 'transformers', 'sklearn', 'torch', 'jinja2')"
            " if n in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


DATA = resources.files("modelshare.rules").joinpath("data")
# What the lists held when tools/build_reference_lists.py last ran: a rebuild that loses
# values (a wrong path, a broken parse) fails here before it reaches a learner.
MIN_SIZES = {"licenses.json": {"values": 83}, "pipeline_tags.json": {"values": 57},
             "task_ids.json": {"values": 74}, "library_names.json": {"values": 240},
             "languages.json": {"iso639_1": 184, "iso639_3": 7900, "iso639_5": 115, "hub": 8100},
             "dataset_lists.json": {"size_categories": 12, "annotations_creators": 6}}


@pytest.mark.parametrize("name", sorted(MIN_SIZES))
def test_reference_lists_record_their_source_and_did_not_shrink(name):
    data = json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))
    sources = data.get("sources") or [data]
    for source in sources:
        assert source.get("package") or (
            source["repository"].startswith("huggingface/") and len(source["commit"]) == 40)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["date"])
    for key, size in MIN_SIZES[name].items():
        assert len(data[key]) >= size, f"{name}: {key} shrank to {len(data[key])} (was {size})"
        assert len(set(data[key])) == len(data[key]), f"{name}: {key} has duplicates"


def test_reference_lists_hold_the_values_real_cards_use():
    licenses = hub_licenses()
    assert {"apache-2.0", "mit", "cc-by-4.0", "cc-by-nc-sa-4.0", "openrail++", "llama3.1",
            "gpl-3.0", "cc0-1.0", "other", "unknown"} <= licenses
    assert all(lic == lic.lower() and " " not in lic for lic in licenses)
    assert {"en", "fr", "sw", "zh", "code", "multilingual", "eng", "tdt", "als", "nqo", "sh",
            "nah"} <= known_languages()
    assert {"tabular-classification", "text-classification", "sentence-similarity"} <= pipeline_tags()
    assert {"sklearn", "transformers", "sentence-transformers", "PaddleOCR"} <= library_names()
    assert "unknown" in SIZE_CATEGORIES


def test_the_builder_refuses_to_write_a_list_that_lost_values(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    import build_reference_lists as builder

    monkeypatch.setattr(builder, "OUT", tmp_path)
    full = {"repository": "huggingface/x", "path": "p", "commit": "0" * 40, "date": "2026-01-01"}
    assert builder.write("l.json", {**full, "values": ["a", "b"]}, False) == []
    assert builder.write("l.json", {**full, "values": ["a"]}, False) == ["l.json:values:b"]
    assert json.loads((tmp_path / "l.json").read_text())["values"] == ["a", "b"]  # kept
    assert builder.write("l.json", {**full, "values": ["a"]}, True) == ["l.json:values:b"]
    assert json.loads((tmp_path / "l.json").read_text())["values"] == ["a"]


def test_well_formed_but_unlisted_values_are_warnings_that_name_the_list_date():
    meta = {"license": "h-research-2", "library_name": "brand-new-lib", "language": "qqa",
            "pipeline_tag": "text-to-smell"}
    found = {f.id: f for f in check_metadata(meta)}
    for fid, lst in (("license-unknown", "licenses"), ("library-name-unknown", "library_names"),
                     ("language-unknown", "languages"), ("pipeline-tag-unknown", "pipeline_tags")):
        assert found[fid].severity == "warning", fid
        assert list_date(lst) in found[fid].message, fid
    assert check_metadata({"license": "mit", "library_name": "sklearn",
                           "language": ["code", "multilingual", "tdt", "en-US"]}) == []


def test_yaml_traps_are_named_with_the_fix_and_checking_goes_on():
    yaml_text = "license: mit\nlibrary_name: sklearn\nlanguage:\n- en\n- no\n- english\n"
    meta = yaml.safe_load(yaml_text)
    found = check_metadata(meta, yaml_text=yaml_text)
    trap = next(f for f in found if f.id == "yaml-type-trap")
    assert "`no`" in trap.message and "boolean false" in trap.message
    assert "'no'" in trap.fix and "line 6" in trap.fix
    assert "language-invalid" in ids(found)  # the item after the trap is still checked
    assert "yaml-type-trap" in ids(check_metadata({"license": "mit", "language": [True]}))


def test_language_names_get_the_code_as_a_fix():
    (finding,) = [f for f in check_metadata({"license": "mit", "library_name": "sklearn",
                                             "language": "english, dutch"}) if f.severity == "error"]
    assert "`en`, `nl`" in finding.fix


@pytest.mark.parametrize("text, expected", [
    ("Apache License, Version 2.0", "apache-2.0"), ("MIT", "mit"), ("CC BY-NC 4.0", "cc-by-nc-4.0"),
    ("GNU GPL v3", "gpl-3.0"), ("the MIT license", "mit"),
])
def test_normalise_license(text, expected):
    assert normalise_license(text) == expected


@pytest.mark.parametrize("meta, finding", [
    ({"license": "Apache 2.0"}, "license-unknown"),
    ({"license": ["mit", "apache-2.0"]}, "license-type"),
    ({"license": 3}, "yaml-type-trap"),
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


def _git_repo(path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "GIT_AUTHOR_DATE": "2026-01-02T00:00:00",
           "GIT_COMMITTER_DATE": "2026-01-02T00:00:00", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "x"]):
        subprocess.run(["git", *args], cwd=path, check=True, env=env)
    return path


def test_the_builder_reads_the_hubs_own_file_formats(tmp_path, monkeypatch):
    """Tiny clones in the real formats: markdown table, TypeScript objects, JSON resources."""
    sys.path.insert(0, str(ROOT / "tools"))
    import build_reference_lists as builder

    docs = _git_repo(tmp_path / "hub-docs", {"docs/hub/repositories-licenses.md": (
        "<!-- region licenses -->\n| Fullname | id |\n| --- | --- |\n| Apache | `apache-2.0` |\n"
        "| MIT | `mit` | <!-- info -->\n<!-- endregion -->\n")})
    js = _git_repo(tmp_path / "js", {
        "packages/tasks/src/pipelines.ts": (
            'export const PIPELINE_DATA = {\n\t"text-classification": {\n\t\tsubtasks: [\n\t\t\t{\n'
            '\t\t\t\ttype: "fact-checking",\n\t\t\t},\n\t\t],\n\t},\n\t"fill-mask": {\n\t},\n}'),
        "packages/tasks/src/model-libraries.ts": (
            'export const MODEL_LIBRARIES_UI_ELEMENTS = {\n\tsklearn: {\n\t},\n\t"sentence-transformers": {\n'
            '\t},\n\tPaddleOCR: {\n\t},\n} satisfies X;\n'),
        "packages/languages/src/languages_iso_639_1.ts": "export const L = {\n\ten: {\n\t},\n}",
        "packages/languages/src/languages_iso_639_3.ts": "export const L = {\n\ttdt: {\n\t},\n}"})
    res = "src/datasets/utils/resources/"
    ds = _git_repo(tmp_path / "datasets", {
        res + "size_categories.json": '["unknown", "n<1K"]',
        res + "creators.json": '{"language": ["found"], "annotations": ["found", "no-annotation"]}',
        res + "multilingualities.json": '{"monolingual": "one"}',
        res + "languages.json": '{"code": "Programming language", "en": "English"}'})
    monkeypatch.setattr(builder, "OUT", tmp_path / "out")
    (tmp_path / "out").mkdir()
    assert builder.main(["--hub-docs", str(docs), "--huggingface-js", str(js),
                         "--datasets", str(ds)]) == 0
    read = lambda name: json.loads((tmp_path / "out" / name).read_text())  # noqa: E731
    assert read("licenses.json")["values"] == ["apache-2.0", "mit"]
    assert read("licenses.json")["date"] == "2026-01-02"
    assert read("pipeline_tags.json")["values"] == ["text-classification", "fill-mask"]
    assert read("task_ids.json")["values"] == ["fact-checking"]
    assert read("library_names.json")["values"] == ["sklearn", "sentence-transformers", "PaddleOCR"]
    languages = read("languages.json")
    assert languages["hub"] == ["en", "tdt"] and "code" in languages["special"]
    assert "fra" in languages["iso639_3"] and languages["names"]["french"] == "fr"
    assert read("dataset_lists.json")["size_categories"] == ["unknown", "n<1K"]
