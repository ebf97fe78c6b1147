"""Shared steps of the real-browser tests: find a browser, open a copy of a lesson.

**Which chromium.** :func:`find_chromium` looks, in order, at the ``CHROMIUM``
variable, a chromium or Chrome on ``PATH`` (Debian's ``/usr/bin/chromium``),
the usual macOS application folders, and a chromium that Playwright manages
(``python -m playwright install chromium``). ``make test`` first runs this file
(:func:`ensure_chromium`): on a fresh Debian or Ubuntu machine, as root, it
installs chromium itself; elsewhere it stops with the exact command to run.

**A lesson in JupyterLab.** The lesson is copied under test-artifacts/ so
JupyterLab never saves into lessons/; the page waits for JupyterLab's app
object (exposed by the ``jupyterlab`` fixture's flags) and opens the notebook
with a ready kernel.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Flags for a headless chromium on a machine without a screen or outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MAC_APPS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")


class BrowserNotFound(RuntimeError):
    """No chromium to drive; the message says what to run."""


def playwright_chromium() -> str | None:
    """The chromium that ``playwright install chromium`` put in its cache, if any."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # no driver for this platform: treat as "not installed"
        return None
    return path if path and Path(path).is_file() else None


def find_chromium(environ: dict[str, str] | None = None, *, managed: bool = True) -> str | None:
    """The path of a chromium to drive, or None."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("CHROMIUM")
    if chosen:
        path = shutil.which(chosen) or chosen
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            raise BrowserNotFound(f"CHROMIUM={chosen} is not an executable file; point it at a "
                                  "chromium or Chrome binary, or unset it.")
        return path
    for name in ON_PATH:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return found
    for app in MAC_APPS:
        if Path(app).is_file():
            return app
    return playwright_chromium() if managed else None


def os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value.strip().strip('"') for key, value in pairs}


def install_plan(system: str, release: dict[str, str], is_root: bool) -> tuple[list[list[str]], str]:
    """(commands ``make test`` may run itself, the command to tell a person) for this machine."""
    venv_python = ".venv/bin/python"  # what `make` creates; playwright is installed there
    distro = release.get("ID", "")
    like = release.get("ID_LIKE", "").split()
    if system == "Linux" and distro == "debian":
        apt = [["apt-get", "update", "-qq"],
               ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]]
        return (apt if is_root else []), "sudo apt-get install chromium"
    if system == "Linux" and (distro == "ubuntu" or "ubuntu" in like):
        # Ubuntu ships chromium only as a snap, which containers cannot run: use Playwright's.
        command = ["-m", "playwright", "install", "--with-deps", "chromium"]
        return ([[sys.executable, *command]] if is_root else []), " ".join(["sudo", venv_python,
                                                                            *command])
    if system == "Linux" and "debian" in like:
        return [], "sudo apt-get install chromium"
    if system == "Darwin":
        return [], f"brew install --cask chromium   (or: {venv_python} -m playwright install chromium)"
    return [], (f"{venv_python} -m playwright install chromium   "
                "(or set CHROMIUM=/path/to/chromium)")


def ensure_chromium(system: str | None = None, release: dict[str, str] | None = None,
                    is_root: bool | None = None) -> str:
    """Find a chromium, install one where that is safe and possible, or explain how."""
    found = find_chromium()
    if found:
        return found
    if is_root is None:
        is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    commands, advice = install_plan(system or platform.system(),
                                    os_release() if release is None else release, is_root)
    for command in commands:
        print("installing chromium for the browser tests:", " ".join(command), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(command, env=env).returncode != 0:
            break
    found = find_chromium()
    if found:
        return found
    raise BrowserNotFound(
        "The browser tests need chromium and none was found. Install it with:\n"
        f"    {advice}\n"
        "or point CHROMIUM at a chromium or Chrome binary: CHROMIUM=/path/to/chrome make test")

JS_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  return true;
}"""


JS_RUN_ALL = """async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  await app.commands.execute('notebook:run-all-cells');
  return true;
}"""
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@contextmanager
def browser_tab(chromium, failure_screenshot: Path, **page_options) -> Iterator:
    """A new chromium tab, closed afterwards; if the test fails inside, what the tab showed
    is saved to ``failure_screenshot`` (in test-artifacts/) before the failure goes on."""
    tab = chromium.new_page(**page_options)
    try:
        yield tab
    except Exception:
        tab.screenshot(path=str(failure_screenshot))
        raise
    finally:
        tab.close()


def open_new_notebook(chromium, jupyterlab, artifacts_dir: Path, sources: list[str], *,
                      workspace: str, viewport: dict):
    """(page, folder): a new notebook of these code cells, written under test-artifacts/, open
    in JupyterLab and run; the caller closes the page and may remove the folder."""
    import nbformat

    base, token = jupyterlab
    folder = artifacts_dir / f"{workspace}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": KERNELSPEC})
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, folder / "notebook.ipynb")
    tab = chromium.new_page(viewport=viewport)
    try:
        tab.goto(f"{base}/lab/workspaces/{workspace}?reset&token={token}")
        tab.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
        tab.evaluate("() => window.jupyterapp.restored")
        tab.evaluate(JS_RUN_ALL, (folder / "notebook.ipynb").relative_to(ROOT).as_posix())
    except Exception:
        tab.close()
        raise
    return tab, folder


def open_lesson_copy(chromium, jupyterlab, artifacts_dir: Path, lesson: Path, *, workspace: str,
                     viewport: dict):
    """(page, folder): a copy of ``lesson`` open in JupyterLab; the caller closes the page
    and may remove the folder."""
    base, token = jupyterlab
    folder = artifacts_dir / f"{workspace}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    shutil.copy(lesson, folder / lesson.name)
    relative = (folder / lesson.name).relative_to(ROOT).as_posix()
    tab = chromium.new_page(viewport=viewport)
    try:
        tab.goto(f"{base}/lab/workspaces/{workspace}?reset&token={token}")
        tab.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=60_000)
        tab.evaluate("() => window.jupyterapp.restored")
        tab.evaluate(JS_OPEN, relative)
    except Exception:
        tab.close()
        raise
    return tab, folder


# axe-core from npm (package.json / package-lock.json; `make test` runs `npm ci`): never a CDN.
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")


def axe_violations(page, within=None, impacts=BLOCKING) -> list[dict]:
    """Run axe-core in ``page`` on ``within`` (a Playwright locator, a CSS selector, or None for
    the whole page) and return the violations of the given impacts."""
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci` in {ROOT} (make test does)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    element = within.element_handle() if within is not None and not isinstance(within, str) else None
    selector = within if isinstance(within, str) else None
    result = page.evaluate(
        """async ([element, selector]) => {
          const context = element || (selector ? {include: [selector]} : document);
          const r = await axe.run(context, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' :: ' +
                                               (n.failureSummary || '').split('\\n')[1])}));
        }""", [element, selector])
    return [v for v in result if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One readable block per violation, for an assertion message."""
    return "\n".join(f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["targets"])
                     for v in violations)


if __name__ == "__main__":
    # `make test` runs this before the tests: find chromium, or install it, or explain.
    try:
        print(f"chromium for the browser tests: {ensure_chromium()}")
    except BrowserNotFound as problem:
        sys.exit(str(problem))
