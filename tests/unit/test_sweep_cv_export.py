"""A cross-validated sweep's files keep its CV (JSON ``cv``, CSV ``cv_*`` columns) and read
back to the same numbers; the CV phase streams its progress and stops when asked; a file
without CV (or with a bad one) opens, or is refused naming the field."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

import pytest

import regcore
from regcore.figures import fig_cv_curve
from regcore.links import export, load_sweep_export
from regcore.sweeps import CVProgress, cross_validate
from tests.unit.conftest import reseal

TINY = {"optim": {"epochs": 4}, "data": {"n_features": 30}}
LAMS = [0.01, 0.3, 3.0]


@pytest.fixture(scope="module")
def saved():
    res = regcore.sweep(TINY, LAMS, repeats=2)
    cv = cross_validate(TINY, LAMS, folds=3, repeats=2)  # 20 rows: folds of 7, 7, 6
    return res, cv, export.sweep_json(res, {"k": 3, "choose": "5-fold"}, cv=cv)


def test_sweep_json_round_trip_keeps_the_cv_numbers_exactly(saved):
    res, cv, text = saved
    back, settings, again = load_sweep_export(text)
    assert dataclasses.asdict(again) == dataclasses.asdict(cv)  # every float to the last bit
    assert again.cv_std == cv.cv_std and again.choice() == cv.choice()
    assert back.lambdas == res.lambdas and settings["choose"] == "5-fold"
    body = json.loads(text)["cv"]
    assert body["folds"] == 3 and body["repeats"] == 2 and body["choice"]["1se"]["lam"] in LAMS
    assert set(body["rules"]) == {"min", "1se"}
    a, b = fig_cv_curve(cv).to_dict(), fig_cv_curve(again).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)  # the same chart


def test_sweep_csv_has_one_cv_row_per_lambda(saved):
    res, cv, _ = saved
    rows = list(csv.DictReader(io.StringIO(export.sweep_csv(res.rows, cv))))
    assert len(rows) == 3 and [float(r["lam"]) for r in rows] == LAMS
    assert [float(r["cv_loss"]) for r in rows] == cv.cv_loss  # repr: read back exactly
    assert [float(r["cv_std"]) for r in rows] == cv.cv_std
    assert [float(r["cv_se"]) for r in rows] == cv.cv_se
    assert [float(r["cv_test_loss"]) for r in rows] == cv.test_loss
    assert {r["cv_folds"] for r in rows} == {"3"} and {r["cv_repeats"] for r in rows} == {"2"}
    chosen = [r["cv_chosen"] for r in rows]
    assert "λ_min" in chosen[cv.index_min] and "λ_1se" in chosen[cv.index_1se]
    assert sum(bool(c) for c in chosen) == len({cv.index_min, cv.index_1se})
    for std, se in zip(cv.cv_std, cv.cv_se, strict=True):
        assert std == pytest.approx(se * math.sqrt(3), rel=1e-12)
    assert "cv_loss" not in export.sweep_csv(res.rows)  # no CV, no columns


def test_a_sweep_json_without_cv_still_opens(saved):
    res, _, _ = saved
    back, _, cv = load_sweep_export(export.sweep_json(res))
    assert cv is None and back.lambdas == res.lambdas
    assert export.load_sweep_json(saved[2])[0].lambdas == res.lambdas  # the old reader


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda cv: cv.update(index_min=(cv["index_min"] + 1) % 3), "the file was edited"),
        (lambda cv: cv.update(cv_loss=cv["cv_loss"][:2]), "cv.cv_loss"),
        (lambda cv: cv.update(fold_loss=cv["fold_loss"][:1]), "cv.fold_loss"),
        (lambda cv: cv.update(folds="3"), "cv.folds"),
        (lambda cv: cv.update(lambdas=[1, 2, 3]), "cv.lambdas"),
        (lambda cv: cv.clear() or cv.update(x=1), "cv.lambdas"),
    ],
)
def test_a_bad_cv_is_refused_naming_what_is_wrong(saved, change, field):
    def edit(body):
        change(body["cv"])

    with pytest.raises(ValueError, match=field.replace(".", r"\.")):
        load_sweep_export(reseal(saved[2], edit))


def test_cross_validate_streams_progress_per_part_and_epoch():
    events: list[CVProgress] = []
    cross_validate(TINY, LAMS, folds=3, on_progress=events.append)
    assert len(events) == 3 * 4  # two fold groups (6 and 7 rows), the refit; 4 epochs each
    shares = [e.share for e in events]
    assert shares == sorted(shares) and shares[-1] == pytest.approx(1.0)
    stages = list(dict.fromkeys(e.stage for e in events))
    assert stages == [
        "fold 3 of 3, 3 λ at once",
        "folds 1–2 of 3, 3 λ at once",
        "refit on all 20 training samples, 3 λ at once",
    ]
    assert [e.epoch for e in events[:4]] == [1, 2, 3, 4] and events[0].epochs == 4


def test_cross_validate_stops_within_an_epoch_of_the_request():
    events: list[CVProgress] = []
    cv = cross_validate(
        {"optim": {"epochs": 50}}, LAMS, folds=5, stop=lambda: len(events) >= 3,
        on_progress=events.append,
    )  # fmt: skip
    assert cv.stopped and len(events) == 3  # no epoch after the request, no refit
    assert all(math.isnan(t) for t in cv.test_loss)
