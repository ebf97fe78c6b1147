"""Pickle scans of stored files, as huggingface.co shows them: which imports would run.

Loading a pickle (``.pkl``, ``.joblib``, most ``.bin``/``.pt``) runs the functions it
names. Like the Hub, the workshop hub reads every file that may be a pickle WITHOUT
loading it, through :func:`modelshare.rules.weights.scan_pickle` (picklescan, the scanner
the Hub runs), and marks a file that would call something dangerous (``builtins.exec``,
``os.system``...) as unsafe, naming the imports. The repo page shows the marks; the API
answers them where ``huggingface_hub`` asks (``model_info(..., securityStatus=True)``,
``list_repo_tree(..., expand=True)``, ``get_paths_info(..., expand=True)``).

A file is scanned the first time a page or the API asks, then remembered by its content
(sha256), so a pickle shared by many repos or commits is read once. safetensors, skops
and text files are told apart from their first bytes and never read further.

A clean scan is not a promise: a pickle can reach dangerous code through imports no
scanner lists. The marks say what was found, not that the rest is safe.

    >>> scan = scan_entry(store, entry)           # doctest: +SKIP
    >>> scan.status, scan.dangerous               # doctest: +SKIP
    ('unsafe', ['builtins.exec'])
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from modelshare.hub.server.storage import Entry, Storage
from modelshare.rules import weights


@dataclass(frozen=True)
class FileScan:
    """What the scan says about one stored pickle.

    ``status`` is "unsafe" (it would call something dangerous) or "caution" (a pickle:
    loading it runs the code of every class it names, none known to be dangerous).
    """

    path: str
    status: str
    imports: list[str] = field(default_factory=list)
    dangerous: list[str] = field(default_factory=list)
    error: str | None = None

    def summary(self, limit: int = 4) -> str:
        """One line for the repo page."""
        if self.dangerous:
            return "would call " + ", ".join(self.dangerous)
        if not self.imports:
            return "a pickle; no imports found" + (f" ({self.error})" if self.error else "")
        more = f" and {len(self.imports) - limit} more" if len(self.imports) > limit else ""
        return "a pickle importing " + ", ".join(self.imports[:limit]) + more

    def security(self) -> dict:
        """``securityFileStatus`` as huggingface.co sends it (``RepoFile.security``).

        picklescan grades each import innocuous, suspicious or dangerous; the rules core
        reports only the dangerous ones, so the others are given as "suspicious" (a
        pickle still runs them), never as innocuous.
        """
        imports = [{"module": name.rpartition(".")[0], "name": name.rpartition(".")[2],
                    "safety": "dangerous" if name in self.dangerous else "suspicious"}
                   for name in self.imports]
        return {"status": self.status,
                "avScan": {"virusFound": False, "virusNames": None},
                "pickleImportScan": {"highestSafetyLevel": "dangerous" if self.dangerous
                                     else "suspicious", "imports": imports}}


SAFE = {"status": "safe", "avScan": {"virusFound": False, "virusNames": None},
        "pickleImportScan": None}
_cache: dict[tuple[str, str], FileScan | None] = {}
_lock = threading.Lock()


def scan_entry(store: Storage, entry: Entry) -> FileScan | None:
    """The scan of one file of a commit, or None when it is not a pickle."""
    suffix = PurePosixPath(entry.path).suffix.lower()
    key = (entry.sha256, suffix)
    with _lock:
        if key in _cache:
            found = _cache[key]
            return None if found is None else FileScan(entry.path, found.status, found.imports,
                                                       found.dangerous, found.error)
    found = _scan_blob(store.blob_path(entry.sha256), PurePosixPath(entry.path).name)
    with _lock:
        _cache[key] = found
    return None if found is None else FileScan(entry.path, found.status, found.imports,
                                               found.dangerous, found.error)


def _scan_blob(blob: Path, name: str) -> FileScan | None:
    # Blobs are stored under their sha256, without a name; the scanner also goes by the file
    # name (a .pt may be a pickle), so it reads the blob through a link that has the name.
    with tempfile.TemporaryDirectory(prefix="modelshare-scan-") as folder:
        named = Path(folder) / name
        try:
            os.symlink(blob, named)
        except OSError:  # no symlinks here (some Windows setups): scan by content alone
            named = blob
        scan = weights.scan_pickle(named)
    if scan is None:
        return None
    status = "unsafe" if scan.dangerous else "caution"
    return FileScan(name, status, list(scan.imports), list(scan.dangerous), scan.error)


def file_security(store: Storage, entry: Entry) -> dict:
    """``securityFileStatus`` of one file."""
    scan = scan_entry(store, entry)
    return SAFE if scan is None else scan.security()


def repo_security(store: Storage, files: dict[str, Entry]) -> dict:
    """``securityRepoStatus`` of a commit: every scanned file with something to say."""
    issues = []
    for entry in files.values():
        scan = scan_entry(store, entry)
        if scan is not None:
            issues.append({"path": entry.path, "level": scan.status})
    return {"scansDone": True, "filesWithIssues": issues}
