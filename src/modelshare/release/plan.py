"""Plan a release: what :func:`~modelshare.release.publish` would send, and where, without sending.

Which files (and which travel as large files), public or private, which hub,
where the token comes from (never the token), whether the repo exists, and the scan.
:func:`hf_api` and :func:`repo_visibility` are shared with publish and verify.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from modelshare.release.scan import MB, ScanReport, release_files, scan

LFS_SIZE = 10 * MB  # huggingface.co stores files from this size as large files

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


def hf_api(api=None):
    """``api``, or a default ``HfApi()`` (which uses ``HF_ENDPOINT`` as read at import)."""
    from huggingface_hub import HfApi

    return api if api is not None else HfApi()


def repo_visibility(api, repo_id: str) -> bool | None:
    """True (private) or False (public) for an existing repo, None when there is none yet."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        return bool(api.model_info(repo_id).private)
    except RepositoryNotFoundError:
        return None


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
        visible = repo_visibility(hf_api(api), repo_id)
        repo = "new" if visible is None else f"exists ({'private' if visible else 'PUBLIC'})"
        if visible is not None and visible != private:
            warnings.append(f"{repo_id} exists with the other visibility: publish() will refuse.")
    except Exception as error:  # offline, no token, hub down: a dry run still works
        repo = f"unknown ({type(error).__name__}: the hub did not answer)"
    files = []
    for file in release_files(Path(folder)):
        size = file.stat().st_size
        large, why = _large(file, size)
        files.append(PlannedFile(file.relative_to(folder).as_posix(), size, large, why))
    return Plan(repo_id, endpoint, _hub_name(endpoint), private, token_source(api), repo,
                files, report, warnings)


