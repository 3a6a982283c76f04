"""Sphinx configuration of the course's website, built by `make book` (grader/book.py).

The pages are the lessons' student notebooks, executed beforehand with the reference answers and
then stripped of them; nothing runs here. MathJax is served by the site itself (no CDN).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # grader.book, even from a bare sphinx-build

from grader import book  # noqa: E402

project = "Optimization in Neural Networks"
author = "the course's authors"
copyright = "the course's authors, MIT licence"
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# MyST-NB: the notebooks arrive executed (grader/book.py) and are not run again.
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # no widget scripts from a CDN: a static page shows the default figure
nb_merge_streams = True  # one block per cell for its printed lines
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# Math: MathJax 3 from the site's own _static/mathjax/, copied there after the build.
mathjax_path = "mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_copy_source = False  # no _sources/ copies
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {"default_mode": "light"}  # the figures are drawn on white
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
}


def _copy_mathjax(app, exception):
    if exception is None and app.builder.format == "html":
        book.copy_mathjax(Path(app.outdir) / "_static")


def setup(app):
    app.connect("build-finished", _copy_mathjax)
