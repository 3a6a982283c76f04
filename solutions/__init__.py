"""Reference solutions of the graded functions, one module per lesson.

Instructor material: student notebooks and the `coursekit` helpers never import it.
The solution cells of the lesson sources in `lessons/` hold the same functions, and
`tests/test_lessons.py` proves that the two copies are identical.
"""
