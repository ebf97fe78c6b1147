"""The course's address lives in one line (modelshare.published.REPOSITORY); the README's
badge and clone command, and the website's launch links, follow it."""

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


def test_no_document_points_at_another_address():
    stale = [p.name for p in sync_address.documents()
             if sync_address.synced(p, p.read_text(encoding="utf-8")) != p.read_text(encoding="utf-8")]
    assert not stale, f"{stale} disagree with published.REPOSITORY: run `python tools/sync_address.py`"


def test_changing_the_one_line_changes_every_link(monkeypatch, tmp_path):
    monkeypatch.setattr(published, "REPOSITORY", "carpentries/sharing-models")
    readme = ROOT / "README.md"
    new = sync_address.synced(readme, readme.read_text(encoding="utf-8"))
    assert "https://mybinder.org/v2/gh/carpentries/sharing-models/main?urlpath=lab/tree/index.ipynb" in new
    assert "git clone https://github.com/carpentries/sharing-models.git sharing-models-responsibly" in new
    assert "OWNER/REPO" not in new
    assert "https://carpentries.github.io/sharing-models/" in new
    assert published.site_url() == "https://carpentries.github.io/sharing-models/"
    assert published.local_lab_url("lessons/00_setup.ipynb") == \
        "http://localhost:8888/lab/tree/lessons/00_setup.ipynb"
    assert not published.is_placeholder()
