"""The instructor's side: building the student notebooks, the check cases and a sandboxed
autograder on top of nbgrader. Run `python -m grader --help`."""
