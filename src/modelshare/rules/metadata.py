"""Check a card's YAML metadata offline, against the values the Hugging Face Hub knows.

The Hub reads the YAML block at the top of README.md to fill the licence
badge, the language and task filters, the "trained on" links and the
evaluation leaderboard. It checks that block only when you push (and the
message can be hard to read). :func:`check_metadata` runs the same kind of
checks here, with no network and only the standard library: the workshop hub's
``validate-yaml`` and the card checker share it.

It lives in :mod:`modelshare.rules` because the workshop hub's ``validate-yaml`` runs it
too. The reference lists in ``data/`` are generated, not hand-picked:
``tools/build_reference_lists.py`` builds them from the Hub's own published data
files (hub-docs' licence table, huggingface.js' task and library lists and its
language list, the ``datasets`` library's resource files) and ISO 639-1/2/3/5 from
the ``pycountry`` package; each file records its source, commit and date.

A value of the right shape that is not in a list (a licence id added to the Hub
after the list was built, a rare ISO 639-3 code) is only a **warning** that names
the list's date; a value that cannot be right (``language: english``, ``license:
Apache 2.0``, a YAML boolean where text belongs) is an error with the fix.

Example:
    >>> findings = check_metadata({"license": "apache 2.0", "language": "english"})
    >>> sorted(f.id for f in findings)
    ['language-invalid', 'library-name-missing', 'license-unknown']
    >>> check_metadata({"license": "mit", "language": ["en", "code"], "library_name": "sklearn"})
    []
    >>> [f.message for f in check_metadata({"license": "mit", "library_name": "sklearn",
    ...                                      "language": ["en", False]}, yaml_text="language: [en, no]")]
    ['`language` item `no` was read by YAML as the boolean false, not as the text "no".']
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from numbers import Number
from typing import Any

import yaml

from modelshare.rules.findings import Finding

SECTION = "metadata"

# Keys the Hub gives a meaning to (hub-docs modelcard.md and datasetcard.md);
# anything else is kept but unused.
MODEL_KEYS = (
    "language", "license", "license_name", "license_link", "library_name", "tags", "datasets",
    "metrics", "base_model", "base_model_relation", "new_version", "pipeline_tag", "model-index",
    "co2_eq_emissions", "widget", "thumbnail", "inference", "extra_gated_prompt",
    "extra_gated_fields", "extra_gated_heading", "extra_gated_description",
    "extra_gated_button_content", "model_name",
)
DATASET_KEYS = (
    "language", "license", "license_name", "license_link", "license_details",
    "annotations_creators", "language_creators", "multilinguality", "size_categories",
    "source_datasets", "task_categories", "task_ids", "paperswithcode_id", "pretty_name",
    "train-eval-index", "config_names", "configs", "dataset_info", "tags", "viewer",
    "extra_gated_prompt", "extra_gated_fields", "language_details", "language_bcp47",
)
BASE_MODEL_RELATIONS = ("adapter", "merge", "quantized", "finetune")

_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.+_-]*$")  # the shape of a Hub licence or task id
_CUSTOM_TASK_ID = re.compile(r"^[a-z0-9-]+-other-[a-z0-9-]+$")
_REPO_ID_RE = re.compile(r"^(?:[\w.-]+/)?[\w.-]+$")


@cache
def _data(name: str) -> dict:
    return json.loads(resources.files("modelshare.rules").joinpath("data", name).read_text("utf-8"))


def list_date(name: str) -> str:
    """The commit date of a reference list's source, e.g. ``list_date("licenses")``."""
    return _data(f"{name}.json")["date"]


@cache
def hub_licenses() -> frozenset[str]:
    """The Hub's licence ids, e.g. ``'apache-2.0'``, ``'cc-by-4.0'``, ``'other'``."""
    return frozenset(_data("licenses.json")["values"])


@cache
def known_languages() -> frozenset[str]:
    """ISO 639-1/2/3/5 codes, the Hub's language list and its special values (code, ...)."""
    data = _data("languages.json")
    parts = ("iso639_1", "iso639_2", "iso639_3", "iso639_5", "hub", "datasets", "special")
    return frozenset(code for part in parts for code in data[part])


@cache
def pipeline_tags() -> frozenset[str]:
    return frozenset(_data("pipeline_tags.json")["values"])


@cache
def task_ids() -> frozenset[str]:
    return frozenset(_data("task_ids.json")["values"])


@cache
def library_names() -> frozenset[str]:
    return frozenset(_data("library_names.json")["values"])


_DATASET_LISTS = _data("dataset_lists.json")
SIZE_CATEGORIES = tuple(_DATASET_LISTS["size_categories"])
ANNOTATIONS_CREATORS = tuple(_DATASET_LISTS["annotations_creators"])
LANGUAGE_CREATORS = tuple(_DATASET_LISTS["language_creators"])
MULTILINGUALITY = tuple(_DATASET_LISTS["multilinguality"])


@dataclass(frozen=True)
class Trap:
    """A plain YAML word read as something else: ``no`` -> False, ``1.10`` -> 1.1."""

    path: str  # "language[1]"
    text: str  # as written: "no"
    kind: str  # "boolean", "number", "date" or "null"
    line: int  # 1-based line of the card (the block starts after the opening ---)

    @property
    def value(self) -> Any:
        return yaml.safe_load(self.text)


_KINDS = {"tag:yaml.org,2002:bool": "boolean", "tag:yaml.org,2002:int": "number",
          "tag:yaml.org,2002:float": "number", "tag:yaml.org,2002:null": "null",
          "tag:yaml.org,2002:timestamp": "date"}


def scalar_traps(yaml_text: str) -> list[Trap]:
    """Unquoted scalars that YAML turns into booleans, numbers, dates or null.

    Only called when a check finds a non-string where a string belongs, to say which
    word it was and on which line (parsing keeps no source text).
    """
    try:
        root = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return []
    traps: list[Trap] = []

    def walk(node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else str(key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{path}[{i}]")
        elif isinstance(node, yaml.ScalarNode) and node.style is None and node.tag in _KINDS:
            traps.append(Trap(path, node.value, _KINDS[node.tag], node.start_mark.line + 2))

    if root is not None:
        walk(root, "")
    return traps


def _f(id: str, severity: str, message: str, fix: str) -> Finding:
    return Finding(id, severity, message, fix, SECTION)


def _closest(value: str, options) -> str | None:
    match = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.6)
    return match[0] if match else None


class _Strings:
    """Read a key that holds a string or a list of strings, reporting what is not a string.

    A YAML word read as another type (``no`` -> False) gets a finding that names the word
    as written (from the YAML text, when given) and how to quote it; checking then goes on
    with the other items, so a real problem later in the list is still reported.
    """

    def __init__(self, yaml_text: str | None):
        self.yaml_text = yaml_text
        self._traps: dict[str, Any] | None = None

    def _written(self, path: str) -> Any:
        if self._traps is None:
            self._traps = {t.path: t for t in scalar_traps(self.yaml_text)} if self.yaml_text else {}
        return self._traps.get(path)

    def read(self, meta: dict, key: str, out: list[Finding], many: bool = True) -> list[str]:
        value = meta.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        items = value if isinstance(value, list) and many else None
        if items is None and not isinstance(value, bool | Number):
            kind = "a list" if isinstance(value, list) else f"a {type(value).__name__}"
            out.append(_f(f"{key.replace('_', '-')}-type", "error",
                          f"`{key}` must be {'a string or a list of strings' if many else 'one string'}; "
                          f"found {kind} ({value!r:.60}).",
                          f"Write e.g. `{key}: value`" + (" or a list, one `- value` per line."
                                                         if many else ".")))
            return []
        strings = []
        for i, item in enumerate(items if items is not None else [value]):
            if isinstance(item, str):
                strings.append(item)
                continue
            path = f"{key}[{i}]" if items is not None else key
            trap = self._written(path)
            if trap is not None or item is None or isinstance(item, bool | Number):
                shown = {True: "true", False: "false", None: "null"}.get(item, item)
                written = trap.text if trap is not None else shown
                kind = trap.kind if trap is not None else (
                    "null" if item is None else "boolean" if isinstance(item, bool) else "number")
                what = f"the {kind} {shown}" if kind != "null" else "null (nothing)"
                line = f" (line {trap.line})" if trap is not None else ""
                out.append(_f(
                    "yaml-type-trap", "error",
                    f"`{key}`{' item' if items is not None else ''} `{written}` was read by YAML "
                    f"as {what}, not as the text \"{written}\".",
                    f"Quote it: `'{written}'`{line}. Unquoted YAML reads no/yes/on/off as booleans, "
                    "1.10 as the number 1.1 and 2020-01-02 as a date."))
            else:
                out.append(_f(
                    f"{key.replace('_', '-')}-type", "error",
                    f"`{key}` holds a {type(item).__name__} ({item!r:.40}) where text belongs.",
                    "Write each value as text on its own `- value` line."))
        return strings


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
               "mpl-2": "mpl-2.0", "cc-by-sa-4": "cc-by-sa-4.0", "cc-by-nc-4": "cc-by-nc-4.0",
               "cc-by-4": "cc-by-4.0", "bsd-3": "bsd-3-clause", "mit-license": "mit",
               "public-domain": "cc0-1.0", "cc0": "cc0-1.0"}
    return aliases.get(t, t)


def _check_license(meta: dict, repo_type: str, strings: _Strings) -> list[Finding]:
    out: list[Finding] = []
    value = meta.get("license")
    if value is None or value == "":
        return [_f(
            "license-missing", "warning",
            "No `license` in the metadata: nobody can tell on what terms they may reuse this.",
            "Add `license: <id>` using an id from the Hub's licence list (e.g. apache-2.0, mit, "
            "cc-by-4.0), or `license: other` with `license_name` and `license_link`.",
        )]
    if repo_type == "model" and isinstance(value, list) and len(value) != 1:
        return [_f(
            "license-type", "error",
            f"`license` must be one licence id for a model; found a list ({value!r:.60}).",
            "Write a single id such as `license: apache-2.0`; explain dual licensing in the text.",
        )]
    values = strings.read(meta, "license", out, many=repo_type != "model" or isinstance(value, list))
    known = hub_licenses()
    for lic in values:
        if lic in known:
            continue
        guess = normalise_license(lic)
        guess = guess if guess in known else _closest(guess, known)
        hint = f"Did you mean `{guess}`? " if guess else ""
        if _ID_RE.match(lic):  # the shape of an id: maybe one added after our list was built
            out.append(_f(
                "license-unknown", "warning",
                f"`license: {lic}` is not in the Hub's licence list as of {list_date('licenses')}; "
                "the Hub refuses ids it does not know.",
                f"{hint}Check https://huggingface.co/docs/hub/repositories-licenses; if it is not "
                "there, use `license: other` with `license_name` and `license_link`.",
            ))
        else:
            out.append(_f(
                "license-unknown", "error",
                f"`license: {lic}` is not a licence id (ids are lower case without spaces, e.g. "
                "apache-2.0).",
                f"{hint}Pick an id from https://huggingface.co/docs/hub/repositories-licenses, or "
                "use `license: other` with `license_name` and `license_link`.",
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


def _check_language(meta: dict, strings: _Strings) -> list[Finding]:
    out: list[Finding] = []
    known = known_languages()
    names = _data("languages.json")["names"]
    for code in strings.read(meta, "language", out):
        if code in known:  # the special values (code, multilingual) first: not ISO shapes
            continue
        base = re.split(r"[-_]", code, maxsplit=1)[0]
        if _LANG_RE.match(code):
            if base not in known:
                out.append(_f(
                    "language-unknown", "warning",
                    f"`language: {code}` is not an ISO 639 code nor on the Hub's language list "
                    f"(lists of {list_date('languages')}).",
                    "Check the code at https://iso639-3.sil.org (retired codes are not listed); "
                    "if it is right, ignore this warning.",
                ))
            continue
        words = [w.strip().lower() for w in re.split(r"[,;/]| and ", code) if w.strip()]
        guesses = [names.get(w) for w in words]
        hint = (f"Did you mean `{'`, `'.join(guesses)}`? " if guesses and all(guesses) else "")
        several = " one per line in a list," if len(words) > 1 else ""
        out.append(_f(
            "language-invalid", "error",
            f"`language: {code}` is not a language code (the Hub wants ISO 639 codes like `en`).",
            f"{hint}Give the ISO 639-1 or 639-3 code{several} (English: en, French: fr, "
            "Swahili: sw), `code` for programming languages or `multilingual`.",
        ))
    return out


def _check_ids(meta: dict, key: str, what: str, strings: _Strings) -> list[Finding]:
    out: list[Finding] = []
    for v in strings.read(meta, key, out):
        if not _REPO_ID_RE.match(v):
            out.append(_f(
                f"{key.replace('_', '-')}-id-invalid", "warning",
                f"`{key}` entry {v[:60]!r} does not look like a Hub {what} id (`owner/name`), so "
                "the Hub cannot link it.",
                f"Use the {what}'s Hub id (e.g. `stevedata/gss_wages`); describe a {what} that "
                "is not on the Hub in the card text instead.",
            ))
    return out


def _check_listed(meta: dict, key: str, listed: frozenset[str], list_name: str, what: str,
                  strings: _Strings, many: bool = True, fid: str | None = None) -> list[Finding]:
    """Values from a Hub list: a well-formed unlisted one is a warning naming the list date."""
    out: list[Finding] = []
    for value in strings.read(meta, key, out, many=many):
        if value in listed:
            continue
        guess = _closest(value.lower(), listed)
        hint = f"Did you mean `{guess}`? " if guess else ""
        fid = fid or f"{key.replace('_', '-')}-unknown"
        if _ID_RE.match(value):
            out.append(_f(fid, "warning",
                          f"`{key}: {value}` is not in the Hub's list of {what} as of "
                          f"{list_date(list_name)}.",
                          f"{hint}If it is new on the Hub, ignore this warning."))
        else:
            out.append(_f(fid, "error",
                          f"`{key}: {value}` is not a {what[:-1]} id (ids are lower case, with "
                          "dashes, e.g. tabular-classification).",
                          f"{hint}Use an id from the Hub's list."))
    return out


def _check_model_fields(meta: dict, strings: _Strings) -> list[Finding]:
    out: list[Finding] = []
    out += _check_listed(meta, "pipeline_tag", pipeline_tags(), "pipeline_tags", "tasks",
                         strings, many=False)
    lib = meta.get("library_name")
    if lib is None:
        out.append(_f(
            "library-name-missing", "warning",
            "No `library_name`: the Hub cannot show how to load the model.",
            "Add e.g. `library_name: sklearn` (scikit-learn), `transformers` or "
            "`sentence-transformers`.",
        ))
    for name in strings.read(meta, "library_name", out, many=False):
        libraries = library_names()
        if name in libraries:
            continue
        by_case = {n.lower(): n for n in libraries}
        alias = {"scikit-learn": "sklearn", "pytorch": "transformers", "torch": "transformers"}
        guess = by_case.get(name.lower()) or alias.get(name.lower()) or _closest(name.lower(), by_case)
        guess = by_case.get(guess, guess)
        out.append(_f(
            "library-name-unknown", "warning",
            f"`library_name: {name}` is not in the Hub's list of libraries as of "
            f"{list_date('library_names')}.",
            (f"Did you mean `{guess}`? " if guess else "")
            + "Check https://huggingface.co/docs/hub/models-libraries; ignore this if it is a new one.",
        ))
    out += _check_ids(meta, "base_model", "model", strings)
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


def _enum(meta: dict, key: str, allowed: tuple[str, ...], strings: _Strings) -> list[Finding]:
    out: list[Finding] = []
    for v in strings.read(meta, key, out):
        if v not in allowed:
            out.append(_f(
                f"{key.replace('_', '-')}-unknown", "error",
                f"`{key}` value {v!r} is not one the Hub knows.",
                f"Use one of: {', '.join(allowed)}.",
            ))
    return out


def _check_dataset_fields(meta: dict, strings: _Strings) -> list[Finding]:
    out = _enum(meta, "size_categories", SIZE_CATEGORIES, strings)
    out += _enum(meta, "annotations_creators", ANNOTATIONS_CREATORS, strings)
    out += _enum(meta, "language_creators", LANGUAGE_CREATORS, strings)
    out += _enum(meta, "multilinguality", MULTILINGUALITY, strings)
    out += _check_listed(meta, "task_categories", pipeline_tags(), "pipeline_tags", "tasks",
                         strings, fid="task-category-unknown")
    # "<task>-other-<name>" is the datasets library's documented form for a subtask of your own
    custom = {t for t in strings.read(meta, "task_ids", []) if _CUSTOM_TASK_ID.match(t)}
    out += _check_listed(meta, "task_ids", task_ids() | custom, "task_ids", "subtasks", strings,
                         fid="task-id-unknown")
    strings.read(meta, "source_datasets", out)
    if meta.get("pretty_name") is not None and not isinstance(meta.get("pretty_name"), str):
        strings.read(meta, "pretty_name", out, many=False)
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


def check_metadata(meta: dict, repo_type: str = "model", yaml_text: str | None = None
                   ) -> list[Finding]:
    """Check card metadata (the parsed YAML block) offline; return findings, never raise.

    ``repo_type`` is ``"model"`` or ``"dataset"`` (anything else gets only the
    common checks: licence, language, tags). ``yaml_text``, when given, lets a
    finding quote a YAML word as it was written (``no``, not ``False``).

    >>> [(f.id, f.severity) for f in check_metadata({"license": "mit", "library_name": "sklearn",
    ...                                               "pipeline_tag": "tabular-clasification"})]
    [('pipeline-tag-unknown', 'warning')]
    """
    if not isinstance(meta, dict):
        return [_f(
            "metadata-not-mapping", "error",
            f"The metadata block is a {type(meta).__name__}, not a set of `key: value` lines.",
            "Start the card with `---`, then lines like `license: mit`, then `---`.",
        )]
    strings = _Strings(yaml_text)
    try:
        out = _check_keys(meta, MODEL_KEYS if repo_type == "model" else DATASET_KEYS)
        out += _check_license(meta, repo_type, strings)
        out += _check_language(meta, strings)
        strings.read(meta, "tags", out)
        strings.read(meta, "metrics", out)
        if repo_type == "model":
            out += _check_ids(meta, "datasets", "dataset", strings)
            out += _check_model_fields(meta, strings)
        elif repo_type == "dataset":
            out += _check_dataset_fields(meta, strings)
        return out
    except Exception as error:  # noqa: BLE001 - a check must never crash its caller (a server, the CLI)
        return [_f(
            "metadata-check-failed", "error",
            f"The metadata could not be checked ({type(error).__name__}: {error}).",
            "Report this card to the course maintainers; meanwhile check the YAML by hand.",
        )]
