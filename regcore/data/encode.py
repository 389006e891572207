"""A planned table's rows as numbers: scikit-learn's transformers, fitted on the training rows.

``ColumnTransformer`` applies ``SimpleImputer(strategy="mean")`` to the numeric columns and
``SimpleImputer(strategy="most_frequent")`` then ``OneHotEncoder(drop="if_binary",
handle_unknown="ignore")`` to the text columns, each fitted on the training rows only, so
nothing about the test rows leaks into the features. :func:`table_rows` picks a run's rows
(seeded, or from a fixed split such as Khan's 63/20) and encodes them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import torch

from regcore.data.prepare import Encoded, TablePlan


def encode(plan: TablePlan, train: np.ndarray, rows: np.ndarray) -> Encoded:
    """Rows ``rows`` of ``plan`` as numbers, the transformers fitted on rows ``train``.

    Args:
        plan: from :func:`regcore.data.prepare.plan_table`.
        train: indices of the training rows (into ``plan.y``).
        rows: indices of the rows to return, in order.

    Returns:
        :class:`Encoded`: ``X`` of shape (len(rows), d), the d column names, the notes on
        encoding and filling.

    Raises:
        ValueError: when encoding makes more than ``plan.max_features`` columns (the count,
            the limit and the columns that make them).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    fit_rows = plan.features.iloc[np.asarray(train)]
    levels = {c: int(fit_rows[c].nunique()) for c in plan.text}
    _check_width(plan, levels)
    parts = []
    if plan.numeric:
        parts.append(("numbers", SimpleImputer(strategy="mean"), list(plan.numeric)))
    if plan.text:
        onehot = OneHotEncoder(
            drop="if_binary", handle_unknown="ignore", sparse_output=False, dtype=np.float64
        )
        parts.append(
            (
                "text",
                make_pipeline(SimpleImputer(strategy="most_frequent"), onehot),
                list(plan.text),
            )
        )
    ct = ColumnTransformer(parts, verbose_feature_names_out=False)
    used = plan.features.iloc[np.asarray(rows)]
    with warnings.catch_warnings():
        # an all-missing training column is dropped (said below); unseen categories are zeros
        warnings.simplefilter("ignore", UserWarning)
        ct.fit(fit_rows)
        X = np.asarray(ct.transform(used), dtype=np.float64)
    names = tuple(str(n) for n in ct.get_feature_names_out())
    notes = _encoding_notes(plan, ct, levels, names)
    notes += _filling_notes(plan, used, fit_rows, ct)
    return Encoded(X=X, feature_names=names, notes=tuple(notes))


def _check_width(plan: TablePlan, levels: dict[str, int]) -> None:
    widths = {c: (1 if k <= 2 else k) for c, k in levels.items()}
    total = len(plan.numeric) + sum(widths.values())
    if total <= plan.max_features:
        return
    big = sorted(widths.items(), key=lambda kv: -kv[1])[:3]
    parts = ", ".join(f"'{c}' becomes {w:,}" for c, w in big if w > 1)
    raise ValueError(
        f"after one-hot encoding the table has {total:,} feature columns: allowed at most "
        f"{plan.max_features:,} ({parts}); leave such columns out of the file"
    )


def _encoding_notes(plan: TablePlan, ct, levels: dict[str, int], names) -> list[str]:
    out: list[str] = []
    if plan.text:
        onehot = ct.named_transformers_["text"][-1]
        binary, multi = [], []
        for col, cats in zip(plan.text, onehot.categories_, strict=True):
            if len(cats) == 2:
                binary.append(f"{col} ({cats[0]}/{cats[1]} → {col}_{cats[1]} = 0/1)")
            else:
                multi.append(f"{col} ({len(cats)} values → {len(cats)} columns)")
        if binary:
            out.append("two-valued text coded as one 0/1 column: " + ", ".join(binary))
        if multi:
            out.append("text one-hot encoded: " + ", ".join(multi))
    lost = [c for c in plan.numeric if c not in names]
    if lost:
        out.append("left out, no value in the training rows: " + ", ".join(f"'{c}'" for c in lost))
    return out


def _filling_notes(plan: TablePlan, used, fit_rows, ct) -> list[str]:
    out: list[str] = []
    missing = used.isna().sum()
    filled = [(c, int(missing[c])) for c in used.columns if missing[c]]
    if filled:
        total = sum(k for _, k in filled)
        cols = ", ".join(f"{c} {k:,}" for c, k in filled[:8])
        more = f" and {len(filled) - 8} more columns" if len(filled) > 8 else ""
        out.append(
            f"{total:,} missing value{'s' if total > 1 else ''} filled from the training "
            f"rows (numbers: their mean; text: their most frequent value): {cols}{more}"
        )
    if plan.text:
        onehot = ct.named_transformers_["text"][-1]
        unseen = []
        for col, cats in zip(plan.text, onehot.categories_, strict=True):
            values = used[col].dropna()
            k = int((~values.isin(set(cats))).sum())
            if k:
                unseen.append(f"{col} {k}")
        if unseen:
            out.append(
                "test rows with a category the training rows lack, coded as all zeros: "
                + ", ".join(unseen)
            )
    return out


def table_rows(
    plan: TablePlan,
    n_train: int,
    n_test: int,
    g: torch.Generator,
    pools: Sequence[np.ndarray] | None = None,
    what: str = "the table",
) -> tuple[np.ndarray, np.ndarray, Encoded]:
    """A run's rows of a table and their encoding, fitted on its training rows.

    Args:
        plan: the table. n_train, n_test: the run's split sizes.
        g: the data stream's generator: the seeded choice of rows.
        pools: (training rows, test rows) of a fixed split (Khan's); None: any row.
        what: how messages name the table.

    Returns:
        (y, the rows' indices, the encoding): training rows first.
    """
    n = len(plan.y)
    if pools is None:
        if n_train + n_test > n:
            raise ValueError(
                f"data.n_train + data.n_test = {n_train + n_test:,} exceeds the {n:,} usable "
                f"rows of {what}: allowed a total of at most {n:,}"
            )
        order = torch.randperm(n, generator=g)[: n_train + n_test].numpy()
    else:
        parts = []
        for pool, k, field in zip(pools, (n_train, n_test), ("n_train", "n_test"), strict=True):
            if k > len(pool):
                raise ValueError(
                    f"data.{field} = {k:,} exceeds the {len(pool):,} rows of {what}'s fixed "
                    f"{field[2:]} split: allowed at most {len(pool):,}"
                )
            parts.append(pool[torch.randperm(len(pool), generator=g)[:k].numpy()])
        order = np.concatenate(parts)
    enc = encode(plan, order[:n_train], order)
    notes = list(enc.notes)
    if pools is None and n_train + n_test < n:
        notes.append(
            f"a seeded sample of {n_train + n_test:,} of the {n:,} usable rows "
            f"({n_train:,} to train on, {n_test:,} to test)"
        )
    return plan.y[order], order, Encoded(enc.X, enc.feature_names, tuple(notes))
