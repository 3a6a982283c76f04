"""Runs one submission inside the sandbox, one step at a time, as the grader asks.

Started as `python runner.py JOB.json RESPONSES_FD`. The grader (outside the sandbox) sends one
request a line on standard input: {"op": "cell", "index", "cpu", "nonce"}, {"op": "probe",
"function", "cpu", "nonce"}, {"op": "test", "source", ...}, {"op": "answer", "names", ...},
{"op": "exit"}; the runner answers each with one JSON line on
RESPONSES_FD carrying the request's nonce. Nothing else is ever expected from the sandbox: the
grader decides which step runs, for how long, and rejects any line that does not answer the
request it is waiting for. The student's code runs in this process and could write lines too,
but it cannot know a nonce before the grader sends it, and whatever it writes is data: every
verdict is made outside, from the probe reports.

Each step has a budget of CPU seconds (ITIMER_PROF: time spent computing, not waiting), so a
busy machine does not cut a cell short; the grader adds a wall-clock backstop.
"""

import importlib
import importlib.machinery
import io
import json
import numbers
import os
import signal
import site
import sys
import traceback
import types

OUTPUT_CAP = 20_000  # characters of output kept per cell


class StepTimeout(BaseException):
    """Raised by the CPU timer when a cell or a probe runs past its budget."""


class CappedText(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP characters and drops the rest."""

    def __init__(self):
        self.parts, self.size, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = OUTPUT_CAP - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        tail = f"\n[... {self.dropped} more characters of output not kept]" if self.dropped else ""
        return "".join(self.parts) + tail


LAZY_MODULES = ("matplotlib", "matplotlib.pyplot", "ipywidgets")  # figures and sliders: their cells are not run


class LazyModule(types.ModuleType):
    """Stands in sys.modules for a module whose import is costly and rarely needed while grading
    (figure cells are not run): the real module is imported on the first use of any attribute,
    and every later use goes to it. `import matplotlib.pyplot as plt` alone costs nothing."""

    def __getattr__(self, attribute):
        return getattr(_load_real(self.__name__), attribute)

    def __dir__(self):
        return dir(_load_real(self.__name__))


def _load_real(name):
    """Import the real module in place of its stand-in (and of its stand-in parents and children)."""
    real = sys.modules.get(name)
    if isinstance(real, LazyModule) or real is None:
        for lazy in [n for n, m in sys.modules.items() if isinstance(m, LazyModule)]:
            del sys.modules[lazy]
        real = importlib.import_module(name)
    return real


def install_lazy_modules(names=LAZY_MODULES):
    """Put stand-ins in sys.modules, a parent holding its children as real attributes, so that
    `import a.b as c` binds the stand-in of a.b without touching a. Each has a spec without a
    loader (the import system and importlib.util.find_spec read it) and no origin of its own."""
    for name in names:
        if name not in sys.modules:
            sys.modules[name] = LazyModule(name)
            sys.modules[name].__spec__ = importlib.machinery.ModuleSpec(name, None)
    for name in names:
        parent, _, child = name.rpartition(".")
        if parent and isinstance(sys.modules.get(parent), LazyModule):
            object.__setattr__(sys.modules[parent], child, sys.modules[name])


def _cpu_timer(seconds):
    signal.setitimer(signal.ITIMER_PROF, seconds)


def _on_timer(signum, frame):
    raise StepTimeout()


def _private_channels(responses_fd):
    """The request and response pipes, moved away from the descriptors students' code uses:
    standard input becomes /dev/null (input() ends at once instead of reading requests)."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    responses = os.fdopen(responses_fd, "w", encoding="utf-8", buffering=1)
    return requests, responses


def make_shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor")
    shell.showtraceback = shell.showsyntaxerror = _make_showtraceback(shell)
    shell.enable_gui = lambda gui=None: None  # `%matplotlib inline` works without a kernel
    return shell


def run_cell(shell, source, cpu_seconds):
    """{"error": text or None, "output": text, "stopped_for_time": bool} of one cell."""
    capture = CappedText()
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = capture
    shell.last_error_text = None
    stopped = False
    try:
        _cpu_timer(cpu_seconds)
        result = shell.run_cell(source, store_history=False)
        _cpu_timer(0)
        error = shell.last_error_text if not result.success else None
        stopped = bool(error and "StepTimeout" in error)
    except StepTimeout:
        error, stopped = None, True
    except BaseException as exc:  # noqa: BLE001 - the student's cell may raise anything
        error = f"{type(exc).__name__}: {exc}"
    finally:
        _cpu_timer(0)
        sys.stdout, sys.stderr = real_stdout, real_stderr
    if stopped:
        error = f"the cell used more than {cpu_seconds:g} s of CPU time and was stopped"
    return {"error": error, "output": capture.getvalue(), "stopped_for_time": stopped}


def run_probes(namespace, function, cases, stand_ins, cpu_seconds):
    """{"missing": bool, "reports": [...]}: the function called on every case, within one CPU budget."""
    from coursekit.checking import probe_case, replay_stand_in

    candidate = namespace.get(function)
    if not callable(candidate):
        return {"missing": True, "reports": []}
    reports = []
    saved = {name: namespace[name] for name in stand_ins if name in namespace}
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = CappedText()
    try:
        for name, calls in stand_ins.items():  # the lesson's other functions, replaying the specified calls
            namespace[name] = replay_stand_in(name, calls, own=saved.get(name))
        _cpu_timer(cpu_seconds)
        for case in cases:
            try:
                reports.append(probe_case(candidate, case, peers=namespace))
            except StepTimeout:
                reports.append({"timeout": cpu_seconds})
                break
    finally:
        _cpu_timer(0)
        sys.stdout, sys.stderr = real_stdout, real_stderr
        for name in stand_ins:
            namespace.pop(name, None)
        namespace.update(saved)
    return {"missing": False, "reports": reports}


def describe_answer(namespace, name):
    """One answer of a question, as the grader judges it: a number, a short text, or what it is instead."""
    if name not in namespace:
        return {"missing": True}
    value = namespace[name]
    if value is Ellipsis:
        return {"unanswered": True}
    if isinstance(value, str):
        return {"text": value[:200]}
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        try:
            return {"number": float(value)}
        except Exception:  # a student's class may claim to be a number and raise
            pass
    return {"other": type(value).__name__[:60]}


def main(job_path, responses_fd):
    requests, responses = _private_channels(responses_fd)
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    for folder in job["paths"]["site"]:  # the student-side packages (the runner starts without site-packages)
        site.addsitedir(folder)
    sys.path.insert(0, job["paths"]["course"])
    signal.signal(signal.SIGPROF, _on_timer)
    shell = make_shell()
    import coursekit.checking  # noqa: F401 - imported before any student code runs

    if os.environ.get("GRADER_EAGER_IMPORTS") != "1":  # the benchmark's "before"
        install_lazy_modules()

    cells = dict((index, source) for index, source in job["cells"])
    plan = {function: (cases, stand_ins) for function, cases, stand_ins in job["probes"]}
    for line in requests:
        request = json.loads(line)
        if request["op"] == "exit":
            break
        if request["op"] == "hello":
            reply = {}
        elif request["op"] == "cell":
            reply = run_cell(shell, cells[request["index"]], request["cpu"])
        elif request["op"] == "test":  # an instructor's test cell, sent only now
            reply = run_cell(shell, request["source"], request["cpu"])
        elif request["op"] == "answer":  # the values of a question's answer names, judged outside
            reply = {"values": {name: describe_answer(shell.user_ns, name) for name in request["names"]}}
        else:
            cases, stand_ins = plan[request["function"]]
            reply = run_probes(shell.user_ns, request["function"], cases, stand_ins, request["cpu"])
        responses.write(json.dumps({"nonce": request["nonce"], **reply}, allow_nan=True) + "\n")
        responses.flush()


def _make_showtraceback(shell):
    """Keep the error text of a failed cell (the student's own code only) for feedback."""

    def showtraceback(exc_tuple=None, *args, **kwargs):
        etype, value, tb = sys.exc_info() if not isinstance(exc_tuple, tuple) else exc_tuple
        if etype is None:
            return
        if tb is not None and "interactiveshell" in tb.tb_frame.f_code.co_filename:
            tb = tb.tb_next  # IPython's own exec frame
        lines = traceback.format_exception(etype, value, tb)
        shell.last_error_text = "".join(lines[-12:])[-4000:]

    return showtraceback


if __name__ == "__main__":
    try:
        main(sys.argv[1], int(sys.argv[2]))
    except BaseException:  # the runner's own failure: keep its traceback for the run's log
        traceback.print_exc(file=sys.__stderr__)
        raise
