"""Config: defaults, bounds, unknown fields, round trips (JSON and URL)."""

import json

import pytest

from regcore.core.bounds import BOUNDS, INT_FIELDS, OPEN_LOW
from regcore.core.config import TrainConfig, load_config
from regcore.links.codec import from_query, to_query


def _set(key: str, value) -> dict:
    parts = key.split(".")
    return {parts[0]: {parts[1]: value}} if len(parts) == 2 else {key: value}


def _base_for(key: str) -> dict:
    """A config in which `key` may reach both ends of its bounds."""
    big = {"data": {"n_train": 20_000, "n_features": 1_000}, "optim": {"epochs": 1}}
    if key == "data.n_train":
        return {"optim": {"batch_size": 1, "epochs": 1}, "data": {"n_features": 1}}
    if key == "optim.batch_size":
        return {"data": {"n_train": 20_000, "n_features": 1}, "optim": {"epochs": 1}}
    if key == "optim.epochs":
        return {"data": {"n_features": 1}}
    if key == "model.hidden":
        return {"model": {"kind": "mlp"}, "data": {"n_features": 2}}
    if key == "data.n_informative":
        return {"data": {"n_features": 1_000, "name": "sparse_linear"}}
    if key == "data.n_classes":  # a setting is only accepted where it has an effect
        return {"data": {"name": "classification", "n_features": 2}}
    if key == "model.dropout":
        return {"model": {"kind": "mlp", "hidden": [4]}, "data": {"n_features": 2}}
    if key == "reg.l1_ratio":
        return {"reg": {"kind": "elastic_net"}}
    return big if key.startswith("data.") else {}


def _merge(a: dict, b: dict) -> dict:
    out = json.loads(json.dumps(a))
    for k, v in b.items():
        out[k] = {**out.get(k, {}), **v} if isinstance(v, dict) else v
    return out


def test_config_defaults_are_the_weight_decay_experiment():
    cfg = load_config({})
    assert cfg == TrainConfig()
    assert (cfg.data.name, cfg.data.n_train, cfg.data.n_test, cfg.data.n_features) == (
        "linear",
        20,
        100,
        200,
    )
    assert (cfg.data.true_w, cfg.data.true_b, cfg.data.noise) == (0.01, 0.05, 0.01)
    assert (cfg.optim.name, cfg.optim.lr, cfg.optim.batch_size, cfg.optim.epochs) == (
        "sgd",
        0.003,
        5,
        100,
    )
    assert cfg.reg.kind == "l2" and cfg.model.kind == "linear"


@pytest.mark.parametrize("key", sorted(BOUNDS))
def test_config_bounds_inside_accepted_outside_rejected(key):
    lo, hi = BOUNDS[key]
    step = 1 if key in INT_FIELDS else max(1e-9, abs(hi) * 1e-6)
    wrap = (lambda v: [v]) if key == "model.hidden" else (lambda v: v)
    base = _base_for(key)
    inside = [hi] if key in OPEN_LOW else [lo, hi]
    for value in inside:
        load_config(_merge(base, _set(key, wrap(value))))
    outside = [lo if key in OPEN_LOW else lo - step, hi + step]
    for value in outside:
        with pytest.raises(ValueError, match=key.replace(".", r"\.")):
            load_config(_merge(base, _set(key, wrap(value))))


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"data": {"nosuch": 1}}, "unknown field data.nosuch"),
        ({"nosuch": 1}, "unknown field nosuch"),
        ({"reg": {"kind": "l3"}}, "reg.kind"),
        ({"optim": {"epochs": 2.5}}, "optim.epochs"),
        ({"optim": {"lr": "fast"}}, "optim.lr"),
        ({"reg": {"lam": float("nan")}}, "reg.lam"),
        ({"reg": {"penalize_bias": "yes"}}, "reg.penalize_bias"),
        ({"optim": {"batch_size": 50}}, "optim.batch_size"),
        ({"model": {"kind": "mlp", "hidden": []}}, "model.hidden"),
        ({"model": {"kind": "mlp", "hidden": [8] * 7}}, "model.hidden"),
        ({"model": {"kind": "cnn"}}, "model.kind"),
        ({"data": "linear"}, "data must be an object"),
        ({"data": {"name": "classification", "n_features": 900}}, "data.n_features"),
    ],
)
def test_config_errors_name_the_field(raw, needle):
    with pytest.raises(ValueError, match=needle):
        load_config(raw)


def test_config_error_says_what_is_allowed():
    with pytest.raises(ValueError) as info:
        load_config({"reg": {"lam": 1000}})
    assert "reg.lam = 1000" in str(info.value) and "0 to 100" in str(info.value)


def test_config_total_work_cap_refuses_the_largest_runs():
    big = {
        "data": {"name": "classification", "n_train": 20_000, "n_features": 784, "n_classes": 10},
        "model": {"kind": "mlp", "hidden": [1024, 1024]},
        "optim": {"epochs": 2_000, "batch_size": 64},
    }
    with pytest.raises(ValueError, match="too large for the server"):
        load_config(big)
    mnist = {**big, "model": {"kind": "mlp", "hidden": [200]}, "optim": {"epochs": 20}}
    assert load_config(mnist).optim.epochs == 20  # the literature's MNIST run fits


def test_config_json_round_trip_is_identical():
    cfg = load_config(
        {
            "model": {"kind": "mlp", "hidden": [16, 8], "norm": "layer"},
            "reg": {"kind": "elastic_net", "lam": 0.25},
            "optim": {"early_stopping_patience": 5},
        }
    )
    assert load_config(cfg.to_json()) == cfg
    assert load_config(json.loads(cfg.to_json())) == cfg


def test_config_query_round_trip_is_identical():
    cfg = load_config(
        {
            "data": {"name": "sparse_linear", "n_informative": 7, "noise": 0.1},
            "model": {"kind": "mlp", "hidden": [32, 16], "dropout": 0.2},
            "reg": {"kind": "l1", "lam": 1e-3, "penalize_bias": True},
            "seed": 3,
        }
    )
    q = to_query(cfg)
    assert "data.n_informative=7" in q and "model.hidden=32%2C16" in q
    assert from_query(q) == cfg
    assert to_query(TrainConfig()) == "" and from_query("") == TrainConfig()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo=1", "unknown field foo"),
        ("reg.lam=abc", "reg.lam = 'abc' .* allowed numbers from 0 to 100"),
        ("optim.epochs=1e308", "optim.epochs = '1e308' .* whole numbers from 1 to 2,000"),
        ("reg.penalize_bias=maybe", "use true or false"),
        ("data.name=csv&data.path=%2Fetc%2Fpasswd&data.target=x", "data.path"),
    ],
)
def test_config_query_rejects_unknown_and_bad_values(query, message):
    with pytest.raises(ValueError, match=message):
        from_query(query)


def test_config_replace_validates():
    cfg = TrainConfig()
    assert cfg.replace(**{"reg.lam": 0.5}).reg.lam == 0.5
    with pytest.raises(ValueError, match="reg.lam"):
        cfg.replace(**{"reg.lam": -0.5})


def test_config_flat_round_trips_and_names_unknown_fields():
    cfg = load_config({"model": {"kind": "mlp", "hidden": [8, 4]}, "reg": {"lam": 0.25}})
    flat = cfg.flat()
    assert flat["reg.lam"] == 0.25 and flat["model.hidden"] == [8, 4] and flat["seed"] == 0
    assert set(flat) == set(TrainConfig().flat())
    assert TrainConfig.from_flat(flat) == cfg
    assert TrainConfig.from_flat({"reg.kind": "l1"}) == load_config({"reg": {"kind": "l1"}})
    with pytest.raises(ValueError, match="reg.nope"):
        TrainConfig.from_flat({"reg.nope": 1})
    with pytest.raises(ValueError, match="optim.epochs"):
        TrainConfig.from_flat({"optim.epochs": 0})


def test_config_reads_files_and_reports_bad_ones(tmp_path):
    good = tmp_path / "c.json"
    good.write_text('{"reg": {"kind": "l1"}}')
    assert load_config(good).reg.kind == "l1"
    assert load_config(str(good)).reg.kind == "l1"
    bad = tmp_path / "bad.json"
    bad.write_text('{"reg": ')
    with pytest.raises(ValueError, match="not valid JSON"):
        load_config(bad)
    with pytest.raises(ValueError, match="cannot read"):
        load_config(tmp_path / "missing.json")
    with pytest.raises(ValueError, match="JSON object"):
        load_config("[1, 2]")


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"data": {"n_train": 10**400}}, "data.n_train = a 401-digit number is out of range"),
        ({"reg": {"lam": 10**400}}, "reg.lam = a 401-digit number"),
        ({"optim": {"epochs": 1e300}}, "optim.epochs"),
        ({"reg": {"kind": "x" * 500}}, "reg.kind"),
    ],
)
def test_config_hostile_values_get_a_short_message(raw, needle):
    with pytest.raises(ValueError, match=needle) as info:
        load_config(raw)
    assert len(str(info.value)) < 200


def test_config_deeply_nested_json_is_refused_cleanly():
    with pytest.raises(ValueError, match="nested too deeply"):
        load_config("[" * 100_000 + "]" * 100_000)
