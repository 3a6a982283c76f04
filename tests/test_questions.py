"""The "predict, then check" questions (grader/questions.py): every lesson 01-09 asks one or two,
each answer key is read from the lesson source, the student's copy holds `name = ...` stubs, the
recording cell judges nothing, and the grader judges the answers outside the sandbox: the key
earns the points, a catalogued misconception gets its own words, other answers the hint, and
the feedback never gives the right value."""

import json

import nbformat
import pytest

from coursekit.answers import AnswerMissing, record_answer
from grader import casebook, course, questions, sandbox
from grader.cells import point_cells
from grader.runner import describe_answer

LIMITS = sandbox.Limits(cell_timeout=5, probe_timeout=5)
TAUGHT = [slug for slug in course.lesson_slugs() if slug[:2] <= "09"]


def reported(**values):
    """Answers as the sandbox reports them."""
    return {name: describe_answer(values, name) for name in values}


KEY = questions.AnswerKey("predict_demo", 1, 0.01, {"v2": 7.5, "choice": "b"})


# ----------------------------------------------------------------------------- the lessons


@pytest.mark.parametrize("slug", TAUGHT)
def test_each_lesson_asks_one_or_two_questions_with_their_feedback_in_the_cases(slug):
    keys = questions.answer_keys(slug)
    assert 1 <= len(keys) <= 2, f"{slug} asks {len(keys)} predict-then-check questions; the course asks 1 or 2"
    for grade_id in keys:
        question = casebook.question_index().get(grade_id)
        assert question is not None, f"{grade_id} has no Question (what, misconceptions, hint) in grader/cases"
        assert question.misconceptions and question.hint, f"{grade_id}: give misconceptions and a hint"
        kinds = {cell.grade_id: cell.kind for cell in point_cells(slug)}
        assert kinds.get(questions.test_cell_id(grade_id)) == "answer", kinds


def test_every_question_in_the_cases_belongs_to_an_answer_cell():
    asked = {grade_id for slug in course.lesson_slugs() for grade_id in questions.answer_keys(slug)}
    assert set(casebook.question_index()) <= asked, set(casebook.question_index()) - asked


@pytest.mark.parametrize("slug", TAUGHT)
def test_no_misconception_is_the_right_answer_and_no_feedback_gives_it(slug):
    for grade_id, key in questions.answer_keys(slug).items():
        question = casebook.question_index()[grade_id]
        assert questions.judge(key, reported(**key.key)) == [], f"{grade_id}: the key itself is judged wrong"
        for misconception in question.misconceptions:
            answers = {**key.key, **misconception.answer}
            problems = questions.judge(key, reported(**answers))
            assert problems and misconception.says in problems[0], (grade_id, misconception, problems)
            for name, right in key.key.items():
                if name in misconception.answer and isinstance(right, float | int) and right != 0:
                    assert f"{right:.6g}" not in misconception.says + question.hint, (grade_id, name)


@pytest.mark.parametrize("slug", TAUGHT)
def test_the_student_copy_of_an_answer_cell_is_stubs_and_its_test_cell_records(slug):
    notebook = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    by_id = {cell.metadata.get("nbgrader", {}).get("grade_id"): cell for cell in notebook.cells}
    for grade_id, key in questions.answer_keys(slug).items():
        assert by_id[grade_id].source == questions.stub(key)
        recording = by_id[questions.test_cell_id(grade_id)]
        assert recording.metadata["nbgrader"]["locked"] and "record_answer" in recording.source
        for value in key.key.values():
            assert repr(value) not in recording.source


# ----------------------------------------------------------------------------- judging


def test_the_key_passes_within_the_tolerance_and_case_and_spaces_do_not_matter():
    assert questions.judge(KEY, reported(v2=7.5, choice="b")) == []
    assert questions.judge(KEY, reported(v2=7.52, choice=" B ")) == []
    assert questions.judge(KEY, reported(v2=7.7, choice="b"))


def test_unanswered_missing_and_wrong_kinds_are_named():
    assert "no answer for v2" in questions.judge(KEY, reported(v2=..., choice="b"))[0]
    assert "v2 is not defined" in questions.judge(KEY, {"choice": {"text": "b"}, "v2": {"missing": True}})[0]
    assert 'should be a string such as "b"' in questions.judge(KEY, reported(v2=7.5, choice=2))[0]
    assert "should be a number, not a list" in questions.judge(KEY, reported(v2=[7.5], choice="b"))[0]
    assert "was not read" in questions.judge(KEY, None)[0]


def test_numpy_numbers_are_numbers_and_booleans_are_not():
    import numpy as np

    assert questions.judge(KEY, reported(v2=np.float32(7.5), choice=np.str_("b"))) == []
    assert "not a bool" in questions.judge(KEY, reported(v2=True, choice="b"))[0]


def test_a_literal_key_is_required():
    with pytest.raises(ValueError, match="not a literal"):
        questions.literal_answers("predict_x", "### BEGIN SOLUTION\nv = 3 * 5\n### END SOLUTION\n")
    with pytest.raises(ValueError, match="name = <number or string>"):
        questions.literal_answers("predict_x", "### BEGIN SOLUTION\nprint(3)\n### END SOLUTION\n")
    assert questions.literal_answers("predict_x", "### BEGIN SOLUTION\nv = -0.5\nc = 'a'\n### END SOLUTION\n") == {
        "v": -0.5, "c": "a"}


def test_record_answer_stops_on_an_unanswered_or_unreadable_answer_and_reveals_nothing(capsys):
    with pytest.raises(AnswerMissing, match="replace the ... after v2"):
        record_answer("predict_demo", v2=..., choice="b")
    with pytest.raises(AnswerMissing, match="should be a number"):
        record_answer("predict_demo", v2=[1], choice="b")
    record_answer("predict_demo", v2=7, choice="b")
    said = capsys.readouterr().out
    assert "v2 = 7.0" in said and "right" not in said and "wrong" not in said


# ----------------------------------------------------------------------------- in the sandbox


def test_the_sandbox_reports_answer_values_and_a_forged_report_is_refused():
    cells = [(0, "v2 = 7.5\nchoice = 'b'\nweird = object()\nlater = ...")]
    result = sandbox.run_submission(cells, [], limits=LIMITS, answers={"predict_demo": ["v2", "choice", "weird",
                                                                                        "later", "absent"]})
    assert result.answers["predict_demo"] == {"v2": {"number": 7.5}, "choice": {"text": "b"},
                                              "weird": {"other": "object"}, "later": {"unanswered": True},
                                              "absent": {"missing": True}}
    assert sandbox.checked_answers({"v2": {"number": True}}, ["v2"]) is None
    assert sandbox.checked_answers({"v2": {"number": 1.0, "text": "x"}}, ["v2"]) is None
    assert sandbox.checked_answers({"v2": {"number": 1.0}, "extra": {"missing": True}}, ["v2"]) is None
    assert sandbox.checked_answers(json.loads('{"v2": {"text": "\\u202eb"}}'), ["v2"])["v2"]["text"] != "\u202eb"
