import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

import kb
from kb.package import default_data_dir

# Reproducible property tests: the same examples on every run and machine.
settings.register_profile("kb", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("kb")

DATA = default_data_dir()


@pytest.fixture(scope="session")
def data():
    """The real data package, loaded once."""
    return kb.load()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of the real data folder, to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def read_table(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_table(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts as a spreadsheet does (the header is row 1)."""
    rows = read_table(path)
    rows[row - 1][rows[0].index(column)] = value
    write_table(path, rows)
