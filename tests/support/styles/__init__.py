"""Independently written correct answers to the graded functions, several styles per lesson.

Each module lesson_NN.py holds STYLES = {style name: source}: the solution cells of lesson NN as
one student might write them, every graded function of the lesson defined in that style. A
source starts with its imports, as a student's cell would; tests/test_styles.py puts each
function into its own solution cell of the student notebook, with those imports.
"""
