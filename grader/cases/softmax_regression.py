"""Check cases of lesson 09 (softmax regression)."""

import math

import numpy as np

from grader.casebook import Case, Misconception, Mistake, Question

Z_SMALL = np.array([[1.0, -0.5, 2.0, 0.0], [2.0, 0.5, -1.0, 0.0], [0.5, 1.5, 0.0, 3.0]])  # (3, 4)
Z_TALL = np.random.default_rng(90).standard_normal((4, 2)) * 2  # (4, 2)
Z_HUGE = np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 0.0]])  # logits of +-1000
Z_SCALES = np.array([[1000.0, -1000.0], [999.0, -1001.0], [998.0, -999.0]])  # columns far apart
Z_SHIFTED = Z_SMALL + np.array([[800.0, -750.0, 0.0, 1200.0]])  # a different constant per column
Z_ONE = np.array([[0.3], [-1.2], [2.5], [0.0]])  # m = 1
Z_TWO = np.random.default_rng(91).standard_normal((2, 5)) * 3  # C = 2
Z_800 = np.array([[0.0], [800.0]])
Z_WIDE = np.random.default_rng(92).standard_normal((3, 6))

LABELS_SMALL = np.array([1, 2, 0, 2])
LABELS_TALL = np.array([3, 0])
LABELS_TWO = np.array([1, 0, 0, 1, 1])
LABELS_WIDE = np.array([0, 2, 2, 1, 0, 1])


def _one_hot(labels, num_classes):
    labels = np.asarray(labels).reshape(-1)
    return (np.arange(num_classes)[:, None] == labels[None, :]).astype(float)


Y_SMALL = _one_hot(LABELS_SMALL, 3)
Y_TALL = _one_hot(LABELS_TALL, 4)
Y_HUGE_RIGHT = _one_hot([0, 1], 3)  # the label is the huge logit
Y_HUGE_WRONG = _one_hot([2, 0], 3)  # the label is a logit 1000 (or 2000) below the max
Y_ONE = _one_hot([2], 4)
Y_TWO = _one_hot(LABELS_TWO, 2)
Y_800 = np.array([[1.0], [0.0]])
Y_WIDE = _one_hot(LABELS_WIDE, 3)


# ----------------------------------------------------------------------------- known mistakes


def _softmax_unstable(Z):
    exp = np.exp(Z)
    return exp / exp.sum(axis=0, keepdims=True)


def _softmax_rows(Z):
    exp = np.exp(Z - Z.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def _softmax_global_sum(Z):
    exp = np.exp(Z - Z.max())
    return exp / exp.sum()


def _softmax_global_max(Z):
    exp = np.exp(Z - Z.max())
    return exp / exp.sum(axis=0, keepdims=True)


def _one_hot_transposed(labels, num_classes):
    return _one_hot(labels, num_classes).T


def _one_hot_keeps_shape(labels, num_classes):
    labels = np.asarray(labels)
    return (np.arange(num_classes).reshape((num_classes,) + (1,) * labels.ndim) == labels).astype(float)


def _log_softmax(Z):
    shifted = Z - Z.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def _cross_entropy_summed(Z, Y):
    return float(-(Y * _log_softmax(Z)).sum())


def _cross_entropy_naive_log(clip):
    def cost(Z, Y):
        with np.errstate(all="ignore"):
            A = np.exp(Z - Z.max(axis=0, keepdims=True))
            A = A / A.sum(axis=0, keepdims=True)
            return float(-(Y * np.log(np.clip(A, clip, None) if clip else A)).sum() / Z.shape[1])

    return cost


def _cross_entropy_unshifted_lse(Z, Y):
    with np.errstate(all="ignore"):
        return float(-(Y * (Z - np.log(np.exp(Z).sum(axis=0, keepdims=True)))).sum() / Z.shape[1])


def _cross_entropy_rows(Z, Y):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return float(-(Y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))).sum() / Z.shape[1])


def _softmax_stable(Z):
    exp = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)


def _backward_no_m(Z, Y):
    return _softmax_stable(Z) - Y


def _backward_wrong_sign(Z, Y):
    return (Y - _softmax_stable(Z)) / Z.shape[1]


def _backward_unstable(Z, Y):
    with np.errstate(all="ignore"):
        return (_softmax_unstable(Z) - Y) / Z.shape[1]


def _backward_rows(Z, Y):
    return (_softmax_rows(Z) - Y) / Z.shape[1]


def _quietly(function):
    """The mistake as students meet it: numpy's overflow warnings silenced."""

    def wrapped(*args):
        with np.errstate(all="ignore"):
            return function(*args)

    return wrapped


UNSTABLE = ("unstable softmax overflows: np.exp of a large logit is inf and inf/inf is nan; "
            "subtract each column's max before np.exp")
WRONG_AXIS = ("softmax over the wrong axis (rows instead of columns): examples are columns, "
              "so take the max and the sum over axis=0 with keepdims=True")
NAIVE_LOG = ("cross-entropy computed as log(softmax) (overflows/-inf for huge logits): softmax underflows "
             "to 0 for a logit far below the max; use log-sum-exp: "
             "log a_j = z_j - c - log sum_k exp(z_k - c)")

MISTAKES = [
    Mistake("softmax", UNSTABLE, _quietly(_softmax_unstable)),
    Mistake("softmax", WRONG_AXIS, _softmax_rows),
    Mistake("softmax", "you normalise by the sum over the whole matrix; each column (example) must sum to 1 "
            "on its own: sum over axis=0 with keepdims=True", _softmax_global_sum),
    Mistake("softmax", "you subtract the max of the whole matrix; subtract each column's own max "
            "(Z.max(axis=0, keepdims=True)): examples can have logits on very different scales",
            _quietly(_softmax_global_max)),
    Mistake("one_hot", "one_hot transposed (m, C): classes are rows and examples are columns, "
            "so Y has shape (num_classes, m)", _one_hot_transposed),
    Mistake("one_hot", "labels of shape (1, m) must give Y of shape (num_classes, m): flatten them first "
            "(np.asarray(labels).reshape(-1))", _one_hot_keeps_shape),
    Mistake("softmax_cross_entropy", "cross-entropy summed instead of averaged over examples: divide by m",
            _cross_entropy_summed),
    Mistake("softmax_cross_entropy", NAIVE_LOG, _cross_entropy_naive_log(None)),
    Mistake("softmax_cross_entropy", NAIVE_LOG, _cross_entropy_naive_log(1e-12)),
    Mistake("softmax_cross_entropy", NAIVE_LOG, _cross_entropy_naive_log(1e-15)),
    Mistake("softmax_cross_entropy", NAIVE_LOG, _cross_entropy_naive_log(1e-10)),
    Mistake("softmax_cross_entropy", NAIVE_LOG, _cross_entropy_naive_log(1e-8)),
    Mistake("softmax_cross_entropy", "log-sum-exp without the max shift overflows: np.exp(800) is inf; "
            "compute c + log(sum(exp(z - c))) with c the column max", _cross_entropy_unshifted_lse),
    Mistake("softmax_cross_entropy", WRONG_AXIS, _cross_entropy_rows),
    Mistake("softmax_cross_entropy_backward", "backward forgets to divide by m: dZ is the gradient of the "
            "MEAN cost, (softmax(Z) - Y) / m", _backward_no_m),
    Mistake("softmax_cross_entropy_backward", "backward returns A - Y with the wrong sign: dZ = (A - Y) / m, "
            "not (Y - A) / m", _backward_wrong_sign),
    Mistake("softmax_cross_entropy_backward", UNSTABLE, _backward_unstable),
    Mistake("softmax_cross_entropy_backward", WRONG_AXIS, _backward_rows),
]

# Hints shared by a visible case and its declared twin (see TWINS).
THREE_CLASSES_HINT = (
    "Y has one row per class and one column per example, a single 1 in each column at the label's row, as floats"
)
UNUSED_CLASSES_HINT = (
    "the number of rows is num_classes, not the number of labels that occur: a class never used is a row of zeros"
)

CASES = [
    Case("softmax", "3 classes, 4 examples", (Z_SMALL,), visible=True,
         hint="softmax works down each column (one example): every column of the result sums to 1, and the largest "
              "logit of a column gets the largest share"),
    Case("softmax", "4 classes, 2 examples", (Z_TALL,), visible=True,
         hint="more classes than examples: the max and the sum go over the classes of each example (axis 0, down "
              "the columns), not along the rows"),
    Case("softmax", "logits of +-1000 (must stay finite)", (Z_HUGE,),
         hint="logits this large overflow exp: shifting each column by its own max leaves softmax unchanged and "
              "keeps every value finite"),
    Case("softmax", "two examples whose logits are 2000 apart (shift each column by its own max)",
         (Z_SCALES,),
         hint="each column needs its own max: one max for the whole matrix sends every exp of the other column to 0"),
    Case("softmax", "shift invariance: a large different constant added to each column", (Z_SHIFTED,),
         hint="adding a constant to a column must not change its softmax: shifting each column by its own max "
              "cancels the constant"),
    Case("softmax", "one example (m=1)", (Z_ONE,),
         hint="a single example: the result keeps the shape (C, 1) and its column sums to 1"),
    Case("softmax", "two classes (C=2)", (Z_TWO,),
         hint="two classes: each column is a pair of probabilities summing to 1, taken over axis 0 (length 2)"),
    Case("one_hot", "labels of shape (m,), 3 classes", (LABELS_SMALL, 3), visible=True, hint=THREE_CLASSES_HINT),
    Case("one_hot", "labels of shape (m,), 5 classes, some never used", (np.array([4, 0, 1, 1, 4, 0]), 5),
         visible=True, hint=UNUSED_CLASSES_HINT),
    Case("one_hot", "labels of shape (1, m)", (LABELS_WIDE[None, :], 3),
         hint="labels may come as a (1, m) row: the result is still (num_classes, m), not three-dimensional"),
    Case("one_hot", "one example (m=1)", (np.array([2]), 4),
         hint="one label: a single column of shape (num_classes, 1) with its 1 at the label's row"),
    Case("one_hot", "one example given as (1, 1)", (np.array([[0]]), 3),
         hint="a label given as a (1, 1) array: still a single column of shape (num_classes, 1)"),
    Case("one_hot", "two classes (C=2)", (LABELS_TWO, 2),
         hint="two classes: a (2, m) float array with exactly one 1 in each column"),
    Case("softmax_cross_entropy", "3 classes, 4 examples", (Z_SMALL, Y_SMALL), visible=True,
         hint="the mean over the examples of minus the log-probability of each example's true class, as a float (a "
              "sum over classes and examples, divided by m)"),
    Case("softmax_cross_entropy", "4 classes, 2 examples", (Z_TALL, Y_TALL), visible=True,
         hint="classes are rows and examples columns: the log-probabilities come from each column's softmax and the "
              "total is divided by m = 2, the number of columns"),
    Case("softmax_cross_entropy", "huge logits [0, 800] with label 0 (the cost is 800)", (Z_800, Y_800),
         hint="the true class is 800 below the max, so its probability underflows to 0: compute the log-probability "
              "directly with the max-shifted log-sum-exp, not the log of softmax"),
    Case("softmax_cross_entropy", "logits of +-1000, labels on the largest logits (cost ~0)",
         (Z_HUGE, Y_HUGE_RIGHT),
         hint="the labels sit on the largest logits: the cost is about 0 and must be a finite number, not nan; exp "
              "of 1000 overflows unless each column is shifted by its max"),
    Case("softmax_cross_entropy", "logits of +-1000, labels on small logits (cost 1000 and 2000)",
         (Z_HUGE, Y_HUGE_WRONG),
         hint="the labels lie 1000 and 2000 below their column's max: the log-probabilities are -1000 and -2000, "
              "which only a max-shifted log-sum-exp computes (the mean is 1500)"),
    Case("softmax_cross_entropy", "shift invariance: a large different constant added to each column",
         (Z_SHIFTED, Y_SMALL),
         hint="adding a constant to a column must not change the cost: shifting by the column's own max makes it "
              "cancel"),
    Case("softmax_cross_entropy", "one example (m=1)", (Z_ONE, Y_ONE),
         hint="one example: the cost is minus the log-probability of its class (m = 1), as a float"),
    Case("softmax_cross_entropy", "two classes (C=2)", (Z_TWO, Y_TWO),
         hint="two classes, five examples: the class sum runs over the two rows and the mean over the five columns"),
    Case("softmax_cross_entropy_backward", "3 classes, 4 examples", (Z_SMALL, Y_SMALL), visible=True,
         hint="the gradient of the mean cost with respect to each logit: predicted probability minus the one-hot "
              "target, over m, shaped like Z"),
    Case("softmax_cross_entropy_backward", "4 classes, 2 examples", (Z_TALL, Y_TALL), visible=True,
         hint="softmax down each column (one example), and the division by m uses the number of columns, 2"),
    Case("softmax_cross_entropy_backward", "huge logits [0, 800] with label 0", (Z_800, Y_800),
         hint="huge logits: the softmax inside the gradient must be shifted by each column's max, or exp overflows "
              "to nan"),
    Case("softmax_cross_entropy_backward", "logits of +-1000", (Z_HUGE, Y_HUGE_WRONG),
         hint="logits of +-1000: every entry must be finite, the probabilities being 0 or 1 up to rounding"),
    Case("softmax_cross_entropy_backward", "one example (m=1)", (Z_ONE, Y_ONE),
         hint="one example: the probabilities minus the one-hot column, shape (C, 1), divided by m = 1"),
    Case("softmax_cross_entropy_backward", "6 examples: the gradient of the mean divides by m=6",
         (Z_WIDE, Y_WIDE),
         hint="six examples: every entry carries the 1/m of the mean cost, and points from the target toward the "
              "prediction (probability minus target)"),
    Case("softmax_cross_entropy_backward", "two classes (C=2)", (Z_TWO, Y_TWO),
         hint="two classes: in each column the two entries are opposite, since both the probabilities and the "
              "targets sum to 1"),
]

# The twins of the visible cases (see casebook.twin): integer labels are kept by the generic
# rule, so one_hot's twins have other labels (class 2 still never used in the second one).
TWINS = [
    Case("one_hot", "labels of shape (m,), 3 classes", (np.array([2, 0, 1, 0]), 3), hint=THREE_CLASSES_HINT),
    Case("one_hot", "labels of shape (m,), 5 classes, some never used", (np.array([1, 4, 4, 0, 1, 3]), 5),
         hint=UNUSED_CLASSES_HINT),
]


# ----------------------------------------------------------------------------- predict, then check
# Each misconception's value is the wrong reasoning run on the question's numbers.

LOGITS_BY_HAND = (3.0, 1.0, 0.0)
TIED_LOGITS = (2.0, 2.0, 1.0)


def _sigmoid(x):
    return 1 / (1 + math.exp(-x))


QUESTIONS = [
    Question(
        "predict_softmax_by_hand",
        "the softmax probability of the first class for the logits (3, 1, 0)",
        misconceptions=[
            Misconception({"first_class_probability": LOGITS_BY_HAND[0] / sum(LOGITS_BY_HAND)},
                          "you divided the logits by their sum, without the exponential: the softmax divides "
                          "exponentials, equation (1), which is what keeps every probability positive even for "
                          "negative logits"),
            Misconception({"first_class_probability": _sigmoid(LOGITS_BY_HAND[0])},
                          "that is the sigmoid of the first logit alone, as if each class were its own two-class "
                          "problem; the softmax weighs a class against all the others at once"),
            Misconception({"first_class_probability": _sigmoid(LOGITS_BY_HAND[0] - LOGITS_BY_HAND[1])},
                          "that is the two-class formula against the runner-up only, sigmoid(z_1 - z_2); with three "
                          "classes the third logit also takes its share of the denominator"),
        ],
        hint="apply equation (1): exponentiate each of the three logits, then divide the first one's exponential by "
             "the sum of all three",
    ),
    Question(
        "predict_temperature_limits",
        "the limits of the first probability of softmax((2, 2, 1) / T) as T -> 0 and as T -> infinity",
        misconceptions=[
            Misconception({"first_probability_cold": 1 / len(TIED_LOGITS), "first_probability_hot": 0.5},
                          "the two limits are swapped: dividing by a small T makes the gaps between the logits "
                          "larger, which sharpens the softmax, and a large T shrinks them"),
            Misconception({"first_probability_cold": TIED_LOGITS[0] / sum(TIED_LOGITS),
                           "first_probability_hot": TIED_LOGITS[0] / sum(TIED_LOGITS)},
                          "without the exponential, (z_1 / T) / sum(z_k / T) does not depend on T at all: the "
                          "temperature acts through the exponentials of equation (4)"),
            Misconception({"first_probability_cold": 1.0},
                          "np.argmax breaks a tie by picking the first class, but the softmax has no such rule: "
                          "follow what the terms of the two tied classes do in the denominator as T -> 0"),
            Misconception({"first_probability_hot": TIED_LOGITS[0] / sum(TIED_LOGITS)},
                          "as T grows, the probabilities do not become proportional to the logits: every z_k / T "
                          "tends to 0, so look at what each exponential tends to"),
        ],
        hint="follow the two limits of section 5 with z = (2, 2, 1): as T -> 0, which terms of the denominator of "
             "equation (4) vanish and which stay? as T -> infinity, what does each term tend to?",
    ),
]
