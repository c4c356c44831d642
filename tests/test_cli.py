import subprocess
import sys

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
