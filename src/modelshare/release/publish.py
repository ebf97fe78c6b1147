"""Publish a release folder: scan it, then ``create_repo`` + ``upload_folder`` + a version tag.

``huggingface_hub`` reads ``HF_ENDPOINT`` once, when it is imported, so
:func:`publish` takes an optional ``api`` (``HfApi(endpoint=..., token=...)``):
pass one to be sure which hub you talk to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from modelshare.release.plan import hf_api, repo_visibility
from modelshare.release.scan import scan


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
    api = hf_api(api)
    visible = repo_visibility(api, repo_id)
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


def _tags(api, repo_id: str) -> set[str]:
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        return {tag.name for tag in api.list_repo_refs(repo_id).tags}
    except RepositoryNotFoundError:
        return set()


