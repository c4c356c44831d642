"""The one error the data layer raises: which file, row, column and value, and what was expected."""
from __future__ import annotations


class DataError(ValueError):
    """A problem in the data files.

    ``file``, ``row`` (as a spreadsheet counts it: the header is row 1), ``column`` and ``value``
    say where; the message says what was expected. When validation finds several problems, the
    error raised is the first and ``problems`` lists all of them.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None, value: object = None):
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.problems: list[DataError] = [self]
        super().__init__(self.line())

    def line(self) -> str:
        """``file:row: column: message``, leaving out the parts that are unknown."""
        where = ":".join(str(part) for part in (self.file, self.row) if part is not None)
        parts = [p for p in (where, self.column) if p]
        return ": ".join(parts + [self.message])

    @classmethod
    def collect(cls, problems: list[DataError]) -> DataError:
        """One error that reports every problem found."""
        first = problems[0]
        if len(problems) == 1:
            return first
        error = cls(first.message, file=first.file, row=first.row, column=first.column, value=first.value)
        error.problems = list(problems)
        error.args = (f"{len(problems)} problems in the data:\n" + "\n".join(p.line() for p in problems),)
        return error

    def __str__(self) -> str:
        return self.args[0]


class UnknownName(LookupError):
    """A name that matches no place or actor; the message lists the closest known names."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
