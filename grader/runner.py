"""Runs one submission inside the sandbox: the student's cells, then the probes.

Started as `python runner.py JOB.json` with the events pipe on the file descriptor named by GRADER_EVENTS_FD. It only
reports what the student's code did (cell errors and output, the probe reports as plain
data); every verdict is made outside, by the grader, from these reports.
Events, one JSON object a line: cell_start, cell_end, probe_start, probe_end, done.
"""

import io
import json
import os
import signal
import sys
import traceback

import numpy

OUTPUT_CAP = 20_000  # characters of output kept per cell


class StepTimeout(BaseException):
    """Raised by the alarm when a cell or a probe runs past its time."""


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


def _alarm(seconds):
    signal.setitimer(signal.ITIMER_REAL, seconds)


def _on_alarm(signum, frame):
    raise StepTimeout()


def main(job_path):
    events = os.fdopen(int(os.environ["GRADER_EVENTS_FD"]), "w", buffering=1, closefd=False)
    real_stdout, real_stderr = sys.stdout, sys.stderr

    def emit(**event):
        events.write(json.dumps(event, allow_nan=True) + "\n")
        events.flush()

    with open(job_path) as handle:
        job = json.load(handle)
    sys.path.insert(0, job["checking_path"])
    from IPython.core.interactiveshell import InteractiveShell

    from coursekit.checking import probe

    signal.signal(signal.SIGALRM, _on_alarm)
    shell = InteractiveShell.instance(colors="nocolor")
    shell.showtraceback = shell.showsyntaxerror = _make_showtraceback(shell)
    shell.enable_gui = lambda gui=None: None  # `%matplotlib inline` works without a kernel
    skip_cells, skip_functions = set(job["skip_cells"]), set(job["skip_functions"])
    for index, source in job["cells"]:
        if index in skip_cells:
            continue
        emit(event="cell_start", index=index)
        capture = CappedText()
        sys.stdout = sys.stderr = capture
        shell.last_error_text = None
        try:
            _alarm(job["cell_timeout"])
            result = shell.run_cell(source, store_history=False)
            _alarm(0)
            error = shell.last_error_text if not result.success else None
            if error and "StepTimeout" in error:
                error = f"the cell ran longer than {job['cell_timeout']} s and was stopped"
        except StepTimeout:
            error = f"the cell ran longer than {job['cell_timeout']} s and was stopped"
        except BaseException as exc:  # noqa: BLE001 - the student's cell may raise anything
            error = f"{type(exc).__name__}: {exc}"
        finally:
            _alarm(0)
            sys.stdout, sys.stderr = real_stdout, real_stderr
        emit(event="cell_end", index=index, error=error, output=capture.getvalue())

    namespace = shell.user_ns
    for function, cases, stand_ins in job["probes"]:
        if function in skip_functions:
            continue
        emit(event="probe_start", function=function)
        candidate = namespace.get(function)
        if not callable(candidate):
            emit(event="probe_end", function=function, missing=True, reports=[])
            continue
        reports = []
        saved = {name: namespace[name] for name in stand_ins if name in namespace}
        sys.stdout = sys.stderr = CappedText()
        try:
            for name, source in stand_ins.items():  # the lesson's other functions, as specified
                scope = {"np": numpy}
                exec(source, scope)
                namespace[name] = scope[name]
            for case in cases:
                _alarm(job["probe_timeout"])
                try:
                    reports.append(probe(candidate, case["args"], case["kwargs"]))
                except StepTimeout:
                    reports.append({"timeout": job["probe_timeout"]})
                finally:
                    _alarm(0)
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
            for name in stand_ins:
                namespace.pop(name, None)
            namespace.update(saved)
        emit(event="probe_end", function=function, missing=False, reports=reports)
    emit(event="done")


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
        main(sys.argv[1])
    except BaseException:  # the runner's own failure: keep its traceback for the run's log
        traceback.print_exc(file=sys.__stderr__)
        raise
