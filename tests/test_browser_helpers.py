"""How `make test` finds a browser on a learner's or contributor's machine."""

from __future__ import annotations

import os
import stat
import sys

import browser_helpers as bh
import pytest


def fake_browser(folder, name="chromium"):
    path = folder / name
    path.write_text("#!/bin/sh\necho fake\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_chromium_variable_wins(tmp_path):
    chosen = fake_browser(tmp_path, "my-chrome")
    other = fake_browser(tmp_path, "chromium")
    assert bh.find_chromium({"CHROMIUM": str(chosen), "PATH": str(other.parent)}) == str(chosen)


def test_a_wrong_chromium_variable_is_an_error_that_says_what_to_do(tmp_path):
    with pytest.raises(bh.BrowserNotFound, match="not an executable file"):
        bh.find_chromium({"CHROMIUM": str(tmp_path / "missing"), "PATH": ""})


def test_chromium_on_the_path_is_found(tmp_path):
    for name in ("chromium-browser", "google-chrome"):
        folder = tmp_path / name
        folder.mkdir()
        found = fake_browser(folder, name)
        assert bh.find_chromium({"PATH": str(folder)}, managed=False) == str(found)


def test_nothing_found_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(bh, "MAC_APPS", ())
    assert bh.find_chromium({"PATH": str(tmp_path)}, managed=False) is None


def test_a_playwright_cache_without_chromium_is_not_a_browser(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    assert bh.playwright_chromium() is None


DEBIAN = {"ID": "debian", "VERSION_ID": "12"}
UBUNTU = {"ID": "ubuntu", "ID_LIKE": "debian", "VERSION_ID": "24.04"}
MINT = {"ID": "linuxmint", "ID_LIKE": "ubuntu debian"}
FEDORA = {"ID": "fedora"}


def test_install_plans_per_platform():
    commands, advice = bh.install_plan("Linux", DEBIAN, is_root=True)
    assert commands[-1][:2] == ["apt-get", "install"] and "chromium" in commands[-1]
    assert advice == "sudo apt-get install chromium"
    assert bh.install_plan("Linux", DEBIAN, is_root=False) == ([], "sudo apt-get install chromium")
    for release in (UBUNTU, MINT):
        commands, advice = bh.install_plan("Linux", release, is_root=True)
        assert commands == [[sys.executable, "-m", "playwright", "install", "--with-deps",
                             "chromium"]]
        assert advice == "sudo .venv/bin/python -m playwright install --with-deps chromium"
    assert bh.install_plan("Linux", UBUNTU, is_root=False)[0] == []
    commands, advice = bh.install_plan("Darwin", {}, is_root=False)
    assert commands == [] and advice.startswith("brew install --cask chromium")
    commands, advice = bh.install_plan("Linux", FEDORA, is_root=True)
    assert commands == [] and "playwright install chromium" in advice


def test_os_release_is_read(tmp_path):
    path = tmp_path / "os-release"
    path.write_text('PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\n')
    assert bh.os_release(path) == {"PRETTY_NAME": "Ubuntu 24.04 LTS", "ID": "ubuntu",
                                   "ID_LIKE": "debian"}
    assert bh.os_release(tmp_path / "none") == {}


def test_ensure_runs_the_plan_then_finds_the_browser(tmp_path, monkeypatch):
    """As root on Debian or Ubuntu the plan's commands run; here they install a fake browser."""
    monkeypatch.setattr(bh, "MAC_APPS", ())
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(bh, "ON_PATH", ("fake-chromium-for-test",))
    monkeypatch.setattr(bh, "playwright_chromium", lambda: None)
    script = (f"import pathlib, stat; p = pathlib.Path({str(tmp_path)!r}) / 'fake-chromium-for-test'; "
              "p.write_text('#!/bin/sh\\n'); p.chmod(p.stat().st_mode | stat.S_IXUSR)")
    monkeypatch.setattr(bh, "install_plan",
                        lambda *a: ([[sys.executable, "-c", script]], "unused"))
    assert bh.ensure_chromium("Linux", DEBIAN, True) == str(tmp_path / "fake-chromium-for-test")


def test_ensure_stops_with_the_exact_command_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setattr(bh, "MAC_APPS", ())
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(bh, "playwright_chromium", lambda: None)
    with pytest.raises(bh.BrowserNotFound) as problem:
        bh.ensure_chromium("Darwin", {}, False)
    assert "brew install --cask chromium" in str(problem.value)
    assert "CHROMIUM=/path/to/chrome make test" in str(problem.value)


@pytest.mark.browser
def test_a_failing_browser_test_leaves_a_screenshot_and_closes_its_tab(chromium, tmp_path):
    shot = tmp_path / "failed.png"
    with pytest.raises(AssertionError, match="the page said"):
        with bh.browser_tab(chromium, shot) as tab:
            tab.set_content("<html lang='en'><body><p>the page said</p></body></html>")
            raise AssertionError(tab.inner_text("p"))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and tab.is_closed()
    with bh.browser_tab(chromium, tmp_path / "not-needed.png") as tab:
        tab.set_content("<p>fine</p>")
    assert not (tmp_path / "not-needed.png").exists() and tab.is_closed()
