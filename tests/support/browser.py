"""Helpers of the browser end-to-end test (tests/test_browser.py): Debian's Chromium, a
JupyterLab server on a free loopback port, and Playwright steps on JupyterLab's pages.

Nothing here downloads a browser: Playwright (from PyPI) drives the system Chromium.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# JupyterLab user settings for the test server: every cell stays in the page (JupyterLab 4
# otherwise leaves cells out of the DOM while they are off screen) and no news pop-up.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}


# ----------------------------------------------------------------------------- Chromium


def find_chromium():
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


def ensure_chromium(log=print):
    """The path of Debian's Chromium, installed with apt-get when missing (as root).

    Returns (path, problem, skip): path is None when Chromium cannot be had; `problem` says
    why, and `skip` is True only when there is neither Chromium nor apt-get on this machine.
    """
    path = find_chromium()
    if path:
        return path, None, False
    apt = shutil.which("apt-get")
    if apt is None:
        return None, "Chromium is not installed and this machine has no apt-get to install Debian's `chromium`", True
    if os.geteuid() != 0:
        return None, "Chromium is missing: run `sudo apt-get install chromium` (the test installs it as root)", False
    log("\nbrowser test: installing Debian's chromium with apt-get (about a minute) ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            return None, f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stderr[-2000:]}", False
    path = find_chromium()
    if path is None:
        return None, "apt-get installed chromium but no chromium executable was found", False
    return path, None, False


# ----------------------------------------------------------------------------- JupyterLab


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """`jupyter lab` on 127.0.0.1:<free port> serving root_dir, started from the running
    Python's environment (its bin/ first on PATH) with isolated user settings."""

    def __init__(self, root_dir, home, *, cwd=None, startup_timeout=90):
        self.root_dir = Path(root_dir).resolve()
        self.home = Path(home).resolve()
        self.cwd = Path(cwd or root_dir).resolve()
        self.startup_timeout = startup_timeout
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process = None
        self.log_path = self.home / "jupyter-lab.log"

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        separator = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{separator}token={self.token}"

    def _environment(self):
        settings = self.home / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            target = settings / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        for folder in ("config", "runtime", "workspaces", "ipython"):
            (self.home / folder).mkdir(parents=True, exist_ok=True)
        bin_dir = str(Path(sys.executable).parent)
        return dict(
            os.environ,
            PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            JUPYTER_CONFIG_DIR=str(self.home / "config"),
            JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.home / "workspaces"),
            IPYTHONDIR=str(self.home / "ipython"),
            MPLBACKEND="module://matplotlib_inline.backend_inline",  # not an Agg inherited from other tests
            # The lessons run with their answers filled in: earlier lessons' functions come from
            # `solutions` (coursekit.earlier), not from the student's notebooks.
            COURSE_EARLIER="solutions",
            PYTHONUNBUFFERED="1",
        )

    def start(self):
        jupyter = Path(sys.executable).parent / "jupyter"
        command = [
            str(jupyter),
            "lab",
            "--no-browser",
            f"--port={self.port}",
            "--ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_root=True",
            "--LabApp.news_url=",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: open and close notebooks, no reloads
        ]
        self.home.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")  # closed in stop()
        self.process = subprocess.Popen(
            command,
            cwd=self.cwd,
            env=self._environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # stop() ends the server and its kernels as one process group
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url("api/status"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer /api/status in {self.startup_timeout} s:\n{self.log_tail()}")

    def api(self, method, path):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self, notebook_path):
        """Shut down the kernel sessions of a notebook (by its path under root_dir)."""
        for session in self.api("GET", "sessions"):
            if session.get("path") == notebook_path:
                self.api("DELETE", f"sessions/{session['id']}")

    def log_tail(self, chars=4000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self):
        """Stop the server (and the kernels it started: its own process group)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=5)
        self._log.close()
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()


# ----------------------------------------------------------------------------- JupyterLab pages

# What the test reads from a notebook page: per code cell, in notebook order, its prompt,
# the text of its outputs, the text of each stderr output (JupyterLab renders errors and
# stderr streams alike, as application/vnd.jupyter.stderr) and its images.
READ_CELLS_JS = """
() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell.jp-CodeCell')]
  .map(cell => {
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
    return {
      prompt: (cell.querySelector('.jp-InputArea-prompt')?.textContent || '').trim(),
      text: outputs.map(o => o.innerText).join('\\n'),
      stderr: outputs.filter(o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr')
        .map(o => o.innerText),
      images: [...cell.querySelectorAll('.jp-OutputArea-output img')].map(img => ({
        src: img.getAttribute('src') || '', width: img.naturalWidth, height: img.naturalHeight})),
    };
  })
"""

# Cheap to poll while a notebook runs: the prompts ([ ], [*], [3]), the kernel status and
# whether some output is stderr (a run stops at the first error).
PROGRESS_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  return {
    prompts: [...panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim()),
    status: panel.querySelector('.jp-Notebook-ExecutionIndicator')?.getAttribute('data-status') || null,
    stderr: panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
  };
}
"""

KERNEL_STATUS_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const indicator = panel?.querySelector('.jp-Notebook-ExecutionIndicator');
  return indicator ? indicator.getAttribute('data-status') : null;
}
"""


CELLS_SHOWN_JS = """count => document.querySelectorAll(
  '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell').length === count"""

# Every JupyterLab dialog that appears is kept in window.e2eDialogs, so that a failure can say
# which dialog was in the way (none is expected).
RECORD_DIALOGS_JS = """
window.e2eDialogs = [];
new MutationObserver(() => {
  for (const dialog of document.querySelectorAll('.jp-Dialog:not([data-e2e-seen])')) {
    dialog.setAttribute('data-e2e-seen', '1');
    window.e2eDialogs.push((dialog.innerText || '').slice(0, 300));
  }
}).observe(document, {childList: true, subtree: true});
"""


def new_page(browser, viewport=None, timeout=60_000):
    """A page in a context of its own that records JupyterLab's dialogs (dialogs_seen)."""
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900})
    context.add_init_script(RECORD_DIALOGS_JS)
    page = context.new_page()
    page.set_default_timeout(timeout)
    return page


def dialogs_seen(page):
    try:
        return page.evaluate("() => window.e2eDialogs || []")
    except Exception:
        return []


def load_lab(page, server, workspace, timeout=90_000):
    """Load JupyterLab on a fresh workspace and wait until it is restored and knows its kernel
    specs (a notebook opened before that asks the student to select a kernel)."""
    page.goto(server.url(f"lab/workspaces/{workspace}?reset"))
    page.wait_for_function("() => Boolean(window.jupyterapp)", timeout=timeout)
    page.evaluate(
        """async () => {
          const app = window.jupyterapp;
          await app.started;
          await app.restored;
          await app.serviceManager.kernelspecs.ready;
        }"""
    )


def open_notebook(page, server, name, cell_count, *, workspace="e2e", timeout=90_000):
    """Open a notebook in JupyterLab (loaded first if the page does not show it yet) with File >
    Open's command, and wait until all its cells are on the page and its kernel is idle."""
    if not page.evaluate("() => Boolean(window.jupyterapp)"):
        load_lab(page, server, workspace, timeout)
    page.evaluate("async path => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }", name)
    page.wait_for_function(CELLS_SHOWN_JS, arg=cell_count, timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    while page.evaluate(KERNEL_STATUS_JS) != "idle":
        if not dismiss_dialogs(page):
            page.wait_for_timeout(200)
        if time.monotonic() > deadline:
            raise TimeoutError(f"the kernel of {name} was not idle after {timeout / 1000:.0f} s")
    dismiss_dialogs(page)


def dismiss_dialogs(page):
    """Answer a JupyterLab dialog (none is expected; its text is printed): a kernel choice with
    its default (the notebook's Python 3 kernel), any other with Escape. Returns the texts."""
    texts = []
    for _ in range(3):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            break
        texts.append(dialog.first.inner_text()[:500])
        print(f"browser: unexpected JupyterLab dialog: {texts[-1]!r}")
        if "Select Kernel" in texts[-1]:
            dialog.first.locator(".jp-Dialog-button.jp-mod-accept").click()
        else:
            page.keyboard.press("Escape")
        page.wait_for_timeout(300)
    return texts


def close_notebook(page, server, name):
    """Close the notebook without saving it and shut its kernel down; JupyterLab stays."""
    if page.evaluate("() => Boolean(window.jupyterapp)"):
        page.evaluate(
            """async () => {
              const widget = window.jupyterapp.shell.currentWidget;
              if (!widget || !widget.context) return;
              await widget.sessionContext.shutdown();
              widget.context.model.dirty = false;
              widget.dispose();
            }"""
        )
    server.shutdown_sessions(name)


def run_all_cells(page, attempts=4):
    """Run > Run All Cells, from JupyterLab's menu bar, as a student would; checks that the
    first code cell was queued or ran (a click on a menu that is still opening is lost)."""
    menu = page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$"))
    item = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
    for _ in range(attempts):
        dismiss_dialogs(page)
        try:
            menu.click(timeout=10_000)
            item.wait_for(state="visible", timeout=5_000)
            page.wait_for_timeout(200)
            item.click(timeout=5_000)
            page.wait_for_function(
                """() => {
                  const prompt = document.querySelector(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt');
                  return prompt && /\\[(\\*|\\d+)\\]/.test(prompt.textContent);
                }""",
                timeout=5_000,
            )
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise TimeoutError(f"Run > Run All Cells did not start the notebook; dialogs seen: {dialogs_seen(page)}")


def read_cells(page, timeout=15_000):
    """READ_CELLS_JS, once every image of the notebook has been decoded."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')]
                   .every(img => img.complete)""",
        timeout=timeout,
    )
    return page.evaluate(READ_CELLS_JS)


def run_is_over(page):
    """(over, progress): the kernel is idle, no cell is queued or running ([*]), and every
    code cell has run or some output is stderr (Run All stops at the first error)."""
    progress = page.evaluate(PROGRESS_JS) or {"prompts": [], "status": None, "stderr": 0}
    prompts = progress["prompts"]
    running = any("*" in prompt for prompt in prompts)
    all_ran = bool(prompts) and all(re.fullmatch(r"\[\d+\]:", prompt) for prompt in prompts)
    return progress["status"] == "idle" and not running and (all_ran or progress["stderr"] > 0), progress


def wait_until_executed(page, timeout=120_000, settle=0.5):
    """Wait until the run is over (run_is_over) and the page has stayed so for `settle`
    seconds; returns read_cells(page)."""
    deadline = time.monotonic() + timeout / 1000
    done_since = None
    progress = None
    while time.monotonic() < deadline:
        over, progress = run_is_over(page)
        if over:
            done_since = done_since or time.monotonic()
            if time.monotonic() - done_since >= settle:
                return read_cells(page)
        else:
            done_since = None
        page.wait_for_timeout(250)
    raise TimeoutError(f"the notebook did not finish running in {timeout / 1000:.0f} s: {progress}")


@dataclass
class NotebookRun:
    """One notebook opened and run by run_notebooks, with what its page showed."""

    name: str
    cell_count: int
    shot: str  # screenshot name
    cells: list | None = None
    screenshot: Path | None = None
    error: str | None = None
    seconds: float = 0.0
    started: float = 0.0
    done_since: float | None = None


def run_notebooks(browser, server, runs, *, slots=2, timeout=120, settle=0.5, viewport=None):
    """Open and Run All each NotebookRun, `slots` notebooks at a time, each in a page of its
    own (while one kernel computes, the other page loads); fills in cells, screenshot,
    error and seconds. The kernels are shut down as their notebooks finish."""
    pages = [new_page(browser, viewport, timeout=30_000) for _ in range(slots)]
    queue, active = list(runs), {}
    try:
        while queue or active:
            for slot, page in enumerate(pages):
                if slot in active or not queue:
                    continue
                run = queue.pop(0)
                run.started = time.monotonic()
                try:
                    open_notebook(page, server, run.name, run.cell_count, workspace=f"e2e-{slot}")
                    run_all_cells(page)
                    active[slot] = run
                except Exception as error:  # recorded for the run's own test to report
                    run.error = _describe(error, page)
                    _finish(page, server, run)
            for slot, run in list(active.items()):
                page = pages[slot]
                try:
                    over, progress = run_is_over(page)
                    now = time.monotonic()
                    if not over:
                        run.done_since = None
                        if now - run.started > timeout:
                            raise TimeoutError(f"the notebook did not finish running in {timeout} s: {progress}")
                        continue
                    run.done_since = run.done_since or now
                    if now - run.done_since < settle:
                        continue
                    run.cells = read_cells(page)
                    run.screenshot = screenshot(page, run.shot)
                except Exception as error:
                    run.error = _describe(error, page)
                del active[slot]
                _finish(page, server, run)
            time.sleep(0.2)
    finally:
        for page in pages:
            page.context.close()
    return runs


def _describe(error, page):
    dialogs = dialogs_seen(page)
    return f"{type(error).__name__}: {error}" + (f"\nJupyterLab dialogs seen: {dialogs}" if dialogs else "")


def _finish(page, server, run):
    run.seconds = time.monotonic() - run.started
    try:
        close_notebook(page, server, run.name)
    except Exception as error:
        run.error = run.error or f"closing the notebook failed: {type(error).__name__}: {error}"


def screenshot(page, name, max_height=16_000):
    """A PNG of the whole notebook (the page is made as tall as the notebook for the shot)
    in artifacts/browser/<name>.png; prints and returns its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        """() => {
          const notebook = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
          if (!notebook) return 0;
          notebook.scrollTop = 0;
          return notebook.scrollHeight + (window.innerHeight - notebook.clientHeight);
        }"""
    )
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 40, max_height)})
        page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    if height > viewport["height"]:
        page.set_viewport_size(viewport)
    print(f"screenshot: {path}")
    return path
