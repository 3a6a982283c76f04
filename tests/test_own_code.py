"""Your own code, end to end, nobody else's: no student notebook holds working code of another
lesson's graded function, a later lesson gets an earlier lesson's functions only through
`coursekit.earlier.load` (never from `solutions`), and coursekit, the package students install,
implements no graded function.

The checks read the code cells with `ast`; each is also run on doctored copies (a pasted
definition, an import of `solutions`, a lambda, a load from the wrong lesson, ...) to show that it
can fail."""

import ast
import shutil
from functools import cache
from pathlib import Path

import nbformat
import pytest

from grader import autograde, course

ROOT = Path(__file__).resolve().parent.parent
COURSEKIT = ROOT / "coursekit"
LOADER_MODULE = "coursekit.earlier"


@cache
def graded_by_lesson():
    """{slug: [graded function, ...]} of every lesson (the functions its check cases judge)."""
    return {slug: autograde.graded_functions(slug) for slug in course.lesson_slugs()}


@cache
def owner_of():
    """{graded function: the slug of the lesson that grades it}."""
    owners = {}
    for slug, functions in graded_by_lesson().items():
        for function in functions:
            assert function not in owners, f"{function} is graded by {owners[function]} and {slug}"
            owners[function] = slug
    return owners


def foreign_functions(slug):
    """The graded functions of every lesson but `slug`."""
    return {function for function, owner in owner_of().items() if owner != slug}


def student_notebooks():
    return sorted(course.NOTEBOOKS.glob("*.ipynb"))


# ----------------------------------------------------------------------------- reading code


def parse_cell(source, where):
    """The ast of a code cell; IPython's magics and shell lines (% and !) are left out."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError as error:
        raise AssertionError(f"{where} is not Python: {error}") from None


def notebook_cells(path):
    """[(where, ast)] of a notebook's code cells."""
    notebook = nbformat.read(path, as_version=4)
    return [
        (f"{path.name}, code cell {index}", parse_cell(cell.source, f"{path.name}, code cell {index}"))
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    ]


def names_of_loader(tree):
    """(names bound to coursekit.earlier.load, names bound to the module coursekit.earlier) in a cell."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == LOADER_MODULE:
            functions |= {alias.asname or alias.name for alias in node.names if alias.name == "load"}
        elif isinstance(node, ast.ImportFrom) and node.module == "coursekit":
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "earlier"}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname for alias in node.names if alias.name == LOADER_MODULE and alias.asname}
    return functions, modules


def is_load_call(node, loader):
    functions, modules = loader
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id in functions
    if isinstance(node.func, ast.Attribute) and node.func.attr == "load":
        value = node.func.value
        if isinstance(value, ast.Name):
            return value.id in modules
        return ast.unparse(value) == LOADER_MODULE  # import coursekit.earlier; coursekit.earlier.load(...)
    return False


def imports_solutions(node):
    """Whether a node imports the `solutions` package (a statement, importlib or __import__)."""
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "solutions" for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "solutions" and node.level == 0
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        argument = node.args[0].value
        return name in ("import_module", "__import__") and isinstance(argument, str) and (
            argument.split(".")[0] == "solutions")
    return False


def stored_names(target):
    """The Name nodes a target binds (a, (a, b), [a, *b])."""
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in stored_names(element)]
    if isinstance(target, ast.Starred):
        return stored_names(target.value)
    return []


def loads_in(tree, loader):
    """[(Assign node, slug, [names asked])] of the `a, b = load(slug, "a", "b")` statements of a cell."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and is_load_call(node.value, loader):
            arguments = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.value.args]
            found.append((node, arguments[0] if arguments else None, arguments[1:]))
    return found


def notebook_problems(path, slug=None):
    """What in a student notebook is not the student's own code, in words ([] when nothing is)."""
    slug = slug or path.stem
    foreign = foreign_functions(slug)
    slugs = course.lesson_slugs()
    cells = notebook_cells(path)
    loader = (set(), set())
    for _, tree in cells:
        functions, modules = names_of_loader(tree)
        loader = (loader[0] | functions, loader[1] | modules)
    problems, loaded = [], set()
    for where, tree in cells:
        allowed = set()  # the Name nodes that a correct load binds
        for node, source, asked in loads_in(tree, loader):
            targets = [name for target in node.targets for name in stored_names(target)]
            if source not in slugs or source >= slug:
                problems.append(f"{where}: load({source!r}, ...) is not an earlier lesson of {slug}")
                continue
            for name in asked:
                if name not in graded_by_lesson()[source]:
                    problems.append(f"{where}: {name!r} is not a graded function of {source}")
            if [target.id for target in targets] != asked:
                problems.append(f"{where}: load binds {[t.id for t in targets]} to the functions {asked}")
                continue
            allowed |= {id(target) for target in targets}
            loaded |= set(asked)
        for node in ast.walk(tree):
            if imports_solutions(node):
                problems.append(f"{where}: imports the solutions package ({ast.unparse(node)[:60]})")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name in foreign:
                problems.append(f"{where}: defines {node.name}, a graded function of {owner_of()[node.name]}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    for name in sorted({alias.name, alias.asname or alias.name} & foreign):
                        problems.append(f"{where}: imports {name} from {node.module or alias.name}")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in foreign:
                if id(node) not in allowed:
                    problems.append(f"{where}: binds {node.id} (graded in {owner_of()[node.id]}) without "
                                    "coursekit.earlier.load")
    for where, tree in cells:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in foreign - loaded:
                problems.append(f"{where}: uses {node.id} of {owner_of()[node.id]}, which it does not load")
    return problems


def coursekit_problems(folder=COURSEKIT):
    """Graded functions that a coursekit module defines or binds, in words ([] when none does).
    A function received as an argument (coursekit.optimizers' wrappers) or a typed field that will
    hold one (network.BatchNorm's `update_running_stats: Callable`) is not a definition."""
    graded = set(owner_of())
    problems = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(folder.parent)
        declared = {id(node.target) for node in ast.walk(tree)
                    if isinstance(node, ast.AnnAssign) and node.value is None}
        for node in ast.walk(tree):
            if id(node) in declared:
                continue
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.name in graded:
                problems.append(f"{where}:{node.lineno} defines {node.name}")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in graded:
                problems.append(f"{where}:{node.lineno} binds {node.id}")
            elif isinstance(node, ast.Import | ast.ImportFrom):
                problems += [f"{where}:{node.lineno} imports {name}" for alias in node.names
                             for name in sorted({alias.name, alias.asname or alias.name} & graded)]
    return problems


# ----------------------------------------------------------------------------- the course as it is


def test_every_lesson_with_checks_has_graded_functions():
    graded = graded_by_lesson()
    assert all(graded[slug] for slug in course.lesson_slugs() if slug != "10_capstone"), graded
    assert len(owner_of()) >= 26  # the 26 graded functions of lessons 01-09 when this test was written


@pytest.mark.parametrize("path", student_notebooks(), ids=lambda path: path.stem)
def test_student_notebook_holds_only_its_own_graded_functions_and_loads_the_rest(path):
    assert notebook_problems(path) == []


def test_every_lesson_has_a_student_notebook():
    assert [path.stem for path in student_notebooks()] == course.lesson_slugs()


def test_the_capstone_runs_on_the_students_functions_of_six_lessons():
    """Not vacuous: the capstone's earlier functions are found, each bound by a load."""
    path = course.NOTEBOOKS / "10_capstone.ipynb"
    cells = notebook_cells(path)
    loader = (set(), set())
    for _, tree in cells:
        functions, modules = names_of_loader(tree)
        loader = (loader[0] | functions, loader[1] | modules)
    loaded = {(source, name) for _, tree in cells for _, source, names in loads_in(tree, loader) for name in names}
    assert {source for source, _ in loaded} == {"01_mini_batch_gradient_descent", "05_adam",
                                                "06_learning_rate_decay", "07_hyperparameter_tuning",
                                                "08_batch_normalization", "09_softmax_regression"}
    for name in ["adam_update", "inverse_time_decay", "batchnorm_forward", "batchnorm_backward", "softmax"]:
        assert (owner_of()[name], name) in loaded


def test_coursekit_implements_no_graded_function():
    assert coursekit_problems() == []


# ----------------------------------------------------------------------------- the checks can fail


def doctored(tmp_path, slug, *sources):
    """A copy of a student notebook with code cells appended, in tmp_path."""
    notebook = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    path = tmp_path / f"{slug}.ipynb"
    nbformat.write(notebook, path)
    return path


ADAM_PASTED = """
def adam_update(parameters, grads, v, s, t, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
    return parameters, v, s
"""


@pytest.mark.parametrize(
    ("slug", "source", "problem"),
    [
        ("10_capstone", ADAM_PASTED, "defines adam_update, a graded function of 05_adam"),
        ("09_softmax_regression", "def helper():\n    def gd_update(p, g, learning_rate):\n        return p\n",
         "defines gd_update"),
        ("10_capstone", "from solutions.adam import adam_update", "imports the solutions package"),
        ("10_capstone", "import solutions.softmax_regression as answers", "imports the solutions package"),
        ("10_capstone", "import importlib\nanswers = importlib.import_module('solutions.adam')",
         "imports the solutions package"),
        ("06_learning_rate_decay", "from mylib import adam_update as step", "imports adam_update from mylib"),
        ("06_learning_rate_decay", "from mylib import step as adam_update", "imports adam_update from mylib"),
        ("09_softmax_regression", "adam_update = lambda p, g, v, s, t, **kw: (p, v, s)", "binds adam_update"),
        ("09_softmax_regression", "gd_update = load('05_adam', 'gd_update')", "not a graded function of 05_adam"),
        ("09_softmax_regression", "init_adam, adam_update = load('05_adam', 'adam_update', 'init_adam')",
         "load binds"),
        ("05_adam", "softmax = load('09_softmax_regression', 'softmax')", "is not an earlier lesson"),
        ("08_batch_normalization", "print(softmax_cross_entropy)", "uses softmax_cross_entropy"),
    ],
)
def test_a_doctored_notebook_fails(tmp_path, slug, source, problem):
    problems = notebook_problems(doctored(tmp_path, slug, source))
    assert any(problem in line for line in problems), problems


def test_a_notebook_may_define_its_own_graded_functions_and_unrelated_helpers(tmp_path):
    path = doctored(tmp_path, "09_softmax_regression", "def softmax(Z):\n    return Z\n",
                    "def hardmax(Z):\n    return Z\n")
    assert notebook_problems(path) == []


@pytest.mark.parametrize(
    "source",
    [
        "def softmax(Z):\n    return Z\n",
        "class adam_update:\n    pass\n",
        "refine_space = lambda trials, space, top_k: space\n",
        "from solutions.momentum import momentum_update\n",
    ],
)
def test_a_doctored_coursekit_fails(tmp_path, source):
    copy = tmp_path / "coursekit"
    shutil.copytree(COURSEKIT, copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    assert coursekit_problems(copy) == []
    (copy / "network.py").write_text((copy / "network.py").read_text() + "\n\n" + source)
    assert coursekit_problems(copy) != []


# ----------------------------------------------------------------------------- answers under other names


def statement_text(node):
    """A statement as ast.unparse writes it; for a compound one (for, if, with ...), its first line."""
    text = ast.unparse(node)
    return text.splitlines()[0] if isinstance(node, ast.For | ast.If | ast.While | ast.With | ast.Try) else text


def calls_a_graded_function(node):
    """Whether a statement only calls a graded function (x = gd_update(...), or the bare call)."""
    call = node.value if isinstance(node, ast.Assign | ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in owner_of_any()


@cache
def owner_of_any():
    """The names of every function students write: graded on check cases, or by plain asserts."""
    return {node.name for path in (ROOT / "solutions").glob("*.py") for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef)}


def answer_statements():
    """{statement: function} of the reference answers in solutions/: every statement inside a graded
    function (docstrings aside) of 30 characters or more; shorter ones (`return v`, `m = X.shape[1]`)
    are everyone's."""
    statements = {}
    for path in sorted((ROOT / "solutions").glob("*.py")):
        for function in ast.parse(path.read_text()).body:
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.stmt) or isinstance(node, ast.FunctionDef):
                    continue
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
                    continue  # a docstring
                if calls_a_graded_function(node):
                    continue  # using a student's function is what lessons do (train_one_epoch calls gd_update)
                if len(statement_text(node)) >= 30:
                    statements.setdefault(statement_text(node), function.name)
    return statements


def copied_answers(path):
    """[what] of the reference answers' statements found in a notebook's code cells: working code of a
    graded function, under its own name or another. The student's copies hold only stubs."""
    notebook = nbformat.read(path, as_version=4)
    statements = answer_statements()
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(parse_cell(cell.source, f"{path.name}, code cell {index}")):
            if isinstance(node, ast.stmt) and statement_text(node) in statements:
                found.append(f"{path.name}, code cell {index}: `{statement_text(node)}` is the answer of "
                             f"{statements[statement_text(node)]}")
    return found


@pytest.mark.parametrize("path", student_notebooks(), ids=lambda path: path.stem)
def test_no_student_notebook_holds_an_answers_code_under_another_name(path):
    assert len(answer_statements()) > 40, "too few answer statements to compare: is solutions/ there?"
    assert copied_answers(path) == []


def test_a_renamed_copy_of_an_answer_is_found(tmp_path):
    pasted = ('def plain_gd_update(parameters, grads, *, learning_rate):\n'
              '    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}\n')
    reference = (ROOT / "solutions" / "mini_batch_gradient_descent.py").read_text()
    assert 'grads["d" + key]' in reference, "the pasted line is no longer the reference's: change this test"
    problems = copied_answers(doctored(tmp_path, "04_rmsprop", pasted))
    assert any("the answer of gd_update" in line for line in problems), problems
