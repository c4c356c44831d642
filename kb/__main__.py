"""Command line: ``python -m kb validate [DIR]``, ``python -m kb dictionary [DIR]``, ``python -m kb figures``.

Bad arguments and bad data give a short message and a non-zero exit status, never a traceback: 1 for a
problem in the data or the output folder, 2 for a usage error, 130 when interrupted (Ctrl-C), 143 on SIGTERM.
"""
from __future__ import annotations

import functools
import os
import re
import signal
import sys
from pathlib import Path

__all__ = ["main"]

# The figure writers save to ``.NAME.PID.tmp`` beside the figure, then rename it; a run that was killed
# (SIGKILL cannot be caught) leaves one behind, which the next run removes.
_TEMPORARY = re.compile(r"\.(.+)\.([0-9]+)\.tmp")


def _report(exc: BaseException) -> None:
    """Print what went wrong, one line per problem, on stderr."""
    from .errors import DataError

    for problem in getattr(exc, "problems", [exc]):
        print(problem.line() if isinstance(problem, DataError) else _os_message(problem), file=sys.stderr)


def _os_message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return str(exc)


def validate(args) -> int:
    """Check the data package; print one line per problem."""
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
    """Print the data dictionary (Markdown) read from datapackage.json."""
    from .base import data_dictionary
    from .package import default_data_dir, read_descriptor

    print(data_dictionary(read_descriptor(args.dir or default_data_dir())), end="")
    return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, but is not ours
        return True
    return pid != os.getpid()


def remove_stale_temporaries(out: Path) -> list[Path]:
    """Remove the temporary files that runs which were killed left in ``out``; return them."""
    stale = []
    for path in out.iterdir() if out.is_dir() else ():
        match = _TEMPORARY.fullmatch(path.name)
        if match and path.is_file() and not _alive(int(match.group(2))):
            path.unlink(missing_ok=True)
            stale.append(path)
    return stale


def _check_writable(out: Path) -> None:
    """Raise OSError unless a file can be created in ``out`` (permissions alone do not say, for root)."""
    probe = out / f".kb-write-check.{os.getpid()}.tmp"
    try:
        probe.write_bytes(b"")
    finally:
        probe.unlink(missing_ok=True)


def figures(args) -> int:
    """Draw the figures one after another, and the gallery when all are drawn."""
    from . import load
    from .errors import DataError, UnknownName
    from .plots import FIGURES, figure_spec, prepare_output, write_figure, write_gallery

    names = list(dict.fromkeys(n.strip() for n in (args.only or "").split(",") if n.strip())) or None
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if args.out.exists() and not args.out.is_dir():
        print(f"{args.out}: is a file, not a folder: expected a folder to write the figures in", file=sys.stderr)
        return 1
    try:
        specs = [figure_spec(name) for name in names] if names else list(FIGURES)
        data = load(args.data)
        out, formats = prepare_output(args.out, formats)
        remove_stale_temporaries(out)
        _check_writable(out)
    except (DataError, UnknownName, ValueError, OSError) as exc:
        _report(exc)
        return 1
    log = functools.partial(print, flush=True)
    try:
        for spec in specs:
            write_figure(spec, data, out, formats, log)
            if _stopped:
                return _stopped[0]
        if names is None:
            write_gallery(out, formats, log)
    except OSError as exc:
        print(f"cannot write the figures to {out}: {_os_message(exc)}", file=sys.stderr)
        return 1
    return 0


def _parser():
    import argparse  # here, not at the top: Ctrl-C while it loads is then handled like any other

    parser = argparse.ArgumentParser(prog="python -m kb", description=__doc__.split("\n")[0])
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
    draw.set_defaults(run=figures)
    return parser


_stopped: list[int] = []  # the exit status a signal asked for, kept in case a library swallows the SystemExit


def _terminate(signum, frame):
    # Unwind like Ctrl-C does, so the writers' clean-up (their finally blocks) removes half-written files.
    _stopped.append(128 + signum)
    raise SystemExit(128 + signum)


def _interrupt(signum, frame):
    _stopped.append(128 + signum)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run one command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``python -m kb`` (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status: 0 when all went well, 1 for bad data or an unwritable folder.
    """
    args = _parser().parse_args(argv)
    from .errors import DataError, UnknownName

    try:
        return args.run(args)
    except (DataError, UnknownName, OSError) as exc:
        _report(exc)
        return 1


def run() -> int:
    """The ``kb`` console script and ``python -m kb``: :func:`main` with signals and pipes handled.

    Returns
    -------
    int
        The exit status.
    """
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        code = main()
        return _stopped[0] if _stopped else code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `python -m kb dictionary | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail
        return 1
    except Exception:
        # A signal that arrived inside a library's callback can surface as another exception (pybind11 turns
        # KeyboardInterrupt into a TypeError): it is still the interruption, not a bug to show a traceback for.
        if _stopped:
            print("interrupted", file=sys.stderr)
            return _stopped[0]
        raise


if __name__ == "__main__":
    try:
        sys.exit(run())
    except KeyboardInterrupt:  # a second Ctrl-C while the first is handled
        sys.exit(130)
