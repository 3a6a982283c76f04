""""Predict, then check": questions on the idea of a lesson, answered with numbers or a choice.

In a lesson source, an answer cell is a solution cell with an `answer` header; its solution
region assigns the reference answers as literals, one name each:

    # %% nbgrader={"grade_id": "predict_ewa_start"} answer={"points": 1}
    ### BEGIN SOLUTION
    v2 = 7.5
    v2_corrected = 10.0
    ### END SOLUTION

The header stands for a locked test cell after it, `test_predict_ewa_start` with the points,
which records the student's answer in the notebook without judging it (coursekit.answers). The
student's copy of the answer cell reads `v2 = ...` for each name (release writes it). The grader
asks the sandbox only for the values of those names and judges them here, outside the student's
process, against the key in the lesson source, with the misconceptions and hint of the question
in grader/cases (casebook.Question). Numbers are equal within a relative tolerance (1 % unless the
header says "tolerance"); strings (choices such as "b") are compared stripped, ignoring case.
"""

import ast
import math
import re
from dataclasses import dataclass
from functools import cache

from coursekit import grade_ids
from grader import casebook

HEADER = "answer"
HEADER_KEYS = {"points", "tolerance"}
DEFAULT_TOLERANCE = 0.01
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)


@dataclass(frozen=True)
class AnswerKey:
    """One question of a lesson, as its source states it."""

    grade_id: str
    points: float
    tolerance: float
    key: dict  # {name: the reference answer, a number or a string}

    @property
    def names(self):
        return list(self.key)


def literal_answers(grade_id, source):
    """{name: literal} of the solution region of an answer cell; ValueError saying what is wrong."""
    region = SOLUTION_REGION.search(source)
    if region is None:
        raise ValueError(f"{grade_id}: an answer cell holds its answers between ### BEGIN SOLUTION and END SOLUTION")
    answers = {}
    for node in ast.parse(region.group(1)).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            raise ValueError(f"{grade_id}: each line of an answer is `name = <number or string>`")
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            raise ValueError(f"{grade_id}: the answer {node.targets[0].id} is not a literal number or string") from None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"{grade_id}: the answer {node.targets[0].id} must be a number or a string")
        answers[node.targets[0].id] = value
    if not answers:
        raise ValueError(f"{grade_id}: the answer cell assigns no answer")
    return answers


def answer_key(cell):
    """The AnswerKey of a source cell with an `answer` header."""
    header = cell.metadata[HEADER]
    grade_id = cell.metadata["nbgrader"]["grade_id"]
    if not isinstance(header, dict) or set(header) - HEADER_KEYS or "points" not in header:
        raise ValueError(f'{grade_id}: answer={header} needs "points" (and "tolerance" only)')
    if not grade_id.startswith("predict_"):
        raise ValueError(f"{grade_id}: the grade id of an answer cell starts with predict_")
    return AnswerKey(grade_id, header["points"], float(header.get("tolerance", DEFAULT_TOLERANCE)),
                     literal_answers(grade_id, cell.source))


def recording_source(key):
    """The source of the locked test cell that records an answer in the student's notebook."""
    arguments = ", ".join(f"{name}={name}" for name in key.names)
    return (
        "# Records your answer; the grader judges it. The next cells let you check your prediction.\n"
        "from coursekit.answers import record_answer\n\n"
        f'record_answer("{key.grade_id}", {arguments})'
    )


def stub(key):
    """The student's copy of an answer cell."""
    return "\n".join(f"{name} = ...  # your answer" for name in key.names)


def test_cell_id(grade_id):
    return grade_ids.visible(grade_id)


def question_of(slug, test_grade_id):
    """The answer cell's grade id of a recording test cell of a lesson, or None for any other test cell."""
    grade_id = grade_ids.function_of(test_grade_id)
    if test_grade_id == test_cell_id(grade_id) and grade_id in answer_keys(slug):
        return grade_id
    return None


@cache
def answer_keys(slug):
    """{grade id: AnswerKey} of a lesson's questions, from its source."""
    import jupytext

    from grader.course import LESSONS

    notebook = jupytext.read(LESSONS / f"{slug}.py")
    return {key.grade_id: key for key in (answer_key(cell) for cell in notebook.cells if HEADER in cell.metadata)}


# ----------------------------------------------------------------------------- judging


def same(value, expected, tolerance):
    """Whether an answer value (as reported: {"number": x} or {"text": s}) equals a key value."""
    if isinstance(expected, str):
        return "text" in value and value["text"].strip().casefold() == expected.strip().casefold()
    if "number" not in value or not math.isfinite(value["number"]):
        return False
    return math.isclose(value["number"], expected, rel_tol=tolerance, abs_tol=tolerance * 1e-3)


def shown(value):
    """An answer as the student wrote it, for feedback."""
    if "number" in value:
        return f"{value['number']:.6g}"
    if "text" in value:
        return repr(value["text"][:40])
    return f"a {value.get('other', 'value')}"


def judge(key, reported):
    """Problems with the answers to one question; reported is the sandbox's {name: value} or None."""
    question = casebook.question_index().get(key.grade_id)
    what = question.what if question else key.grade_id
    if reported is None:
        return [f"{key.grade_id} ({what}) was not read: the notebook did not get that far"]
    missing = [name for name in key.names if not isinstance(reported.get(name), dict) or "missing" in reported[name]]
    if missing:
        return [f"{key.grade_id} ({what}): {', '.join(missing)} is not defined: was the answer cell deleted?"]
    unanswered = [name for name in key.names if "unanswered" in reported[name]]
    if unanswered:
        return [f"{key.grade_id} ({what}): no answer for {', '.join(unanswered)} (still ...)"]
    kinds = {name: "a string such as \"b\"" if isinstance(expected, str) else "a number"
             for name, expected in key.key.items()}
    wrong_kind = [name for name in key.names
                  if ("text" in reported[name]) != isinstance(key.key[name], str) or "other" in reported[name]]
    if wrong_kind:
        return [f"{key.grade_id} ({what}): {name} should be {kinds[name]}, not {shown(reported[name])}"
                for name in wrong_kind]
    wrong = [name for name in key.names if not same(reported[name], key.key[name], key.tolerance)]
    if not wrong:
        return []
    answered = ", ".join(f"{name} = {shown(reported[name])}" for name in wrong)
    for misconception in question.misconceptions if question else []:
        if all(name in reported and same(reported[name], value, key.tolerance)
               for name, value in misconception.answer.items()):
            return [f"{key.grade_id} ({what}): {answered} is not right: {misconception.says}"]
    advice = question.hint if question and question.hint else "work it out again from the lesson's equations"
    return [f"{key.grade_id} ({what}): {answered} is not right: {advice}"]


def with_answer_stubs(notebook, slug):
    """A released notebook whose answer cells read `name = ...` instead of nbgrader's code stub
    (their nbgrader checksums recomputed, as nbgrader computes them)."""
    from nbgrader.utils import compute_checksum

    keys = answer_keys(slug)
    for cell in notebook.cells:
        key = keys.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if key is not None and cell.cell_type == "code":
            cell.source = stub(key)
            if "checksum" in cell.metadata["nbgrader"]:
                cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
    return notebook
