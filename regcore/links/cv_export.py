"""A sweep's k-fold cross-validation of λ in its files: the ``cv`` object of a sweep JSON
and the ``cv_*`` columns of its CSV (one row per λ), and reading the object back.

The JSON object holds every number of :class:`~regcore.sweeps.CVResult` (per-fold losses,
their mean, standard deviation and standard error per λ, the refitted models' test
losses), the two choices with the rule that made each, k and the repeats. Floats are
written with every digit, so a file read back gives the same numbers to the last bit.
Reading checks every field and that the saved choices are the ones the saved CV losses
give (a file edited by hand is named as such). A file without ``cv`` (exported before, or
a sweep that chose λ on its validation split) reads back as no cross-validation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from regcore.sweeps import CVResult, one_se_index

RULES = {
    "min": "lowest mean CV loss",
    "1se": "largest λ whose CV loss is within one standard error of the lowest",
}
CSV_COLUMNS = (
    "cv_loss",
    "cv_std",
    "cv_se",
    "cv_test_loss",
    "cv_chosen",
    "cv_folds",
    "cv_repeats",
)


def cv_body(cv: CVResult) -> dict[str, Any]:
    """The ``cv`` object of a sweep JSON: ``CVResult.to_dict()`` with the rules named."""
    body = cv.to_dict()
    body["index_min"], body["index_1se"] = cv.index_min, cv.index_1se
    body["rules"] = dict(RULES)
    body["seconds"] = cv.seconds
    return body


def cv_columns(cv: CVResult | None, k: int) -> dict[str, list[Any]]:
    """The CSV's ``cv_*`` columns, ``k`` values each (none without cross-validation):
    per λ the mean, standard deviation and standard error of the validation loss over the
    folds, the refitted model's test loss, which choice(s) it is, k and the repeats."""
    if cv is None:
        return {}
    chosen = [
        ", ".join(t for t, i in (("λ_min", cv.index_min), ("λ_1se", cv.index_1se)) if i == j)
        for j in range(k)
    ]
    return {
        "cv_loss": list(cv.cv_loss),
        "cv_std": cv.cv_std,
        "cv_se": list(cv.cv_se),
        "cv_test_loss": list(cv.test_loss),
        "cv_chosen": chosen,
        "cv_folds": [cv.folds] * k,
        "cv_repeats": [cv.repeats] * k,
    }


def _floats(raw: Any, n: int, where: str) -> list[float]:
    """n numbers (null: NaN), or ValueError naming ``where``."""
    ok = isinstance(raw, list) and len(raw) == n
    if ok:
        ok = all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in raw)
    if not ok:
        raise ValueError(f"cv.{where} must be a list of {n} numbers, one per λ")
    return [math.nan if v is None else float(v) for v in raw]


def _count(raw: Any, where: str, lo: int, hi: int) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or not lo <= raw <= hi:
        raise ValueError(f"cv.{where} = {str(raw)[:20]!r} must be a whole number {lo} to {hi}")
    return raw


def _index(raw: Any, where: str, k: int) -> int | None:
    return None if raw is None else _count(raw, where, 0, k - 1)


def load_cv(raw: Any, lambdas: Sequence[float], n_train: int) -> CVResult | None:
    """The :class:`CVResult` of a sweep JSON's ``cv`` object (None when absent).

    Raises:
        ValueError: naming the field that is wrong, or saying the choices were edited.
    """
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("cv must be an object holding the cross-validation")
    k = len(lambdas)
    if _floats(raw.get("lambdas"), k, "lambdas") != [float(v) for v in lambdas]:
        raise ValueError("cv.lambdas differ from the sweep's lambdas")
    folds = _count(raw.get("folds"), "folds", 2, max(2, n_train))
    fold_loss = raw.get("fold_loss")
    if not isinstance(fold_loss, list) or len(fold_loss) != folds:
        raise ValueError(f"cv.fold_loss must hold one list of losses per fold ({folds})")
    per = {key: _floats(raw.get(key), k, key) for key in ("cv_loss", "cv_se", "test_loss")}
    cv = CVResult(
        lambdas=[float(v) for v in lambdas],
        folds=folds,
        repeats=_count(raw.get("repeats"), "repeats", 1, 256),
        fold_loss=[_floats(f, k, f"fold_loss[{j}]") for j, f in enumerate(fold_loss)],
        **per,
        index_min=_index(raw.get("index_min"), "index_min", k),
        index_1se=_index(raw.get("index_1se"), "index_1se", k),
        n_train=_count(raw.get("n_train"), "n_train", folds, max(folds, n_train)),
        seconds=float(raw.get("seconds") or 0.0),
        stopped=raw.get("stopped") is True,
    )
    if (cv.index_min, cv.index_1se) != one_se_index(cv.lambdas, cv.cv_loss, cv.cv_se):
        raise ValueError(
            "cv.index_min / cv.index_1se are not the choices the saved CV losses give "
            "(lowest, and one standard error): the file was edited"
        )
    return cv
