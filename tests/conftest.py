import csv
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

import kb
from kb.package import default_data_dir

# Property tests: in CI (env CI set) the same examples on every run, so a red build can be re-run; locally a
# new seed each run, so the examples rotate and over time cover more. Each example has a deadline.
settings.register_profile("ci", derandomize=True, deadline=5000, max_examples=40, print_blob=True,
                          database=None)
settings.register_profile("dev", derandomize=False, deadline=5000, max_examples=40, print_blob=True,
                          database=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

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
