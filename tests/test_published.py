"""The course's address lives in one line (modelshare.published.REPOSITORY); the README's
badge and clone command follow it, and tools/sync_address.py moves every document."""

from __future__ import annotations

import sys
from pathlib import Path

from modelshare import published

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import sync_address  # noqa: E402


def test_the_readme_badge_and_clone_command_use_the_one_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert published.binder_badge() in readme, "run `python tools/sync_address.py`"
    assert published.clone_command() in readme, "run `python tools/sync_address.py`"
    assert sync_address.documented_address() == published.REPOSITORY


def test_moving_the_course_leaves_no_trace_of_the_old_address():
    old, new = published.REPOSITORY, "carpentries/sharing-models"
    owner, name = old.split("/")
    for path in sync_address.documents():
        moved = sync_address.synced(path.read_text(encoding="utf-8"), old, new)
        assert f"{owner}/{name}" not in moved and f"{owner}%2F{name}" not in moved, path.name
    readme = sync_address.synced((ROOT / "README.md").read_text(encoding="utf-8"), old, new)
    assert "https://mybinder.org/v2/gh/carpentries/sharing-models/main?urlpath=lab/tree/index.ipynb" \
        in readme
    assert "git clone https://github.com/carpentries/sharing-models.git" in readme
    assert "https://carpentries.github.io/sharing-models/" in readme


def test_every_form_of_the_address_moves():
    text = ("git clone https://github.com/OWNER/REPO /opt/course\n"
            "pip install 'modelshare @ git+https://github.com/OWNER/REPO@main'\n"
            "?repo=https%3A%2F%2Fgithub.com%2FOWNER%2FREPO&urlpath=lab%2Ftree%2FREPO%2Findex.ipynb\n"
            "https://owner.github.io/REPO/ and https://github.com/huggingface/hub-docs\n")
    assert sync_address.synced(text, "OWNER/REPO", "ada/course") == (
        "git clone https://github.com/ada/course /opt/course\n"
        "pip install 'modelshare @ git+https://github.com/ada/course@main'\n"
        "?repo=https%3A%2F%2Fgithub.com%2Fada%2Fcourse&urlpath=lab%2Ftree%2Fcourse%2Findex.ipynb\n"
        "https://ada.github.io/course/ and https://github.com/huggingface/hub-docs\n")


def test_the_links_follow_the_one_line(monkeypatch):
    monkeypatch.setattr(published, "REPOSITORY", "carpentries/sharing-models")
    assert published.site_url() == "https://carpentries.github.io/sharing-models/"
    assert published.binder_url("lessons/00_setup.ipynb") == (
        "https://mybinder.org/v2/gh/carpentries/sharing-models/main"
        "?urlpath=lab/tree/lessons/00_setup.ipynb")
    assert published.local_lab_url("lessons/00_setup.ipynb") == \
        "http://localhost:8888/lab/tree/lessons/00_setup.ipynb"
    assert not published.is_placeholder()
