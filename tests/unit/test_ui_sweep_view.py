"""The sweep page's click on the loss curve maps to the nearest λ on the log scale."""

from ui.sweep_view import clicked_index

LAMS = [1e-3, 1e-2, 1e-1, 1.0]


def _event(x) -> dict:
    return {"selection": {"points": [{"x": x, "y": 1.0, "curve_number": 0}]}}


def test_clicked_index_nearest_on_the_log_scale():
    assert clicked_index(_event(0.01), LAMS) == 1
    assert clicked_index(_event(0.04), LAMS) == 2  # log-nearer to 0.1 than to 0.01
    assert clicked_index(_event(0.02), LAMS) == 1
    assert clicked_index(_event(50.0), LAMS) == 3


def test_clicked_index_ignores_no_click_and_odd_points():
    assert clicked_index({"selection": {"points": []}}, LAMS) is None
    assert clicked_index(None, LAMS) is None
    assert clicked_index(_event("abc"), LAMS) is None
    assert clicked_index(_event(0.0), LAMS) is None
    assert clicked_index(_event(0.1), []) is None
