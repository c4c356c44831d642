"""Random corruptions of the real data raise DataError and nothing else."""
import shutil

from hypothesis import HealthCheck, given, settings, strategies as st

import kb
from kb.package import default_data_dir

from conftest import read_table, write_table

FILES = sorted(p.name for p in default_data_dir().glob("*.csv"))
CELL = st.one_of(st.text(max_size=12), st.sampled_from(["", ";", "2020-13-01", "-1", "1e999", "nan", "a;;b",
                                                          "\x00", '"', "agdam", "1960", "2020-11-09"]))
SLOW = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)


def load_or_data_error(folder):
    try:
        kb.load(folder)
    except kb.DataError as exc:
        assert exc.problems and all(p.file for p in exc.problems)


@SLOW
@given(file=st.sampled_from(FILES), row=st.integers(0, 400), col=st.integers(0, 20), value=CELL)
def test_random_cell(tmp_path_factory, file, row, col, value):
    folder = tmp_path_factory.mktemp("d")
    shutil.copytree(default_data_dir(), folder, dirs_exist_ok=True)
    rows = read_table(folder / file)
    r, c = row % len(rows), col % len(rows[0])
    rows[r][c] = value
    write_table(folder / file, rows)
    load_or_data_error(folder)


@SLOW
@given(file=st.sampled_from(FILES + ["datapackage.json"]), at=st.integers(0, 10**6),
       junk=st.binary(max_size=8), cut=st.booleans())
def test_random_bytes(tmp_path_factory, file, at, junk, cut):
    folder = tmp_path_factory.mktemp("d")
    shutil.copytree(default_data_dir(), folder, dirs_exist_ok=True)
    raw = (folder / file).read_bytes()
    at %= len(raw) + 1
    (folder / file).write_bytes(raw[:at] + junk + (b"" if cut else raw[at:]))
    load_or_data_error(folder)
