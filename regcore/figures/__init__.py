"""Figure builders: pure functions from results to plotly figures (no Streamlit, no I/O).

Each page's builders live in their own module; add one re-export line for yours.
"""

from regcore.figures.style import REG_COLORS, REG_LABELS, base_layout, reg_color, reg_label, styled

__all__ = ["REG_COLORS", "REG_LABELS", "base_layout", "reg_color", "reg_label", "styled"]
