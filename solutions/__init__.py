"""Reference solutions of the graded functions, one module per lesson.

Instructor material: student notebooks and the `coursekit` helpers never import it (except
`coursekit.earlier` under the instructors' switch COURSE_EARLIER=solutions). The modules are
generated from the solution cells of the lesson sources in `lessons/` by `make solutions`
(grader/solution_modules.py): edit the lesson, not the module; `tests/test_lessons.py` fails
when a module differs from what the lesson generates. This file is the only hand-written one.
"""
