"""Place names in any spelling: fold a name to a comparable key, then find the place it names."""
from __future__ import annotations

import difflib
import re
import unicodedata

from anyascii import anyascii

from .errors import UnknownName

__all__ = ["fold", "PlaceIndex", "NAME_COLUMNS", "TYPO_RATIO"]

TYPO_RATIO = 0.8
NAME_COLUMNS = ("place_id", "name", "name_az", "name_hy", "name_hy_latin", "name_ru")


def fold(name: str) -> str:
    """A key that ignores case, accents, punctuation, spacing and script.

    Azerbaijani, Armenian and Russian names are transliterated to ASCII, so "Kəlbəcər", "Kelbajar"
    and "Келбаджар" land close together and exact spellings land on the same key.

    Parameters
    ----------
    name : str
        A name in any script.

    Returns
    -------
    str
        Lowercase ASCII letters and digits only.

    >>> fold("Kəlbəcər"), fold("Stepanakert / Xankəndi")
    ('kelbecer', 'stepanakertxankendi')
    """
    if not isinstance(name, str):
        raise TypeError(f"a name is text, such as 'Kalbajar'; got {type(name).__name__} {name!r}")
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


class PlaceIndex:
    """Every known spelling of every place, folded, mapped to its place_id.

    Parameters
    ----------
    places : pandas.DataFrame
        The ``places`` table.
    """

    def __init__(self, places):
        self.keys: dict[str, str] = {}
        self.labels: dict[str, str] = {}  # folded spelling -> the English name of its place
        # Districts first, so a name shared by a district and its town (Lachin) names the district.
        ordered = places.sort_values("kind", key=lambda k: k.astype(str) != "district", kind="stable")
        for row in ordered.itertuples(index=False):
            spellings = [getattr(row, col) for col in NAME_COLUMNS] + list(row.aliases)
            for spelling in spellings:
                if isinstance(spelling, str) and spelling.strip():
                    key = fold(spelling)
                    if key:
                        self.keys.setdefault(key, row.place_id)
                        self.labels.setdefault(key, row.name)

    def lookup(self, name: str) -> str:
        """The place_id for ``name``; a near miss of one known spelling is accepted as a typo.

        Parameters
        ----------
        name : str
            A place name in any spelling.

        Returns
        -------
        str
            Its ``place_id``.

        Raises
        ------
        UnknownName
            Listing the closest names.
        """
        if not isinstance(name, str):
            raise TypeError(f"a place name is text, such as 'Kalbajar'; got {type(name).__name__} {name!r}")
        key = fold(name)
        if key in self.keys:
            return self.keys[key]
        close = difflib.get_close_matches(key, self.keys, n=5, cutoff=0.6)
        # a typo: one known spelling is very close (short keys are too easy to confuse)
        if close and len(key) >= 4 and difflib.SequenceMatcher(None, key, close[0]).ratio() >= TYPO_RATIO:
            return self.keys[close[0]]
        suggestions = list(dict.fromkeys(self.labels[k] for k in close))
        hint = f" Closest names: {', '.join(suggestions)}." if suggestions else ""
        raise UnknownName(f"no place is called {name!r}.{hint}")
