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
    assert done.stdout.count("\n## ") + done.stdout.startswith("## ") == 9
    assert "| `completed_on` | date |  | Day Azerbaijani forces entered the district. |" in done.stdout


# --- python -m kb figures: the work shared among processes ---------------------------------------

FEW = "handover_schedule,points_actors,outcomes"


def test_figures_drawn_by_several_processes_match_one_process(tmp_path):
    one = run("figures", "--out", str(tmp_path / "one"), "--only", FEW, "--jobs", "1")
    three = run("figures", "--out", str(tmp_path / "three"), "--only", FEW, "--jobs", "3")
    assert one.returncode == three.returncode == 0, one.stderr + three.stderr
    assert three.stderr == ""
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "three").iterdir())
    assert names == sorted(f"{n}.{f}" for n in FEW.split(",") for f in ("svg", "png"))  # --only: no gallery
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "three" / name).read_bytes(), name
    assert sorted(three.stdout.splitlines()) == sorted(one.stdout.replace("/one/", "/three/").splitlines())


def test_an_unknown_figure_is_reported_once(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--only", "map,mapp", "--jobs", "3")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("no figure is called 'mapp'") == 1
    assert "timeline" in done.stderr  # the names to choose from
    assert list(tmp_path.iterdir()) == []


def test_bad_data_are_reported_once_whatever_the_processes(data_dir, tmp_path):
    set_cell(data_dir / "deadlines.csv", 2, "due", "soon")
    out = tmp_path / "figures"
    done = run("figures", "--out", str(out), "--data", str(data_dir), "--jobs", "3")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("deadlines.csv:2: due: expected a date written YYYY-MM-DD, got 'soon'") == 1
    assert not out.exists() or list(out.iterdir()) == []


def test_an_unknown_format_is_explained_once(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--format", "svg,jpeg", "--jobs", "2")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("choose from svg, png, pdf") == 1


def test_an_output_folder_that_is_a_file_is_explained(tmp_path):
    (tmp_path / "figures").write_text("not a folder")
    done = run("figures", "--out", str(tmp_path / "figures"), "--jobs", "2")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "figures" in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_whole_number_of_at_least_one(jobs, tmp_path):
    done = run("figures", "--out", str(tmp_path), "--jobs", jobs)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"expected a whole number of at least 1, got '{jobs}'" in done.stderr


def test_a_figure_named_twice_is_drawn_once(tmp_path):
    done = run("figures", "--out", str(tmp_path), "--only", "points_actors, points_actors", "--format", "svg")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 1


def test_a_helper_draws_what_it_reads_from_the_queue(tmp_path):
    """What the helpers do, run by hand: read figure numbers from a pipe until it is empty, draw them."""
    import os

    read, write = os.pipe()
    os.write(write, bytes([2, 0]))  # of --only handover_schedule,points_actors,outcomes: the third and first
    os.close(write)
    try:
        done = subprocess.run([sys.executable, "-m", "kb", "figures", "--out", str(tmp_path), "--only", FEW,
                               "--format", "svg", "--queue", str(read)], pass_fds=[read], capture_output=True,
                              text=True, timeout=120)
    finally:
        os.close(read)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handover_schedule.svg", "outcomes.svg"]
    assert len(done.stdout.splitlines()) == 2


def test_a_helper_killed_mid_figure_fails_the_command_and_leaves_no_half_files(tmp_path, monkeypatch, capsys):
    import kb.__main__ as cli

    real_popen = subprocess.Popen

    def killed_helper(argv, **kwargs):
        out = argv[argv.index("--out") + 1]
        script = ("import os, pathlib, signal; "
                  f"pathlib.Path({out!r}, f'.map.svg.{{os.getpid()}}.tmp').write_text('half'); "
                  "os.kill(os.getpid(), signal.SIGKILL)")
        return real_popen([sys.executable, "-c", script], **kwargs)

    monkeypatch.setattr(cli.subprocess, "Popen", killed_helper)
    code = cli.main(["figures", "--out", str(tmp_path), "--format", "svg", "--jobs", "2"])
    assert code == 1
    assert "was killed by signal 9" in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not (tmp_path / "README.md").exists()  # no gallery over an incomplete set


def test_helpers_stop_when_this_process_fails(tmp_path, monkeypatch):
    import signal

    import kb.__main__ as cli
    from kb import plots

    real_popen, started = subprocess.Popen, []

    def slow_helper(argv, **kwargs):
        started.append(real_popen([sys.executable, "-c", "import time; time.sleep(60)"], **kwargs))
        return started[-1]

    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(cli.subprocess, "Popen", slow_helper)
    monkeypatch.setattr(plots, "write_figure", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        cli.main(["figures", "--out", str(tmp_path), "--only", FEW, "--jobs", "3"])
    assert len(started) == 2 and all(p.returncode == -signal.SIGTERM for p in started)  # not left to sleep on


def test_a_failing_helper_fails_the_command_and_says_why(tmp_path, monkeypatch, capsys):
    import kb.__main__ as cli

    real_popen = subprocess.Popen

    def broken_helper(argv, **kwargs):
        return real_popen([sys.executable, "-c", "import sys; sys.exit('helper: out of memory')"], **kwargs)

    monkeypatch.setattr(cli.subprocess, "Popen", broken_helper)
    code = cli.main(["figures", "--out", str(tmp_path), "--only", "points_actors,handover_schedule",
                     "--format", "svg", "--jobs", "2"])
    assert code == 1
    err = capsys.readouterr().err
    assert "helper: out of memory" in err and "exited with status 1" in err
    assert (tmp_path / "points_actors.svg").exists()  # this process took the work the helper did not


def test_the_slowest_figures_are_handed_out_first():
    from kb import plots
    from kb.__main__ import work_queue

    order = [plots.FIGURES[i].name for i in work_queue(plots.FIGURES)]
    assert sorted(order) == sorted(spec.name for spec in plots.FIGURES)
    assert order[0] == "timeline"
    costs = [plots.figure_spec(name).cost for name in order]
    assert costs == sorted(costs, reverse=True)
