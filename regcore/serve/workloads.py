"""The estimated cost of each page's and tab's work, in the counts of regcore.serve.estimate.

Each function returns the counts (``{constant: count}``) of what the page's job runs, in
the engines it runs on; :func:`regcore.serve.estimate.seconds_of` turns them into
seconds on a machine. One per kind of work:

- :func:`run_work`: one run (the Playground), with decision surfaces on 2-D sets;
- :func:`comparison_work`: runs one after another on one data set (L1 vs L2);
- :func:`networks_work`: the Dropout page's side by side (surfaces, layer probes);
- :func:`sweep_work`: the λ sweep (batched, or one run per model), its exact path and
  its bias–variance retraining;
- :func:`rate_sweep_work`, :func:`small_batches_work`, :func:`bias_variance_dropout_work`:
  the Dropout page's other tabs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from regcore.batched import can_batch, can_batch_dropout
from regcore.core import TooLargeError, TrainConfig
from regcore.experiments import small_batch_configs
from regcore.serve.costs import batched_terms, data_terms, run_terms, shape
from regcore.serve.estimate import Calibration, describe_seconds, seconds_of
from regcore.sweeps import INITS

Terms = dict[str, float]
GRID = 81 * 81  # regcore.experiments.surfaces: points of one decision surface
MAX_FRAMES = 20  # live surfaces per run (surface_epochs), the final one besides
TWO_D = ("moons", "circles", "xor", "spiral")


def add_work(*parts: Terms, times: float = 1.0) -> Terms:
    """The sum of several count dictionaries, times ``times``."""
    out: Terms = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0.0) + times * v
    return out


def _probe(cfg: TrainConfig, surfaces: bool, val_rows: int = 0) -> Terms:
    """A probe called after every epoch (model.eval, no_grad); on 2-D sets a decision
    surface at up to MAX_FRAMES + 1 epochs (a grid pass, GRID values rounded and kept);
    ``val_rows``: a validation loss each epoch (regcore.sweeps.sequential)."""
    E, s = cfg.optim.epochs, shape(cfg)
    out = {"probe": float(E)}
    if surfaces:
        frames = min(E, MAX_FRAMES) + 1
        out.update(
            mac=frames * GRID * s.macs * s.dtype_factor,
            act=frames * GRID * s.units,
            grid=frames * GRID * 1.0,
        )
    if val_rows:
        out = add_work(out, {"mac": E * val_rows * s.macs, "row": E * val_rows, "probe": E})
    return out


def too_large_message(exc: TooLargeError, cal: Calibration | None = None) -> str:
    """The refusal of a run over the server's work cap, with how long it would take here
    (``cal``: this machine's constants) — the estimate every page shows, not a constant."""
    if exc.config is None:
        return str(exc)
    here = describe_seconds(seconds_of(run_work(exc.config), cal))
    return str(exc).replace("for the server", f"for the server: {here} here", 1)


def run_work(cfg: TrainConfig) -> Terms:
    """One run as the Playground trains it (a surface probe on 2-D sets)."""
    out = add_work(run_terms(cfg), data_terms(cfg))
    return add_work(out, _probe(cfg, surfaces=True)) if cfg.data.name in TWO_D else out


def comparison_work(configs: Iterable[TrainConfig]) -> Terms:
    """Runs one after another on one shared data set (regcore.experiments.comparison)."""
    configs = list(configs)
    return add_work(data_terms(configs[0]), *(run_terms(c) for c in configs))


def networks_work(configs: Iterable[TrainConfig]) -> Terms:
    """The side by side of the Dropout page: each run with its probe (surfaces on 2-D
    sets) and, at the end, its layer-by-layer probe and dropout conventions."""
    configs = list(configs)
    parts = [data_terms(configs[0])]
    for c in configs:
        parts += [run_terms(c), _probe(c, surfaces=c.data.name in TWO_D), {"nets_final": 1.0}]
    return add_work(*parts)


def sweep_work(cfg: TrainConfig, k: int, repeats: int, bias_variance_sets: int = 0) -> Terms:
    """The λ sweep: K λ × R repeats on the fit split (validation carved) and the exact
    path beside it; with ``bias_variance_sets`` > 0, :func:`bias_variance_work` too."""
    n = cfg.data.n_train
    n_val = max(1, round(n * cfg.optim.val_fraction))
    out = models_work(cfg, k, repeats, n - n_val, n_val)
    out = add_work(out, {"exact": float(k * n * shape(cfg).width)})
    if bias_variance_sets:
        out = add_work(out, bias_variance_work(cfg, k, bias_variance_sets))
    return out


def bias_variance_work(cfg: TrainConfig, k: int, sets: int, inits: int = INITS) -> Terms:
    """Bias–variance retraining (regcore.sweeps.bias_variance): K λ on ``sets`` fresh
    training sets from ``inits`` random starts each, whole training splits."""
    models = models_work(cfg, k, sets * inits, cfg.data.n_train, 0)
    return add_work(models, data_terms(cfg))


def cross_validation_work(cfg: TrainConfig, k: int, repeats: int, folds: int) -> Terms:
    """k-fold cross-validation (regcore.sweeps.cross_validate): R·folds·K models on the
    training rows less a fold, evaluated on it, then K·R refitted on the whole split."""
    n = cfg.data.n_train
    held = max(1, n // folds)
    refit = models_work(cfg, k, repeats, n, n)
    return add_work(models_work(cfg, k, repeats * folds, n - held, held), refit)


def models_work(cfg: TrainConfig, k: int, repeats: int, n_fit: int, n_val: int) -> Terms:
    """K·R models of ``cfg`` on ``n_fit`` rows each (``n_val`` held out and evaluated): one
    batched computation, or one run each where the batched engine cannot train them."""
    if can_batch(cfg):
        return batched_terms(cfg, k * repeats, repeats, n_fit, n_val)
    one = add_work(run_terms(cfg, n_fit, 0), _probe(cfg, False, val_rows=n_val))
    return add_work(add_work(one, times=k * repeats), data_terms(cfg, repeats))


def rate_sweep_work(cfg: TrainConfig, rates: Sequence[float], repeats: int) -> Terms:
    """The dropout-rate sweep: every (p, repeat) run on the fit split, its validation loss
    each epoch (regcore.experiments.dropout.rate_sweep)."""
    n = cfg.data.n_train
    n_val = max(1, round(n * cfg.optim.val_fraction))
    base = cfg.replace(**{"optim.early_stopping_patience": None})
    parts = [data_terms(cfg)] + [
        add_work(run_terms(c, n - n_val, 0), _probe(c, False, val_rows=n_val), times=repeats)
        for c in (base.replace(**{"model.dropout": float(p)}) for p in rates)
    ]
    return add_work(*parts)


def small_batches_work(cfg: TrainConfig, *args: Sequence) -> Terms:
    """One run per (normalization, batch size) on the same data
    (regcore.experiments.small_batch_configs, whose arguments ``args`` are)."""
    return comparison_work(small_batch_configs(cfg, *args).values())


def bias_variance_dropout_work(
    cfg: TrainConfig, rates: Sequence[float], repeats: int, inits: int = INITS
) -> Terms:
    """Every (p, fresh training set, random start) run of the bias–variance tab
    (regcore.sweeps.bias_variance_dropout): all at once for an MLP without normalization,
    else one after another."""
    if can_batch_dropout(cfg):
        return add_work(data_terms(cfg, repeats + 1), _dropout_batched(cfg, rates, repeats * inits))
    parts = [data_terms(cfg, repeats + 1)] + [
        add_work(run_terms(c), {"probe": float(c.optim.epochs)}, times=repeats * inits)
        for c in (cfg.replace(**{"model.dropout": float(p)}) for p in rates)
    ]
    return add_work(*parts)


MASK_DRAW = 0.4  # one dropout layer's mask for one run and step, in units of batched_order
STEP_WEIGHT_ADAM, STEP_WEIGHT_SGD = 1.6, 0.4  # one weight's update, in units of batched_weight


def _dropout_batched(cfg: TrainConfig, rates: Sequence[float], runs: int) -> Terms:
    """K·runs networks trained at once (regcore.batched.dropout) with no measure after each
    epoch: the batched counts less the per-epoch evaluation, plus one mask draw per run,
    hidden layer and step; the final models evaluated once."""
    n, models = cfg.data.n_train, len(rates) * runs
    s = shape(cfg, n, 0)
    E, n_eval = cfg.optim.epochs, n + s.n_test
    out = batched_terms(cfg, models, runs, n, 0)
    for key in ("batched_epoch_layer", "batched_model_epoch", "batched_weight"):
        out[key] = out[key] / E  # once, at the end
    out["batched_epoch"] = 0.5 * E  # the loop and the stop check, no tracker, no event
    out["batched_mac"] = models * (3.0 * E * n + 3 * n_eval) * s.macs * s.dtype_factor
    out["batched_act"] = models * s.units * (3.0 * E * n + 3 * n_eval)
    out["batched_order"] += MASK_DRAW * E * s.steps * runs * (s.layers - 1)
    # the optimizer's elementwise update of every weight of every model, each step
    # (fitted on the tab's default, 24 networks of 16,897 weights: Adam's dozen tensor ops)
    per_weight = STEP_WEIGHT_ADAM if cfg.optim.name != "sgd" else STEP_WEIGHT_SGD
    out["batched_weight"] += per_weight * E * s.steps * models * (s.macs + s.units)
    return out
