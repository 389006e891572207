"""The Learn page's one-click presets: every one loads, trains, and shows what it says."""

import pytest

import regcore
from regcore.experiments.presets import PRESETS, Check, preset


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_all_load_and_train(name):
    cfg = preset(name)
    res = regcore.fit(cfg.replace(**{"optim.epochs": 1}))
    assert not res.diverged


SOURCED = sorted(n for n, p in PRESETS.items() if "source" in p)
RUNS: dict[tuple[str, tuple], list[Check]] = {}  # one training per preset and changes
for _name, _item in PRESETS.items():
    for _c in _item.get("checks", ()):
        RUNS.setdefault((_name, tuple(_c.changes.items())), []).append(_c)


def test_presets_every_stated_figure_is_checked():
    """A preset whose text states a figure carries it in ``checks`` (one or more)."""
    for name, item in PRESETS.items():
        assert item.get("checks"), name
        assert all(isinstance(c, Check) for c in item["checks"]), name


def test_presets_faithful_ones_state_source_figures_and_mapping():
    assert {"textbook_wd_0", "textbook_wd_3", "textbook_wd_10", "adam_blog_1"} <= set(SOURCED)
    for name in SOURCED:
        item = PRESETS[name]
        assert all(item[k] for k in ("source", "published", "ours", "mapping")), name


@pytest.mark.parametrize(
    ("name", "changes"), list(RUNS), ids=[f"{n}-{dict(c) or 'as is'}" for n, c in RUNS]
)
def test_presets_reproduce_their_stated_figures(name, changes):
    cfg = preset(name).replace(**dict(changes)) if changes else preset(name)
    metrics = regcore.fit(cfg).metrics
    for check in RUNS[name, changes]:
        assert check.holds(metrics[check.metric]), (name, check.describe(), metrics)


def test_presets_check_describes_its_tolerance():
    assert Check("test_loss", 210.0, 0.1).describe() == "test loss = 210 ± 10 %"
    c = Check("train_loss", 0.0, 0.0, {"reg.lam": 0.01}, atol=1e-3)
    assert c.describe() == "train loss = 0 ± 0.001 with reg.lam = 0.01"
    assert c.holds(0.0009) and not c.holds(0.0011)


def test_presets_adam_blog_what_its_text_says_of_the_null_space():
    """10 inputs span 10 of 200 directions; 13.26 of ‖w₀‖ = 13.50 lies in the other 190.
    No data gradient reaches them: plain SGD leaves that part exactly as drawn, Adam's
    per-coordinate steps move it (by ≈ 1.9) but keep its size ≈ 13.3; λ = 0.1 shrinks it."""
    import numpy as np

    cfg = preset("adam_blog_0").replace(dtype="float64")
    X = regcore.make_dataset(cfg).X_train.numpy()
    null = np.linalg.svd(X, full_matrices=True)[2][10:].T  # (200, 190)

    def weights(c):
        return np.array(regcore.fit(c).weights["linear1"])

    w0 = weights(cfg.replace(**{"optim.epochs": 1, "optim.lr": 1e-12}))
    assert np.linalg.norm(w0) == pytest.approx(13.50, abs=0.01)
    assert np.linalg.norm(null.T @ w0) == pytest.approx(13.26, abs=0.01)
    adam = weights(cfg)
    assert np.linalg.norm(null.T @ adam) == pytest.approx(13.3, abs=0.05)
    assert np.linalg.norm(null.T @ (adam - w0)) == pytest.approx(1.9, abs=0.1)
    sgd = weights(cfg.replace(**{"optim.name": "sgd", "optim.lr": 0.01}))
    np.testing.assert_allclose(null.T @ sgd, null.T @ w0, rtol=0, atol=1e-9)
    shrunk = weights(preset("adam_blog_10").replace(dtype="float64"))
    assert np.linalg.norm(null.T @ shrunk) < 0.75 * np.linalg.norm(null.T @ w0)


def test_presets_adam_blog_experiments_md_setting_is_20_samples_torch_init():
    """EXPERIMENTS.md's ‖w‖ 0.655 / 0.46 / 0.153 come from 20 + 20 samples and PyTorch's
    default init (not the code's 10 + 10 and N(0, 1)): the median of 10 seeds is within 0.02."""
    import statistics

    for lb, figure in ((0, 0.655), (1, 0.46), (10, 0.153)):
        norms = []
        for seed in range(10):
            cfg = preset(f"adam_blog_{lb}").replace(
                **{
                    "data.n_train": 20,
                    "data.n_test": 20,
                    "optim.batch_size": 20,
                    "model.init": "torch",
                    "seed": seed,
                    "data.seed": seed,
                }
            )
            norms.append(regcore.fit(cfg).metrics["weight_l2"])
        assert abs(statistics.median(norms) - figure) <= 0.02, (lb, norms)


def test_presets_textbook_mapping_is_the_chapter_run_at_half_the_lr():
    """λ = 2·λ_d at half the lr takes the chapter's own steps: one step checked by hand."""
    import torch

    cfg = preset("textbook_wd_3").replace(**{"optim.epochs": 1, "dtype": "float64"})
    assert cfg.reg.lam == 6.0 and cfg.optim.lr == 0.0015
    ds = regcore.make_dataset(cfg)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(200, generator=g, dtype=torch.float64)
    X, y = ds.X_train[:5], ds.y_train[:5]
    d2l = w - 0.003 * (X.T @ (X @ w - y) / 5 + 3.0 * w)  # ½·MSE + (λ_d/2)‖w‖², lr 0.003
    ours = w - 0.0015 * (2 * X.T @ (X @ w - y) / 5 + 6.0 * w)  # MSE + (λ/2)‖w‖², lr/2
    torch.testing.assert_close(ours, d2l, rtol=0, atol=1e-12)


def test_presets_early_stopping_turns_and_stops_on_every_seed():
    """What 'Early stopping that stops' states over seeds 0–4: the kept epoch is early
    (6–16), the validation loss at the stop is at least 1.8× its minimum while the training
    loss has kept falling, the run stops well before 300 epochs, and the kept weights' test
    loss (0.16–0.18) beats the run without early stopping (0.37–1.24)."""
    for seed in range(5):
        cfg = preset("early_stopping").replace(**{"seed": seed, "data.seed": seed})
        res = regcore.fit(cfg)
        h, best = res.history, res.best_epoch
        assert 6 <= best <= 16, (seed, best)
        assert res.metrics["epochs_run"] == best + 100 < 300
        assert min(h["val_loss"]) == h["val_loss"][best - 1]
        assert h["val_loss"][-1] >= 1.8 * h["val_loss"][best - 1], seed
        assert h["train_loss"][-1] < 0.8 * h["train_loss"][best - 1], seed
        assert 0.15 <= res.metrics["test_loss"] <= 0.19, seed
        full = regcore.fit(cfg.replace(**{"optim.early_stopping_patience": None}))
        assert full.metrics["test_loss"] >= 0.36, seed
        assert full.metrics["test_loss"] > 2 * res.metrics["test_loss"], seed
