"""Sphinx configuration of the course website (``make site``).

``tools/build_site.py`` copies the pages into ``_build/site-src/`` (with the
launch links and collapsed answers added) and runs Sphinx there; this file is
copied with them. Nothing is executed: the notebooks are shown with the
outputs committed in the repository.
"""

from html import escape

from modelshare import published

project = "Sharing Models Responsibly"
author = "Sharing Models Responsibly contributors"
copyright = "the contributors; lesson text CC-BY 4.0, code MIT"
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header"]  # lessons may start a cell at ### under a ## section

# Notebooks: show the committed outputs, never run them.
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # no widget JavaScript from a CDN: widget outputs become a note (build_site)
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist", "html_admonition"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
templates_path = ["_templates"]  # search-button-field.html: see its comment
html_css_files = ["course.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = True  # the download button offers each notebook
html_theme_options = {
    "repository_url": published.github_url(),
    "repository_branch": published.BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "launch_buttons": {"binderhub_url": published.BINDER, "notebook_interface": "jupyterlab"},
    "show_toc_level": 2,
    "home_page_in_toc": True,
}


def _visit_folded_cell(self, node):
    """myst-nb's folded cell, without the aria-label "Toggle hidden content" that hid the
    visible "Show the answer" from screen readers (axe: label-content-name-mismatch)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _depart_folded_cell(self, node):
    self.body.append("</details>\n")


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(_visit_folded_cell, _depart_folded_cell))
