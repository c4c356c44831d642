"""kb: the 2020 Nagorno-Karabakh ceasefire statement as sourced data, for a course.

>>> import kb
>>> data = kb.load()
>>> data.place("Karvachar")["name"]
'Kalbajar'
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DataError, UnknownName

if TYPE_CHECKING:
    from .base import ERAS, KB
    from .names import fold

__all__ = ["load", "KB", "DataError", "UnknownName", "ERAS", "fold", "__version__"]
__version__ = "0.1.0"

# Imported on first use, so ``python -m kb`` can answer (or be interrupted) before pandas has loaded.
_LAZY = {"KB": "base", "ERAS": "base", "fold": "names"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'kb' has no attribute {name!r}")


def load(path: str | Path | None = None) -> KB:
    """Load and validate the data package.

    Parameters
    ----------
    path : str or Path, optional
        A data folder holding ``datapackage.json``; by default the data shipped with ``kb``.

    Returns
    -------
    KB
        One DataFrame per table, and the course's questions.

    Raises
    ------
    DataError
        Naming every file, row and column (or descriptor key) that breaks the schema.
    """
    from .base import KB, era_of
    from .package import default_data_dir, read_package, tabular, to_frame

    if path is not None and not isinstance(path, (str, Path)):
        raise TypeError(f"kb.load() takes the path of a data folder (or nothing); got {type(path).__name__}")
    data_dir = Path(path) if path is not None else default_data_dir()
    package, columns = read_package(data_dir)
    frames = {r["name"]: to_frame(r, columns[r["name"]]) for r in package["resources"] if tabular(r)}
    if "events" in frames:
        frames["events"]["era"] = era_of(frames["events"]["date_start"])
    return KB(package, frames, data_dir)


@functools.lru_cache(maxsize=1)
def _shipped() -> KB:
    return load()


def _or_shipped(data: KB | None) -> KB:
    """``data``, or the shipped data loaded once: what the exercises and explorers use when given none."""
    return _shipped() if data is None else data
