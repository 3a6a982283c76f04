"""The student package and bundle (`make student`), for students who do not clone the repository.

    python -m grader.student_package [--out build/student] [--wheel-only]

builds into build/student/:
- the wheel of `coursekit` alone (student/pyproject.toml): the notebooks' helpers, the visible checks
  (coursekit/data/visible_checks.json) and the 8x8 digits with their provenance (coursekit/datasets/);
  nothing of solutions/, grader/ or the hidden check cases. It is built from a staged copy
  (build/student/src/), so the repository's own install (`pip install -e .`) is untouched;
- the student bundle, a zip of one folder: the ten student notebooks (notebooks/), the student README
  (student/README.md) and the wheel.

Standard library only (with pip and setuptools in the running Python): Binder's postBuild runs it
before anything of the course is installed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "student"
OUT = ROOT / "build" / "student"
NOTEBOOKS = ROOT / "notebooks"
DIGITS = ("digits.csv.gz", "README.md")  # datasets/ -> coursekit/datasets/: the file and where it comes from
BUNDLE_FOLDER = "optimization-in-neural-networks"
BUNDLE = f"{BUNDLE_FOLDER}-student.zip"
# Fixed times inside the wheel and the zip: the same sources give the same bytes.
SOURCE_DATE_EPOCH = "1704067200"  # 2024-01-01
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def project():
    """The [project] table of student/pyproject.toml."""
    return tomllib.loads((STUDENT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def wheel_name():
    """The wheel's file name, e.g. optimization_in_neural_networks_coursekit-0.1.0-py3-none-any.whl."""
    meta = project()
    return f"{re.sub(r'[-_.]+', '_', meta['name']).lower()}-{meta['version']}-py3-none-any.whl"


def stage(target):
    """A buildable copy of the student package in `target`: student/pyproject.toml and README.md,
    coursekit's modules and data files, and the digits in coursekit/datasets/."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    package = target / "coursekit"
    (package / "data").mkdir(parents=True)
    (package / "datasets").mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(STUDENT / name, target / name)
    for module in sorted((ROOT / "coursekit").glob("*.py")):
        shutil.copy2(module, package / module.name)
    for data_file in sorted((ROOT / "coursekit" / "data").glob("*.json")):
        shutil.copy2(data_file, package / "data" / data_file.name)
    for name in DIGITS:
        shutil.copy2(ROOT / "datasets" / name, package / "datasets" / name)
    return target


def build_wheel(out=OUT):
    """Stage the package in out/src and build its wheel into out/ with the running Python's pip and
    setuptools (no build isolation: nothing is downloaded). Returns the wheel's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / wheel_name()
    wheel.unlink(missing_ok=True)
    source = stage(out / "src")
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
               "--wheel-dir", str(out), str(source)]
    run = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True)
    if run.returncode != 0 or not wheel.is_file():
        raise RuntimeError(f"building {wheel.name} failed ({' '.join(command)}):\n{run.stdout}{run.stderr}")
    return wheel


def build_bundle(wheel, out=OUT, notebooks=NOTEBOOKS):
    """The zip students download: one folder with the notebooks, the README and the wheel."""
    bundle = Path(out) / BUNDLE
    members = [(STUDENT / "README.md", "README.md"), (Path(wheel), Path(wheel).name)]
    members += [(path, path.name) for path in sorted(Path(notebooks).glob("*.ipynb"))]
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, name in members:
            info = zipfile.ZipInfo(f"{BUNDLE_FOLDER}/{name}", date_time=ZIP_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return bundle


def build(out=OUT, wheel_only=False):
    wheel = build_wheel(out)
    return wheel, None if wheel_only else build_bundle(wheel, out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.student_package", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where to build (default: build/student)")
    parser.add_argument("--wheel-only", action="store_true", help="the wheel alone (Binder's postBuild)")
    args = parser.parse_args(argv)
    for path in build(args.out, args.wheel_only):
        if path is None:
            continue
        with zipfile.ZipFile(path) as archive:
            files = archive.infolist()
        print(f"{path} ({path.stat().st_size:,} bytes, {len(files)} files)")
        for info in files:
            print(f"    {info.filename} ({info.file_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
