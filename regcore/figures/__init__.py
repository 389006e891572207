"""Figure builders: pure functions from results to plotly figures (no Streamlit, no I/O).

Each page's builders live in their own module; add one re-export line for yours.
"""

from regcore.figures import compare, sweep
from regcore.figures.biasvar import definitions as bias_variance_definitions
from regcore.figures.biasvar import fig_bias_variance, fig_bias_variance_dropout
from regcore.figures.compare import fig_compare_curves, fig_weight_histograms
from regcore.figures.curves import (
    as_history,
    fig_loss_curves,
    loss_name,
    refresh_loss_curves,
    run_summary,
)
from regcore.figures.cv import fig_cv_curve
from regcore.figures.digits import fig_digit_weights_grid
from regcore.figures.dropout import (
    fig_dropout_sweep,
    fig_net_curves,
    fig_small_batches,
)
from regcore.figures.geometry import fig_geometry
from regcore.figures.memo import fingerprint, is_shared, shared_figure
from regcore.figures.overlay import RUN_COLORS, fig_overlay_curves, fig_overlay_hist, run_color
from regcore.figures.paths_named import (
    can_name,
    entries_text,
    fig_inputs_kept,
    fig_named_paths,
    inputs_kept,
)
from regcore.figures.runs import data_difference, differing_fields, run_labels
from regcore.figures.style import (
    REG_COLORS,
    REG_LABELS,
    base_layout,
    copied,
    presented,
    reg_color,
    reg_label,
    styled,
)
from regcore.figures.surface import fig_surfaces
from regcore.figures.sweep import (
    fig_coef_paths,
    fig_sweep_loss,
    fig_sweep_norm,
    fig_sweep_zeros,
)
from regcore.figures.units import fig_unit_images
from regcore.figures.weights import fig_weight_hist, fig_weight_hist_over_epochs, layer_names

__all__ = [
    "fingerprint",
    "is_shared",
    "shared_figure",
    "bias_variance_definitions",
    "REG_COLORS",
    "REG_LABELS",
    "RUN_COLORS",
    "as_history",
    "base_layout",
    "can_name",
    "compare",
    "data_difference",
    "differing_fields",
    "fig_bias_variance",
    "fig_bias_variance_dropout",
    "fig_coef_paths",
    "fig_compare_curves",
    "fig_cv_curve",
    "fig_digit_weights_grid",
    "fig_dropout_sweep",
    "entries_text",
    "fig_geometry",
    "fig_inputs_kept",
    "fig_loss_curves",
    "fig_named_paths",
    "fig_overlay_curves",
    "fig_overlay_hist",
    "fig_net_curves",
    "fig_small_batches",
    "fig_surfaces",
    "fig_sweep_loss",
    "fig_sweep_norm",
    "fig_sweep_zeros",
    "fig_unit_images",
    "fig_weight_hist",
    "fig_weight_hist_over_epochs",
    "fig_weight_histograms",
    "inputs_kept",
    "layer_names",
    "loss_name",
    "copied",
    "presented",
    "refresh_loss_curves",
    "reg_color",
    "reg_label",
    "run_color",
    "run_labels",
    "run_summary",
    "styled",
    "sweep",
]
