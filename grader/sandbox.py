"""Running untrusted student code: a sandbox around grader/runner.py and a supervisor.

Isolation, where bubblewrap (Debian package `bubblewrap`) works: a fresh root holding only
the system, the Python installation, the virtual environment, `coursekit` and `datasets`
(read-only) and an empty writable home; no network; its own process namespace; run as an
unprivileged user of its own, leased per submission (a lock file per user id, so that
graders running side by side never share one). Everywhere: resource limits on memory, processes,
file size, open files and CPU time. Without bubblewrap only the limits apply (the run's log
says so): the course files are then readable by the student's code.

The supervisor reads the runner's events, enforces a time limit per step (a cell, or the
probes of one function), drains and caps the output, and when the process dies or a step
overruns, it kills the whole sandbox and starts again without that step.
"""

import fcntl
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().parent / "runner.py"
RAW_OUTPUT_CAP = 100_000
MAX_RESTARTS = 3
SLOT_UID_BASE = 61000
UID_LOCKS = Path(tempfile.gettempdir()) / "course-grader-uids"


@dataclass
class Limits:
    cell_timeout: float = 10.0
    probe_timeout: float = 10.0
    memory_mb: int = 2048
    processes: int = 64
    file_mb: int = 64


@dataclass
class RunResult:
    cells: dict = field(default_factory=dict)  # index -> {"error", "output"}
    probes: dict = field(default_factory=dict)  # function -> {"missing", "reports"} or {"problem"}
    incidents: list = field(default_factory=list)  # what the supervisor had to do, in words
    attempts: int = 0
    seconds: float = 0.0
    finished: bool = False
    raw_output: str = ""


@cache
def isolation():
    """'bubblewrap' when a test sandbox starts here, else 'resource limits only (why)'."""
    if shutil.which("bwrap") is None:
        return "resource limits only (bubblewrap is not installed)"
    with tempfile.TemporaryDirectory() as tmp:
        trial = subprocess.run(
            [*_bwrap_arguments(Path(tmp)), *_drop_privileges(SLOT_UID_BASE), "true"], capture_output=True, timeout=30
        )
    if trial.returncode != 0:
        return f"resource limits only (bubblewrap failed: {trial.stderr.decode()[:200].strip()})"
    return "bubblewrap"


def _drop_privileges(uid):
    """Inside the sandbox, become an unprivileged user of the submission's own (process limits then hold)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--"]


def _bwrap_arguments(workdir):
    """A fresh root: system and Python read-only, the job folder, a private /tmp and home."""
    prefix = Path(sys.prefix)
    base = Path(sys.base_prefix).resolve()
    readable = ["/usr", "/etc", base, prefix, ROOT / "coursekit", ROOT / "datasets"]
    # every namespace but the user one, so that the job's user is a real unprivileged user
    arguments = [
        "bwrap",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--tmpfs",
        "/tmp",
    ]
    for path in dict.fromkeys(str(p) for p in readable):
        if Path(path).exists():
            for parent in reversed(Path(path).parents[:-1]):  # traversable by the job's user
                arguments += ["--perms", "0755", "--dir", str(parent)]
            arguments += ["--ro-bind", path, path]
    for link, target in (("/bin", "usr/bin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64"), ("/sbin", "usr/sbin")):
        if Path(link).is_symlink():
            arguments += ["--symlink", target, link]
        elif Path(link).exists():
            arguments += ["--ro-bind", link, link]
    arguments += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--ro-bind",
        str(workdir),
        "/job",
        "--perms",
        "0777",
        "--dir",
        "/home/student",
        "--chdir",
        "/home/student",
        "--setenv",
        "HOME",
        "/home/student",
    ]
    return arguments


def _limits_arguments(limits, total_seconds):
    return [
        "prlimit",
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_mb * 1024 * 1024}",
        "--nofile=256",
        f"--cpu={int(total_seconds) + 5}",
        "--core=0",
        "--",
    ]


def command(workdir, uid, limits, total_seconds):
    python = str(Path(sys.prefix) / "bin" / "python")
    limited = _limits_arguments(limits, total_seconds)
    if isolation() == "bubblewrap":
        return [
            *_bwrap_arguments(workdir),
            *_drop_privileges(uid),
            *limited,
            python,
            "/job/runner.py",
            "/job/job.json",
        ]
    return [*limited, python, str(workdir / "runner.py"), str(workdir / "job.json")]


def _environment():
    env = {
        "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/bin:/bin",
        "HOME": "/home/student",
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "LANG": "C.UTF-8",
    }
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


@contextmanager
def _leased_uid():
    """A user id no other submission, of this grader or another, is using meanwhile."""
    UID_LOCKS.mkdir(parents=True, exist_ok=True)
    for uid in range(SLOT_UID_BASE, SLOT_UID_BASE + 1000):
        handle = open(UID_LOCKS / f"{uid}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield uid
        finally:
            handle.close()
        return
    raise RuntimeError(f"all sandbox user ids are in use (locks in {UID_LOCKS})")


def _kill_all(process, uid):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if isolation() == "bubblewrap" and _drop_privileges(uid):  # whatever the submission's user left running
        subprocess.run([*_drop_privileges(uid), "kill", "-KILL", "-1"], capture_output=True)
    process.wait()


def run_submission(cells, probes, *, limits=None):
    """Run cells [(index, source)] then probes [(function, [plain case])] in the sandbox."""
    limits = limits or Limits()
    result, start = RunResult(), time.perf_counter()
    skip_cells, skip_functions = [], []
    budget = limits.cell_timeout * 10 + limits.probe_timeout * 4 + 30  # a backstop; steps have their own limits
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp, _leased_uid() as uid:
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        shutil.copy(RUNNER, workdir / "runner.py")
        while True:
            result.attempts += 1
            job = {
                "cells": cells,
                "probes": probes,
                "skip_cells": skip_cells,
                "skip_functions": skip_functions,
                "cell_timeout": limits.cell_timeout,
                "probe_timeout": limits.probe_timeout,
                "checking_path": str(ROOT),
            }
            (workdir / "job.json").write_text(json.dumps(job, allow_nan=True))
            os.chmod(workdir / "job.json", 0o644)
            step, died = _supervise(command(workdir, uid, limits, budget), uid, limits, result, budget)
            if step is None or result.attempts > MAX_RESTARTS:
                if step is not None:
                    result.incidents.append(f"gave up after {result.attempts} attempts; {died}")
                break
            kind, name = step
            if kind == "cell":
                skip_cells.append(name)
                result.cells[name] = {"error": f"{died}; the cell was skipped and the notebook run again", "output": ""}
                result.incidents.append(f"cell {name}: {died}")
            else:
                skip_functions.append(name)
                result.probes[name] = {"problem": f"checking {name} {died}"}
                result.incidents.append(f"{name}: {died}")
    result.seconds = time.perf_counter() - start
    return result


def _supervise(cmd, uid, limits, result, budget):
    """One attempt. Returns (None, None) when the runner finished, else the step that
    failed (("cell", index) or ("probe", function)) and what happened to it."""
    read_events, write_events = os.pipe()
    process = subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        pass_fds=(write_events,),
        env={**_environment(), "GRADER_EVENTS_FD": str(write_events)},
        start_new_session=True,
    )
    os.close(write_events)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, "output")
    selector.register(read_events, selectors.EVENT_READ, "events")
    buffer, raw_output, step = b"", 0, None
    started = time.perf_counter()
    step_deadline = started + limits.cell_timeout * 3 + 20  # start-up: imports
    open_streams = 2
    outcome = None
    while open_streams:
        now = time.perf_counter()
        if now > step_deadline or now - started > budget:
            what = "ran past its time limit and was stopped" if step else "did not start in time"
            outcome = (step or ("start", None), what)
            break
        for key, _ in selector.select(timeout=min(0.5, max(0.01, step_deadline - now))):
            chunk = os.read(key.fd if key.data == "events" else process.stdout.fileno(), 65536)
            if not chunk:
                selector.unregister(key.fileobj)
                open_streams -= 1
                continue
            if key.data == "output":
                if raw_output < 2000:  # the start is kept to explain a sandbox that failed to start
                    result.raw_output += chunk[: 2000 - raw_output].decode(errors="replace")
                raw_output += len(chunk)  # drained and dropped: cells' own output is captured per cell
                continue
            buffer += chunk
            if len(buffer) > 200_000_000:
                outcome = (step, "sent more data than any notebook should")
                break
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                step, step_deadline = _handle_event(line, result, limits, step, step_deadline)
        if outcome:
            break
    if outcome is None and not result.finished:
        process.wait()
        code = process.returncode
        outcome = (step or ("start", None), _death(code))
    _kill_all(process, uid)
    os.close(read_events)
    process.stdout.close()
    if raw_output > RAW_OUTPUT_CAP:
        result.incidents.append(f"{raw_output} bytes written straight to the output were dropped")
    if result.finished:
        return None, None
    failed_step, what = outcome
    if failed_step[0] == "start":
        result.incidents.append(f"the sandbox {what}: {result.raw_output[-500:]}")
        return None, what
    return failed_step, what


def _death(code):
    if code is None:
        return "was stopped"
    if code < 0:
        name = signal.Signals(-code).name
        reason = {
            "SIGKILL": "was killed (memory, time or its own doing)",
            "SIGXCPU": "used up its CPU time",
            "SIGXFSZ": "wrote a file larger than allowed",
            "SIGSEGV": "crashed (segmentation fault)",
        }
        return reason.get(name, f"died from {name}")
    return f"ended the process (exit code {code})"


def _handle_event(line, result, limits, step, deadline):
    try:
        event = json.loads(line)
    except ValueError:
        return step, deadline
    if not isinstance(event, dict):
        return step, deadline
    kind, now = event.get("event"), time.perf_counter()
    if not isinstance(event.get("index", 0), int) or not isinstance(event.get("function", ""), str):
        return step, deadline  # not the runner's: student code can write to the pipe too
    if kind == "cell_start":
        return ("cell", event.get("index")), now + limits.cell_timeout + 5
    if kind == "cell_end":
        result.cells[event.get("index")] = {"error": event.get("error"), "output": str(event.get("output", ""))}
        return None, now + limits.cell_timeout + 5
    if kind == "probe_start":
        return ("probe", event.get("function")), now + limits.probe_timeout * 4 + 5
    if kind == "probe_end":
        result.probes[event.get("function")] = {
            "missing": bool(event.get("missing")),
            "reports": event.get("reports", []),
        }
        return None, now + limits.probe_timeout + 5
    if kind == "done":
        result.finished = True
    return step, deadline
