"""The one home of the course's test-cell names: a graded function `f` has two autograded test
cells, `test_f` (judged on twins of the visible cases) and `test_f_hidden` (judged on every case)."""

PREFIX = "test_"
HIDDEN_SUFFIX = "_hidden"


def visible(function):
    """The grade id of the test cell judged on the visible cases' twins."""
    return f"{PREFIX}{function}"


def hidden(function):
    """The grade id of the test cell judged on every case."""
    return f"{PREFIX}{function}{HIDDEN_SUFFIX}"


def is_hidden(grade_id):
    return grade_id.endswith(HIDDEN_SUFFIX)


def function_of(grade_id):
    """The graded function a test cell checks: test_adam_update_hidden -> adam_update."""
    return grade_id.removeprefix(PREFIX).removesuffix(HIDDEN_SUFFIX)
