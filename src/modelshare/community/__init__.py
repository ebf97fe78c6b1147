"""Someone else's models: a seeded community on the workshop hub, and a demo.

Lesson 06 finds, judges and reuses models that other people published. On
huggingface.co there are more than a million; on the workshop hub there are the few
that ``modelshare hub seed`` publishes (:data:`COMMUNITY`): the real
all-MiniLM-L6-v2 encoder with its real card, six small models trained from the
course's offline data with cards of very different quality, and two datasets with
dataset cards. Their download counts are set by the seed, to stand for other
people's downloads; yours count for real.

- :func:`check`: is the community on the hub this kernel talks to?
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

from modelshare.community import demo
from modelshare.community.build import COMMUNITY, SeedRepo

__all__ = ["COMMUNITY", "SeedRepo", "check", "demo"]


class CommunityMissing(RuntimeError):
    """The hub does not have the community: the message says how to seed it."""


def check(api=None) -> None:
    """Print what the hub holds of the community, or raise :class:`CommunityMissing`
    saying how to seed it."""
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi()
    missing = [r.repo_id for r in COMMUNITY
               if not api.repo_exists(r.repo_id, repo_type=r.repo_type)]
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
