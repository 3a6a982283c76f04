"""Your answers to the "predict, then check" questions of a lesson.

The locked cell after an answer cell calls `record_answer`: it says what it recorded and stops
when an answer is still `...` or is not a number (or, for a choice, a string). It does not say
whether the answer is right: the grader judges it when your notebook is graded, and the cells
after the question let you check your prediction yourself.
"""

import numbers


class AnswerMissing(ValueError):
    """A question's answer is not given yet, or is not a number or a string."""

    def _render_traceback_(self):
        """What IPython shows instead of a traceback: the message alone."""
        return ["\x1b[1;31mAnswerMissing\x1b[0m: " + str(self)]


def readable(value):
    """An answer as a number or a string, or None when it is neither."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    return None


def record_answer(question, **answers):
    """Check that each answer of `question` is given (a number, or a string for a choice) and say what was recorded."""
    unanswered = [name for name, value in answers.items() if value is Ellipsis]
    if unanswered:
        raise AnswerMissing(f"{question}: replace the ... after {', '.join(unanswered)} with your answer, "
                            "run that cell, then this one")
    unreadable = [name for name, value in answers.items() if readable(value) is None]
    if unreadable:
        raise AnswerMissing(f"{question}: {', '.join(unreadable)} should be a number (or, for a choice, a string "
                            f"such as \"b\"), not a {type(answers[unreadable[0]]).__name__}")
    shown = ", ".join(f"{name} = {readable(value)!r}" for name, value in answers.items())
    print(f"Recorded for {question}: {shown}. The grader judges it; the next cells let you check your prediction.")
