"""String helpers for repository paths (POSIX, relative). Scanning calls them for every
file, so they avoid pathlib's parsing cost."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable


def name(path: str) -> str:
    return path.rpartition("/")[2]


def parent(path: str) -> str:
    """The folder of ``path``, ``.`` at the root."""
    return path.rpartition("/")[0] or "."


def suffix(path: str) -> str:
    """The lower-cased suffix with its dot (``.ts``), or ``""``."""
    base = name(path)
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


class GlobSet:
    """fnmatch patterns compiled into one regular expression. A pattern with a ``/``
    matches the whole path (or any trailing part of it); one without matches the name."""

    def __init__(self, patterns: Iterable[str]) -> None:
        patterns = tuple(patterns)
        by_name = [fnmatch.translate(p) for p in patterns if "/" not in p]
        by_path = [fnmatch.translate(p) for p in patterns if "/" in p]
        by_path += [fnmatch.translate("*/" + p) for p in patterns if "/" in p]
        self._name = re.compile("|".join(by_name)) if by_name else None
        self._path = re.compile("|".join(by_path)) if by_path else None

    def match(self, path: str) -> bool:
        if self._name is not None and self._name.match(name(path)):
            return True
        return self._path is not None and self._path.match(path) is not None
