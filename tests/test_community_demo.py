"""The Gradio demo of the running example (lesson 06): its Space files, the app itself
driven in chromium as a visitor would, and nothing sent anywhere but 127.0.0.1."""

from __future__ import annotations

import ast
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml

from modelshare import data, example
from modelshare.community import demo


@pytest.fixture(scope="module")
def model():
    split = example.training_split(data.gss_wages())
    return example.income_pipeline().fit(split.X_train, split.y_train)


def test_space_files_are_what_a_gradio_space_needs(tmp_path):
    folder = demo.space_files(tmp_path / "space", "ada/gss-income-1974-1989")
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "app.py", "requirements.txt"]
    meta = yaml.safe_load((folder / "README.md").read_text().split("---")[1])
    assert meta["sdk"] == "gradio" and meta["app_file"] == "app.py"
    assert meta["models"] == ["ada/gss-income-1974-1989"]
    app = (folder / "app.py").read_text()
    assert 'MODEL = \'ada/gss-income-1974-1989\'' in app
    ast.parse(app)  # a valid script, standing alone: it imports nothing from modelshare
    assert "modelshare" not in "".join(line for line in app.splitlines()
                                       if line.startswith(("import", "from")))
    pins = (folder / "requirements.txt").read_text().splitlines()
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][^\s]*", line) for line in pins)
    assert any(line.startswith("skops==") for line in pins)


def test_the_space_app_runs_as_a_script_against_a_hub(tmp_path, local_hub, model):
    """`python app.py` on a Space: download the model from the hub, build, serve."""
    import skops.io as sio
    from huggingface_hub import HfApi, constants

    repo = f"{local_hub.user}/demo-model"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        api = HfApi(endpoint=local_hub.endpoint, token=local_hub.token)
        api.create_repo(repo, exist_ok=True)
        sio.dump(model, tmp_path / "model.skops")
        api.upload_file(path_or_fileobj=tmp_path / "model.skops", path_in_repo="model.skops",
                        repo_id=repo)
    folder = demo.space_files(tmp_path / "space", repo)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "GRADIO_"))}
    env |= {**local_hub.env(), "GRADIO_SERVER_PORT": str(port)}
    app = subprocess.Popen([sys.executable, "app.py"], cwd=folder, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in app.stdout:
            if f"127.0.0.1:{port}" in line:
                break
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=30) as answer:
            assert b"GSS income classifier" in answer.read()
    finally:
        app.terminate()
        app.wait(timeout=30)


@pytest.mark.browser
def test_a_visitor_drives_the_demo_in_chromium_and_nothing_leaves_the_machine(
        model, chromium, artifacts_dir):
    app = demo.build(model)
    url = demo.show(app)
    elsewhere: list[str] = []
    tab = chromium.new_page(viewport={"width": 1100, "height": 1000})
    tab.on("request", lambda r: elsewhere.append(r.url)
           if urlparse(r.url).hostname not in ("127.0.0.1", None) and
           not r.url.startswith(("data:", "blob:")) else None)
    try:
        assert urlparse(url).hostname == "127.0.0.1"
        tab.goto(url)
        tab.get_by_role("combobox", name="Education", exact=True).click()
        tab.get_by_role("option", name="Graduate").click()
        tab.get_by_role("combobox", name="Occupation", exact=True).click()
        tab.get_by_role("option", name="Business/Finance").click()
        tab.get_by_role("button", name="Submit").click()
        answer = tab.get_by_text("income above 25,000").last
        answer.wait_for()
        tab.wait_for_function("() => document.body.innerText.match(/income above 25,000\\s*\\d+%/)")
        shown = int(re.search(r"income above 25,000\s*(\d+)%", tab.inner_text("body")).group(1))
        row = pd.DataFrame([{"age": 40, "childs": 2, "prestg10": 44, "gender": "Female",
                             "educcat": "Graduate", "maritalcat": "Married",
                             "occrecode": "Business/Finance", "wrkstat": "Full-Time"}])
        assert shown == round(100 * model.predict_proba(row)[0, 1])
        tab.screenshot(path=str(artifacts_dir / "demo-income.png"), full_page=True)
        assert elsewhere == [], f"the demo loaded something from elsewhere: {elsewhere}"
    except Exception:
        tab.screenshot(path=str(artifacts_dir / "demo-failed.png"))
        raise
    finally:
        tab.close()
        app.close()


def demo_cell() -> str:
    """Lesson 06's demo cell, word for word (the one that calls community.demo.show)."""
    import nbformat

    lesson = nbformat.read(ROOT / "lessons" / "06_finding_and_reusing.ipynb", as_version=4)
    [cell] = [c for c in lesson.cells if c.cell_type == "code" and "demo.show(" in c.source]
    return cell.source


ROOT = Path(__file__).resolve().parents[1]
JS_RUN_ALL = """async () => {
  await window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_lesson_06s_demo_cell_shows_the_demo_inline_in_jupyterlab(jupyterlab, chromium,
                                                                   artifacts_dir, tmp_path):
    """The lesson's own demo cell, run in a real JupyterLab, shows the app inline; a learner
    submits it there and gets the model's answer."""
    import nbformat
    from browser_helpers import open_lesson_copy

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("from modelshare import community, data, example"),
        nbformat.v4.new_code_cell(demo_cell()),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    source = tmp_path / "06_demo_only.ipynb"
    nbformat.write(notebook, source)
    tab, folder = open_lesson_copy(chromium, jupyterlab, artifacts_dir, source,
                                   workspace="demo-test", viewport={"width": 1300, "height": 1200})
    try:
        tab.evaluate(JS_RUN_ALL)
        frame_element = tab.wait_for_selector("iframe", timeout=120_000)
        frame = frame_element.content_frame()
        frame.wait_for_selector("text=Submit", timeout=60_000)
        assert urlparse(frame.url).hostname == "127.0.0.1"
        frame.get_by_role("button", name="Submit").click()
        frame.wait_for_function(
            "() => document.body.innerText.match(/income above 25,000\\s*\\d+%/)", timeout=60_000)
        tab.screenshot(path=str(artifacts_dir / "demo-in-jupyterlab.png"))
    except Exception:
        tab.screenshot(path=str(artifacts_dir / "demo-in-jupyterlab-failed.png"))
        raise
    finally:
        tab.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
        tab.close()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
