"""The errors kb raises: which file, row, column (or descriptor key) and value, and what was expected."""
from __future__ import annotations

__all__ = ["DataError", "UnknownName"]


class DataError(ValueError):
    """A problem in the data files.

    ``file``, ``row`` (as a spreadsheet counts it: the header is row 1), ``column`` and ``value`` say where;
    for a problem in ``datapackage.json`` itself, ``key`` is the place in the descriptor, such as
    ``resources[1].schema.fields[4].type``. The message says what was expected. When validation finds several
    problems, the error raised is the first and ``problems`` lists all of them.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, value: object = None, key: str | None = None):
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.key = key
        self.problems: list[DataError] = [self]
        super().__init__(self.line())

    def line(self) -> str:
        """``file:row: column: message`` (or ``file: key: message``), leaving out the parts that are unknown.

        Returns
        -------
        str
            One line, as ``python -m kb validate`` prints it.
        """
        where = ":".join(str(part) for part in (self.file, self.row) if part is not None)
        parts = [p for p in (where, self.column, self.key) if p]
        return ": ".join(parts + [self.message])

    @classmethod
    def collect(cls, problems: list[DataError]) -> DataError:
        """One error that reports every problem found.

        Parameters
        ----------
        problems : list of DataError
            At least one problem.

        Returns
        -------
        DataError
            The first problem, with ``problems`` listing all of them.
        """
        first = problems[0]
        if len(problems) == 1:
            return first
        error = cls(first.message, file=first.file, row=first.row, column=first.column, value=first.value,
                    key=first.key)
        error.problems = list(problems)
        error.args = (f"{len(problems)} problems in the data:\n" + "\n".join(p.line() for p in problems),)
        return error

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownName(LookupError):
    """A name that matches no place, actor, table or id; the message lists the closest known names."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
