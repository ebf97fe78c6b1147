"""Scan a release folder for what must not be published: the first step of a release.

Secrets (tokens, keys, passwords; also in notebook sources and outputs), ``.env``
and credential files, pickles, files over a size limit, and data files that look
like personal data. Each problem is a :class:`Finding` with a fix.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "model.pkl").write_bytes(b"\\x80\\x04K\\x01.")
    >>> print(scan(folder))  # doctest: +ELLIPSIS
    1 finding(s) in 1 files (1 error(s): fix them before you publish):
    error   pickle  model.pkl: A pickle file: loading it runs any code ...
"""

from __future__ import annotations

import csv
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from modelshare.rules import secrets, weights
from modelshare.rules.findings import Finding

MB = 1024 * 1024
MAX_SIZE = 50 * MB  # files bigger than this get a finding
TEXT_LIMIT = 10 * MB  # text files up to this size are searched for secrets
BINARY_LIMIT = 1 * MB  # binary files (weights...) up to this size are searched too
DATA_SAMPLE = 64 * 1024  # bytes of a data file read to look for personal data
SAMPLE_ROWS = 100  # rows of a data file whose values are checked
SKIPPED_DIRS = {".git", ".cache"}  # what upload_folder never sends (FORBIDDEN_FOLDERS)

# Secret patterns and pickle detection are the project's one rules core (modelshare.rules),
# shared with the card checker so both report the same ids for the same text.
SECRETS = secrets.SECRETS
AWS_SECRET_NAME = secrets.AWS_SECRET_NAME
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


def _secrets_in(text: str, path: str, where: str, line_numbers: bool = True) -> list[Finding]:
    found = []
    for match in secrets.find_secrets(text, path):
        kind = match.spec
        place = f"{where}:{match.line_number(text)}" if line_numbers else where
        found.append(Finding(kind.id, kind.severity, f"{kind.what} ({match.masked}).", kind.fix,
                             path=path, where=place))
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
    if not any(trigger in lowered for trigger in secrets.TRIGGERS):
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
                found.append(Finding(finding.id, finding.severity,
                                     f"{finding.message[:-1]} in a notebook {shown}.", fix,
                                     path=path, where=f"{path} cell {number} {shown}"))
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
        "personal-data", "warning",
        "This data file looks like personal data: " + "; ".join(parts) + ".",
        "Leave personal data out of the release (drop or pseudonymise those columns), or make "
        "sure you have the right to share it and say so in the card.", path=path, where=path,
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
    """A pickle runs code when loaded: picklescan (what the Hub runs) names what it would import."""
    suffix = file.suffix.lower()
    maybe = (suffix in weights.PICKLE_SUFFIXES + weights.MAYBE_PICKLE_SUFFIXES
             or (head[:1] == b"\x80" and suffix != ".safetensors"))
    scan = weights.scan_pickle(file) if maybe else None
    if scan is None:
        return None
    what = f" ({scan.summary()})" if scan.imports else ""
    return Finding(
        "pickle", "error",
        f"A pickle file{what}: loading it runs any code it contains, so strangers cannot load it "
        "safely.",
        "Save scikit-learn models with skops.io.dump (.skops) and tensors with safetensors "
        "(save_pretrained(...) or safetensors.torch.save_file), then delete this file.",
        path=path, where=path,
    )


def release_files(folder: Path) -> Iterator[Path]:
    """The files ``upload_folder`` would send from ``folder``, sorted, without ``.git``/``.cache``."""
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
            "env-file", "error",
            "An environment file: these usually hold tokens and passwords.",
            "Delete it from the release folder (keep it next to your code and list it in "
            ".gitignore); ship a .env.example with placeholder values if users need one.",
            path=path, where=path,
        ))
    elif lower in CREDENTIAL_FILES or lower.endswith((".pem", ".p12", ".pfx", ".keystore")):
        found.append(Finding(
            "credentials-file", "error",
            "A file that usually holds keys or passwords.",
            "Remove it from the release folder; replace the credentials if it was ever published.",
            path=path, where=path,
        ))
    try:
        size = file.stat().st_size
        with open(file, "rb") as handle:
            head = handle.read(TEXT_LIMIT if size <= TEXT_LIMIT else 4096)
    except OSError as error:
        return found + [Finding(
            "unreadable", "warning", f"Cannot read this file ({error.strerror}).",
            "Check its permissions, or remove it if it does not belong in the release.",
            path=path, where=path,
        )]
    if size > max_size:
        found.append(Finding(
            "too-large", "warning",
            f"{size / MB:.1f} MB, over the {max_size / MB:.0f} MB limit of this scan.",
            "Check the file belongs in the release (checkpoints, caches and raw data rarely do); "
            "if it does, raise the limit (scan(..., max_size=...)); it will upload as a large file.",
            path=path, where=path,
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
    for file in release_files(folder):
        count += 1
        findings += scan_file(file, file.relative_to(folder).as_posix(), max_size)
    return ScanReport(folder, count, time.perf_counter() - start, findings)

