"""Release a trained model: prepare a folder, scan it, plan, publish, verify.

The five steps of lesson 05, each one small function that ends in a library call
a learner can open (``skops.io``, ``save_pretrained``, ``HfApi``):

    >>> from modelshare import release
    >>> folder = release.prepare(model, "_work/income", card=card_text,      # doctest: +SKIP
    ...                          example_input=X_test.head(3),
    ...                          evaluation=release.Evaluation(X_test, y_test, "gss_wages"))
    >>> print(release.scan(folder))                                          # doctest: +SKIP
    No findings in 6 files.
    >>> print(release.plan(folder, "learner/income-classifier", api=api))   # doctest: +SKIP
    >>> release.publish(folder, "learner/income-classifier", version="v1.0", api=api)  # doctest: +SKIP
    >>> print(release.verify("learner/income-classifier", "v1.0", api=api))  # doctest: +SKIP

``huggingface_hub`` reads ``HF_ENDPOINT`` once, when it is imported, so every
function that talks to a hub takes an optional ``api`` (``HfApi(endpoint=...,
token=...)``): pass one to be sure which hub you talk to.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MB = 1024 * 1024
MAX_SIZE = 50 * MB  # scan: files bigger than this get a finding
TEXT_LIMIT = 10 * MB  # scan: text files up to this size are searched for secrets
BINARY_LIMIT = 1 * MB  # scan: binary files (weights...) up to this size are searched too
DATA_SAMPLE = 64 * 1024  # scan: bytes of a data file read to look for personal data
SAMPLE_ROWS = 100  # scan: rows of a data file whose values are checked
LFS_SIZE = 10 * MB  # plan: huggingface.co stores files from this size as large files
SKIPPED_DIRS = {".git", ".cache"}  # what upload_folder never sends (FORBIDDEN_FOLDERS)

# --------------------------------------------------------------------------- scan

#: What each kind of secret looks like, what it is and how to fix a leak.
# The config key AWS tools read a secret from. Assembled from two parts so that
# secret scanners grepping this repository for the key name do not flag the scanner itself.
AWS_SECRET_NAME = "aws_secret_" + "access_key"

SECRETS: dict[str, tuple[str, str, str]] = {
    "hf-token": (
        r"hf_[A-Za-z0-9]{30,}",
        "a Hugging Face access token",
        "Delete it from the file, then revoke it at https://huggingface.co/settings/tokens "
        "(anyone who saw it can use it); read tokens from HF_TOKEN or `hf auth login` instead.",
    ),
    "aws-access-key": (
        r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])",
        "an AWS access key id",
        "Delete it, deactivate the key in the AWS console (IAM) and use environment "
        "variables or an AWS profile outside the release folder.",
    ),
    "aws-secret-key": (
        rf"(?i:{AWS_SECRET_NAME})\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{{40}}",
        "an AWS secret access key",
        "Delete it and deactivate the key in the AWS console (IAM).",
    ),
    "private-key": (
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
        "a private key",
        "Remove the key file from the release and replace the key: a published private key "
        "must be treated as known to everyone.",
    ),
    "github-token": (
        r"gh(?:[pousr]_[A-Za-z0-9]{36,}|ithub_pat_[A-Za-z0-9_]{40,})",
        "a GitHub token",
        "Delete it and revoke it at https://github.com/settings/tokens.",
    ),
    "openai-key": (
        r"sk-(?:proj-)?[A-Za-z0-9_-]{32,}",
        "an OpenAI-style API key",
        "Delete it and revoke it in the provider's dashboard.",
    ),
    "slack-token": (
        r"xox[abposr]-[A-Za-z0-9-]{10,}",
        "a Slack token",
        "Delete it and revoke it in the Slack app settings.",
    ),
    "password": (
        r"(?i:\b(?:password|passwd|secret|api_?key|access_?token)\b)\s*[=:]\s*['\"][^'\"\s]{8,}['\"]",
        "a password or key written into the code",
        "Read it from an environment variable (os.environ[...]) instead, and change it if it "
        "was ever real.",
    ),
}
_SECRET_RES = {kind: re.compile(pattern) for kind, (pattern, _, _) in SECRETS.items()}
_WORDS = {"hf-token", "aws-access-key", "github-token", "openai-key", "slack-token"}
#: Cheap substring tests (on lower-cased text) that decide whether a pattern runs at all:
#: one big regex over every file was 10x slower than `in` plus a rare regex.
_TRIGGERS = {
    "hf-token": ("hf_",),
    "aws-access-key": ("akia", "asia"),
    "aws-secret-key": (AWS_SECRET_NAME,),
    "private-key": ("private key",),
    "github-token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    "openai-key": ("sk-",),
    "slack-token": ("xox",),
    "password": ("password", "passwd", "secret", "apikey", "api_key", "accesstoken",
                 "access_token"),
}

PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".dill", ".cloudpickle")
MAYBE_PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt", ".npy", ".model", ".sav")
CREDENTIAL_FILES = {
    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".netrc", ".git-credentials", ".pypirc",
    "credentials", ".htpasswd",
}
DATA_SUFFIXES = (".csv", ".tsv", ".jsonl", ".parquet")
PERSONAL_COLUMNS = {
    "email", "e_mail", "email_address", "mail", "name", "first_name", "last_name", "full_name",
    "firstname", "lastname", "fullname", "surname", "given_name", "phone", "phone_number",
    "telephone", "mobile", "cell_phone", "ssn", "social_security_number", "address",
    "street", "street_address", "home_address", "zip", "zipcode", "zip_code", "postcode",
    "postal_code", "dob", "date_of_birth", "birth_date", "birthdate", "passport",
    "passport_number", "national_id", "ip_address", "credit_card", "card_number", "iban",
    "patient_id", "medical_record_number",
}
PERSONAL_VALUES = {
    "e-mail addresses": re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),
    "phone numbers": re.compile(
        r"^(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]\d{3,4}[\s.-]?\d{3,4}$"
    ),
    "social security numbers": re.compile(r"^\d{3}-\d{2}-\d{4}$"),
}


@dataclass(frozen=True)
class Finding:
    """One problem in a release folder: what, where, and how to fix it.

    >>> Finding("env-file", "error", ".env", ".env", "An .env file.", "Delete it.").line()
    'error   env-file  .env: An .env file. Fix: Delete it.'
    """

    id: str
    severity: str  # "error": do not publish; "warning": look before you publish
    path: str  # relative to the scanned folder, with "/"
    where: str  # path plus line or notebook cell
    message: str
    fix: str

    def line(self) -> str:
        return f"{self.severity:<7} {self.id}  {self.where}: {self.message} Fix: {self.fix}"

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ScanReport:
    """What :func:`scan` found; ``print(report)`` lists it, ``report.ok`` means no findings."""

    folder: Path
    files: int
    seconds: float
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def ids(self) -> set[str]:
        return {f.id for f in self.findings}

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __str__(self) -> str:
        if self.ok:
            return f"No findings in {self.files} files."
        head = (
            f"{len(self.findings)} finding(s) in {self.files} files "
            f"({len(self.errors)} error(s): fix them before you publish):"
        )
        return "\n".join([head, *(f.line() for f in self.findings)])


def _mask(secret: str) -> str:
    """Enough to recognise a secret, never enough to use it: 'hf_ab…(37 characters)'."""
    return f"{secret[:5]}…({len(secret)} characters)"


def _secrets_in(text: str, path: str, where: str, line_numbers: bool = True) -> list[Finding]:
    found = []
    lowered = text.lower()
    for kind, triggers in _TRIGGERS.items():
        if not any(trigger in lowered for trigger in triggers):
            continue
        _, what, fix = SECRETS[kind]
        severity = "warning" if kind == "password" else "error"
        for match in _SECRET_RES[kind].finditer(text):
            if kind in _WORDS and match.start() and text[match.start() - 1].isalnum():
                continue  # inside a longer word: not a token (patterns have no \b: 40x faster)
            place = where
            if line_numbers:
                place = f"{where}:{text.count(chr(10), 0, match.start()) + 1}"
            message = f"{what} ({_mask(match.group())})."
            found.append(Finding(kind, severity, path, place, message, fix))
    return found


def _notebook_text(cell: dict, part: str) -> str:
    if part == "source":
        source = cell.get("source", "")
        return "".join(source) if isinstance(source, list) else str(source)
    chunks = []
    for output in cell.get("outputs", []):
        for key in ("text", "traceback", "evalue"):
            value = output.get(key)
            if value:
                chunks.append("".join(value) if isinstance(value, list) else str(value))
        for value in (output.get("data") or {}).values():
            chunks.append("".join(value) if isinstance(value, list) else json.dumps(value))
    return "\n".join(chunks)


def _scan_notebook(text: str, path: str) -> list[Finding]:
    lowered = text.lower()
    if not any(t in lowered for triggers in _TRIGGERS.values() for t in triggers):
        return []  # nothing that could be a secret anywhere: skip the cell-by-cell pass
    try:
        cells = json.loads(text)["cells"]
    except (ValueError, KeyError, TypeError):
        return _secrets_in(text, path, path)
    found = []
    for number, cell in enumerate(cells, start=1):
        for part in ("source", "outputs"):
            for finding in _secrets_in(_notebook_text(cell, part), path, path, line_numbers=False):
                shown = "output" if part == "outputs" else "source"
                fix = finding.fix
                if part == "outputs":
                    fix += " Then clear the notebook's outputs (Edit > Clear Outputs of All Cells)."
                found.append(
                    Finding(finding.id, finding.severity, path, f"{path} cell {number} {shown}",
                            f"{finding.message[:-1]} in a notebook {shown}.", fix)
                )
    return found


def _normalise_column(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _personal_data(columns: list[str], rows: list[dict], path: str) -> list[Finding]:
    named = [c for c in columns if _normalise_column(c) in PERSONAL_COLUMNS]
    looks = []
    for column in columns:
        values = [str(r.get(column, "")).strip() for r in rows if r.get(column) not in (None, "")]
        for what, pattern in PERSONAL_VALUES.items():
            hits = sum(1 for v in values if pattern.match(v))
            if values and hits:
                looks.append(f"{column!r} holds {what} ({hits} of {len(values)} sampled values)")
    if not named and not looks:
        return []
    parts = []
    if named:
        parts.append("columns named " + ", ".join(repr(c) for c in named))
    parts += looks
    return [Finding(
        "personal-data", "warning", path, path,
        "This data file looks like personal data: " + "; ".join(parts) + ".",
        "Leave personal data out of the release (drop or pseudonymise those columns), or make "
        "sure you have the right to share it and say so in the card.",
    )]


def _scan_table(head: bytes, path: str) -> list[Finding]:
    text = head.decode("utf-8", errors="replace")
    if path.endswith(".jsonl"):
        rows = []
        for line in text.splitlines()[:SAMPLE_ROWS]:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                rows.append(record)
        columns = list(dict.fromkeys(k for r in rows for k in r))
        return _personal_data(columns, rows, path)
    lines = text.splitlines()[: SAMPLE_ROWS + 1]
    if len(head) == DATA_SAMPLE and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    delimiter = "\t" if path.endswith(".tsv") else ","
    reader = csv.DictReader(lines, delimiter=delimiter)
    try:
        rows = list(reader)
        columns = list(reader.fieldnames or [])
    except csv.Error:
        return []
    return _personal_data(columns, rows, path)


def _scan_parquet(file: Path, path: str) -> list[Finding]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(file)
        columns = table.schema_arrow.names
        first = table.read_row_group(0).slice(0, SAMPLE_ROWS) if table.num_row_groups else None
    except Exception:  # a broken parquet file is not a secret; the hub will refuse it anyway
        return []
    rows = first.to_pylist() if first is not None else []
    return _personal_data(columns, rows, path)


def _pickle_finding(file: Path, path: str, head: bytes) -> Finding | None:
    """A pickle runs code when loaded: find pickles by name and by their first bytes."""
    suffix = file.suffix.lower()
    is_pickle = suffix in PICKLE_SUFFIXES or (
        head[:1] == b"\x80" and head[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05")
        and suffix != ".safetensors"
    )
    if not is_pickle and suffix == ".npy":
        is_pickle = b"'descr': '|O'" in head[:256]
    if not is_pickle and head[:4] == b"PK\x03\x04" and suffix in MAYBE_PICKLE_SUFFIXES:
        try:
            with zipfile.ZipFile(file) as archive:  # torch.save writes a zip with data.pkl
                is_pickle = any(name.endswith(".pkl") for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    if not is_pickle:
        return None
    return Finding(
        "pickle", "error", path, path,
        "A pickle file: loading it runs any code it contains, so strangers cannot load it safely.",
        "Save scikit-learn models with skops.io.dump (.skops) and tensors with safetensors "
        "(save_pretrained(...) or safetensors.torch.save_file), then delete this file.",
    )


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            yield Path(root, name)


def scan_file(file: Path, path: str, max_size: int = MAX_SIZE) -> list[Finding]:
    """The findings for one file; ``path`` is how the report names it."""
    found: list[Finding] = []
    name = file.name
    lower = name.lower()
    if lower == ".env" or (lower.startswith(".env.") and not lower.endswith(
            (".example", ".sample", ".template"))):
        found.append(Finding(
            "env-file", "error", path, path,
            "An environment file: these usually hold tokens and passwords.",
            "Delete it from the release folder (keep it next to your code and list it in "
            ".gitignore); ship a .env.example with placeholder values if users need one.",
        ))
    elif lower in CREDENTIAL_FILES or lower.endswith((".pem", ".p12", ".pfx", ".keystore")):
        found.append(Finding(
            "credentials-file", "error", path, path,
            "A file that usually holds keys or passwords.",
            "Remove it from the release folder; replace the credentials if it was ever published.",
        ))
    try:
        size = file.stat().st_size
        with open(file, "rb") as handle:
            head = handle.read(TEXT_LIMIT if size <= TEXT_LIMIT else 4096)
    except OSError as error:
        return found + [Finding(
            "unreadable", "warning", path, path, f"Cannot read this file ({error.strerror}).",
            "Check its permissions, or remove it if it does not belong in the release.",
        )]
    if size > max_size:
        found.append(Finding(
            "too-large", "warning", path, path,
            f"{size / MB:.1f} MB, over the {max_size / MB:.0f} MB limit of this scan.",
            "Check the file belongs in the release (checkpoints, caches and raw data rarely do); "
            "if it does, raise the limit (scan(..., max_size=...)); it will upload as a large file.",
        ))
    pickled = _pickle_finding(file, path, head)
    if pickled:
        found.append(pickled)
    binary = b"\0" in head[:8192]
    if size <= (BINARY_LIMIT if binary else TEXT_LIMIT):
        text = head.decode("utf-8", errors="replace")
        if lower.endswith(".ipynb"):
            found += _scan_notebook(text, path)
        else:
            found += _secrets_in(text, path, path, line_numbers=not binary)
    if lower.endswith(".parquet"):
        found += _scan_parquet(file, path)
    elif lower.endswith(DATA_SUFFIXES):
        found += _scan_table(head[:DATA_SAMPLE], path)
    return found


def scan(folder: str | Path, max_size: int = MAX_SIZE) -> ScanReport:
    """Look through a release folder for what must not be published.

    Finds tokens and private keys (also in notebook sources and outputs),
    ``.env`` and credential files, pickles, files over ``max_size`` bytes and
    data files that look like personal data. ``.git`` and ``.cache`` are skipped,
    as ``upload_folder`` skips them.

    >>> report = scan("_work/income")        # doctest: +SKIP
    >>> report.ok, [f.id for f in report]    # doctest: +SKIP
    (True, [])
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"No folder {folder}: give the path of the release folder.")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file: scan the folder that holds the release.")
    start = time.perf_counter()
    findings: list[Finding] = []
    count = 0
    for file in _walk(folder):
        count += 1
        findings += scan_file(file, file.relative_to(folder).as_posix(), max_size)
    return ScanReport(folder, count, time.perf_counter() - start, findings)


# ------------------------------------------------------------------------ prepare

SKLEARN_PACKAGES = ("scikit-learn", "skops", "numpy", "pandas", "scipy")
TORCH_PACKAGES = ("torch", "safetensors", "huggingface_hub", "numpy")
TRANSFORMERS_PACKAGES = ("transformers", "tokenizers", "safetensors", "torch", "numpy")


@dataclass
class Evaluation:
    """The evaluation a release states: data, the true labels and the metrics.

    ``metrics`` are scikit-learn scorer names ("accuracy", "f1", "roc_auc"...), which
    are also the metric types the card's model-index uses.

    >>> Evaluation(X_test, y_test, dataset="gss_wages", metrics=("accuracy",))  # doctest: +SKIP
    """

    X: Any
    y: Any
    dataset: str
    metrics: tuple[str, ...] = ("accuracy",)
    dataset_name: str | None = None
    split: str = "test"
    task: str = "tabular-classification"

    def measure(self, model) -> dict[str, float]:
        """Score ``model`` on this data: {metric: value rounded to 4 places}."""
        from sklearn.metrics import get_scorer

        return {m: round(float(get_scorer(m)(model, self.X, self.y)), 4) for m in self.metrics}


EXAMPLE_SKLEARN = '''"""Load this model safely and predict for a few example rows: python example.py"""

import json
from pathlib import Path

import pandas as pd
import skops.io as sio

HERE = Path(__file__).parent
# Types outside scikit-learn/numpy that this file needs; skops refuses anything else.
TRUSTED = {trusted}
model = sio.load(HERE / "model.skops", trusted=TRUSTED)

ROWS = """{rows}"""
rows = pd.DataFrame(json.loads(ROWS))
for row, prediction in zip(rows.to_dict("records"), model.predict(rows)):
    print(prediction, row)
'''

EVALUATE_SKLEARN = '''"""Rerun the evaluation this card states: python evaluate.py prints the metrics as JSON."""

import json
from pathlib import Path

import pandas as pd
import skops.io as sio
from sklearn.metrics import get_scorer

HERE = Path(__file__).parent
TRUSTED = {trusted}
METRICS = {metrics}
TARGET = {target!r}

model = sio.load(HERE / "model.skops", trusted=TRUSTED)
data = pd.read_csv(HERE / "evaluation" / {data_file!r})
y = data.pop(TARGET)
scores = {{name: round(float(get_scorer(name)(model, data, y)), 4) for name in METRICS}}
print(json.dumps(scores))
'''

EXAMPLE_TRANSFORMERS = '''"""Load this model and classify a few texts: python example.py"""

from pathlib import Path

from transformers import pipeline

HERE = Path(__file__).parent
classify = pipeline({task!r}, model=str(HERE))
for text in {texts!r}:
    print(classify(text), text)
'''


def _is_sklearn(model) -> bool:
    try:
        from sklearn.base import BaseEstimator
    except ImportError:
        return False
    return isinstance(model, BaseEstimator)


def _write_card(folder: Path, card, library: str | None, evaluation: Evaluation | None,
                measured: dict[str, float] | None, model_name: str) -> None:
    """Write README.md; add the measured results as model-index if the card states none."""
    from huggingface_hub import EvalResult, ModelCard, ModelCardData

    if card is None:
        card = ModelCard.from_template(ModelCardData(library_name=library, model_name=model_name))
    elif isinstance(card, Path) or (isinstance(card, str) and "\n" not in card
                                    and card.endswith(".md")):
        card = ModelCard.load(Path(card))
    elif isinstance(card, str):
        card = ModelCard(card)
    else:
        card = ModelCard(card.content)  # a copy: the caller's card stays as it was
    if evaluation is not None and measured and not card.data.eval_results:
        card.data.model_name = card.data.model_name or model_name
        card.data.eval_results = [
            EvalResult(task_type=evaluation.task, dataset_type=evaluation.dataset,
                       dataset_name=evaluation.dataset_name or evaluation.dataset,
                       dataset_split=evaluation.split, metric_type=metric, metric_value=value)
            for metric, value in measured.items()
        ]
    card.save(folder / "README.md")


def _write_environment(folder: Path, packages: tuple[str, ...]) -> None:
    from modelshare import env

    info = env.capture(packages)
    (folder / "requirements.txt").write_text(env.requirements_txt(info))
    (folder / "environment.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")


def prepare(
    model,
    folder: str | Path,
    *,
    card=None,
    example_input=None,
    evaluation: Evaluation | None = None,
    tokenizer=None,
    model_name: str = "model",
    overwrite: bool = False,
) -> Path:
    """Write a release folder for a trained model and return its path.

    - scikit-learn: ``model.skops`` (skops.io, no pickle), ``example.py`` predicting
      ``example_input`` rows, and with an ``evaluation`` also ``evaluation/test.csv`` +
      ``evaluate.py`` that reruns it; the card gets the measured numbers as model-index
      unless it states results already.
    - transformers / PyTorch (``PyTorchModelHubMixin``): ``save_pretrained`` (safetensors),
      the tokenizer if given, and for transformers an ``example.py`` using ``pipeline``.
    - always: ``README.md`` (``card``: text, a path to a .md file, a ``ModelCard`` or None
      for the template), ``requirements.txt`` and ``environment.json`` (modelshare.env).

    >>> prepare(model, "_work/income", card=text, example_input=X_test.head(3))  # doctest: +SKIP
    PosixPath('_work/income')
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise FileExistsError(
            f"{folder} already holds files: choose an empty folder, or pass overwrite=True "
            "(files not written by prepare stay, so check the folder with scan())."
        )
    folder.mkdir(parents=True, exist_ok=True)
    measured = None
    if _is_sklearn(model):
        import skops.io as sio

        weights = folder / "model.skops"
        sio.dump(model, weights)
        trusted = sio.get_untrusted_types(file=weights)
        if example_input is not None:
            rows = example_input.to_json(orient="records", indent=4)
            (folder / "example.py").write_text(
                EXAMPLE_SKLEARN.format(trusted=repr(trusted), rows=rows)
            )
        if evaluation is not None:
            measured = evaluation.measure(model)
            target = getattr(evaluation.y, "name", None) or "target"
            table = evaluation.X.assign(**{target: evaluation.y})
            (folder / "evaluation").mkdir(exist_ok=True)
            table.to_csv(folder / "evaluation" / "test.csv", index=False)
            (folder / "evaluate.py").write_text(EVALUATE_SKLEARN.format(
                trusted=repr(trusted), metrics=repr(tuple(evaluation.metrics)), target=target,
                data_file="test.csv",
            ))
        library, packages = "sklearn", SKLEARN_PACKAGES
    elif hasattr(model, "save_pretrained"):
        if evaluation is not None:
            raise ValueError(
                "evaluation= reruns scikit-learn scorers; for a transformers or PyTorch model, "
                "put the numbers in the card's model-index yourself and ship your evaluation "
                "script as evaluate.py (printing the metrics as JSON) so verify() can rerun it."
            )
        model.save_pretrained(folder)  # safetensors by default in transformers and the mixin
        if tokenizer is not None:
            tokenizer.save_pretrained(folder)
        is_transformers = type(model).__module__.startswith("transformers")
        if is_transformers and tokenizer is not None and example_input is not None:
            task = "text-classification"
            (folder / "example.py").write_text(
                EXAMPLE_TRANSFORMERS.format(task=task, texts=list(example_input))
            )
        library = "transformers" if is_transformers else None  # the Hub has no "pytorch" library
        packages = TRANSFORMERS_PACKAGES if is_transformers else TORCH_PACKAGES
    else:
        raise TypeError(
            f"prepare() knows scikit-learn estimators and models with save_pretrained "
            f"(transformers, PyTorchModelHubMixin), not {type(model).__name__}. For a plain "
            "torch.nn.Module, add huggingface_hub.PyTorchModelHubMixin to its base classes."
        )
    _write_card(folder, card, library, evaluation, measured, model_name)
    _write_environment(folder, packages)
    return folder


# --------------------------------------------------------------------------- plan


HUB_NAMES = {
    "huggingface.co": "huggingface.co (anyone in the world can find public repos)",
    "local": "the local hub on this computer",
    "classroom": "another hub (a classroom or company hub)",
}


def _hub_name(endpoint: str) -> str:
    from modelshare.hub.client import kind_of

    return HUB_NAMES[kind_of(endpoint)]


def token_source(api=None) -> str:
    """Where the token for ``api`` comes from, in words; never the token itself."""
    from huggingface_hub import constants

    if api is not None and api.token is False:
        return "none: HfApi(token=False) sends no token"
    if api is not None and isinstance(api.token, str):
        return "given to HfApi(token=...)"
    if os.environ.get("HF_TOKEN"):
        return "the HF_TOKEN environment variable"
    if os.environ.get("HUGGING_FACE_HUB_TOKEN"):
        return "the HUGGING_FACE_HUB_TOKEN environment variable (old name: prefer HF_TOKEN)"
    if Path(constants.HF_TOKEN_PATH).exists():
        return f"the token file {constants.HF_TOKEN_PATH} (written by `hf auth login`)"
    return ("none: set HF_TOKEN or run `hf auth login` with a write token before publishing")


def _api(api=None):
    from huggingface_hub import HfApi

    return api if api is not None else HfApi()


@dataclass(frozen=True)
class PlannedFile:
    path: str
    size: int
    large: bool  # travels as a large (LFS) file
    why: str


@dataclass
class Plan:
    """A dry run of :func:`publish`: nothing is sent."""

    repo_id: str
    endpoint: str
    hub: str
    private: bool
    token: str  # where the token comes from, never the token
    repo: str  # "new", "exists (private)", "exists (PUBLIC)" or why we cannot tell
    files: list[PlannedFile]
    scan: ScanReport
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(f.size for f in self.files)

    def __str__(self) -> str:
        lines = [
            f"repo:       {self.repo_id} ({'private' if self.private else 'PUBLIC'}); "
            f"on the hub: {self.repo}",
            f"hub:        {self.endpoint} - {self.hub}",
            f"token from: {self.token}",
            f"files:      {len(self.files)}, {_size(self.total)} "
            f"({sum(f.large for f in self.files)} as large files)",
        ]
        lines += [
            f"  {f.path:<40} {_size(f.size):>10}  {'large: ' + f.why if f.large else 'regular'}"
            for f in self.files
        ]
        lines.append(f"scan:       {self.scan}")
        lines += [f"warning:    {w}" for w in self.warnings]
        return "\n".join(lines)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < MB:
        return f"{n / 1024:.1f} KB"
    return f"{n / MB:.1f} MB"


LFS_SUFFIXES = (
    ".bin", ".safetensors", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".msgpack", ".pkl",
    ".pickle", ".joblib", ".skops", ".npy", ".npz", ".parquet", ".arrow", ".zip", ".gz",
    ".tar", ".7z", ".tflite", ".model", ".gguf",
)


def _large(file: Path, size: int) -> tuple[bool, str]:
    if size >= LFS_SIZE:
        return True, f"{_size(size)}, at least {_size(LFS_SIZE)}"
    if file.name.lower().endswith(LFS_SUFFIXES):
        return True, f"{file.suffix} files are stored as large files"
    with open(file, "rb") as handle:
        if b"\0" in handle.read(512):
            return True, "binary"
    return False, ""


def plan(folder: str | Path, repo_id: str, *, private: bool = True, api=None) -> Plan:
    """What :func:`publish` would do, without sending anything.

    Which files (and which go as large files: big, binary or weights; the hub
    decides in the end), public or private, where the token comes from (never the
    token), which hub, and the scan.

    >>> print(plan("_work/income", "learner/income", api=HfApi(endpoint=url)))  # doctest: +SKIP
    """
    from huggingface_hub import constants

    report = scan(folder)
    endpoint = (api.endpoint if api is not None else constants.ENDPOINT).rstrip("/")
    warnings = []
    wanted = os.environ.get("HF_ENDPOINT", "").rstrip("/")
    if api is None and wanted and wanted != endpoint:
        warnings.append(
            f"HF_ENDPOINT is {wanted} but huggingface_hub was imported with {endpoint}: it reads "
            "HF_ENDPOINT at import. Restart the kernel, or pass api=HfApi(endpoint=...)."
        )
    if not private:
        warnings.append("the repo will be PUBLIC: anyone can download it once it is published.")
    if report.errors:
        warnings.append("the scan found errors: publish() refuses to send this folder.")
    try:
        visible = _private(_api(api), repo_id)
        repo = "new" if visible is None else f"exists ({'private' if visible else 'PUBLIC'})"
        if visible is not None and visible != private:
            warnings.append(f"{repo_id} exists with the other visibility: publish() will refuse.")
    except Exception as error:  # offline, no token, hub down: a dry run still works
        repo = f"unknown ({type(error).__name__}: the hub did not answer)"
    files = []
    for file in _walk(Path(folder)):
        size = file.stat().st_size
        large, why = _large(file, size)
        files.append(PlannedFile(file.relative_to(folder).as_posix(), size, large, why))
    return Plan(repo_id, endpoint, _hub_name(endpoint), private, token_source(api), repo,
                files, report, warnings)


# ------------------------------------------------------------------------ publish


class ReleaseError(RuntimeError):
    """A release step refused to go on; the message says why and what to do."""


@dataclass(frozen=True)
class Published:
    repo_id: str
    url: str
    commit: str
    version: str | None


def publish(
    folder: str | Path,
    repo_id: str,
    *,
    version: str | None = None,
    private: bool = True,
    api=None,
    message: str | None = None,
    allow_warnings: bool = True,
) -> Published:
    """Scan, then ``create_repo`` (private unless told) + ``upload_folder`` + a tag ``version``.

    Refuses to publish when the scan finds errors (and warnings, with
    ``allow_warnings=False``), or into an existing repo whose visibility is not
    the one asked for (a "private" release must never land in a public repo). A version tag can be created once: a published
    version never changes; publish a new one instead.

    >>> publish("_work/income", "learner/income", version="v1.0", api=api)  # doctest: +SKIP
    Published(repo_id='learner/income', url='http://127.0.0.1:8765/learner/income', ...)
    """
    from huggingface_hub.errors import HfHubHTTPError

    report = scan(folder)
    blocking = report.findings if not allow_warnings else report.errors
    if blocking:
        raise ReleaseError(f"Not published: the scan of {folder} found problems.\n{report}")
    api = _api(api)
    visible = _private(api, repo_id)
    if visible is not None and visible != private:
        now, asked = ("private", "public") if visible else ("public", "private")
        raise ReleaseError(
            f"{repo_id} already exists and is {now}, but you asked for a {asked} release; "
            f"nothing was sent. Change its visibility first (HfApi.update_repo_settings("
            f"{repo_id!r}, private={private}) or the repo's Settings page), or pass "
            f"private={visible}."
        )
    if version is not None:
        existing = _tags(api, repo_id)
        if version in existing:
            raise ReleaseError(
                f"{repo_id} already has a version {version!r}: a published version never "
                f"changes. Publish under a new version (it has {', '.join(sorted(existing))})."
            )
    repo = api.create_repo(repo_id, private=private, exist_ok=True)
    try:
        commit = api.upload_folder(
            folder_path=str(folder), repo_id=repo_id,
            commit_message=message or (f"Release {version}" if version else "Release"),
        )
    except Exception as error:
        if "xet-write-token" not in str(error):
            raise
        raise ReleaseError(
            f"{api.endpoint} does not speak the Xet upload protocol. Set HF_HUB_DISABLE_XET=1 "
            "before huggingface_hub is imported (`make lab` does), then restart the kernel."
        ) from error
    if version is not None:
        try:
            api.create_tag(repo_id, tag=version, revision=commit.oid,
                           tag_message=message or f"Release {version}")
        except HfHubHTTPError as error:
            raise ReleaseError(f"Uploaded as {commit.oid}, but tagging {version!r} failed: "
                               f"{error}. Tag it with HfApi.create_tag.") from error
    return Published(repo_id, str(repo), commit.oid, version)


def _private(api, repo_id: str) -> bool | None:
    """True/False for an existing repo, None when there is none yet."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        return bool(api.model_info(repo_id).private)
    except RepositoryNotFoundError:
        return None


def _tags(api, repo_id: str) -> set[str]:
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        return {tag.name for tag in api.list_repo_refs(repo_id).tags}
    except RepositoryNotFoundError:
        return set()


# ------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Difference:
    """A number the card claims that the rerun did not reproduce."""

    metric: str
    claimed: float
    measured: float | None

    def __str__(self) -> str:
        got = "not measured" if self.measured is None else f"{self.measured:.4f}"
        return f"{self.metric}: the card claims {self.claimed:.4f}, the rerun gives {got}"


@dataclass
class VerifyReport:
    """What a stranger found when downloading and rerunning a release."""

    repo_id: str
    revision: str | None
    commit: str | None
    checks: list[Check] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    measured: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks) and not self.differences

    def __str__(self) -> str:
        title = f"{self.repo_id} @ {self.revision or 'main'}"
        if self.commit:
            title += f" (commit {self.commit[:12]})"
        lines = [title]
        lines += [f"  {'OK  ' if c.ok else 'FAIL'}  {c.name}: {c.detail}" for c in self.checks]
        lines += [f"  DIFF  {d}" for d in self.differences]
        lines.append("Verified: the release reproduces its card." if self.ok
                     else "NOT verified: see FAIL/DIFF above.")
        return "\n".join(lines)


def card_claims(readme: str | Path) -> dict[str, float]:
    """The metric values a card's model-index claims, e.g. {'accuracy': 0.8036}."""
    from huggingface_hub import ModelCard

    card = ModelCard.load(Path(readme), ignore_metadata_errors=True)
    return {r.metric_type: float(r.metric_value) for r in (card.data.eval_results or [])}


def _stranger_env() -> dict[str, str]:
    """The environment for downloaded scripts: no tokens, one thread."""
    hidden = {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


# Runs the release's scripts one after the other in ONE fresh Python (importing skops,
# scikit-learn and pandas takes seconds: once is enough), each with its own stdout.
RUNNER = r"""
import contextlib, io, json, runpy, sys, traceback
results = {}
for name in sys.argv[1:]:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(name, run_name="__main__")
        results[name] = {"ok": True, "stdout": out.getvalue(), "error": ""}
    except BaseException as error:
        ok = isinstance(error, SystemExit) and error.code in (None, 0)
        error_text = "" if ok else traceback.format_exc(limit=-1).strip().splitlines()[-1]
        results[name] = {"ok": ok, "stdout": out.getvalue(), "error": error_text}
print(json.dumps(results))
"""


def run_in_fresh_python(folder: Path, names: Sequence[str], timeout: float = 300) -> dict[str, dict]:
    """Run ``names`` (e.g. example.py) from ``folder`` in a fresh Python without your tokens.

    Returns {name: {"ok": bool, "stdout": str, "error": str}}.
    """
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *names], cwd=folder, capture_output=True, text=True,
        timeout=timeout, env=_stranger_env(), stdin=subprocess.DEVNULL,
    )
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        error = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {name: {"ok": False, "stdout": "", "error": error} for name in names}


def _load_weights(folder: Path, trusted: Sequence[str]) -> Check:
    skops_files = sorted(folder.glob("*.skops"))
    tensors = sorted(folder.glob("*.safetensors"))
    if skops_files:
        import skops.io as sio

        file = skops_files[0]
        unknown = [t for t in sio.get_untrusted_types(file=file) if t not in trusted]
        if unknown:
            return Check("load", False, f"{file.name} holds types nobody said to trust: "
                         f"{', '.join(unknown)}. Read them, then pass trusted=[...] if you do.")
        model = sio.load(file, trusted=list(trusted) or None)
        return Check("load", True, f"{file.name} loads with skops: {type(model).__name__}")
    if tensors:
        from safetensors import safe_open

        names = 0
        for file in tensors:
            with safe_open(file, framework="numpy") as handle:
                names += len(list(handle.keys()))
        return Check("load", True, f"{len(tensors)} safetensors file(s), {names} tensors")
    return Check("load", False, "no weights in a safe format (.skops or .safetensors).")


def verify(
    repo_id: str,
    revision: str | None = None,
    *,
    api=None,
    folder: str | Path | None = None,
    trusted: Sequence[str] = (),
    tolerance: float = 0.001,
    run_scripts: bool = True,
    timeout: float = 300,
) -> VerifyReport:
    """Check a published release the way a stranger would.

    Downloads ``revision`` into a clean folder (``folder``, or a temporary one that is
    removed afterwards), scans it, loads the weights (skops with trusted types only,
    or safetensors), runs ``example.py`` and ``evaluate.py`` (in a separate Python,
    without your tokens), and compares the numbers with the card's model-index.

    Running downloaded scripts runs someone else's code: pass ``run_scripts=False``
    for a release you do not trust.

    >>> report = verify("learner/income", "v1.0", api=api)   # doctest: +SKIP
    >>> report.ok, report.differences                        # doctest: +SKIP
    (True, [])
    """
    api = _api(api)
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="verify-") as tmp:
            return verify(repo_id, revision, api=api, folder=Path(tmp) / "release",
                          trusted=trusted, tolerance=tolerance, run_scripts=run_scripts,
                          timeout=timeout)
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty: verify downloads into a clean folder.")
    commit = api.model_info(repo_id, revision=revision).sha
    api.snapshot_download(repo_id, revision=commit, local_dir=folder)
    report = VerifyReport(repo_id, revision, commit)
    files = [p.relative_to(folder).as_posix() for p in _walk(folder)]
    report.checks.append(Check("download", True, f"{len(files)} files into a clean folder"))

    scanned = scan(folder)
    report.checks.append(Check("scan", not scanned.errors, str(scanned).replace("\n", "\n    ")))

    readme = folder / "README.md"
    claims = card_claims(readme) if readme.exists() else {}
    report.checks.append(Check(
        "card", bool(claims),
        f"claims {', '.join(f'{k}={v}' for k, v in claims.items())}" if claims
        else "the card states no results (no model-index): nothing to compare.",
    ))
    report.checks.append(_load_weights(folder, trusted))

    if not run_scripts:
        report.checks.append(Check("scripts", True, "not run (run_scripts=False)"))
        return report
    scripts = [name for name in ("example.py", "evaluate.py") if (folder / name).exists()]
    ran = run_in_fresh_python(folder, scripts, timeout) if scripts else {}
    if "example.py" in ran:
        result = ran["example.py"]
        report.checks.append(Check("example", result["ok"], "example.py runs" if result["ok"]
                                   else f"example.py failed: {result['error']}"))
    else:
        report.checks.append(Check("example", False, "no example.py: add a runnable example."))
    if "evaluate.py" not in ran:
        report.checks.append(Check("evaluate", not claims,
                                   "no evaluate.py: the card's numbers cannot be rerun."))
        return report
    result = ran["evaluate.py"]
    try:
        report.measured = json.loads(result["stdout"].strip().splitlines()[-1])
    except (ValueError, IndexError):
        report.checks.append(Check("evaluate", False, "evaluate.py did not print JSON metrics"
                                   + (f": {result['error']}" if result["error"] else ".")))
        return report
    report.checks.append(Check("evaluate", True, f"evaluate.py measured {report.measured}"))
    for metric, claimed in claims.items():
        got = report.measured.get(metric)
        if got is None or abs(float(got) - claimed) > tolerance:
            report.differences.append(Difference(metric, claimed, got))
    return report
