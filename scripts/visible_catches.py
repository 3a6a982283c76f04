"""How many catalogued mistakes (grader/cases MISTAKES) the visible checks of the notebooks flag.

    python scripts/visible_catches.py

Prints, per graded function, the mistakes its visible checks catch and the total; issue 11's
budget is that lessons never catch fewer than before (tests/test_lessons.py keeps the floor).
"""

from coursekit import grade_ids
from coursekit.checking import CheckFailed, check
from grader import casebook


def caught_mistakes():
    """{function: [(mistake message, caught?)]} for every catalogued mistake."""
    table = {}
    for lesson in casebook.lessons().values():
        for mistake in lesson.MISTAKES:
            try:
                check(grade_ids.visible(mistake.function), mistake.implementation, quiet=True)
                caught = False
            except CheckFailed:
                caught = True
            except Exception:  # a mistake that raises outside the judged call still counts as flagged
                caught = True
            table.setdefault(mistake.function, []).append((mistake.message, caught))
    return table


def main():
    table = caught_mistakes()
    total = sum(caught for rows in table.values() for _, caught in rows)
    for function, rows in table.items():
        print(f"{function:34s} {sum(c for _, c in rows):2d} of {len(rows):2d}")
    print(f"visible checks flag {total} of {sum(len(r) for r in table.values())} catalogued mistakes")


if __name__ == "__main__":
    main()
