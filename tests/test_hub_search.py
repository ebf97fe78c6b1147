"""list_models / list_datasets / list_spaces through the real client: search, filters, sort,
limit, expand, full and cardData, and downloads counted as the Hub counts them."""

from __future__ import annotations

import json
import time

import pytest
from hub_helpers import own_hub
from huggingface_hub import CommitOperationAdd, HfApi, hf_hub_download


def card(**meta) -> bytes:
    lines = "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items())
    return f"---\n{lines}---\n# A model\n".encode()


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """A hub of this module's own (every listing counts all its repos)."""
    with own_hub(tmp_path_factory.mktemp("hub-search")) as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        for name, files in [
            ("income-logreg", {"README.md": card(license="mit", library_name="sklearn",
                                                 tags=["tabular", "gss"], datasets=["gss"],
                                                 pipeline_tag="tabular-classification"),
                               "sklearn_model.joblib": b"not really a model"}),
            ("review-bert", {"README.md": card(license="apache-2.0", language=["en"]),
                             "config.json": json.dumps(
                                 {"architectures": ["BertForSequenceClassification"]}).encode()}),
            ("income-tree", {"README.md": card(license="cc-by-4.0", library_name="sklearn")}),
        ]:
            api.create_repo(f"learner/{name}")
            api.create_commit(f"learner/{name}", commit_message="release",
                              operations=[CommitOperationAdd(p, d) for p, d in files.items()])
            time.sleep(0.01)  # distinct creation times
        api.create_repo("learner/gss-extract", repo_type="dataset")
        api.upload_file(path_or_fileobj=card(license="cc0-1.0", language=["en"],
                                             task_categories=["tabular-classification"]),
                        path_in_repo="README.md", repo_id="learner/gss-extract",
                        repo_type="dataset")
        api.create_repo("learner/income-demo", repo_type="space", space_sdk="gradio")
        api.create_repo("learner/secret-model", private=True)
        cache = tmp_path_factory.mktemp("cache")
        for repo_id, filename in [("learner/review-bert", "config.json"),
                                  ("learner/income-logreg", "sklearn_model.joblib"),
                                  ("learner/income-logreg", "README.md")]:
            hf_hub_download(repo_id, filename, endpoint=hub.endpoint, token=hub.token,
                            cache_dir=cache)
        yield api


def ids(items) -> list[str]:
    return [item.id for item in items]


def test_search_author_and_visibility(api):
    assert sorted(ids(api.list_models(search="income"))) == \
        ["learner/income-logreg", "learner/income-tree"]
    assert "learner/secret-model" in ids(api.list_models(author="learner"))
    anonymous = HfApi(endpoint=api.endpoint, token=False)
    assert "learner/secret-model" not in ids(anonymous.list_models())
    assert ids(api.list_models(author="nobody")) == []


def test_filters_are_tags_libraries_licences_and_tasks(api):
    assert ids(api.list_models(filter="license:mit")) == ["learner/income-logreg"]
    assert sorted(ids(api.list_models(filter="sklearn"))) == \
        ["learner/income-logreg", "learner/income-tree"]
    assert ids(api.list_models(filter=["sklearn", "gss"])) == ["learner/income-logreg"]
    assert ids(api.list_models(filter="transformers")) == ["learner/review-bert"]
    assert ids(api.list_models(pipeline_tag="text-classification")) == ["learner/review-bert"]
    assert ids(api.list_models(trained_dataset="gss")) == ["learner/income-logreg"]
    assert ids(api.list_models(filter="no-such-tag")) == []  # not every repo
    assert ids(api.list_datasets(language="en")) == ["learner/gss-extract"]
    assert ids(api.list_datasets(task_categories="tabular-classification")) == \
        ["learner/gss-extract"]
    spaces = list(api.list_spaces(search="demo"))
    assert ids(spaces) == ["learner/income-demo"] and spaces[0].sdk == "gradio"


def test_sort_and_limit(api):
    newest = ids(api.list_models(sort="created_at"))
    assert newest[:3] == ["learner/secret-model", "learner/income-tree", "learner/review-bert"]
    assert ids(api.list_models(sort="downloads", limit=2)) == \
        ["learner/review-bert", "learner/income-logreg"]
    assert ids(api.list_models(sort="last_modified", limit=1)) == ["learner/secret-model"]


def test_downloads_are_counted_on_the_files_the_hub_counts(api):
    """config.json for a transformers model; sklearn_model.joblib for sklearn (its README
    never counts); a HEAD and the GET after it count once."""
    downloads = {m.id: m.downloads for m in api.list_models(expand=["downloads"])}
    assert downloads["learner/review-bert"] == 1
    assert downloads["learner/income-logreg"] == 1
    assert downloads["learner/income-tree"] == 0


def test_expand_full_and_card_data(api):
    [model] = api.list_models(search="income-logreg", expand=["downloads", "library_name"])
    assert model.library_name == "sklearn" and model.downloads == 1 and model.tags is None
    [model] = api.list_models(search="income-logreg", cardData=True)
    assert model.card_data.license == "mit" and model.card_data.tags == ["tabular", "gss"]
    [model] = api.list_models(search="income-logreg", full=True)
    assert {s.rfilename for s in model.siblings} == \
        {".gitattributes", "README.md", "sklearn_model.joblib"}
    assert "dataset:gss" in model.tags and "license:mit" in model.tags
    info = api.model_info("learner/review-bert", expand=["pipeline_tag"])
    assert info.pipeline_tag == "text-classification" and info.siblings is None


def test_a_bad_sort_says_which_are_allowed(api):
    import httpx2

    reply = httpx2.get(f"{api.endpoint}/api/models", params={"sort": "stars"})
    assert reply.status_code == 400 and "downloads" in reply.headers["X-Error-Message"]


def test_an_expand_value_that_is_no_property_is_refused_as_on_the_hub(api):
    """The Hub answers 400 for ``expand=["foo"]`` (huggingface_hub's own tests check it);
    the hub used to ignore it and return bare ids."""
    from huggingface_hub.errors import HfHubHTTPError

    for ask in (lambda: list(api.list_models(expand=["foo"])),
                lambda: api.model_info("learner/review-bert", expand=["foo"]),
                lambda: list(api.list_datasets(expand=["pipeline_tag"])),  # a model's property
                lambda: list(api.list_spaces(expand=["downloads"]))):
        with pytest.raises(HfHubHTTPError) as error:
            ask()
        assert error.value.response.status_code == 400
        assert "is not a property" in error.value.response.headers["X-Error-Message"]
    [dataset] = api.list_datasets(search="gss-extract", expand=["downloads", "cardData"])
    assert dataset.card_data.license == "cc0-1.0"


def test_a_listing_filter_the_hub_cannot_honour_is_refused_not_ignored(api):
    """A filter ignored in silence lists every repo as if it matched (issue 14 found it for
    tags): filters the hub cannot apply answer 400 and say why; gated is honoured (no repo
    of this hub is gated)."""
    from huggingface_hub.errors import HfHubHTTPError

    everything = ids(api.list_models())
    assert ids(api.list_models(gated=False)) == everything and everything
    assert ids(api.list_models(gated=True)) == []
    for ask in (lambda: list(api.list_models(num_parameters="min:6B")),
                lambda: list(api.list_models(inference="warm")),
                lambda: list(api.list_spaces(models="learner/income-logreg"))):
        with pytest.raises(HfHubHTTPError) as error:
            ask()
        assert error.value.response.status_code == 400
        assert "cannot list repos by" in error.value.response.headers["X-Error-Message"]
