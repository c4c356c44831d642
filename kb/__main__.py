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
    if os.name != "posix":
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, 4))


def work_queue(specs) -> bytes:
    """One byte per figure, its place in ``specs``: the slowest first, so no process is left alone at the end
    with a long one."""
    if len(specs) > 256:
        raise ValueError("a work queue holds at most 256 figures")
    return bytes(sorted(range(len(specs)), key=lambda i: -specs[i].cost))


def _start_helpers(args) -> tuple[int, int, list]:
    """``jobs - 1`` processes that draw from a new work queue: (its read end, its write end, helpers)."""
    queue, fill = os.pipe()
    argv = [sys.executable, "-m", "kb", "figures", "--out", str(args.out), "--format", args.format,
            "--queue", str(queue)]
    argv += ["--data", str(args.data)] if args.data else []
    argv += ["--only", args.only] if args.only else []
    helpers = []
    for _ in range(args.jobs - 1):
        stderr = tempfile.TemporaryFile()  # shown only if this process succeeds and the helper does not
        helpers.append((subprocess.Popen(argv, pass_fds=[queue], stderr=stderr), stderr))
    return queue, fill, helpers


def figures(args) -> int:
    """Draw the figures, shared among ``--jobs`` processes.

    The work queue is a pipe holding one byte per figure, the way make's jobserver hands out tokens:
    each process reads a byte, draws that figure and reads again until the pipe is empty. The helpers
    start first, so they import matplotlib while this process does; the queue is filled only once this
    process has checked the names, formats and data, so a mistake is reported once, here.
    """
    queue, fill, helpers = args.queue, None, []
    if queue is None and args.jobs > 1 and os.name == "posix":  # the helpers inherit the pipe: POSIX only
        queue, fill, helpers = _start_helpers(args)
    try:
        from . import DataError, UnknownName, load
        from .plots import FIGURES, figure_spec, output_dir, write_figure, write_gallery

        formats = [f.strip() for f in args.format.split(",") if f.strip()]
        try:
            specs = [figure_spec(name.strip()) for name in args.only.split(",")] if args.only else FIGURES
            output_dir(args.out, formats)
            data = load(args.data)
        except (UnknownName, ValueError) as exc:  # DataError is a ValueError too
            for problem in getattr(exc, "problems", [exc]):
                print(problem.line() if isinstance(problem, DataError) else problem, file=sys.stderr)
            return 1
        log = functools.partial(print, flush=True)  # the helpers print too: each line as it is done
        if queue is None:
            for spec in specs:
                write_figure(spec, data, args.out, formats, log)
        else:
            if fill is not None:
                os.write(fill, work_queue(specs))  # a few bytes: one write, atomic
                os.close(fill)
                fill = None
            while token := os.read(queue, 1):
                write_figure(specs[token[0]], data, args.out, formats, log)
    finally:
        if fill is not None:  # this process failed before handing out any work: the helpers are not needed
            os.close(fill)
            for helper, _ in helpers:
                helper.kill()
        complaints = []
        for helper, stderr in helpers:
            if helper.wait() != 0:
                stderr.seek(0)
                complaints.append(stderr.read().decode(errors="replace"))
            stderr.close()
        if helpers:
            os.close(queue)
    if complaints:
        sys.stderr.write("".join(complaints))
        return 1
    if not args.only and args.queue is None:
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
    draw.add_argument("--jobs", type=int, default=default_jobs(),
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
