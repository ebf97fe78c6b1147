"""Publish the community's repos with the real ``huggingface_hub`` client, one user each.

Each repo is published by its own user, with that user's token, exactly as a person
would: ``create_repo``, ``upload_folder`` (one commit), ``create_tag``, then any later
commits (``create_commit``). A repo that already exists is left alone, so seeding twice
publishes nothing twice.

    >>> tokens = {"survey-lab": "hf_...", ...}                            # doctest: +SKIP
    >>> missing = missing_repos("http://127.0.0.1:8765")                  # doctest: +SKIP
    >>> publish_all(build_all(work, only=missing), tokens, "http://127.0.0.1:8765")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from modelshare.community.build import COMMUNITY, Built

USERS = tuple(dict.fromkeys(repo.repo_id.split("/")[0] for repo in COMMUNITY))


def _api(endpoint: str, token: str | None = None):
    # The workshop hub takes large files through LFS, not Xet; the client reads this flag
    # at import, and `modelshare hub seed` sets it before importing (see cli.py).
    os.environ.setdefault("HF_HUB_DISABLE_XET", "1")
    from huggingface_hub import HfApi

    return HfApi(endpoint=endpoint, token=token if token is not None else False)


def missing_repos(endpoint: str) -> set[str]:
    """The ids of the community's repos that the hub at ``endpoint`` does not have yet, or
    holds without their files (a seed stopped between ``create_repo`` and the upload)."""
    api = _api(endpoint)
    missing = set()
    for repo in COMMUNITY:
        if not api.repo_exists(repo.repo_id, repo_type=repo.repo_type) or \
                set(api.list_repo_files(repo.repo_id, repo_type=repo.repo_type)) <= \
                {".gitattributes"}:
            missing.add(repo.repo_id)
    return missing


def publish(built: Built, token: str, endpoint: str) -> str:
    """Publish one repo as its owner; return the commit id of ``main`` afterwards."""
    from huggingface_hub import CommitOperationAdd

    api = _api(endpoint, token)
    repo_id, repo_type = built.repo.repo_id, built.repo.repo_type
    api.create_repo(repo_id, repo_type=repo_type, exist_ok=True)
    commit = api.upload_folder(folder_path=built.folder, repo_id=repo_id, repo_type=repo_type,
                               commit_message=built.message)
    if built.tag:
        api.create_tag(repo_id, tag=built.tag, revision=commit.oid, repo_type=repo_type,
                       exist_ok=True)
    for message, files in built.updates:
        operations = [CommitOperationAdd(path, text.encode()) for path, text in files.items()]
        api.create_commit(repo_id, operations, commit_message=message, repo_type=repo_type)
    return api.repo_info(repo_id, repo_type=repo_type).sha


def publish_all(built: Iterable[Built], tokens: dict[str, str], endpoint: str) -> list[str]:
    """Publish every built repo with its owner's token; return their ids."""
    done = []
    for item in built:
        owner = item.repo.repo_id.split("/")[0]
        publish(item, tokens[owner], endpoint)
        done.append(item.repo.repo_id)
    return done
