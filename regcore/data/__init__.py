"""Data sets: generated and bundled sets (ISLR's tables among them), users' CSV tables made
usable (every change said in a note), and the one validation carving.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.data.as_seen import dataset_frame, named
from regcore.data.datasets import Dataset, Stream, make_dataset, make_generator
from regcore.data.sample import MAX_ROWS
from regcore.data.splits import carve_validation, split_val
from regcore.data.tables import load_table, read_csv_table, read_frame, read_frame_header

__all__ = [
    "MAX_ROWS",
    "Dataset",
    "Stream",
    "carve_validation",
    "dataset_frame",
    "load_table",
    "make_dataset",
    "make_generator",
    "named",
    "read_csv_table",
    "read_frame",
    "read_frame_header",
    "split_val",
]
