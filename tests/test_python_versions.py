"""The supported Python range: the Makefile's guard, requires-python and the pins agree.

For each CPython 3.10-3.13 on this machine (pyenv's and the system's), `make check-python PYTHON=...`
accepts it exactly when pyproject.toml's requires-python does, and otherwise stops naming the
interpreter, its version and how to pick another. For each accepted one, the pinned set resolves
(`pip install --dry-run` in a throwaway venv made from it; asks the package index, installs nothing).
"""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
REQUIRES_PYTHON = SpecifierSet(PYPROJECT["project"]["requires-python"])
MINORS = ("3.10", "3.11", "3.12", "3.13")


def _version(python):
    try:
        out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                             capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _interpreters():
    """{version: path} of the CPythons 3.10-3.13 found in pyenv's versions and the system's dirs."""
    candidates = []
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for d in sorted((pyenv_root / "versions").glob("3.1[0-3].*")):
        candidates.append(d / "bin" / "python3")
    for d in ("/usr/local/bin", "/usr/bin"):
        candidates += [Path(d) / f"python{m}" for m in MINORS]
    found = {}
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            v = _version(str(path))
            if v and v.rsplit(".", 1)[0] in MINORS:
                found.setdefault(v, str(path))
    return found


FOUND = _interpreters()
SUPPORTED = {v: p for v, p in FOUND.items() if Version(v) in REQUIRES_PYTHON}
ABSENT = [m for m in MINORS if not any(v.startswith(m + ".") for v in FOUND)]
print(f"\ntest_python_versions: found {sorted(FOUND, key=Version)}; supported {sorted(SUPPORTED, key=Version)}")
if ABSENT:
    print(f"!!! test_python_versions: SKIPPED (not on this machine): Python {', '.join(ABSENT)} !!!")


def _check_python(python):
    return subprocess.run(["make", "-s", "--no-print-directory", "check-python", f"PYTHON={python}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_makefile_range_is_requires_python():
    text = (ROOT / "Makefile").read_text()
    lo = re.search(r"^PY_MIN := (\S+)$", text, re.M).group(1)
    below = re.search(r"^PY_BELOW := (\S+)$", text, re.M).group(1)
    makefile = SpecifierSet(f">={lo},<{below}")
    grid = [f"3.{minor}.{patch}" for minor in range(9, 16) for patch in range(0, 16)]
    assert [v for v in grid if (v in makefile) != (v in REQUIRES_PYTHON)] == []


def test_some_interpreter_found():
    if not FOUND:
        pytest.skip("no CPython 3.10-3.13 on this machine")
    print(f"interpreters: {FOUND}")


@pytest.mark.parametrize("version", sorted(FOUND, key=Version))
def test_guard_accepts_exactly_the_supported(version):
    python = FOUND[version]
    result = _check_python(python)
    if version in SUPPORTED:
        assert result.returncode == 0, result.stderr
        assert f"Python {version}" in result.stdout
    else:
        assert result.returncode != 0, result.stdout
        assert f"{python} is Python {version}" in result.stderr
        assert ">=3.11" in result.stderr and "make PYTHON=/path/to/python" in result.stderr


def test_guard_rejects_a_missing_interpreter():
    result = _check_python("/nonexistent/python3.12")
    assert result.returncode != 0
    assert "no working Python interpreter '/nonexistent/python3.12'" in result.stderr
    assert "make PYTHON=/path/to/python3.12" in result.stderr


def _project_copy(dest):
    """pyproject.toml, README.md and empty packages: what pip needs for the metadata, nothing written in the tree."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, dest / name)
    for package in PYPROJECT["tool"]["setuptools"]["packages"]:
        (dest / package.replace(".", "/")).mkdir(parents=True, exist_ok=True)
        (dest / package.replace(".", "/") / "__init__.py").touch()
    return dest


def _resolve(python, tmp):
    # A throwaway venv without pip (instant); this pip resolves for it with --python, i.e. runs under
    # that interpreter and judges markers and Requires-Python by it.
    venv = tmp / "venv"
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True, timeout=120)
    project = _project_copy(tmp / "project")
    return subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--dry-run", "--quiet",
         "--ignore-installed", "--disable-pip-version-check", "-c", str(ROOT / "requirements" / "constraints.txt"),
         "-e", f"{project}[test]"],
        capture_output=True, text=True, timeout=300)


def test_pins_resolve_on_each_supported_interpreter(tmp_path):
    if not SUPPORTED:
        pytest.skip("no supported interpreter on this machine")
    versions = sorted(SUPPORTED, key=Version)
    dirs = [tmp_path / v for v in versions]
    for d in dirs:
        d.mkdir()
    with ThreadPoolExecutor(max_workers=len(versions)) as pool:  # one at a time would take minutes
        results = list(pool.map(_resolve, [SUPPORTED[v] for v in versions], dirs))
    failed = {v: r.stderr[-2000:] for v, r in zip(versions, results, strict=True) if r.returncode != 0}
    assert failed == {}, failed
    print(f"pins resolve on {versions} (from {sys.executable})")
