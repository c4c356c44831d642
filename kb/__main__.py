"""Command line: ``python -m kb validate [DIR]``, ``python -m kb figures``, ``python -m kb notebooks``."""
from __future__ import annotations

import argparse
import sys
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


def figures(args) -> int:
    from . import load
    from .plots import write_all

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    write_all(load(args.data), args.out, formats)
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
    draw.set_defaults(run=figures)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
