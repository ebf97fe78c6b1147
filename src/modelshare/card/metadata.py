"""Check a card's YAML metadata offline, against the values the Hugging Face Hub knows.

The Hub reads the YAML block at the top of README.md to fill the licence
badge, the language and task filters, the "trained on" links and the
evaluation leaderboard. It checks that block only when you push (and the
message can be hard to read). :func:`check_metadata` runs the same kind of
checks here, with no network and only the standard library: a workshop hub
server and the card checker share it.

Reference lists shipped in ``data/`` (see the notes inside each file):

- ``licenses.json``: the Hub's licence ids (https://huggingface.co/docs/hub/repositories-licenses).
- ``languages.json``: every ISO 639-1 code, a subset of ISO 639-2/3 codes, plus
  ``code`` and ``multilingual``. A three-letter code we do not list is only a warning.
- ``hub_tasks.json``: ``pipeline_tag`` values and a subset of ``library_name`` values.

Example:
    >>> findings = check_metadata({"license": "apache 2.0", "language": "english"})
    >>> sorted(f.id for f in findings)
    ['language-invalid', 'library-name-missing', 'license-unknown']
    >>> check_metadata({"license": "mit", "language": "en", "library_name": "sklearn"})
    []
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources
from numbers import Number
from typing import Any

from modelshare.card.findings import Finding

SECTION = "metadata"

# Keys the Hub gives a meaning to (notes/cards.md); anything else is kept but unused.
MODEL_KEYS = (
    "language", "license", "license_name", "license_link", "library_name", "tags", "datasets",
    "metrics", "base_model", "base_model_relation", "new_version", "pipeline_tag", "model-index",
    "co2_eq_emissions", "widget", "thumbnail", "inference", "extra_gated_prompt",
    "extra_gated_fields", "extra_gated_heading", "extra_gated_description",
    "extra_gated_button_content", "model_name",
)
DATASET_KEYS = (
    "language", "license", "license_name", "license_link", "annotations_creators",
    "language_creators", "multilinguality", "size_categories", "source_datasets",
    "task_categories", "task_ids", "paperswithcode_id", "pretty_name", "train-eval-index",
    "config_names", "configs", "dataset_info", "tags", "viewer", "extra_gated_prompt",
    "extra_gated_fields", "language_details",
)
BASE_MODEL_RELATIONS = ("adapter", "merge", "quantized", "finetune")
SIZE_CATEGORIES = (
    "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B",
    "1B<n<10B", "10B<n<100B", "100B<n<1T", "n>1T", "other",
)
ANNOTATIONS_CREATORS = (
    "found", "crowdsourced", "expert-generated", "machine-generated", "no-annotation", "other",
)
LANGUAGE_CREATORS = ("found", "crowdsourced", "expert-generated", "machine-generated", "other")
MULTILINGUALITY = ("monolingual", "multilingual", "translation", "other")

_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_REPO_ID_RE = re.compile(r"^(?:[\w.-]+/)?[\w.-]+$")


@cache
def _data(name: str) -> dict:
    return json.loads(resources.files("modelshare.card").joinpath("data", name).read_text("utf-8"))


@cache
def hub_licenses() -> frozenset[str]:
    """The Hub's licence ids, e.g. ``'apache-2.0'``, ``'cc-by-4.0'``, ``'other'``."""
    return frozenset(_data("licenses.json")["licenses"])


@cache
def known_languages() -> frozenset[str]:
    data = _data("languages.json")
    return frozenset(data["iso639_1"] + data["iso639_3_subset"] + data["special"])


@cache
def pipeline_tags() -> frozenset[str]:
    return frozenset(_data("hub_tasks.json")["pipeline_tags"])


@cache
def library_names() -> frozenset[str]:
    return frozenset(_data("hub_tasks.json")["library_names"])


def _f(id: str, severity: str, message: str, fix: str) -> Finding:
    return Finding(id, severity, message, fix, SECTION)


def _closest(value: str, options) -> str | None:
    match = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


def _as_list(value: Any) -> list | None:
    """A string or a list of strings as a list; None when it is neither."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def normalise_license(text: str) -> str:
    """'Apache License 2.0' -> 'apache-2.0'; best effort, used for suggestions."""
    t = re.sub(r"[^a-z0-9.+ -]", " ", text.strip().lower())
    t = re.sub(r"\blicen[cs]e\b|\bversion\b|\bv(?=\d)", " ", t)
    t = re.sub(r"creative commons|\bcc\b", "cc", t)
    t = re.sub(r"[\s_]+", "-", t.strip())
    t = re.sub(r"-+", "-", t).strip("-")
    t = re.sub(r"^(the-)?(gnu-)?", "", t)
    aliases = {"apache-2": "apache-2.0", "apache": "apache-2.0", "gpl-3": "gpl-3.0",
               "gplv3": "gpl-3.0", "gpl-2": "gpl-2.0", "agpl-3": "agpl-3.0", "lgpl-3": "lgpl-3.0",
               "mpl-2": "mpl-2.0", "cc-by-sa-4": "cc-by-sa-4.0", "cc-by-nc-4": "cc-by-nc-4.0", "cc-by-4": "cc-by-4.0", "bsd-3": "bsd-3-clause",
               "mit-license": "mit", "public-domain": "cc0-1.0", "cc0": "cc0-1.0"}
    return aliases.get(t, t)


def _check_license(meta: dict, repo_type: str) -> list[Finding]:
    out: list[Finding] = []
    value = meta.get("license")
    if value is None or value == "":
        return [_f(
            "license-missing", "warning",
            "No `license` in the metadata: nobody can tell on what terms they may reuse this.",
            "Add `license: <id>` using an id from the Hub's licence list (e.g. apache-2.0, mit, "
            "cc-by-4.0), or `license: other` with `license_name` and `license_link`.",
        )]
    values = _as_list(value)
    if values is None or (repo_type == "model" and isinstance(value, list) and len(value) != 1):
        return [_f(
            "license-type", "error",
            f"`license` must be one licence id (a string); found {type(value).__name__} {value!r:.60}.",
            "Write a single id such as `license: apache-2.0`; explain dual licensing in the text.",
        )]
    known = hub_licenses()
    for lic in values:
        if lic in known:
            continue
        guess = normalise_license(lic)
        guess = guess if guess in known else _closest(guess, known)
        hint = f"Did you mean `{guess}`? " if guess else ""
        out.append(_f(
            "license-unknown", "error",
            f"`license: {lic}` is not a licence id the Hub knows (ids are lower case, e.g. apache-2.0).",
            f"{hint}Pick an id from https://huggingface.co/docs/hub/repositories-licenses, or use "
            "`license: other` with `license_name` and `license_link`.",
        ))
    if "other" in values and not meta.get("license_name"):
        out.append(_f(
            "license-other-unnamed", "warning",
            "`license: other` without a `license_name`: the Hub cannot show which licence applies.",
            "Add `license_name: <short-id>` and `license_link: LICENSE` (a file in the repo or a URL).",
        ))
    if "other" in values and not meta.get("license_link"):
        out.append(_f(
            "license-other-no-link", "warning",
            "`license: other` without a `license_link`: readers cannot find the licence text.",
            "Add `license_link: LICENSE` and commit the licence text next to the card, or give a URL.",
        ))
    if meta.get("license_name") and "other" not in values:
        out.append(_f(
            "license-name-unused", "info",
            f"`license_name` is set but `license` is `{value}`: the Hub only reads license_name "
            "with `license: other`.",
            "Remove `license_name`/`license_link`, or set `license: other` if the licence is custom.",
        ))
    return out


def _check_language(meta: dict) -> list[Finding]:
    value = meta.get("language")
    if value is None:
        return []
    values = _as_list(value)
    if values is None:
        return [_f(
            "language-type", "error",
            f"`language` must be a code or a list of codes; found {type(value).__name__}.",
            "Write e.g. `language: en` or `language: [en, fr]`.",
        )]
    out = []
    known = known_languages()
    for code in values:
        base = re.split(r"[-_]", code, maxsplit=1)[0]
        if not _LANG_RE.match(code):
            out.append(_f(
                "language-invalid", "error",
                f"`language: {code}` is not a language code (the Hub wants ISO 639 codes like `en`).",
                "Use the two- or three-letter ISO 639 code (English: en, French: fr, Swahili: sw), "
                "`code` for programming languages or `multilingual`.",
            ))
        elif base not in known:
            out.append(_f(
                "language-unknown", "warning",
                f"`language: {code}` is not in our list of ISO 639 codes.",
                "Check the code at https://iso639-3.sil.org; if it is right, ignore this warning.",
            ))
    return out


def _check_ids(meta: dict, key: str, what: str) -> list[Finding]:
    value = meta.get(key)
    if value is None:
        return []
    values = _as_list(value)
    if values is None:
        return [_f(
            f"{key.replace('_', '-')}-type", "error",
            f"`{key}` must be a {what} id or a list of them; found {type(value).__name__}.",
            f"Write e.g. `{key}: [owner/name]`.",
        )]
    bad = [v for v in values if not _REPO_ID_RE.match(v)]
    return [
        _f(
            f"{key.replace('_', '-')}-id-invalid", "warning",
            f"`{key}` entry {v!r:.60} does not look like a Hub {what} id (`owner/name`), so the "
            "Hub cannot link it.",
            f"Use the {what}'s Hub id (e.g. `stevedata/gss_wages`); describe data that is not on "
            "the Hub in the card text instead.",
        )
        for v in bad
    ]


def _check_strings(meta: dict, key: str) -> list[Finding]:
    value = meta.get(key)
    if value is None or _as_list(value) is not None:
        return []
    return [_f(
        f"{key.replace('_', '-')}-type", "error",
        f"`{key}` must be a string or a list of strings; found {type(value).__name__}.",
        f"Write `{key}:` followed by a list, one item per line starting with `- `.",
    )]


def _check_model_fields(meta: dict) -> list[Finding]:
    out: list[Finding] = []
    tag = meta.get("pipeline_tag")
    if tag is not None and (not isinstance(tag, str) or tag not in pipeline_tags()):
        guess = _closest(str(tag), pipeline_tags())
        out.append(_f(
            "pipeline-tag-unknown", "error",
            f"`pipeline_tag: {tag}` is not a task the Hub knows, so the model will not show up "
            "under any task filter.",
            (f"Did you mean `{guess}`? " if guess else "")
            + "Use a Hub task id such as tabular-classification or text-classification.",
        ))
    lib = meta.get("library_name")
    if lib is None:
        out.append(_f(
            "library-name-missing", "warning",
            "No `library_name`: the Hub cannot show how to load the model.",
            "Add e.g. `library_name: sklearn` (scikit-learn), `transformers` or "
            "`sentence-transformers`.",
        ))
    elif not isinstance(lib, str):
        out.append(_f(
            "library-name-type", "error", "`library_name` must be a string.",
            "Write e.g. `library_name: sklearn`.",
        ))
    elif lib not in library_names():
        guess = _closest(lib.lower(), library_names())
        alias = {"scikit-learn": "sklearn", "pytorch": "transformers", "torch": "transformers"}
        guess = alias.get(lib.lower(), guess)
        out.append(_f(
            "library-name-unknown", "warning",
            f"`library_name: {lib}` is not in our list of Hub libraries.",
            (f"Did you mean `{guess}`? " if guess else "")
            + "Check https://huggingface.co/docs/hub/models-libraries; ignore this if it is a new one.",
        ))
    out += _check_ids(meta, "base_model", "model")
    rel = meta.get("base_model_relation")
    if rel is not None and rel not in BASE_MODEL_RELATIONS:
        out.append(_f(
            "base-model-relation-unknown", "error",
            f"`base_model_relation: {rel}` is not one the Hub knows.",
            f"Use one of {', '.join(BASE_MODEL_RELATIONS)} (or leave it out: the Hub guesses).",
        ))
    if rel is not None and meta.get("base_model") is None:
        out.append(_f(
            "base-model-relation-orphan", "warning",
            "`base_model_relation` is set but `base_model` is not.",
            "Add `base_model: owner/name` for the model this one derives from.",
        ))
    co2 = meta.get("co2_eq_emissions")
    if co2 is not None and not (
        (isinstance(co2, Number) and not isinstance(co2, bool))
        or (isinstance(co2, dict) and isinstance(co2.get("emissions"), Number))
    ):
        out.append(_f(
            "co2-type", "error",
            "`co2_eq_emissions` must be a number (grams of CO2) or a mapping with `emissions`.",
            "Write e.g. `co2_eq_emissions: {emissions: 12.5, source: codecarbon}`.",
        ))
    if "model-index" in meta:
        out += check_model_index(meta["model-index"])
    return out


def _enum(meta: dict, key: str, allowed: tuple[str, ...]) -> list[Finding]:
    value = meta.get(key)
    if value is None:
        return []
    values = _as_list(value)
    bad = [repr(value)] if values is None else [v for v in values if v not in allowed]
    return [
        _f(
            f"{key.replace('_', '-')}-unknown", "error",
            f"`{key}` value {v} is not one the Hub knows.",
            f"Use one of: {', '.join(allowed)}.",
        )
        for v in bad
    ]


def _check_dataset_fields(meta: dict) -> list[Finding]:
    out = _enum(meta, "size_categories", SIZE_CATEGORIES)
    out += _enum(meta, "annotations_creators", ANNOTATIONS_CREATORS)
    out += _enum(meta, "language_creators", LANGUAGE_CREATORS)
    out += _enum(meta, "multilinguality", MULTILINGUALITY)
    for key in ("task_categories", "task_ids", "source_datasets"):
        out += _check_strings(meta, key)
    cats = _as_list(meta.get("task_categories")) or []
    for cat in cats:
        if cat not in pipeline_tags():
            out.append(_f(
                "task-category-unknown", "warning",
                f"`task_categories: {cat}` is not a Hub task.",
                "Use a task id such as tabular-classification, text-classification or "
                "tabular-regression.",
            ))
    if meta.get("pretty_name") is not None and not isinstance(meta.get("pretty_name"), str):
        out.append(_f("pretty-name-type", "error", "`pretty_name` must be a string.",
                      "Write e.g. `pretty_name: GSS wages 1974-2018`."))
    return out


def _path(parts: list) -> str:
    return "model-index" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def check_model_index(model_index: Any) -> list[Finding]:
    """Check the ``model-index`` block: the structure huggingface_hub can parse, and value types.

    huggingface_hub drops (or refuses) a malformed model-index when it loads a
    card; this check says which entry is wrong instead.

    >>> [f.id for f in check_model_index([{"name": "m", "results": []}])]
    ['model-index-empty']
    """
    problems: list[tuple[str, str, str]] = []  # (id, path, what)

    def need(obj: Any, key: str, kind: type | tuple, parts: list) -> Any:
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            problems.append(("model-index-invalid", _path(parts + [key]), "is missing"))
        elif not isinstance(value, kind) or isinstance(value, bool):
            name = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            problems.append(
                ("model-index-invalid", _path(parts + [key]), f"should be a {name}, "
                 f"not {type(value).__name__}")
            )
            return None
        return value

    if not isinstance(model_index, list) or not model_index:
        problems.append(("model-index-invalid", "model-index", "should be a non-empty list"))
    else:
        for i, entry in enumerate(model_index):
            if not isinstance(entry, dict):
                problems.append(("model-index-invalid", _path([i]), "should be a mapping"))
                continue
            need(entry, "name", str, [i])
            results = need(entry, "results", list, [i])
            if results == []:
                problems.append(("model-index-empty", _path([i, "results"]), "is empty"))
            for j, result in enumerate(results or []):
                where = [i, "results", j]
                if not isinstance(result, dict):
                    problems.append(("model-index-invalid", _path(where), "should be a mapping"))
                    continue
                task = need(result, "task", dict, where)
                if task is not None:
                    need(task, "type", str, where + ["task"])
                dataset = need(result, "dataset", dict, where)
                if dataset is not None:
                    need(dataset, "type", str, where + ["dataset"])
                    need(dataset, "name", str, where + ["dataset"])
                metrics = need(result, "metrics", list, where)
                for k, metric in enumerate(metrics or []):
                    mwhere = where + ["metrics", k]
                    if not isinstance(metric, dict):
                        problems.append(("model-index-invalid", _path(mwhere), "should be a mapping"))
                        continue
                    need(metric, "type", str, mwhere)
                    value = metric.get("value")
                    if value is None:
                        problems.append(("model-index-invalid", _path(mwhere + ["value"]), "is missing"))
                    elif isinstance(value, bool) or not isinstance(value, Number | str):
                        problems.append(("model-index-invalid", _path(mwhere + ["value"]),
                                         "should be a number"))
                    elif isinstance(value, str) and not re.match(r"^\s*-?\d", value):
                        problems.append(("model-index-value-text", _path(mwhere + ["value"]),
                                         f"is text ({value!r:.40}), not a number"))
                source = result.get("source")
                if source is not None and not (isinstance(source, dict) and source.get("url")):
                    problems.append(("model-index-invalid", _path(where + ["source"]),
                                     "needs a `url` when given"))
    out = []
    for pid, where, what in problems[:10]:
        if pid == "model-index-value-text":
            out.append(_f(pid, "warning", f"`{where}` {what}.",
                          "Give the value as a number (e.g. 0.83); put the interval in the text."))
        elif pid == "model-index-empty":
            out.append(_f(pid, "warning", f"`{where}` {what}: the card shows no results.",
                          "Add at least one result, or remove the model-index block."))
        else:
            out.append(_f(
                pid, "error",
                f"`{where}` {what}: the Hub (and huggingface_hub) cannot read this model-index, so "
                "no evaluation results will show.",
                "Each result needs task.type, dataset.type, dataset.name and metrics with type and "
                "value; build it with modelshare.card.eval_results() or huggingface_hub.EvalResult.",
            ))
    if len(problems) > 10:
        out.append(_f("model-index-invalid", "error",
                      f"... and {len(problems) - 10} more model-index problems.",
                      "Fix the ones above first."))
    return out


def _check_keys(meta: dict, known: tuple[str, ...]) -> list[Finding]:
    out = []
    lowered = {k.lower().replace("_", "-"): k for k in known}
    extra = {"licence": "license", "licenses": "license", "languages": "language",
             "dataset": "datasets", "library": "library_name", "pipeline": "pipeline_tag",
             "task": "pipeline_tag", "model_index": "model-index", "basemodel": "base_model",
             "base-model": "base_model", "tag": "tags", "metric": "metrics"}
    for key in meta:
        if not isinstance(key, str):
            out.append(_f("metadata-key-type", "error", f"Metadata key {key!r} is not a string.",
                          "Quote the key or rename it."))
            continue
        if key in known:
            continue
        norm = key.lower().replace("_", "-")
        guess = extra.get(key.lower()) or lowered.get(norm)
        if guess is None:
            close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.85)
            guess = close[0] if close else None
        if guess and guess != key and guess not in meta:
            out.append(_f(
                "metadata-key-typo", "warning",
                f"Metadata key `{key}` is not one the Hub reads; it looks like `{guess}`.",
                f"Rename `{key}` to `{guess}`.",
            ))
    return out


def check_metadata(meta: dict, repo_type: str = "model") -> list[Finding]:
    """Check card metadata (the parsed YAML block) offline; return findings, never raise.

    ``repo_type`` is ``"model"`` or ``"dataset"`` (anything else gets only the
    common checks: licence, language, tags).

    >>> [f.id for f in check_metadata({"license": "mit", "library_name": "sklearn",
    ...                                "pipeline_tag": "tabular-clasification"})]
    ['pipeline-tag-unknown']
    """
    if not isinstance(meta, dict):
        return [_f(
            "metadata-not-mapping", "error",
            f"The metadata block is a {type(meta).__name__}, not a set of `key: value` lines.",
            "Start the card with `---`, then lines like `license: mit`, then `---`.",
        )]
    try:
        out = _check_keys(meta, MODEL_KEYS if repo_type == "model" else DATASET_KEYS)
        out += _check_license(meta, repo_type)
        out += _check_language(meta)
        out += _check_strings(meta, "tags")
        out += _check_strings(meta, "metrics")
        if repo_type == "model":
            out += _check_ids(meta, "datasets", "dataset")
            out += _check_model_fields(meta)
        elif repo_type == "dataset":
            out += _check_dataset_fields(meta)
        return out
    except Exception as error:  # a check must never crash the caller (a server, the CLI)
        return [_f(
            "metadata-check-failed", "error",
            f"The metadata could not be checked ({type(error).__name__}: {error}).",
            "Report this card to the course maintainers; meanwhile check the YAML by hand.",
        )]
