"""The project's own files install what it needs, at the pinned versions."""

import re
import tomllib

from grader import course


def _pins(lines):
    return {
        match["name"].lower().replace("_", "-"): match["version"]
        for line in lines
        if (match := re.match(r"\s*(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^\s;#]+)", line))
    }


def test_every_direct_dependency_is_pinned_alike_in_pyproject_and_the_constraints():
    project = tomllib.loads((course.ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    declared = _pins(direct)
    assert len(declared) == len(direct), "every direct dependency has an exact pin"
    constraints = _pins((course.ROOT / "requirements" / "constraints.txt").read_text().splitlines())
    differ = {name: (pin, constraints.get(name)) for name, pin in declared.items() if constraints.get(name) != pin}
    assert not differ, f"pyproject.toml vs requirements/constraints.txt: {differ}"


def test_every_package_of_the_project_is_installed():
    packages = tomllib.loads((course.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    on_disk = {str(p.parent.relative_to(course.ROOT)).replace("/", ".") for p in course.ROOT.glob("*/**/__init__.py")}
    wanted = {name for name in on_disk if name.split(".")[0] in ("solutions", "coursekit", "grader")}
    assert wanted <= set(packages), f"not packaged: {sorted(wanted - set(packages))}"
