"""Datasets: seeded generators and the shipped 8x8 digits (see datasets/README.md: where the file
comes from, its license and checksum; the student package carries a copy as coursekit/datasets/README.md)."""

import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

# Where the digits file is: the student package (`make student`) carries it inside coursekit, as
# coursekit/datasets/; a checkout keeps it in the repository's datasets/, beside coursekit/.
PACKAGED_DATA_DIR = Path(__file__).resolve().parent / "datasets"
CHECKOUT_DATA_DIR = Path(__file__).resolve().parents[1] / "datasets"
DATA_DIR = Path(
    os.environ.get("COURSE_DATA_DIR") or (PACKAGED_DATA_DIR if PACKAGED_DATA_DIR.is_dir() else CHECKOUT_DATA_DIR)
)
DIGITS_FILE = "digits.csv.gz"
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"


class DatasetError(RuntimeError):
    """A shipped data file is missing or is not the file the course was written for."""


def make_moons(m, rng, noise=0.2):
    """Two interleaving half circles: X (2, m), labels Y (1, m) in {0, 1}."""
    upper = m // 2
    angles = np.concatenate([rng.uniform(0, np.pi, upper), rng.uniform(0, np.pi, m - upper)])
    X = np.vstack([np.cos(angles), np.sin(angles)])
    X[:, upper:] = np.array([[1.0], [0.5]]) - X[:, upper:]
    X += noise * rng.standard_normal(X.shape)
    Y = np.concatenate([np.zeros(upper), np.ones(m - upper)])[None, :]
    return X, Y


def make_spiral(m_per_class, rng, num_classes=3, noise=0.2):
    """Interleaved spiral arms: X (2, C*m_per_class), integer labels (C*m_per_class,)."""
    radius = np.tile(np.linspace(0.05, 1.0, m_per_class), num_classes)
    labels = np.repeat(np.arange(num_classes), m_per_class)
    angles = labels * 2 * np.pi / num_classes + radius * 4 + noise * rng.standard_normal(radius.size)
    X = radius * np.vstack([np.sin(angles), np.cos(angles)])
    return X, labels


def seasonal_series(rng, days=365, noise=4.0):
    """A noisy daily temperature-like series of `days` values (shape (days,))."""
    t = np.arange(days)
    return 12 + 10 * np.sin(2 * np.pi * (t - 100) / 365) + noise * rng.standard_normal(days)


def file_sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_digits(data_dir=None):
    """The 1,797 8x8 handwritten digits: X (64, 1797) scaled to [0, 1], labels (1797,) ints.

    The file's checksum is verified; a missing or altered file raises DatasetError.
    """
    path = Path(data_dir or DATA_DIR) / DIGITS_FILE
    if not path.is_file():
        raise DatasetError(f"{path} is missing: {how_to_restore(path)}.")
    digest = file_sha256(path)
    if digest != DIGITS_SHA256:
        raise DatasetError(
            f"{path} has sha256 {digest}, expected {DIGITS_SHA256}: the file is damaged or not the "
            f"course's copy; {how_to_restore(path)}."
        )
    with gzip.open(path, "rt") as handle:
        table = np.loadtxt(handle, delimiter=",")
    return table[:, :-1].T / 16.0, table[:, -1].astype(int)


def how_to_restore(path):
    """The way back to the course's copy: reinstall the student package, or git in a checkout."""
    if Path(path).resolve().parent == PACKAGED_DATA_DIR:
        return "reinstall coursekit (`pip install --force-reinstall` the course's coursekit wheel)"
    return f"restore it with `git checkout -- datasets/{DIGITS_FILE}`"


def train_test_split(X, labels, rng, test_fraction=0.2):
    """Shuffle the columns once and split: (X_train, labels_train, X_test, labels_test)."""
    m = X.shape[1]
    perm = rng.permutation(m)
    n_test = int(round(m * test_fraction))
    test, train = perm[:n_test], perm[n_test:]
    return X[:, train], labels[..., train], X[:, test], labels[..., test]
