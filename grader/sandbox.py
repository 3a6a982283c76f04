"""Running untrusted student code: a sandbox around grader/runner.py, driven step by step.

Isolation, where bubblewrap (Debian package `bubblewrap`) works: a fresh root holding only the
system, the Python installation, the virtual environment, `coursekit` and `datasets` (read-only),
a size-limited writable home and /tmp; no network; its own process namespace; run as an
unprivileged user of its own, leased per submission (a lock file per user id, so that graders
running side by side never share one). Per submission, a control group (grader/cgroups.py) where
the machine allows it: one memory budget that counts files kept in memory, one CPU core, a
process cap, the CPU seconds of every process, and a kill that reaches them all. Everywhere:
per-process limits on memory, processes, file size, open files and CPU time.

The supervisor asks the runner for one step at a time (start-up, each cell, each function's
probes) and waits for the answer carrying that request's nonce. A step is limited by the CPU time
it uses, with a wall-clock backstop several times larger, so a busy machine does not cut honest
work short. A step stopped for time is retried once with twice the budget (in a fresh run); a
step that kills its process, exhausts memory or overruns twice is skipped and the notebook is run
again without it. The whole submission has a wall-clock cap, whatever it sends.
"""

import fcntl
import json
import os
import secrets
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

from grader import cgroups, student_env
from grader.student_env import Mount
from grader.textsafe import clean_text

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().parent / "runner.py"
RAW_OUTPUT_KEPT = 2000  # bytes of the sandbox's raw output kept to explain a failed start
RAW_OUTPUT_CAP = 100_000
MAX_ATTEMPTS = 4
SLOT_UID_BASE = 61000
UID_LOCKS = Path(tempfile.gettempdir()) / "course-grader-uids"
STRAY_LINES_CAP = 100  # lines that answer no request before the submission is stopped
REPLY_BYTES_CAP = {"cell": 1 << 20, "test": 1 << 20, "probe": 16 << 20, "hello": 1 << 10, "answer": 64 << 10}
STARTUP_CPU = 30.0
WALL_SLACK = 5.0


@dataclass
class Limits:
    cell_timeout: float = 10.0  # CPU seconds per cell
    probe_timeout: float = 10.0  # CPU seconds for all the cases of one function
    memory_mb: int = 2048  # all the submission's processes and the files they keep in memory
    processes: int = 64
    file_mb: int = 64
    home_mb: int = 256  # size of the writable home and of /tmp (each)
    wall_factor: float = 3.0  # wall-clock backstop of a step: wall_factor x its CPU budget + 5 s
    submission_seconds: float | None = None  # wall-clock cap of the whole submission, all attempts

    def total_seconds(self):
        return self.submission_seconds or 20 * max(self.cell_timeout, self.probe_timeout) + 60


@dataclass(frozen=True)
class Step:
    kind: str  # "hello", "cell", "probe", "answer" or "test"
    name: object = None  # the cell's index or the function's name

    def describe(self):
        names = {"hello": "the sandbox's start", "total": "the submission", "cell": f"cell {self.name}",
                 "test": f"test {self.name}"}
        return names.get(self.kind, f"checking {self.name}")


@dataclass
class Failure:
    step: Step
    what: str  # in words, e.g. "ran past its time limit and was stopped"
    for_time: bool = False


@dataclass
class RunResult:
    cells: dict = field(default_factory=dict)  # index -> {"error", "output"}
    probes: dict = field(default_factory=dict)  # function -> {"missing", "reports"} or {"problem"}
    tests: dict = field(default_factory=dict)  # grade id of an instructor's test cell -> {"error", "output"}
    answers: dict = field(default_factory=dict)  # grade id of a question -> {name: {"number": x} ...} or None
    incidents: list = field(default_factory=list)  # what the supervisor had to do, in words
    review: list = field(default_factory=list)  # why a person should look at this submission
    attempts: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of every process of the submission, where a control group counts them
    memory_peak_mb: float = 0.0  # likewise: the most memory its processes and files held at once
    finished: bool = False
    raw_output: str = ""


# ----------------------------------------------------------------------------- the sandbox


@cache
def isolation():
    """'bubblewrap' when a test sandbox starts here, else 'resource limits only (why)'."""
    if shutil.which("bwrap") is None:
        return "resource limits only (bubblewrap is not installed)"
    with tempfile.TemporaryDirectory() as tmp:
        trial = subprocess.run(
            [*_bwrap_arguments(Path(tmp), Limits()), *_drop_privileges(SLOT_UID_BASE), "true"],
            capture_output=True,
            timeout=30,
        )
    if trial.returncode != 0:
        return f"resource limits only (bubblewrap failed: {trial.stderr.decode(errors='replace')[:200].strip()})"
    return "bubblewrap"


def resource_control():
    """How a submission's processes are held together: 'cgroup v1', 'cgroup v2' or 'unavailable (why)'."""
    return cgroups.available()


def _drop_privileges(uid):
    """Inside the sandbox, become an unprivileged user of the submission's own (process limits then hold)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all", "--"]


def _bwrap_arguments(workdir, limits):
    """A fresh root: the system, the base interpreter and the student-side packages read-only (see
    grader/student_env.py), the job folder, a private, size-limited /tmp and home."""
    tmpfs_bytes = str(limits.home_mb * 1024 * 1024)
    # every namespace but the user one, so that the job's user is a real unprivileged user
    arguments = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    arguments += ["--die-with-parent", "--new-session", "--perms", "1777", "--size", tmpfs_bytes, "--tmpfs", "/tmp"]
    readable = [Mount(Path(p), p) for p in ("/usr", "/etc", str(Path(sys.base_prefix).resolve()))]
    for mount in dict.fromkeys(readable + student_env.mounts()):
        if mount.host.exists():
            for parent in reversed(Path(mount.inside).parents[:-1]):  # traversable by the job's user
                arguments += ["--perms", "0755", "--dir", str(parent)]
            arguments += ["--ro-bind", str(mount.host), mount.inside]
    for folder in student_env.hidden_folders():  # installed packages the student may not see
        arguments += ["--perms", "0755", "--size", "4096", "--tmpfs", str(folder), "--remount-ro", str(folder)]
    for link, target in (("/bin", "usr/bin"), ("/lib", "usr/lib"), ("/lib64", "usr/lib64"), ("/sbin", "usr/sbin")):
        if Path(link).is_symlink():
            arguments += ["--symlink", target, link]
        elif Path(link).exists():
            arguments += ["--ro-bind", link, link]
    arguments += ["--proc", "/proc", "--dev", "/dev", "--ro-bind", str(workdir), "/job"]
    arguments += ["--perms", "0755", "--dir", "/home", "--perms", "0777", "--size", tmpfs_bytes, "--tmpfs"]
    arguments += ["/home/student", "--chdir", "/home/student", "--setenv", "HOME", "/home/student"]
    return arguments


def _limits_arguments(limits):
    return [
        "prlimit",
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--nproc={limits.processes}",
        f"--fsize={limits.file_mb * 1024 * 1024}",
        "--nofile=256",
        f"--cpu={int(limits.total_seconds()) + 5}",
        "--core=0",
        "--",
    ]


def _join_group(group):
    """A shell that puts itself in the submission's control group, then becomes the sandbox."""
    if group is None:
        return []
    files = [str(path) for path in group.procs_files()]
    script = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 97; shift; n=$((n-1)); done; exec "$@"'
    return ["/bin/sh", "-c", script, "join-cgroup", str(len(files)), *files]


def command(workdir, uid, limits, responses_fd, group=None):
    limited = _limits_arguments(limits)
    if isolation() == "bubblewrap":
        python = [str(student_env.interpreter()), "-I", "-S"]  # no site-packages but the allowed ones
        inner = [*_bwrap_arguments(workdir, limits), *_drop_privileges(uid), *limited, *python, "/job/runner.py"]
        return [*_join_group(group), *inner, "/job/job.json", str(responses_fd)]
    runner = [sys.executable, str(workdir / "runner.py"), str(workdir / "job.json"), str(responses_fd)]
    return [*_join_group(group), *limited, *runner]


def import_paths():
    """Where the runner finds the student-side packages: [site folders, course folder]."""
    if isolation() == "bubblewrap":
        return {"site": [student_env.SITE], "course": student_env.COURSE}
    return {"site": [], "course": str(student_env.course_package_dir().parent)}


def _environment():
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/home/student",
        "MPLBACKEND": "Agg",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "LANG": "C.UTF-8",
        "COURSE_EARLIER": "absent",  # earlier lessons' notebooks are not in the sandbox (coursekit/earlier.py)
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


@contextmanager
def _control_group(uid, limits):
    """The submission's control group (None where the machine has none), removed with everything in it."""
    if not resource_control().startswith("cgroup"):
        yield None
        return
    budget = cgroups.Budget(memory_bytes=limits.memory_mb * 1024 * 1024, processes=limits.processes)
    group = cgroups.Group(f"slot-{uid}").create(budget)
    try:
        yield group
    finally:
        group.destroy()


def _kill_all(process, uid, group):
    if group is not None:
        group.kill_all()
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if group is None and isolation() == "bubblewrap" and _drop_privileges(uid):  # whatever the user left running
        subprocess.run([*_drop_privileges(uid), "kill", "-KILL", "-1"], capture_output=True)
    process.wait()


# ----------------------------------------------------------------------------- one run


def _steps(cells, probes, tests, answers, skipped):
    steps = [Step("hello")]
    steps += [Step("cell", index) for index, _ in cells]
    steps += [Step("probe", function) for function, _, _ in probes]
    steps += [Step("answer", grade_id) for grade_id in answers]
    steps += [Step("test", grade_id) for grade_id in tests]  # last: they run in the student's process
    return [step for step in steps if step not in skipped]


def run_submission(cells, probes, *, limits=None, tests=None, answers=None):
    """Run cells [(index, source)], then probes [(function, [plain case], {stand-in: replayed calls})], then
    an instructor's test cells {grade id: source} in the sandbox. A test's code is sent only when its step
    comes (it is in no file the student's code can read), since it may hold hidden tests. answers:
    {question's grade id: [names]} whose values are read after the probes (grader/questions.py)."""
    tests, answers = tests or {}, answers or {}
    limits = limits or Limits()
    result, start = RunResult(), time.monotonic()
    skipped, doubled = {}, set()
    give_up_at = start + limits.total_seconds()
    with (
        tempfile.TemporaryDirectory(prefix="grade-") as tmp,
        _leased_uid() as uid,
        _control_group(uid, limits) as group,
    ):
        workdir = Path(tmp)
        os.chmod(workdir, 0o755)
        shutil.copy(RUNNER, workdir / "runner.py")
        job = {"cells": cells, "probes": probes, "paths": import_paths()}
        (workdir / "job.json").write_text(json.dumps(job, allow_nan=True), encoding="utf-8")
        os.chmod(workdir / "job.json", 0o644)
        while True:
            result.attempts += 1
            attempt = Attempt(workdir, uid, limits, group, result, give_up_at)
            failure = attempt.run(_steps(cells, probes, tests, answers, skipped), doubled, tests, answers)
            if failure is None:
                break
            if failure.step.kind == "hello" or failure.step.kind == "total":
                result.review.append(f"{failure.step.describe()} {failure.what}")
                break
            if failure.for_time and failure.step not in doubled and result.attempts < MAX_ATTEMPTS:
                doubled.add(failure.step)
                result.incidents.append(f"{failure.step.describe()} {failure.what}; retried with twice the time")
                continue
            skipped[failure.step] = failure.what
            _record_skip(result, failure)
            if result.attempts >= MAX_ATTEMPTS:
                result.review.append(f"gave up after {result.attempts} attempts")
                break
        if group:
            result.cpu_seconds, result.memory_peak_mb = group.cpu_seconds(), group.memory_peak_bytes() / 2**20
    result.seconds = time.monotonic() - start
    return result


def _record_skip(result, failure):
    step, what = failure.step, failure.what
    result.incidents.append(f"{step.describe()} {what}")
    result.review.append(f"{step.describe()} {what}, and was skipped")
    if step.kind == "cell":
        result.cells[step.name] = {"error": f"{what}; the cell was skipped and the notebook run again", "output": ""}
    elif step.kind == "test":
        result.tests[step.name] = {"error": f"TestStopped: {what}", "output": ""}
    elif step.kind == "answer":
        result.answers[step.name] = None
    else:
        result.probes[step.name] = {"problem": f"checking {step.name} {what}"}


class Attempt:
    """One run of the sandbox: start it, ask for each step, read the answers, stop it."""

    def __init__(self, workdir, uid, limits, group, result, give_up_at):
        self.workdir, self.uid, self.limits, self.group = workdir, uid, limits, group
        self.result, self.give_up_at = result, give_up_at
        self.raw_output, self.stray_lines, self.buffer = 0, 0, b""

    def run(self, steps, doubled, tests, answers):
        self.tests, self.answers = tests, answers
        read_replies, write_replies = os.pipe()
        self.process = subprocess.Popen(
            command(self.workdir, self.uid, self.limits, write_replies, self.group),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(write_replies,),
            env=_environment(),
            start_new_session=True,
        )
        os.close(write_replies)
        self.replies = read_replies
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ, "output")
        self.selector.register(read_replies, selectors.EVENT_READ, "replies")
        try:
            for step in steps:
                factor = 2 if step in doubled else 1
                failure = self.ask(step, factor)
                if failure:
                    return failure
            self.result.finished = True
            self._send({"op": "exit"})
            return None
        finally:
            _kill_all(self.process, self.uid, self.group)
            os.close(read_replies)
            self.process.stdout.close()
            self.process.stdin.close()
            if self.raw_output > RAW_OUTPUT_CAP:
                self.result.incidents.append(f"{self.raw_output} bytes written straight to the output were dropped")
            if self.stray_lines:
                self.result.incidents.append(f"{self.stray_lines} line(s) on the grader's channel answered no request")
                self.result.review.append("the notebook wrote lines to the grader's channel that it did not ask for")

    def _cpu_budget(self, step, factor):
        base = {"hello": STARTUP_CPU, "cell": self.limits.cell_timeout, "test": self.limits.cell_timeout,
                "probe": self.limits.probe_timeout, "answer": STARTUP_CPU}
        return base[step.kind] * factor

    def ask(self, step, factor):
        """Request one step and wait for its answer; a Failure when it does not come as it should."""
        nonce = secrets.token_hex(16)
        cpu = self._cpu_budget(step, factor)
        request = {"op": step.kind, "nonce": nonce, "cpu": cpu}
        if step.kind == "cell":
            request["index"] = step.name
        elif step.kind == "probe":
            request["function"] = step.name
        elif step.kind == "test":
            request["source"] = self.tests[step.name]
        elif step.kind == "answer":
            request["names"] = self.answers[step.name]
        if not self._send(request):
            return Failure(step, self._death())
        wall_deadline = time.monotonic() + cpu * self.limits.wall_factor + WALL_SLACK
        cpu_start = self.group.cpu_seconds() if self.group else 0.0
        cpu_cap = cpu * 1.5 + 1.0  # every process of the submission, including ones that ignore the timer
        while True:
            now = time.monotonic()
            if now > self.give_up_at:
                return Failure(Step("total"), f"used up the submission's {self.limits.total_seconds():g} s")
            if now > wall_deadline:
                return Failure(step, "ran past its time limit (wall clock) and was stopped", for_time=True)
            if self.group and self.group.cpu_seconds() - cpu_start > cpu_cap:
                return Failure(step, f"used more than {cpu_cap:g} s of CPU time and was stopped", for_time=True)
            line, closed = self._next_line(step, min(wall_deadline, self.give_up_at) - now)
            if closed:
                return Failure(step, self._death())
            if line is None:
                continue
            reply = _parse_reply(line, nonce)
            if reply is None:
                self.stray_lines += 1
                if self.stray_lines > STRAY_LINES_CAP:
                    return Failure(step, "flooded the grader's channel with lines it did not ask for")
                continue
            return self._accept(step, reply, factor)

    def _accept(self, step, reply, factor):
        """Record a step's answer (type-checked, student text cleaned); a Failure to retry it for time."""
        if step.kind == "hello":
            return None
        if step.kind in ("cell", "test"):
            record = self.result.cells if step.kind == "cell" else self.result.tests
            error, output = reply.get("error"), reply.get("output")
            if not (error is None or isinstance(error, str)) or not isinstance(output, str):
                record[step.name] = {"error": "MalformedReport: the report was malformed", "output": ""}
                self.result.review.append(f"{step.describe()}: the report was malformed")
                return None
            if reply.get("stopped_for_time") is True and factor == 1:
                return Failure(step, "used up its CPU time and was stopped", for_time=True)
            if reply.get("stopped_for_time") is True:
                self.result.review.append(f"{step.describe()} was stopped for time twice: {clean_text(error, 200)}")
            record[step.name] = {"error": clean_text(error, 5000) if error else None,
                                 "output": clean_text(output, 25_000)}
            return None
        if step.kind == "answer":
            self.result.answers[step.name] = checked_answers(reply.get("values"), self.answers[step.name])
            if self.result.answers[step.name] is None:
                self.result.review.append(f"{step.describe()}: the report was malformed")
            return None
        reports, missing = reply.get("reports"), reply.get("missing")
        if not isinstance(reports, list) or not isinstance(missing, bool) or not all(
            isinstance(report, dict) for report in reports
        ):
            self.result.probes[step.name] = {"problem": f"the report of checking {step.name} was malformed"}
            self.result.review.append(f"checking {step.name}: the report was malformed")
            return None
        if factor == 1 and any("timeout" in report for report in reports):
            return Failure(step, "used up its CPU time and was stopped", for_time=True)
        self.result.probes[step.name] = {"missing": missing, "reports": reports}
        return None

    def _send(self, request):
        try:
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def _next_line(self, step, timeout):
        """(line, closed): the next complete line on the reply channel, draining the raw output meanwhile."""
        cap = REPLY_BYTES_CAP[step.kind]
        while True:
            if b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                return line, False
            if len(self.buffer) > cap:
                self.buffer = b""
                self.stray_lines += 1
                return None, False
            events = self.selector.select(timeout=max(0.01, min(0.25, timeout)))
            if not events:
                return None, False
            for key, _ in events:
                if key.data == "output":
                    self._drain_output()
                    continue
                chunk = os.read(self.replies, 1 << 16)
                if not chunk:
                    return None, True
                self.buffer += chunk

    def _drain_output(self):
        chunk = os.read(self.process.stdout.fileno(), 1 << 16)
        if not chunk:
            self.selector.unregister(self.process.stdout)
            return
        if self.raw_output < RAW_OUTPUT_KEPT:  # the start is kept to explain a sandbox that failed to start
            self.result.raw_output += clean_text(chunk[: RAW_OUTPUT_KEPT - self.raw_output])
        self.raw_output += len(chunk)  # drained and dropped: cells' own output is captured per cell

    def _death(self):
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        if self.group is not None and self.group.out_of_memory():
            return f"was killed for using more than {self.limits.memory_mb} MB of memory"
        return _death(code)


ANSWER_FIELDS = {"missing": bool, "unanswered": bool, "text": str, "number": float, "other": str}


def checked_answers(values, names):
    """{name: {one field: value}} of a question's answers as the runner reported them, type-checked
    and cleaned; None when the report is malformed."""
    if not isinstance(values, dict) or set(values) != set(names):
        return None
    checked = {}
    for name, value in values.items():
        if not (isinstance(value, dict) and len(value) == 1):
            return None
        (field_name, content), = value.items()
        expected = ANSWER_FIELDS.get(field_name)
        if expected is None or not isinstance(content, expected) or isinstance(content, bool) != (expected is bool):
            return None
        checked[name] = {field_name: clean_text(content, 200) if expected is str else content}
    return checked


def _parse_reply(line, nonce):
    """The reply to the request with this nonce, or None for any other line."""
    try:
        reply = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(reply, dict) or reply.get("nonce") != nonce:
        return None
    return reply


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
