import os
import re
import signal
import subprocess
import sys

import pytest
from conftest import set_cell


def run(*args):
    return subprocess.run([sys.executable, "-m", "kb", *args], capture_output=True, text=True, timeout=120)


def test_validate_ok_in_a_fresh_process():
    done = run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("\n") == 1 and done.stdout.startswith("ok: ")
    assert done.stderr == ""


def test_validate_reports_problems_without_a_traceback(data_dir):
    set_cell(data_dir / "deadlines.csv", 2, "due", "soon")
    (data_dir / "sources.csv").write_bytes(b"\xff\xfe" + (data_dir / "sources.csv").read_bytes())
    done = run("validate", str(data_dir))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("sources.csv:1: not UTF-8 text") for line in lines)
    assert "deadlines.csv:2: due: expected a date written YYYY-MM-DD, got 'soon'" in lines


def test_usage_error_is_short():
    done = run("frobnicate")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "usage:" in done.stderr


def test_dictionary_command_prints_every_table():
    done = run("dictionary")
    assert done.returncode == 0 and done.stderr == ""
    assert re.findall(r"^## ([a-z_]+): ", done.stdout, re.M) == [
        "sources", "places", "actors", "events", "terms", "deadlines", "quantities", "claims", "outcomes", "corridor",
        "changed_hands"]
    assert "| `completed_on` | date |  | Day Azerbaijani forces entered the district. |" in done.stdout


# --- python -m kb figures -------------------------------------------------------------------------

FEW = "handover_schedule,points_actors,casualties"


def test_figures_only_draws_the_named_figures_without_the_gallery(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--only", FEW, "--format", "svg")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.svg" for n in FEW.split(","))
    assert len(done.stdout.splitlines()) == 3


def test_an_unknown_figure_is_reported_once(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--only", "map,mapp")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("no figure is called 'mapp'") == 1
    assert "timeline" in done.stderr  # the names to choose from
    assert list(tmp_path.iterdir()) == []


def test_bad_data_are_reported_once(data_dir, tmp_path):
    set_cell(data_dir / "deadlines.csv", 2, "due", "soon")
    out = tmp_path / "figures"
    done = run("figures", "--out", str(out), "--data", str(data_dir))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("deadlines.csv:2: due: expected a date written YYYY-MM-DD, got 'soon'") == 1
    assert not out.exists()


def test_an_unknown_format_is_explained_once(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--format", "svg,jpeg")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("choose from svg, png, pdf") == 1


def test_an_output_folder_that_is_a_file_is_explained(tmp_path):
    (tmp_path / "figures").write_text("not a folder")
    done = run("figures", "--out", str(tmp_path / "figures"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    expected = "is a file, not a folder: expected a folder to write the figures in"
    assert done.stderr == f"{tmp_path / 'figures'}: {expected}\n"


def test_an_output_folder_that_cannot_be_made_is_explained(tmp_path):
    done = run("figures", "--out", "/proc/kb-figures", "--only", "points_actors")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("/proc/kb-figures") and done.stderr.count("\n") == 1


def test_a_folder_that_refuses_writes_is_explained(tmp_path, monkeypatch, capsys):
    import kb.__main__ as cli
    from kb import plots

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "map.svg"))

    monkeypatch.setattr(plots, "write_figure", refuse)
    assert cli.main(["figures", "--out", str(tmp_path), "--only", "map"]) == 1
    err = capsys.readouterr().err
    assert err == f"cannot write the figures to {tmp_path}: {tmp_path / 'map.svg'}: Permission denied\n"


def test_the_jobs_options_are_gone(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--jobs", "2")
    assert done.returncode == 2 and "unrecognized arguments: --jobs" in done.stderr


def test_a_figure_named_twice_is_drawn_once(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--only", "points_actors, points_actors", "--format", "svg")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1


def test_stale_temporaries_of_a_killed_run_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".map.svg.{dead.stdout.strip()}.tmp"
    live = tmp_path / f".map.svg.{os.getpid()}.tmp"  # another run, still going: not ours to remove
    stale.write_text("half")
    live.write_text("half")
    done = run("figures", "--out", str(tmp_path), "--only", "points_actors", "--format", "svg")
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and live.exists()


def interrupt(tmp_path, signum):
    """Start drawing every figure, send ``signum`` once the first is written, and return how it ended."""
    process = subprocess.Popen([sys.executable, "-m", "kb", "figures", "--out", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    return first, process.returncode, err


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_an_interrupted_run_leaves_no_temporaries_and_no_traceback(tmp_path, signum, code):
    first, returncode, err = interrupt(tmp_path, signum)
    assert first, err
    assert returncode == code and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert not (tmp_path / "README.md").exists()  # no gallery over an incomplete set


# --- bad arguments and unreadable input, never a traceback -------------------------------------------

@pytest.mark.parametrize("args", [(), ("validate", "a", "b"), ("figures", "--format"), ("dictionary", "--x")])
def test_bad_arguments_give_usage_not_a_traceback(args):
    done = run(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "usage:" in done.stderr


def test_dictionary_of_a_broken_descriptor_is_one_line(data_dir):
    (data_dir / "datapackage.json").write_text("{", encoding="utf-8")
    done = run("dictionary", str(data_dir))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("datapackage.json:1: invalid JSON")


def test_unreadable_input_is_one_line(data_dir):
    (data_dir / "places.csv").chmod(0)
    (data_dir / "places.csv").unlink()
    (data_dir / "places.csv").mkdir()
    done = run("validate", str(data_dir))
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert done.stdout == "places.csv: is a folder; expected a file\n"


def test_a_closed_pipe_is_not_a_traceback():
    shell = subprocess.run(f"{sys.executable} -m kb dictionary | head -1", shell=True, capture_output=True,
                           text=True, timeout=120)
    assert shell.stdout.startswith("## sources") and "Traceback" not in shell.stderr
