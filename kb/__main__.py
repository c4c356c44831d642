"""Command line: ``python -m kb validate [DIR]``, ``python -m kb dictionary [DIR]``, ``python -m kb figures``."""
from __future__ import annotations

import argparse
import functools
import gc
import os
import subprocess
import sys
import tempfile
from pathlib import Path


def validate(args) -> int:
    from . import DataError, load

    try:
        data = load(args.dir)
    except DataError as exc:
        for problem in exc.problems:
            print(problem.line())
        return 1
    rows = sum(len(frame) for frame in data.tables.values())
    print(f"ok: {len(data.tables)} tables, {rows} rows in {data.data_dir} are valid")
    return 0


def dictionary(args) -> int:
    from .package import default_data_dir, read_descriptor
    from .base import data_dictionary

    print(data_dictionary(read_descriptor(args.dir or default_data_dir())), end="")
    return 0


def default_jobs() -> int:
    """Processes for `figures`: one per CPU this process may use, at most four (each pays the imports)."""
    if os.name != "posix":  # helpers inherit the work queue's pipe, which needs POSIX
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, 4))


def whole_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def work_queue(specs) -> bytes:
    """One byte per figure, its place in ``specs``: the slowest first, so no process is left alone at the end
    with a long one."""
    if len(specs) > 256:
        raise ValueError("a work queue holds at most 256 figures")
    return bytes(sorted(range(len(specs)), key=lambda i: -specs[i].cost))


class Helpers:
    """Processes that draw figures from a work queue: a pipe holding one byte per figure, which each process
    reads until it is empty, the way make's jobserver hands out tokens."""

    def __init__(self, args, count: int):
        self.queue, self._fill = os.pipe()
        self.processes: list[tuple[subprocess.Popen, object]] = []  # each with the file its stderr goes to
        argv = [sys.executable, "-m", "kb", "figures", "--out", str(args.out), "--format", args.format,
                "--queue", str(self.queue)]
        argv += ["--data", str(args.data)] if args.data else []
        argv += ["--only", args.only] if args.only else []
        try:
            for _ in range(count):
                stderr = tempfile.TemporaryFile()
                self.processes.append((subprocess.Popen(argv, pass_fds=[self.queue], stderr=stderr), stderr))
        except BaseException:
            self.stop()
            self.finish(args.out)
            raise

    def hand_out(self, tokens: bytes) -> None:
        fill, self._fill = self._fill, None
        try:
            os.write(fill, tokens)  # a few bytes: one write, atomic
        finally:
            os.close(fill)

    def stop(self) -> None:
        """End the helpers now: this process failed, so their work is not wanted."""
        if self._fill is not None:
            fill, self._fill = self._fill, None
            os.close(fill)
        for process, _ in self.processes:
            if process.poll() is None:
                process.terminate()

    def finish(self, out) -> list[str]:
        """Wait for every helper; say what went wrong with each that failed, and remove its unfinished files."""
        complaints = []
        for process, stderr in self.processes:
            code = process.wait()
            if code != 0:
                stderr.seek(0)
                how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
                complaints.append(f"{stderr.read().decode(errors='replace')}"
                                  f"a helper drawing figures (process {process.pid}) {how}\n")
                for unfinished in Path(out).glob(f".*.{process.pid}.tmp"):
                    unfinished.unlink(missing_ok=True)
            stderr.close()
        os.close(self.queue)
        return complaints


def figures(args) -> int:
    """Draw the figures, shared among ``--jobs`` processes.

    The helpers start first, so they import matplotlib while this process does; the work is handed out
    only once this process has checked the names, formats and data, so a mistake is reported once, here.
    """
    names = list(dict.fromkeys(n.strip() for n in (args.only or "").split(",") if n.strip())) or None
    jobs = min(args.jobs, len(names)) if names else args.jobs
    helpers = Helpers(args, jobs - 1) if args.queue is None and jobs > 1 and os.name == "posix" else None
    queue = helpers.queue if helpers else args.queue
    complaints, done = [], False
    try:
        from . import DataError, UnknownName, load
        from .plots import FIGURES, figure_spec, prepare_output, write_figure, write_gallery

        formats = [f.strip() for f in args.format.split(",") if f.strip()]
        try:
            specs = [figure_spec(name) for name in names] if names else FIGURES
            prepare_output(args.out, formats)
            data = load(args.data)
        except (UnknownName, ValueError, OSError) as exc:  # DataError is a ValueError too
            for problem in getattr(exc, "problems", [exc]):
                print(problem.line() if isinstance(problem, DataError) else problem, file=sys.stderr)
            return 1
        log = functools.partial(print, flush=True)  # the helpers print too: each line as it is done
        if helpers:
            helpers.hand_out(work_queue(specs))
        if queue is None:
            for spec in specs:
                write_figure(spec, data, args.out, formats, log)
        else:
            while token := os.read(queue, 1):
                write_figure(specs[token[0]], data, args.out, formats, log)
        done = True
    finally:
        if helpers:
            if not done:
                helpers.stop()
            complaints = helpers.finish(args.out)
    if complaints:
        sys.stderr.write("".join(complaints))
        return 1
    if names is None and args.queue is None:
        write_gallery(args.out, formats, log)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check the data package; one line per problem")
    check.add_argument("dir", nargs="?", type=Path, help="data folder (default: the data shipped with kb)")
    check.set_defaults(run=validate)
    words = commands.add_parser("dictionary", help="print the data dictionary (Markdown) from datapackage.json")
    words.add_argument("dir", nargs="?", type=Path, help="data folder (default: the data shipped with kb)")
    words.set_defaults(run=dictionary)
    draw = commands.add_parser("figures", help="regenerate every figure, byte for byte the same each time")
    draw.add_argument("--out", type=Path, default=Path("figures"), help="folder to write (default: figures)")
    draw.add_argument("--format", default="svg,png", help="comma-separated formats (default: svg,png)")
    draw.add_argument("--data", type=Path, default=None, help="data folder (default: the data shipped with kb)")
    draw.add_argument("--only", help="comma-separated figure names, e.g. map,timeline (default: all, and the "
                                     "gallery README.md)")
    draw.add_argument("--jobs", type=whole_number, default=default_jobs(),
                      help="processes to draw with (default: one per CPU, at most 4)")
    draw.add_argument("--queue", type=int, help=argparse.SUPPRESS)  # a helper's end of the work queue
    draw.set_defaults(run=figures)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    code = main()
    # Exiting: spare the interpreter's last full garbage collection over every pandas and matplotlib
    # object (a tenth of a second, which the figures command would wait for in each helper).
    gc.freeze()
    sys.exit(code)
