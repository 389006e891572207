"""The lesson path: seven lecture points in order, each a ready demo with one question.

A :class:`Lesson` names the page its demo opens on, the config fields it changes on that
page's starting config and the page's own link settings (``demo.lesson_link`` writes the
link through the pages' schemes). Its question asks for one number a student finds with
the app; ``run`` trains what the check needs from the demo's config and the answer, and
``judge`` says whether the criterion holds (``checks``). ``shows`` are figures the demo
states, read from ``run`` at the answer's starting value (the demo's own setting).

Each demo trains in at most about 5 s on a 2-core machine (``benchmarks/bench_lessons.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from regcore.core import TrainConfig, load_config
from regcore.experiments import NetVariant, preset
from regcore.lessons import checks as c
from regcore.lessons.checks import Answer, Verdict
from regcore.sweeps import BIAS_VARIANCE_DEMO, BIAS_VARIANCE_DEMO_LAMBDAS


@dataclass(frozen=True)
class Lesson:
    """One lecture point: its demo (page, config changes, page settings), what to look at,
    the question, and the check (``run`` then ``judge``)."""

    key: str
    point: str  # the lecture point, as the lesson path lists it
    page: str  # playground | compare | sweep | dropout
    changes: Mapping[str, Any]  # dotted config fields over the page's starting config
    settings: Mapping[str, Any]  # the page's own link settings (its scheme's fields)
    look: str  # one line: what to look at once it has trained
    question: str
    answer: Answer
    run: Callable[[TrainConfig, float], Any]  # the demo's config and the answer -> a result
    judge: Callable[[float, Any], Verdict]  # pure: the criterion over that result
    shows: Mapping[str, float] = field(default_factory=dict)  # figures at answer.value (±10 %)


# Choosing λ: ridge regression with known truth, noise σ = 1, zero initial weights,
# full-batch SGD, 80 features, 150 samples (30 held out for validation, the fewest the λ
# sweep page trusts): λ* ≈ 0.08. Bias–variance: the λ sweep's own demo
# (regcore.sweeps.BIAS_VARIANCE_DEMO, its link regcore.links.bias_variance_demo_params).
_RIDGE = {
    "data.name": "linear",
    "data.n_features": 20,
    "data.noise": 1.0,
    "data.true_w": 0.3,
    "model.init": "zeros",
    "reg.kind": "l2",
    "reg.lam": 0.1,
    "optim.lr": 0.1,
    "optim.epochs": 500,
}
_CHOICE_SWEEP = {"lam_min": 1e-3, "lam_max": 10.0, "k": 24, "bias_variance": False}
_LO, _HI, _K = BIAS_VARIANCE_DEMO_LAMBDAS
_BV_SWEEP = {"lam_min": _LO, "lam_max": _HI, "k": _K, "first": "bias_variance"}

LESSONS: dict[str, Lesson] = {
    "weight_decay": Lesson(
        "weight_decay",
        "Weight decay",
        "compare",
        {"data.name": "linear", "reg.kind": "l2", "reg.lam": 3.0},
        {"mode": "regularizers", "runs": ("none", "l2")},
        "200 features, 20 samples: without a penalty the test loss stays near 160 while the "
        "training loss falls to 0; with L2 (λ = 3) it falls with it, to 0.17.",
        "Find a λ at which the L2 model's test loss is below 0.05 (λ = 3 gives 0.17).",
        Answer("λ", 0.0, 100.0, 3.0),
        c.run_l2,
        c.judge_weight_decay,
        {"test_loss": 0.165, "weight_l2": 0.351},
    ),
    "l1_l2": Lesson(
        "l1_l2",
        "L1 vs L2",
        "compare",
        {"reg.lam": 1.0},
        {"mode": "regularizers", "runs": ("l1", "l2")},
        "Same λ: L1's test loss (yellow) is half L2's; in the weight histograms under the "
        "curves L1 puts 195 of the 200 weights at exactly 0 (“195/200 zero”), L2 none.",
        "Find a λ at which L1 makes at least 90 % of the weights exactly 0 and its test loss "
        "is below 0.05 (λ = 1 zeroes 97.5 % but its test loss is 0.99).",
        Answer("λ", 0.0, 100.0, 1.0),
        c.run_l1,
        c.judge_l1,
        {"zero_fraction": 0.975, "test_loss": 0.99},
    ),
    "choosing_lambda": Lesson(
        "choosing_lambda",
        "Choosing λ",
        "sweep",
        {
            **_RIDGE,
            "data.n_train": 150,
            "data.n_features": 80,
            "data.true_w": 0.2,
            "optim.batch_size": 150,
        },
        _CHOICE_SWEEP,
        "24 λ trained at once: the validation loss (30 of the 150 samples held out, never "
        "the test set) is lowest at the starred λ* ≈ 0.08; smaller λ over-fit, larger "
        "under-fit.",
        "Which λ does the validation split choose (λ*)? Enter it (within one grid step).",
        Answer("λ*", 0.0, 100.0, 1.0),
        partial(c.run_sweep, settings=_CHOICE_SWEEP),
        c.judge_choice,
        {"lam_star": 0.082, "test_loss": 2.15},
    ),
    "dropout": Lesson(
        "dropout",
        "Dropout",
        "dropout",
        {"optim.epochs": 200},
        {"nets": (NetVariant(), NetVariant(dropout=0.8))},
        "The decision surfaces: without dropout the boundary bends around single noisy "
        "points (test loss 2.1, train 0.006); with p = 0.8 the four quadrants stay straight.",
        "Find a drop probability p at which the gap between test and training loss is "
        "below 0.5 (at p = 0 it is 2.1).",
        Answer("p", 0.0, 0.95, 0.0),
        c.run_dropout,
        c.judge_dropout,
        {"gap": 2.12},
    ),
    "norms": Lesson(
        "norms",
        "Batch vs group norm",
        "dropout",
        {},
        {"tab": "small"},
        "Same network, batch sizes 2, 4 and 32: BatchNorm's test loss is worst at batch "
        "size 2, where its batch statistics are noise; GroupNorm does not care.",
        "At which batch size does BatchNorm's test loss trail GroupNorm's the most "
        "(the largest ratio)? Enter 2, 4 or 32.",
        Answer("batch size", 2, 32, 32, whole=True),
        c.run_norms,
        c.judge_norms,
        {"ratio_2": 3.57},
    ),
    "early_stopping": Lesson(
        "early_stopping",
        "Early stopping",
        "playground",
        preset("early_stopping").flat(),
        {},
        "The validation loss turns up after epoch 16 while the training loss keeps falling; "
        "the ◆ marks the kept epoch. Test loss 0.16, against 1.24 without early stopping.",
        "Find a patience that stops the run before epoch 40 with a test loss still below "
        "0.2 (patience 100 stops at epoch 116).",
        Answer("patience", 1, 2000, 100, whole=True),
        c.run_stopping,
        c.judge_stopping,
        {"epochs_run": 116, "test_loss": 0.156},
    ),
    "bias_variance": Lesson(
        "bias_variance",
        "Bias–variance",
        "sweep",
        load_config(BIAS_VARIANCE_DEMO).flat(),
        _BV_SWEEP,
        "The bias–variance chart, on top: as λ grows the variance falls and bias² climbs; "
        "their sum with the noise is a U, its bottom starred.",
        "At which λ is bias² + variance + noise lowest? Enter it (within one grid step).",
        Answer("λ", 0.0, 100.0, 0.01),
        partial(c.run_bias_variance, settings=_BV_SWEEP),
        c.judge_bias_variance,
        {"lam_min_total": 0.464, "total_min": 4.96, "total_left": 6.71},
    ),
}
