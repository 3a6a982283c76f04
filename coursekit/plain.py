"""Plain data: the JSON form in which check cases go into the sandbox and reports come out.

Arrays, tuples, dicts, numpy scalars and the two special arguments (a seeded random Generator,
a named objective) are tagged dicts; anything else becomes {"__object__": type name} and never
equals an expected value. Decoding is bounded, because plain data may come from a student's
process (see from_plain).
"""

import json
import math

import numpy as np

MAX_ELEMENTS = 1_000_000


class Rng:
    """A case argument standing for numpy.random.default_rng(seed)."""

    def __init__(self, seed):
        self.seed = seed


def quadratic_bowl_objective(params):
    """Objective of the random-search checks: lower near lr=1e-2, beta=0.9, units=64."""
    score = 0.0
    for name, value in sorted(params.items()):
        if name.startswith("learning_rate"):
            score += (math.log10(value) + 2) ** 2
        elif name.startswith("beta"):
            score += (math.log10(1 - value) + 1) ** 2
        else:
            score += ((value - 64) / 64) ** 2
    return score


OBJECTIVES = {"quadratic_bowl": quadratic_bowl_objective}


class Objective:
    """A case argument standing for the named function of OBJECTIVES."""

    def __init__(self, name):
        self.name = name


# ----------------------------------------------------------------------------- plain data


def to_plain(obj, _budget=None):
    """Turn a value into JSON-able plain data (see the module docstring)."""
    budget = _budget if _budget is not None else [MAX_ELEMENTS]
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, float)) and type(obj) in (int, float):
        return obj
    if isinstance(obj, np.generic) and type(obj).__module__ == "numpy":
        return {"__scalar__": [obj.dtype.str, obj.item()]}
    if type(obj) is np.ndarray:
        budget[0] -= obj.size
        if budget[0] < 0 or obj.dtype.kind not in "biuf":
            return {"__object__": f"ndarray of {obj.size} {obj.dtype} values"}
        return {"__nd__": [obj.dtype.str, list(obj.shape), obj.ravel().tolist()]}
    if type(obj) in (list, tuple):
        items = [to_plain(item, budget) for item in obj]
        return items if type(obj) is list else {"__tuple__": items}
    if type(obj) is dict:
        return {"__dict__": [[to_plain(k, budget), to_plain(v, budget)] for k, v in obj.items()]}
    if isinstance(obj, Rng):
        return {"__rng__": obj.seed}
    if type(obj) is np.random.Generator:
        return {"__generator__": obj.bit_generator.state}
    if isinstance(obj, Objective):
        return {"__objective__": obj.name}
    return {"__object__": type(obj).__name__}


PLAIN_DTYPES = frozenset(
    np.dtype(code).str for code in ("f8", "f4", "f2", "i8", "i4", "i2", "i1", "u8", "u4", "u2", "u1", "?")
)
MAX_DEPTH = 32


class PlainDataError(ValueError):
    """Plain data that no probe could have written: an unknown dtype, a shape that does not match
    its values, too many elements or too deep a nesting."""


def from_plain(plain, _budget=None, _depth=0):
    """Inverse of to_plain; seeded generators and objectives are created anew.

    Decoding is bounded, because plain data may come from a student's process: only plain
    dtypes, shapes that match their values, at most MAX_ELEMENTS numbers and MAX_DEPTH levels
    in all; anything else raises PlainDataError before any large allocation."""
    budget = _budget if _budget is not None else [MAX_ELEMENTS]
    if _depth > MAX_DEPTH:
        raise PlainDataError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(plain, list):
        budget[0] -= len(plain)
        if budget[0] < 0:
            raise PlainDataError(f"more than {MAX_ELEMENTS} values")
        return [from_plain(item, budget, _depth + 1) for item in plain]
    if not isinstance(plain, dict):
        return plain
    if len(plain) != 1:
        raise PlainDataError("a tagged value must have exactly one tag")
    ((tag, value),) = plain.items()
    if tag == "__nd__":
        return _array(value, budget)
    if tag == "__scalar__":
        return _scalar(value)
    if tag == "__tuple__" and isinstance(value, list):
        return tuple(from_plain(value, budget, _depth + 1))
    if tag == "__dict__" and isinstance(value, list):
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in value):
            raise PlainDataError("a dict's items must be [key, value] pairs")
        return {_hashable(from_plain(k, budget, _depth + 1)): from_plain(v, budget, _depth + 1) for k, v in value}
    if tag == "__rng__" and isinstance(value, int) and not isinstance(value, bool):
        return np.random.default_rng(value)
    if tag == "__objective__" and value in OBJECTIVES:
        return OBJECTIVES[value]
    return Opaque(str(value)[:80] if tag == "__object__" else f"unknown {str(tag)[:40]}")


def _dtype(code):
    if not isinstance(code, str) or code not in PLAIN_DTYPES:
        raise PlainDataError(f"dtype {str(code)[:40]!r} is not a plain numeric dtype")
    return np.dtype(code)


def _array(value, budget):
    if not (isinstance(value, list) and len(value) == 3 and isinstance(value[1], list) and isinstance(value[2], list)):
        raise PlainDataError("an array must be [dtype, shape, values]")
    code, shape, flat = value
    dtype = _dtype(code)
    if len(shape) > MAX_DEPTH or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise PlainDataError("an array's shape must be a short list of non-negative integers")
    if math.prod(shape) != len(flat):
        raise PlainDataError(f"shape {tuple(shape)} does not hold {len(flat)} values")
    budget[0] -= len(flat)
    if budget[0] < 0:
        raise PlainDataError(f"more than {MAX_ELEMENTS} values")
    if not all(isinstance(x, (int, float)) for x in flat):
        raise PlainDataError("an array's values must be numbers")
    try:
        return np.array(flat, dtype=dtype).reshape(shape)
    except (OverflowError, ValueError) as error:
        raise PlainDataError(f"values do not fit dtype {code}: {error}") from None


def _scalar(value):
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], (int, float))):
        raise PlainDataError("a scalar must be [dtype, number]")
    try:
        return _dtype(value[0]).type(value[1])
    except (OverflowError, ValueError) as error:
        raise PlainDataError(f"value does not fit dtype {value[0]}: {error}") from None


def _hashable(key):
    return key if not isinstance(key, list) else tuple(key)


class Opaque:
    """An object that could not be carried as plain data; equal to nothing."""

    def __init__(self, description):
        self.description = description

    def __repr__(self):
        return f"<{self.description}>"


def dumps(plain):
    return json.dumps(plain, allow_nan=True)
