"""A demo of the course's running example, as a Hugging Face Space would run it.

On huggingface.co a model's demo lives in a Space: a repo (``repo_type="space"``) with an
``app.py``, a ``requirements.txt`` and a README whose metadata names the SDK (here
Gradio) and the models it shows. :func:`space_files` writes those three files; the
``app.py`` it writes (``space_app.py`` next to this module, a plain Gradio script) loads
the model from the hub and builds the demo with :func:`build`'s code.

In a notebook, :func:`show` runs the same demo inline, offline: no analytics, no share
link, no fonts from a CDN, on 127.0.0.1 only.

    >>> demo = build(model)                          # doctest: +SKIP
    >>> url = show(demo)                             # doctest: +SKIP
    >>> space_files("_work/space", "learner/gss-income-1974-1989")   # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

APP = Path(__file__).with_name("space_app.py")
# What the Space installs (huggingface.co installs gradio itself, from the README's sdk_version).
SPACE_PACKAGES = ("scikit-learn", "skops", "pandas", "huggingface_hub")


def _app_module():
    """``space_app.py`` as a module (it is also the Space's ``app.py``, word for word)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
    spec = importlib.util.spec_from_file_location("space_app", APP)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(model):
    """The Gradio demo of an income classifier (a ``gr.Interface``): the eight answers in,
    the probability of an income above 25,000 out."""
    return _app_module().build(model)


def show(demo, port: int | None = None) -> str:
    """Run ``demo`` on 127.0.0.1 and show it in the notebook; return its address.

    Offline by design: analytics off, no share link (``share=False`` also keeps it off on
    a hosted notebook), quiet. The demo keeps running until the kernel stops or
    ``demo.close()``. In a browser on another machine (Binder, a JupyterHub) the inline
    window cannot reach 127.0.0.1: the Space is the way to share it there.
    """
    demo.launch(share=False, server_name="127.0.0.1", server_port=port, quiet=True,
                prevent_thread_lock=True, show_error=True,
                enable_monitoring=False, theme=_app_module().THEME)
    return demo.local_url


def space_files(folder: str | Path, model_repo: str) -> Path:
    """Write a Space for ``model_repo``: ``app.py``, ``requirements.txt`` and ``README.md``
    (``sdk: gradio``, ``models: [model_repo]``); return the folder."""
    from importlib import metadata

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    app = APP.read_text().replace('MODEL = "learner/gss-income-1974-1989"',
                                  f"MODEL = {model_repo!r}")
    (folder / "app.py").write_text(app)
    (folder / "requirements.txt").write_text(
        "".join(f"{name}=={metadata.version(name)}\n" for name in SPACE_PACKAGES))
    title = model_repo.split("/")[-1]
    (folder / "README.md").write_text(
        f"---\ntitle: {title} demo\nsdk: gradio\nsdk_version: {metadata.version('gradio')}\n"
        f"app_file: app.py\nmodels:\n- {model_repo}\nlicense: mit\npinned: false\n---\n\n"
        f"# {title}: try it\n\nEight survey answers in, the model's probability of an income "
        f"above 25,000 (1986 dollars) out. The model and its card: `{model_repo}`. A demo "
        "for learning, not a tool for decisions about anyone.\n")
    return folder
