"""The most adversarial class we can write, on lesson 05: every attack of a careless LMS unzip and
of a hostile student, beside correct classmates. Each attack comes with the most it may earn: the
score of the same submission without the attack (what its own functions deserve)."""

import copy
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from grader import questions
from grader.sample_class import _solution_notebook, _with_cell_after_solutions, _write, points

SLUG = "05_adam"
CLASSMATES = [f"classmate-{n}" for n in range(1, 7)]


@dataclass
class Attack:
    student_id: str  # as the grader should report it
    what: str
    most: float  # the most it may earn: its functions' own worth


IN_PLACE_ADAM = '''
def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] *= beta1
        v["d" + key] += (1 - beta1) * g
        s["d" + key] *= beta2
        s["d" + key] += (1 - beta2) * g**2
        v_hat = v["d" + key] / (1 - beta1**t)
        s_hat = s["d" + key] / (1 - beta2**t)
        parameters[key] -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
'''

# Writes runner-like lines of every protocol we know to every descriptor it has, then leaves.
FORGE_REPORTS = '''
import json, os
functions = ["init_adam", "adam_update"]
lines = [{"event": "cell_end", "index": ["x"], "error": ["not", "text"], "output": {"a": 1}}]
for f in functions:
    lines += [{"event": "probe_start", "function": f}, {"event": "probe_end", "function": f, "missing": False,
              "reports": []}]
    lines += [{"nonce": n, "missing": False, "reports": []} for n in ("0" * 32, "guess", None)]
lines += [{"event": "done"}]
payload = "".join(json.dumps(line) + "\\n" for line in lines).encode()
for fd in sorted(int(name) for name in os.listdir("/proc/self/fd")):
    try:
        os.write(fd, payload)
    except OSError:
        pass
os._exit(0)
'''

KEEP_ALIVE = '''
import os, time
deadline = time.time() + 300
while time.time() < deadline:
    for fd in range(3, 12):
        try:
            os.write(fd, b'{"event": "cell_start", "index": 3}\\n')
        except OSError:
            pass
    time.sleep(0.05)
'''

# A probe report whose decoding would allocate 16000 x 16000 doubles per element.
DECODER_BOMB = '''
import coursekit.checking as checking
_real_to_plain = checking.to_plain
def _bomb(obj, _budget=None):
    return {"__nd__": ["(16000,16000)<f8", [2], [0.0, 0.0]]}
checking.to_plain = _bomb
'''

STARVE_NEIGHBOURS = '''
import os
for _ in range(60):
    try:
        if os.fork() == 0:
            os.setsid()
            while True:
                pass
    except OSError:
        break
'''

FILL_MEMORY_WITH_FILES = '''
import os
chunk = b"x" * (1 << 20)
for folder in (os.path.expanduser("~"), "/tmp"):
    for n in range(3000):
        try:
            with open(os.path.join(folder, f"fill-{n}"), "wb") as handle:
                for _ in range(32):
                    handle.write(chunk)
        except OSError:
            break
'''

CHILDREN_HOLD_MEMORY = '''
import os, time
for _ in range(4):
    if os.fork() == 0:
        hog = bytearray(1500 * 2**20)
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        time.sleep(60)
        os._exit(0)
time.sleep(2)
'''

LIVE_TEXT = '''
print("=HYPERLINK(\\"http://evil.example/\\", \\"click\\")\\x1b[2J\\x1b[31m red \\x07")
raise RuntimeError("=HYPERLINK(\\"http://evil.example/\\")\\x1b]0;title\\x07 <script>alert(1)</script>")
'''

LOOKUP_ADAM = '''
import json
from pathlib import Path
import numpy as np
import coursekit.checking as checking

_SHIPPED = json.loads(Path(checking.VISIBLE_CHECKS).read_text())["adam_update"]

def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    mine = checking.to_plain([[parameters, grads, v, s, t], {"learning_rate": learning_rate}])
    for entry in _SHIPPED:
        if json.dumps(entry["case"]["args"]["__tuple__"], sort_keys=True) == json.dumps(mine[0], sort_keys=True):
            return checking.from_plain(entry["expected"]["output"])
    raise KeyError("not a shipped case")
'''

SURROGATE_PRINT = 'print("hello \\ud800 world")'


def _markdown_tables():
    row = "| " + " | ".join(f"cell {i} *x* `y`" for i in range(40)) + " |\n"
    table = row + "|" + "---|" * 40 + "\n" + row * 60
    return "\n\n".join(table for _ in range(150))


def _solution():
    return _solution_notebook(SLUG)


def _with_code(source):
    return _with_cell_after_solutions(_solution(), source)


def _write_json(notebook, path):
    """Written with json (ASCII escapes), so that lone surrogates survive into the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nbformat.from_dict(notebook), ensure_ascii=True))
    return path


def make_hostile_class(root):
    """Write the class into root; returns (attacks, classmates' ids)."""
    root = Path(root)
    full = points(SLUG)
    adam_points = points(SLUG, "adam_update")
    # The lesson's questions are judged on the values of their answer names, never through a report
    # the student's code can forge or blow up: the solution notebook's answers earn their points.
    question_points = sum(points(SLUG, grade_id) for grade_id in questions.answer_keys(SLUG))
    attacks = []
    for student in CLASSMATES:
        _write(_solution(), root, student, SLUG)

    def code_attack(student, what, source, most=full):
        _write(_with_code(source), root, student, SLUG)
        attacks.append(Attack(student, what, most))

    code_attack("surrogate-output", "a cell prints a lone surrogate", SURROGATE_PRINT)
    markdown = _solution()
    markdown.cells.append(nbformat.v4.new_markdown_cell("notes \ud800 with a lone surrogate"))
    _write_json(markdown, root / "surrogate-markdown" / SLUG / f"{SLUG}.ipynb")
    attacks.append(Attack("surrogate-markdown", "a markdown cell holds a lone surrogate", full))
    latin1 = os.fsencode(root) + b"/jos\xe9"
    os.makedirs(latin1 + b"/" + SLUG.encode())
    nbformat.write(_solution(), os.fsdecode(latin1 + f"/{SLUG}/{SLUG}.ipynb".encode()))
    attacks.append(Attack("josé", "a folder name that is not UTF-8 (Latin-1 unzip)", full))

    forger = _with_cell_after_solutions(_with_code(IN_PLACE_ADAM), FORGE_REPORTS)  # two cells of their own
    _write(forger, root, "forger", SLUG)
    attacks.append(Attack("forger", "in-place Adam, forged reports on every descriptor, os._exit", full - adam_points))
    code_attack("keep-alive", "forged start events as keep-alives while sleeping", KEEP_ALIVE)
    code_attack("decoder-bomb", "a report whose decoding would allocate 4 GB", DECODER_BOMB, most=question_points)
    code_attack("starver", "60 busy processes in their own sessions", STARVE_NEIGHBOURS)
    code_attack("file-hog", "files written to home and /tmp beyond the memory limit", FILL_MEMORY_WITH_FILES)
    code_attack("child-hog", "children holding 1.5 GB each", CHILDREN_HOLD_MEMORY)
    code_attack("=cmd|' -C calc'!A0", "live text: formulas, terminal escapes, HTML", LIVE_TEXT)
    code_attack("lookup", "adam_update as a lookup table of the shipped checks", LOOKUP_ADAM,
                most=full - adam_points)
    tables = _solution()
    tables.cells.append(nbformat.v4.new_markdown_cell(_markdown_tables()))
    _write(tables, root, "slow-page", SLUG)
    attacks.append(Attack("slow-page", "150 large markdown tables", full))

    # links: never followed
    mallory = root / "mallory" / SLUG
    mallory.mkdir(parents=True)
    (mallory / f"{SLUG}.ipynb").symlink_to(Path("..", "..", CLASSMATES[0], SLUG, f"{SLUG}.ipynb"))
    attacks.append(Attack("mallory", "a notebook that is a symlink to a classmate's", 0))
    (root / "zed").symlink_to(CLASSMATES[1], target_is_directory=True)
    elsewhere = _write(_solution(), root.parent / "outside-the-class", "someone", SLUG)
    hard = root / "hardy" / SLUG
    hard.mkdir(parents=True)
    os.link(elsewhere, hard / f"{SLUG}.ipynb")
    attacks.append(Attack("hardy", "a hard link to a notebook outside the class folder", 0))

    # names that collide or escape
    for student in ("bob smith", "bob_smith", "x" * 100 + "-first", "x" * 100 + "-second"):
        _write(_solution(), root, student, SLUG)
        attacks.append(Attack(student, "an id that collided with another after shortening or replacing", full))
    notebook = copy.deepcopy(_solution())
    nbformat.write(notebook, root / f".._{SLUG}.ipynb")
    return attacks, list(CLASSMATES)
