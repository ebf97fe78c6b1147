"""Someone else's models: a seeded community on the workshop hub, and a demo.

Lesson 06 finds, judges and reuses models that other people published. On
huggingface.co there are more than a million; on the workshop hub there are the few
that ``modelshare hub seed`` publishes (:data:`COMMUNITY`): the real
all-MiniLM-L6-v2 encoder with its real card, six small models trained from the
course's offline data with cards of very different quality, and two datasets with
dataset cards. Their download counts are set by the seed, to stand for other
people's downloads; yours count for real.

- :func:`check`: is the community on the hub this kernel talks to?
- :func:`seeded_pickle`: fastmodels' pickle, only from a workshop hub and only if it is
  byte for byte the file the seed wrote (for lesson 06's optional look at what it does).
- :mod:`~modelshare.community.checks`: feedback for lesson 06's exercises.
- :mod:`~modelshare.community.demo`: a Gradio demo of the running example, and its Space.
- :mod:`~modelshare.community.build`: trains each model and writes each repo's files.
- :mod:`~modelshare.community.publish`: publishes them with ``huggingface_hub``, one user each.
- :mod:`~modelshare.community.cli`: ``modelshare hub seed`` (users, downloads, idempotence).

Example::

    >>> from modelshare import community
    >>> [repo.repo_id for repo in community.COMMUNITY][:2]
    ['survey-lab/gss-wages', 'review-corpora/fine-food-reviews']
    >>> community.check()   # doctest: +SKIP
    The community is on this hub: 7 models and 2 datasets by 8 other users.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from modelshare.community import build, checks, demo
from modelshare.community.build import COMMUNITY, SeedRepo

__all__ = ["COMMUNITY", "SeedRepo", "check", "checks", "demo", "seeded_pickle"]


class CommunityMissing(RuntimeError):
    """The hub does not have the community: the message says how to seed it."""


class HubUnreachable(CommunityMissing):
    """No hub answers at the endpoint this kernel talks to: the message says how to start one."""


class PickleRefused(RuntimeError):
    """:func:`seeded_pickle` will not hand out this pickle: the message says why."""


def _unreachable(api, error: Exception) -> HubUnreachable:
    try:
        request = error.request
    except RuntimeError:  # httpx raises when the error carries no request
        request = None
    tried = f" (tried {request.method} {request.url})" if request is not None else ""
    return HubUnreachable(
        f"No hub answers at {api.endpoint}{tried}: {type(error).__name__}. Start the local "
        "hub with `make lab` (it starts the hub, seeds the community and sets HF_ENDPOINT), "
        "or point HF_ENDPOINT at your classroom hub; then restart the kernel and rerun "
        "this cell.")


def check(api=None) -> None:
    """Print what the hub holds of the community, or raise :class:`CommunityMissing`
    saying how to seed it."""
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi()
    import httpx2  # the HTTP client huggingface_hub 2.x uses (a fork of httpx)

    try:
        missing = [r.repo_id for r in COMMUNITY
                   if not api.repo_exists(r.repo_id, repo_type=r.repo_type)]
    except httpx2.TransportError as error:  # no server there, or it does not answer
        raise _unreachable(api, error) from None
    if missing:
        raise CommunityMissing(
            f"The hub at {api.endpoint} lacks {len(missing)} of the community's repos "
            f"({', '.join(missing[:3])}...). `make lab` and Binder seed the local hub (the "
            "first time takes about 20 s: see hub-data/seed.log); otherwise run `modelshare "
            "hub seed --data <the hub's data folder> --endpoint <its address>`, then rerun "
            "this cell.")
    models = sum(r.repo_type == "model" for r in COMMUNITY)
    users = len({r.repo_id.split("/")[0] for r in COMMUNITY})
    print(f"The community is on this hub: {models} models and {len(COMMUNITY) - models} "
          f"datasets by {users} other users.")


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _seed_pickle_sha256(file_name: str) -> str:
    """The sha256 of the pickle ``modelshare hub seed`` writes, rebuilt (never loaded) in a
    fresh Python as the seed does: pickle bytes depend on which objects a process shares,
    so a long-running kernel could write different bytes for the same model."""
    with tempfile.TemporaryDirectory(prefix="seeded-pickle-") as folder:
        code = ("import sys; from pathlib import Path; from modelshare import data; "
                "from modelshare.community.build import build_pickle; "
                "build_pickle(Path(sys.argv[1]), data.gss_wages())")
        subprocess.run([sys.executable, "-c", code, folder], check=True, capture_output=True)
        return _sha256(Path(folder) / "income-classifier" / file_name)


def seeded_pickle(api) -> Path:
    """Download fastmodels' pickle, but only the harmless one the seed wrote.

    Lesson 06 loads this pickle once, to show what loading a pickle does. That is safe
    only for the exact file ``modelshare hub seed`` published, whose code writes a note
    and nothing else. So this refuses on huggingface.co (where anyone could publish a
    repo with this name), rebuilds the seed's pickle here (without loading it) and
    refuses unless the hub's file has the same sha256; the downloaded bytes are
    checked again. It returns the path of the downloaded file.
    """
    repo, name = build.PICKLE_REPO, build.PICKLE_FILE  # read at call time
    host = urlparse(api.endpoint).hostname or ""
    if host in ("huggingface.co", "hf.co") or host.endswith(".huggingface.co"):
        raise PickleRefused(
            f"This kernel talks to {api.endpoint}: a {repo} there is not the course's "
            "harmless example, and loading its pickle could run anyone's code. Run this on "
            "the local or classroom hub.")
    expected = _seed_pickle_sha256(name)
    [entry] = api.get_paths_info(repo, [name])
    published = entry.lfs.sha256 if entry.lfs else None
    if published != expected:
        raise PickleRefused(
            f"{repo}/{name} on {api.endpoint} has sha256 {published}, not the "
            f"{expected} of the file the seed writes: it is not the course's harmless "
            "example (or your environment differs from the seed's), so it is not loaded.")
    path = Path(api.hf_hub_download(repo, name))
    if _sha256(path) != expected:
        raise PickleRefused(f"The downloaded {path} does not match its sha256; not loaded.")
    return path
