"""Data sets: generated and bundled sets, users' CSV tables, and the one validation carving.

Other rooms import from here only; every other module is internal to this one.
"""

from regcore.data.datasets import Dataset, Stream, dataset_frame, make_dataset, make_generator
from regcore.data.splits import carve_validation, split_val
from regcore.data.tables import read_csv_table, read_frame

__all__ = [
    "Dataset",
    "Stream",
    "carve_validation",
    "dataset_frame",
    "make_dataset",
    "make_generator",
    "read_csv_table",
    "read_frame",
    "split_val",
]
