"""Where the course is published: the one line to edit when the course moves.

``REPOSITORY`` is the GitHub address (``owner/name``) of the course. The
website (``make site``), lesson 00 and the launch links read it from here;
the README cannot run code, so ``tools/set_address.py`` writes it there and
``tests/test_published.py`` fails when the README and this line disagree.

    >>> from modelshare import published
    >>> published.binder_url("lessons/00_setup.ipynb").startswith("https://mybinder.org/v2/gh/")
    True
"""

from __future__ import annotations

from urllib.parse import quote

REPOSITORY = "OWNER/REPO"  # GitHub owner/name: the one line to edit when the course is published
BRANCH = "main"
BINDER = "https://mybinder.org"
LOCAL_LAB = "http://localhost:8888"  # where `make lab` serves JupyterLab when the port is free


def is_placeholder() -> bool:
    """True until someone writes the real address into ``REPOSITORY``."""
    return REPOSITORY == "OWNER/REPO"


def github_url() -> str:
    """The course's page on GitHub."""
    return f"https://github.com/{REPOSITORY}"


def clone_command(folder: str = "sharing-models-responsibly") -> str:
    """The command a learner types to get the course."""
    return f"git clone {github_url()}.git {folder}"


def binder_url(path: str = "index.ipynb") -> str:
    """Open ``path`` (relative to the repository root) in JupyterLab on mybinder.org."""
    return f"{BINDER}/v2/gh/{REPOSITORY}/{BRANCH}?urlpath={quote('lab/tree/' + path, safe='/')}"


def binder_badge() -> str:
    """The Markdown of the README's "launch on Binder" badge."""
    return f"[![Launch on Binder]({BINDER}/badge_logo.svg)]({binder_url()})"


def local_lab_url(path: str) -> str:
    """Open ``path`` in the JupyterLab that ``make lab`` started (default port)."""
    return f"{LOCAL_LAB}/lab/tree/{quote(path)}"


def site_url() -> str:
    """Where GitHub Pages serves the course website built by ``make site``."""
    owner, name = REPOSITORY.split("/")
    return f"https://{owner.lower()}.github.io/{name}/"
