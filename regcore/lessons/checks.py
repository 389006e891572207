"""The lesson path's checks: what a student's answer trains (``run_*``: the demo's config and
the answer -> a result) and the criterion over that result (``judge_*``: pure functions,
a :class:`Verdict` with the numbers it read). The lessons themselves are in ``path``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from regcore.core import SweepResult, TrainConfig
from regcore.engine import fit
from regcore.experiments import SmallBatchResult, small_batches
from regcore.links import SweepSettings
from regcore.sweeps import BiasVarianceResult, bias_variance, log_grid, sweep


@dataclass(frozen=True)
class Answer:
    """What the student enters: its label, bounds and starting value (the demo's own)."""

    label: str
    lo: float
    hi: float
    value: float
    whole: bool = False  # a whole number (patience, batch size)


@dataclass(frozen=True)
class Verdict:
    """Whether the criterion holds, in one sentence, with the numbers it was read from."""

    ok: bool
    text: str
    numbers: Mapping[str, float] = field(default_factory=dict)


def _g(x: float) -> str:
    return f"{x:.3g}"


def run_l2(cfg: TrainConfig, lam: float) -> Any:
    """The demo's run with an L2 penalty of strength ``lam`` (none at 0)."""
    return fit(cfg.replace(**{"reg.kind": "l2" if lam > 0 else "none", "reg.lam": lam}))


def run_l1(cfg: TrainConfig, lam: float) -> Any:
    """The demo's run with a (proximal) L1 penalty of strength ``lam``."""
    return fit(cfg.replace(**{"reg.kind": "l1", "reg.lam": lam}))


def run_dropout(cfg: TrainConfig, p: float) -> Any:
    """The demo's network with drop probability ``p``."""
    return fit(cfg.replace(**{"model.dropout": p}))


def run_norms(cfg: TrainConfig, _batch: float) -> SmallBatchResult:
    """BatchNorm, GroupNorm and LayerNorm at batch sizes 2, 4 and 32 (the tab's runs)."""
    return small_batches(cfg)


def run_stopping(cfg: TrainConfig, patience: float) -> Any:
    """The demo's run with early-stopping patience ``patience``."""
    return fit(cfg.replace(**{"optim.early_stopping_patience": int(patience)}))


def judge_weight_decay(lam: float, run: Any) -> Verdict:
    """Test loss below 0.05 (the penalty-free model's is about 160)."""
    m = run.metrics
    ok = m["test_loss"] < 0.05
    text = (
        f"λ = {lam:g}: test loss {_g(m['test_loss'])} (train {_g(m['train_loss'])}), "
        f"‖w‖₂ = {_g(m['weight_l2'])} — " + ("below 0.05." if ok else "not below 0.05 yet.")
    )
    return Verdict(ok, text, {k: m[k] for k in ("test_loss", "train_loss", "weight_l2")})


def judge_l1(lam: float, run: Any) -> Verdict:
    """L1 zeroes at least 90 % of the weights with a test loss below 0.05."""
    m = run.metrics
    zeros, test = m["zero_fraction"], m["test_loss"]
    ok = zeros >= 0.9 and test < 0.05
    why = [] if ok else ["too few zeros"] * (zeros < 0.9) + ["test loss too high"] * (test >= 0.05)
    text = (
        f"L1 at λ = {lam:g}: {100 * zeros:.1f} % of the weights exactly 0, test loss "
        f"{_g(test)} — " + ("both hold." if ok else f"{' and '.join(why)}.")
    )
    return Verdict(ok, text, {"zero_fraction": zeros, "test_loss": test})


def _near(answer: float, lams: list[float], k: int) -> bool:
    """Whether ``answer`` is within one grid step of ``lams[k]`` (log scale)."""
    step = math.log(lams[1] / lams[0]) if len(lams) > 1 else 0.0
    return answer > 0 and abs(math.log(answer / lams[k])) <= 1.01 * step


def run_sweep(cfg: TrainConfig, _answer: float, settings: Mapping[str, Any]) -> SweepResult:
    """The demo's λ sweep (the grid of its page settings)."""
    return sweep(cfg, log_grid(settings["lam_min"], settings["lam_max"], settings["k"]))


def judge_choice(answer: float, res: SweepResult) -> Verdict:
    """The entered λ is the validation split's choice λ* (within one grid step)."""
    k, t = res.best_index, res.test_best_index
    assert k is not None and t is not None  # the demo carves a validation split
    star, row = res.lambdas[k], res.rows[k]
    ok = _near(answer, res.lambdas, k)
    text = (
        f"The validation split chooses λ* = {star:.3g} (validation loss {_g(row['val_loss'])}, "
        f"test loss {_g(row['test_loss'])}; at λ = {res.lambdas[0]:.3g}: "
        f"{_g(res.rows[0]['test_loss'])}). Your {answer:g} is "
        + ("within one grid step of it." if ok else "not within one grid step of it.")
    )
    nums = {
        "lam_star": star,
        "test_loss": row["test_loss"],
        "test_loss_min_lam": res.rows[0]["test_loss"],
        "lam_test_best": res.lambdas[t],
    }
    return Verdict(ok, text, nums)


def _gap(run: Any) -> float:
    return run.metrics["test_loss"] - run.metrics["train_loss"]


def judge_dropout(p: float, run: Any) -> Verdict:
    """The generalization gap (test − train loss) is below 0.5."""
    m, gap = run.metrics, _gap(run)
    ok = gap < 0.5
    text = (
        f"p = {p:g}: train loss {_g(m['train_loss'])}, test loss {_g(m['test_loss'])}, gap "
        f"{_g(gap)} — " + ("below 0.5." if ok else "not below 0.5.")
    )
    return Verdict(ok, text, {"gap": gap, "train_loss": m["train_loss"]})


def _ratios(res: SmallBatchResult) -> dict[int, float]:
    f = res.final
    return {b: f[f"batch@{b}"]["test_loss"] / f[f"group@{b}"]["test_loss"] for b in res.batch_sizes}


def judge_norms(batch: float, res: SmallBatchResult) -> Verdict:
    """The entered batch size is where BatchNorm's test loss is the largest multiple of
    GroupNorm's."""
    ratios = _ratios(res)
    worst = max(ratios, key=lambda b: ratios[b])
    ok = int(batch) == worst
    each = "; ".join(
        f"batch {b}: {_g(res.final[f'batch@{b}']['test_loss'])} against "
        f"{_g(res.final[f'group@{b}']['test_loss'])} ({r:.2g}×)"
        for b, r in ratios.items()
    )
    text = (
        f"BatchNorm against GroupNorm test loss — {each}. The largest gap is at batch size "
        f"{worst}: " + ("your answer." if ok else f"not {int(batch)}.")
    )
    return Verdict(ok, text, {f"ratio_{b}": r for b, r in ratios.items()})


def judge_stopping(patience: float, run: Any) -> Verdict:
    """The run stops before epoch 40 and keeps a test loss below 0.2."""
    m = run.metrics
    ok = m["epochs_run"] < 40 and m["test_loss"] < 0.2
    text = (
        f"Patience {int(patience)}: stopped after epoch {m['epochs_run']}, kept epoch "
        f"{run.best_epoch}, test loss {_g(m['test_loss'])} — "
        + ("both hold." if ok else "it must stop before epoch 40 with test loss below 0.2.")
    )
    return Verdict(ok, text, {"epochs_run": m["epochs_run"], "test_loss": m["test_loss"]})


def run_bias_variance(
    cfg: TrainConfig, _answer: float, settings: Mapping[str, Any]
) -> BiasVarianceResult:
    """The λ sweep page's bias–variance panel of the demo (as many training sets)."""
    lams = log_grid(settings["lam_min"], settings["lam_max"], settings["k"])
    sets = SweepSettings.bias_variance_sets(settings.get("repeats", 1))
    return bias_variance(cfg, lams, repeats=sets)


def judge_bias_variance(answer: float, res: BiasVarianceResult) -> Verdict:
    """The entered λ is where bias² + variance + noise is lowest (within one grid step)."""
    k = res.best_index()
    assert k is not None  # the demo's runs converge at every λ
    ok = _near(answer, res.lambdas, k)
    text = (
        f"bias² + variance + noise is lowest at λ = {res.lambdas[k]:.3g} (★): bias² "
        f"{_g(res.bias2[k])}, variance {_g(res.variance[k])}, noise {_g(res.noise)}, total "
        f"{_g(res.total[k])} (at λ = {res.lambdas[0]:.3g}: {_g(res.total[0])}, at "
        f"{res.lambdas[-1]:.3g}: {_g(res.total[-1])}). Your {answer:g} is "
        + ("within one grid step of it." if ok else "not within one grid step of it.")
    )
    nums = {"lam_min_total": res.lambdas[k], "total_min": res.total[k]}
    return Verdict(ok, text, {**nums, "total_left": res.total[0], "total_right": res.total[-1]})
