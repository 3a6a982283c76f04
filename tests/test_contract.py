"""docs/contract.md is the course's contract: every graded function has exactly one signature
block there, under its lesson, and that signature is the one of solutions/ and of the stub in the
student notebook (parameter names, kinds, defaults).

A signature block is a fenced code block whose line reads `name(parameters) -> result`."""

import ast
import importlib
import inspect
import json
import re
from pathlib import Path

import pytest

from grader import autograde, course

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "docs" / "contract.md"
SIGNATURE = re.compile(r"^(?P<name>[A-Za-z_]\w*)\((?P<params>.*)\)\s*->\s*\S")
FENCE = re.compile(r"^(```|~~~)")

def solution_functions(slug):
    """The functions students write in a lesson: those judged on check cases (autograde.graded_functions)
    and those judged by plain asserts (train_one_epoch), as solutions/<module>.py defines them."""
    path = ROOT / "solutions" / f"{slug[3:]}.py"
    defined = [node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)] \
        if path.exists() else []
    return list(dict.fromkeys(autograde.graded_functions(slug) + defined))


GRADED = {slug: solution_functions(slug) for slug in course.lesson_slugs()}
LESSON_OF = {function: slug for slug, functions in GRADED.items() for function in functions}
FUNCTIONS = sorted(LESSON_OF)


# ----------------------------------------------------------------------------- reading the contract


def signature_blocks(text=None):
    """[(function name, parameter text, line number, lesson slug of the heading above, lines in block)]."""
    text = CONTRACT.read_text(encoding="utf-8") if text is None else text
    blocks, lesson, block, start = [], None, None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if block is None:
            if FENCE.match(line):
                block, start = [], number
            elif line.startswith("#"):
                lesson = next((slug for slug in GRADED if slug in line), lesson)
            continue
        if FENCE.match(line):
            lines = [item for item in block if item.strip()]
            match = SIGNATURE.match(lines[0].strip()) if lines else None
            if match:
                blocks.append((match["name"], match["params"], start, lesson, len(lines)))
            block = None
        else:
            block.append(line)
    return blocks


def contract_block(function):
    found = [block for block in signature_blocks() if block[0] == function]
    assert len(found) == 1, f"{function}: docs/contract.md has {len(found)} signature blocks for it, expected 1"
    return found[0]


# ----------------------------------------------------------------------------- signatures as comparable rows


def _default_text(node):
    try:
        return repr(ast.literal_eval(node))
    except ValueError:
        return ast.unparse(node)


def rows_from_ast(arguments):
    """[(name, kind, default text or None)] of an ast.arguments, kinds named as in inspect."""
    positional = arguments.posonlyargs + arguments.args
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    rows = [
        (arg.arg, "POSITIONAL_ONLY" if index < len(arguments.posonlyargs) else "POSITIONAL_OR_KEYWORD",
         None if default is None else _default_text(default))
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True))
    ]
    if arguments.vararg:
        rows.append((arguments.vararg.arg, "VAR_POSITIONAL", None))
    rows += [
        (arg.arg, "KEYWORD_ONLY", None if default is None else _default_text(default))
        for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True)
    ]
    if arguments.kwarg:
        rows.append((arguments.kwarg.arg, "VAR_KEYWORD", None))
    return rows


def rows_from_function(function):
    return [
        (p.name, p.kind.name, None if p.default is inspect.Parameter.empty else repr(p.default))
        for p in inspect.signature(function).parameters.values()
    ]


def contract_rows(function):
    name, params, line, _, _ = contract_block(function)
    try:
        tree = ast.parse(f"def {name}({params}): pass")
    except SyntaxError as error:
        pytest.fail(f"{function}: the contract's signature (docs/contract.md line {line}) is not valid Python "
                    f"parameters: {error.msg}")
    return rows_from_ast(tree.body[0].args)


def solution_rows(function):
    module = importlib.import_module(f"solutions.{LESSON_OF[function][3:]}")
    assert hasattr(module, function), f"{function}: solutions/{LESSON_OF[function][3:]}.py does not define it"
    return rows_from_function(getattr(module, function))


def stub_rows(function):
    slug = LESSON_OF[function]
    notebook = json.loads((ROOT / "notebooks" / f"{slug}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") == function:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for node in ast.parse(source).body:
                if isinstance(node, ast.FunctionDef) and node.name == function:
                    return rows_from_ast(node.args)
            pytest.fail(f"{function}: the solution cell of notebooks/{slug}.ipynb does not define it")
    pytest.fail(f"{function}: notebooks/{slug}.ipynb has no solution cell with grade_id {function!r}")


def describe(row):
    name, kind, default = row
    text = name if default is None else f"{name}={default}"
    return text + {"KEYWORD_ONLY": " (keyword-only)", "POSITIONAL_ONLY": " (positional-only)",
                   "VAR_POSITIONAL": " (*args)", "VAR_KEYWORD": " (**kwargs)"}.get(kind, " (positional)")


def differences(contract, other):
    """The differences between two signatures, in words (empty when they agree)."""
    names, other_names = [row[0] for row in contract], [row[0] for row in other]
    if names != other_names:
        return [f"parameters ({', '.join(names)}) in the contract, ({', '.join(other_names)}) there"]
    return [
        f"contract has `{describe(mine)}`, there `{describe(theirs)}`"
        for mine, theirs in zip(contract, other, strict=True)
        if mine != theirs
    ]


# ----------------------------------------------------------------------------- the tests


def test_every_graded_function_is_in_the_contract_exactly_once():
    blocks = signature_blocks()
    counts = {function: sum(block[0] == function for block in blocks) for function in FUNCTIONS}
    problems = [f"{function}: {count} signature blocks, expected 1" for function, count in counts.items()
                if count != 1]
    problems += [f"{name} (line {line}): has a signature block but is not a graded function of the course"
                 for name, _, line, _, _ in blocks if name not in LESSON_OF]
    assert FUNCTIONS, "no graded functions found in lessons/"
    assert not problems, "docs/contract.md:\n" + "\n".join(problems)


def test_each_signature_block_holds_one_line_under_its_lesson():
    problems = []
    for name, _, line, lesson, lines in signature_blocks():
        if lines != 1:
            problems.append(f"{name} (line {line}): the block holds {lines} lines; one signature per block")
        if name in LESSON_OF and lesson != LESSON_OF[name]:
            problems.append(f"{name} (line {line}): listed under {lesson or 'no lesson heading'}, "
                            f"it is graded in {LESSON_OF[name]}")
    assert not problems, "docs/contract.md:\n" + "\n".join(problems)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_contract_signature_matches_the_solution(function):
    problems = differences(contract_rows(function), solution_rows(function))
    assert not problems, f"{function}: docs/contract.md vs solutions/{LESSON_OF[function][3:]}.py: " + "; ".join(
        problems
    )


@pytest.mark.parametrize("function", FUNCTIONS)
def test_contract_signature_matches_the_notebook_stub(function):
    problems = differences(contract_rows(function), stub_rows(function))
    assert not problems, f"{function}: docs/contract.md vs notebooks/{LESSON_OF[function]}.ipynb: " + "; ".join(
        problems
    )


def test_the_comparison_reports_a_changed_default_and_kind():
    """The test's own comparison: a contract line that drifts from the code is caught and named."""
    contract = rows_from_ast(ast.parse("def f(a, b, *, lr, beta=0.9): pass").body[0].args)
    drifted = rows_from_ast(ast.parse("def f(a, b, lr, beta=0.95): pass").body[0].args)
    assert differences(contract, drifted) == [
        "contract has `lr (keyword-only)`, there `lr (positional)`",
        "contract has `beta=0.9 (keyword-only)`, there `beta=0.95 (positional)`",
    ]
    renamed = rows_from_ast(ast.parse("def f(a, c, *, lr, beta=0.9): pass").body[0].args)
    assert differences(contract, renamed) == ["parameters (a, b, lr, beta) in the contract, (a, c, lr, beta) there"]
    text = "### 05_adam\n\n```python\nadam_update(p, *, lr=1e-8) -> p\n```\n\n```text\nv = beta * v\n```\n"
    assert signature_blocks(text) == [("adam_update", "p, *, lr=1e-8", 3, "05_adam", 1)]


def test_readme_points_to_the_contract():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/contract.md" in readme
    assert "COURSE_SPEC" not in readme, "README.md still cites COURSE_SPEC.md, which is not in the repository"
