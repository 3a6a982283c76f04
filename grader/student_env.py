"""The student-side Python environment of the sandbox: an allow-list, never the project's environment.

Whatever way the course is installed (editable, `pip install .`, a conda environment), the
sandbox sees the base interpreter's standard library, the distributions a student's notebook
may use (STUDENT_PACKAGES and everything they require) and `coursekit` with the datasets, each
mounted read-only under SITE or COURSE. The interpreter's own site-packages folders are hidden
behind empty folders, so `solutions`, `grader` and every other installed package stay out of reach.
"""

import importlib.metadata as metadata
import site
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement

STUDENT_PACKAGES = ("numpy", "matplotlib", "ipython", "ipywidgets", "tqdm")
SITE = "/sandbox/site"  # the allowed distributions, as one site-packages folder
COURSE = "/sandbox/course"  # coursekit and datasets, side by side as coursekit expects


@dataclass(frozen=True)
class Mount:
    host: Path
    inside: str  # where the sandbox sees it


def _normal(name):
    return name.lower().replace("_", "-").replace(".", "-")


def _required(distribution):
    """Names of what a distribution needs on this Python, extras left out."""
    names = []
    for text in distribution.requires or ():
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            names.append(requirement.name)
    return names


@cache
def distributions():
    """The allowed distributions: STUDENT_PACKAGES and everything they require, found where Python finds them."""
    found, queue = {}, list(STUDENT_PACKAGES)
    while queue:
        name = _normal(queue.pop())
        if name in found:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional platform dependency that is not installed here
        found[name] = distribution
        queue += _required(distribution)
    return [found[name] for name in sorted(found)]


def _top_level_entries(distribution):
    """The files and folders a distribution put in its site-packages folder (numpy/, numpy.libs/, six.py, ...)."""
    entries = set()
    for file in distribution.files or ():
        parts = Path(file).parts
        if parts and parts[0] not in ("..", "__pycache__") and not Path(file).is_absolute():
            entries.add(parts[0])
    return sorted(entries)


def course_package_dir():
    """The coursekit package the grader itself imports (the checkout's, or the installed one)."""
    import coursekit

    return Path(coursekit.__file__).resolve().parent


def datasets_dir():
    from coursekit.data import DATA_DIR

    return Path(DATA_DIR).resolve()


@cache
def mounts():
    """[Mount] of the student-side environment."""
    result = []
    for distribution in distributions():
        for entry in _top_level_entries(distribution):
            host = Path(distribution.locate_file(entry))
            if host.exists():
                result.append(Mount(host, f"{SITE}/{entry}"))
    result.append(Mount(course_package_dir(), f"{COURSE}/coursekit"))
    if datasets_dir().is_dir():
        result.append(Mount(datasets_dir(), f"{COURSE}/datasets"))
    return result


def interpreter():
    """The base interpreter (a virtual environment's python is a link to it)."""
    base = Path(sys.base_prefix)
    for name in (f"python{sys.version_info.major}.{sys.version_info.minor}", "python3"):
        if (base / "bin" / name).exists():
            return base / "bin" / name
    return Path(sys.executable).resolve()


def hidden_folders():
    """The base interpreter's own site-packages and the system's dist-packages: shown empty."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [Path(sys.base_prefix) / "lib" / version / "site-packages"]
    candidates += [Path(p) for p in site.getsitepackages([sys.base_prefix])]
    candidates += [Path("/usr/lib/python3/dist-packages"), Path("/usr/local/lib") / version / "dist-packages"]
    candidates += [Path("/usr/lib") / version / "site-packages", Path("/usr/local/lib") / version / "site-packages"]
    return sorted({p for p in candidates if p.is_dir()})
