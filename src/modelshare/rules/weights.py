"""Which model files are pickles, and what a pickle would import when loaded.

Loading a pickle (``pickle``, ``joblib``, ``torch.load`` of a ``.pt``/``.bin`` file)
runs whatever code the file names. :func:`scan_pickle` reads a file WITHOUT loading
it, through ``picklescan``: the scanner the Hugging Face Hub runs on every upload. It
names each ``module.name`` the file would import and marks those known to be
dangerous (``os.system``, ``builtins.eval``...). :func:`weights_format` tells the
formats apart from the file's first bytes (picklescan does not name formats):
safetensors and skops files can be loaded safely, pickles cannot.

Example:
    >>> import os, pickle, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "model.pkl")
    >>> with open(path, "wb") as f:
    ...     pickle.dump(print, f)
    >>> scan = scan_pickle(path)
    >>> scan.format, scan.imports, scan.dangerous
    ('pickle', ['builtins.print'], [])
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

# Names under which pickles travel; a file with another name is sniffed by its first bytes.
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".dill", ".cloudpickle")
MAYBE_PICKLE_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt", ".npy", ".npz", ".model", ".sav")
# How a card's text points readers at a pickle: "model.pkl", "joblib.load(", "torch.load(".
PICKLE_MENTION = re.compile(
    r"\.(?:pkl|pickle|joblib)\b|\b(?:pickle|joblib|cloudpickle|dill)\.loads?\b|\btorch\.load\(")
PICKLE_MENTION_HINTS = ("pickle", "joblib", ".pkl", "torch.load", "dill")


def weights_format(path: str | Path) -> str:
    """'safetensors', 'skops', 'torch-pickle', 'pickle', 'numpy', 'onnx', 'zip' or 'unknown'.

    Read from the first bytes (and a zip's file list), never by loading the file.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(16)
    if len(head) >= 9 and head[8:9] == b"{" and int.from_bytes(head[:8], "little") < 100_000_000:
        return "safetensors"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return "unknown"
        if "schema.json" in names:
            return "skops"
        if any(n.endswith(".pkl") for n in names):
            return "torch-pickle"
        return "zip"
    if head[:6] == b"\x93NUMPY":
        return "numpy"
    if head[:1] == b"\x80" or path.suffix.lower() in PICKLE_SUFFIXES:
        return "pickle"
    if path.suffix.lower() == ".onnx":
        return "onnx"
    return "unknown"


@dataclass
class PickleScan:
    """What :func:`scan_pickle` found in one file."""

    path: str
    format: str
    imports: list[str] = field(default_factory=list)  # every module.name it would import
    dangerous: list[str] = field(default_factory=list)  # those picklescan knows are dangerous
    error: str | None = None  # the scan stopped early (a broken or hostile file)

    def summary(self, limit: int = 4) -> str:
        """'imports sklearn.linear_model._logistic.LogisticRegression, numpy.ndarray, ...'."""
        if self.dangerous:
            return "would call " + ", ".join(self.dangerous[:limit])
        if not self.imports:
            return "imports nothing, but is still a pickle"
        more = f" and {len(self.imports) - limit} more" if len(self.imports) > limit else ""
        return "would import " + ", ".join(self.imports[:limit]) + more


def _picklescan(path: Path, suffix: str):
    from picklescan.scanner import scan_bytes

    logger = logging.getLogger("picklescan")
    level, logger.level = logger.level, logging.CRITICAL  # it logs every finding as a warning
    try:
        with open(path, "rb") as handle:  # picklescan seeks; a zip's members are read, not all
            return scan_bytes(handle, path.name, suffix)
    finally:
        logger.setLevel(level)


def scan_pickle(path: str | Path) -> PickleScan | None:
    """A :class:`PickleScan` when the file holds a pickle, else None (safetensors, skops, text...).

    numpy files count only when they hold Python objects (``allow_pickle``).
    """
    path = Path(path)
    fmt = weights_format(path)
    suffix = path.suffix.lower()
    if fmt in ("safetensors", "skops", "onnx"):
        return None
    if fmt in ("unknown", "zip") and suffix not in PICKLE_SUFFIXES + MAYBE_PICKLE_SUFFIXES:
        return None
    if fmt == "numpy":
        with open(path, "rb") as handle:
            if b"'descr': '|O'" not in handle.read(256):
                return None
    try:
        result = _picklescan(path, suffix)
    except Exception as error:  # noqa: BLE001 - a file picklescan cannot read is not a pickle
        if fmt == "pickle":
            return PickleScan(str(path), fmt, error=f"{type(error).__name__}: {error}")
        return None
    if not result.globals and fmt not in ("pickle", "torch-pickle", "numpy"):
        return None
    imports = sorted({f"{g.module}.{g.name}" for g in result.globals})
    dangerous = sorted({f"{g.module}.{g.name}" for g in result.globals
                        if g.safety.value == "dangerous"})
    return PickleScan(str(path), "pickle" if fmt in ("unknown", "zip") else fmt, imports, dangerous,
                      "the scan stopped early" if result.scan_err and not imports else None)
