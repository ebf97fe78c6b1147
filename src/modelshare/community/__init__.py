"""Someone else's models: a seeded community on the workshop hub, and a demo.

Lesson 06 finds, judges and reuses models that other people published. On
huggingface.co there are a million; on the workshop hub there are the few that
``modelshare hub seed`` publishes (:data:`COMMUNITY`): the real all-MiniLM-L6-v2
encoder with its real card, six small models trained from the course's offline data
with cards of very different quality, and two datasets with dataset cards.

- :mod:`~modelshare.community.build`: trains each model and writes each repo's files.
- :mod:`~modelshare.community.publish`: publishes them with ``huggingface_hub``, one user each.
- :mod:`~modelshare.community.cli`: ``modelshare hub seed`` (users, downloads, idempotence).

Example::

    >>> from modelshare import community
    >>> [repo.repo_id for repo in community.COMMUNITY][:2]
    ['survey-lab/gss-wages', 'review-corpora/fine-food-reviews']
"""

from modelshare.community.build import COMMUNITY, SeedRepo

__all__ = ["COMMUNITY", "SeedRepo"]
