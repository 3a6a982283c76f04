"""The course as a website (`make book`, grader/book.py), opened in Debian's Chromium.

The site is built once for this module from the current sources (into a temporary folder, not
build/book), served from a local http.server on a free loopback port, and every lesson page is
opened in Chromium through Playwright (no browser download). Per page: its math is typeset by the
site's own MathJax (no raw TeX left in the text), every figure is loaded and there is at least
one, the next/previous links lead to the neighbouring lessons, no reference answer or hidden test
is anywhere on it, and no request leaves the local server. A screenshot of each page goes to
artifacts/book/<slug>.png.
"""

import ast
import functools
import html
import http.server
import importlib
import inspect
import re
import subprocess
import sys
import threading
import time
import warnings

import nbformat
import pytest
from playwright.sync_api import sync_playwright
from support.browser import CHROMIUM_ARGS, ensure_chromium

from grader import book, course
from grader.solution_modules import is_graded_function, module_name

SLUGS = course.lesson_slugs()
ARTIFACTS = course.ROOT / "artifacts" / "book"
BUILD_TIMEOUT_S = 600  # the build takes well under a minute; this only stops a hang
SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.M | re.S)
FORBIDDEN_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "check_hidden", "grader.hidden")
MIN_DISTINCTIVE = 12  # characters: shorter lines of an answer (`return v, s`) could be anywhere
RAW_DOLLAR_MATH = re.compile(r"\$[^$\s][^$]*\$")
RAW_TEX_COMMAND = re.compile(r"\\(?:[a-zA-Z]{2,}|[,;!{}()\[\]])")
LOCAL_SCHEMES = ("data:", "blob:", "about:")


# ----------------------------------------------------------------------------- what must not be on a page


def squeeze(text):
    return " ".join(text.split())


def answer_body(function):
    """The source of a function after its signature and docstring."""
    source = inspect.getsource(function)
    definition = ast.parse(source).body[0]
    start = definition.body[1 if ast.get_docstring(definition) is not None else 0].lineno
    return "\n".join(source.splitlines()[start - 1:])


@functools.cache
def reference_lines(slug):
    """(distinctive lines of the lesson's reference answers, its graded functions): the lines
    between nbgrader's solution markers in its source and the bodies of its graded functions in the
    `solutions` package, without those the lesson also shows outside its answers (in a hint)."""
    notebook = course.read_lesson(slug)
    answers, public = [], []
    for cell in notebook.cells:
        answers += SOLUTION_REGION.findall(cell.source)
        public.append(SOLUTION_REGION.sub("", cell.source))
    graded = [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells if is_graded_function(cell)]
    if graded:
        module = importlib.import_module(f"solutions.{module_name(slug)}")
        answers += [answer_body(getattr(module, name)) for name in graded if hasattr(module, name)]
    shown = squeeze("\n".join(public).replace("`", ""))  # the text, hints and code the lesson shows anyway
    lines = {squeeze(line) for text in answers for line in text.splitlines()}
    distinctive = [line for line in lines if len(line) >= MIN_DISTINCTIVE and line not in shown and "###" not in line]
    return sorted(distinctive), graded


def leaks(text, slug):
    """The reference-answer lines and markers found in a page's text (whitespace squeezed)."""
    text = squeeze(text)
    lines, _ = reference_lines(slug)
    return [marker for marker in FORBIDDEN_MARKERS if marker in text] + [line for line in lines if line in text]


def test_the_answers_have_lines_to_look_for():
    """The leak checks below look for something: every lesson with graded functions has
    distinctive lines in their reference answers. A function whose whole answer the lesson shows
    elsewhere anyway (in an experiment or a hint) has none, and is named here."""
    for slug in SLUGS:
        lines, graded = reference_lines(slug)
        module = importlib.import_module(f"solutions.{module_name(slug)}") if graded else None
        functions = [name for name in graded if hasattr(module, name)]  # not the answers to questions
        unguarded = [name for name in functions if not any(line in squeeze(answer_body(getattr(module, name)))
                                                           for line in lines)]
        if unguarded:
            print(f"\nbook: {slug}: the lesson shows the whole answer of {unguarded} outside its solution cell")
        assert not functions or len(unguarded) < len(functions), f"{slug}: no distinctive line to look for"


def test_student_page_keeps_no_answer():
    """book.student_page, with the lesson's released notebook and without one (nbgrader's stubs
    then): every answer cell is there with a stub, no hidden check and no reference line."""
    for slug in SLUGS:
        source = course.read_lesson(slug)
        solutions = [cell.id for cell in source.cells if cell.metadata.get("nbgrader", {}).get("solution")]
        for released in (book.released_notebook(slug), None):
            page = book.student_page(source, released)
            ids = [cell.id for cell in page.cells]
            assert set(solutions) <= set(ids), f"{slug}: answer cells left out: {set(solutions) - set(ids)}"
            grade = [cell.metadata.get("nbgrader", {}).get("grade_id", "") for cell in page.cells]
            hidden = [grade_id for grade_id in grade if grade_id.endswith("_hidden")]
            assert not hidden, f"{slug}: hidden checks on the page: {hidden}"
            assert not leaks("\n".join(cell.source for cell in page.cells), slug), (slug, released is None)


# ----------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(the folder of the site built from the current sources by `python -m grader.book`, in a
    temporary folder; the folder of the student notebooks it was built from)."""
    out = tmp_path_factory.mktemp("book") / "site"
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "grader.book", "--out", str(out)],
        cwd=course.ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
    )
    print(f"\nbook: `python -m grader.book` took {time.monotonic() - start:.1f} s: {result.stdout.strip()[-300:]}")
    assert result.returncode == 0, f"the site did not build:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return out, out.parent / "site-work" / "source"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(site):
    """http://127.0.0.1:<free port>/ serving the built site."""
    folder, _ = site
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    path, problem, skip = ensure_chromium()
    if path is None and skip:
        message = f"BOOK BROWSER TESTS SKIPPED: {problem}. Install Debian's `chromium` to run them."
        print(f"\n{'!' * 100}\n{message}\n{'!' * 100}", file=sys.stderr)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    if path is None:
        pytest.fail(problem)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page in a context of its own that records every request, every failed one and the
    page's script errors."""

    def __init__(self, browser, base):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.requests, self.failures = [], []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("requestfailed", lambda request: self.failures.append(f"{request.url} ({request.failure})"))
        self.context.on("response", self._response)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.script_errors = []
        self.page.on("pageerror", lambda error: self.script_errors.append(str(error)))

    def _response(self, response):
        if response.status >= 400:
            self.failures.append(f"{response.url} (HTTP {response.status})")

    def start(self, path):
        """Start loading the page; finish() waits for it."""
        self.page.goto(self.base + path, wait_until="commit")

    def open(self, path):
        self.start(path)
        self.finish()

    def finish(self):
        """Wait until the page is loaded, its math typeset and its images decoded."""
        self.page.wait_for_load_state("load")
        if self.page.locator("script[src*='mathjax/']").count():
            self.page.wait_for_function("() => window.MathJax?.startup?.promise")
            self.page.evaluate("() => MathJax.startup.promise")
        self.page.wait_for_function("() => [...document.images].every(img => img.complete)")

    def outside(self):
        local = (self.base, *LOCAL_SCHEMES)
        return sorted({url for url in self.requests if not url.startswith(local)})

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, server):
    visit = Visit(browser, server)
    yield visit
    visit.close()


@pytest.fixture(scope="module")
def lesson_visits(browser, server):
    """{slug: Visit} filled as the lesson tests ask: each page starts loading while the test of
    the one before reads and screenshots that one (Chromium then uses both cores)."""
    visits = {}

    def start(slug):
        if slug not in visits:
            visits[slug] = Visit(browser, server)
            visits[slug].start(f"{slug}.html")

    yield visits, start
    for visit in visits.values():
        visit.close()


@pytest.fixture
def lesson_visit(request, lesson_visits):
    """The Visit of the test's lesson, loaded; the next lesson's page starts loading meanwhile."""
    visits, start = lesson_visits
    slug = request.node.callspec.params["slug"]
    start(slug)
    index = SLUGS.index(slug)
    if index + 1 < len(SLUGS):
        start(SLUGS[index + 1])
    visit = visits[slug]
    visit.finish()
    yield visit
    visits.pop(slug).close()


# Text of the page a reader sees as text: code, typeset math and scripts left out.
PROSE_JS = """() => {
  const skip = 'pre, code, script, style, mjx-container, .highlight, textarea, noscript';
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(skip)) parts.push(node.textContent);
  }
  return parts.join(' ');
}"""

MATH_JS = """() => ({
  math: document.querySelectorAll('.bd-article .math').length,
  typeset: document.querySelectorAll('.bd-article mjx-container').length,
  untypeset: [...document.querySelectorAll('.bd-article .math')]
    .filter(el => !el.querySelector('mjx-container')).map(el => el.textContent.slice(0, 80)),
  errors: [...document.querySelectorAll('mjx-merror')].map(el => el.textContent.slice(0, 80)),
})"""

IMAGES_JS = """() => [...document.querySelectorAll('.bd-article img')].map(img => ({
  src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight}))"""


def figure_count(notebook_path):
    notebook = nbformat.read(notebook_path, as_version=4)
    return sum(
        1
        for cell in notebook.cells if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if any(mime.startswith("image/") for mime in output.get("data", {}))
    )


def lesson_has_math(slug):
    return any(cell.cell_type == "markdown" and "$" in cell.source for cell in course.read_lesson(slug).cells)


def test_landing_page_lists_the_lessons_in_order(visit, site):
    visit.open("index.html")
    links = visit.page.eval_on_selector_all(
        ".bd-article .toctree-wrapper a.reference.internal", "links => links.map(a => a.getAttribute('href'))"
    )
    assert links == [f"{slug}.html" for slug in SLUGS], links
    visit.page.locator(".bd-article .toctree-wrapper a.reference.internal").first.click()
    visit.page.wait_for_url(f"**/{SLUGS[0]}.html")
    assert not visit.outside(), f"requests left the site: {visit.outside()}"
    assert not visit.failures, visit.failures
    assert not visit.script_errors, visit.script_errors


def test_no_file_of_the_site_holds_an_answer(site):
    """Every page, the search index and anything else the site serves (its theme's and MathJax's
    files aside): no solution marker, hidden test or reference-answer line."""
    folder, _ = site
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or "_static" in path.relative_to(folder).parts or path.suffix in (".png", ".inv"):
            continue
        text = squeeze(html.unescape(re.sub(r"<[^>]+>", "", path.read_text(errors="replace"))))
        # a lesson's page against its own answers (a later lesson may show an earlier one's code),
        # any other file against every lesson's
        own = [path.stem] if path.stem in SLUGS else SLUGS
        found += [f"{path.relative_to(folder)}: {leak!r}" for slug in own for leak in leaks(text, slug)]
    assert not found, "\n".join(found)


def test_pages_load_nothing_from_elsewhere(site):
    """No page names a script, stylesheet, font or image outside the site (a CDN): a reader
    needs no network, the browser tests below check the requests of the lesson pages."""
    folder, _ = site
    external = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)
    found = [f"{path.name}: {match.group(0)}" for path in folder.rglob("*.html")
             for match in external.finditer(path.read_text(errors="replace"))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("slug", SLUGS)
def test_lesson_page(lesson_visit, site, slug):
    _, sources = site
    visit = lesson_visit
    page = visit.page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{slug}.png"
    page.screenshot(path=str(shot))  # the first screen: title, links, first math (a full page costs ~1.7 s)
    print(f"\nbook: screenshot {shot.relative_to(course.ROOT)}")

    # the math is typeset, all of it, with no error and no raw TeX left in the text
    math = page.evaluate(MATH_JS)
    if lesson_has_math(slug):
        assert math["math"] > 0 and math["typeset"] > 0, f"{slug}: no typeset math: {math}"
    assert not math["untypeset"], f"{slug}: math left as TeX: {math['untypeset'][:5]}"
    assert not math["errors"], f"{slug}: MathJax errors: {math['errors'][:5]}"
    prose = page.evaluate(PROSE_JS)
    assert not RAW_DOLLAR_MATH.findall(prose), f"{slug}: raw $...$ in the text: {RAW_DOLLAR_MATH.findall(prose)[:5]}"
    assert not RAW_TEX_COMMAND.findall(prose), f"{slug}: raw TeX in the text: {RAW_TEX_COMMAND.findall(prose)[:5]}"

    # every figure of the executed run is on the page and loaded
    images = page.evaluate(IMAGES_JS)
    expected = figure_count(sources / f"{slug}.ipynb")
    assert expected >= 1, f"{slug}: the executed lesson drew no figure"
    assert len(images) == expected, f"{slug}: {len(images)} images on the page, {expected} figures in the notebook"
    broken = [image["src"] for image in images if image["width"] == 0]
    assert not broken, f"{slug}: figures that did not load: {broken}"

    # no reference answer, hidden test or solution marker anywhere in the page (hidden parts included)
    text = page.evaluate("() => document.body.textContent")
    assert not leaks(text, slug), f"{slug}: the page shows a reference answer: {leaks(text, slug)}"
    assert "# YOUR CODE HERE" in text or not reference_lines(slug)[1], f"{slug}: no stub of a graded function"

    # nothing came from outside the local server, nothing was missing
    assert not visit.outside(), f"{slug}: requests left the site: {visit.outside()}"
    assert not visit.failures, f"{slug}: failed requests: {visit.failures}"
    assert not visit.script_errors, f"{slug}: script errors: {visit.script_errors}"

    # navigation: the table of contents lists every lesson; previous and next lead to the neighbours
    toc = set(page.eval_on_selector_all(".bd-sidebar-primary a.reference.internal", "a => a.map(x => x.href)"))
    missing = [other for other in SLUGS if other != slug and f"{visit.base}{other}.html" not in toc]
    assert not missing, f"{slug}: the table of contents lacks {missing}: {sorted(toc)}"
    index = SLUGS.index(slug)
    previous = page.locator(".prev-next-area a.left-prev")
    assert previous.get_attribute("href") == (f"{SLUGS[index - 1]}.html" if index else "index.html")
    following = page.locator(".prev-next-area a.right-next")
    if index + 1 < len(SLUGS):
        following.click()
        page.wait_for_url(f"**/{SLUGS[index + 1]}.html", wait_until="domcontentloaded")
        assert page.locator("h1").first.inner_text().startswith(f"Lesson {SLUGS[index + 1][:2]}")
    else:
        assert not following.count(), f"{slug}: the last lesson links to a next page"
