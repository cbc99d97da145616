"""Route paths as the summary writes them: full, parameters as ``{name}``, no trailing
slash except the root."""

from __future__ import annotations

import re
from functools import lru_cache

_PARAMS = (
    (re.compile(r"\(\?P<(\w+)>[^)]*\)"), r"{\1}"),  # Django/DRF regex groups
    (re.compile(r"<(?:\w+:)?(\w+)>"), r"{\1}"),  # Flask <int:id>, Django <int:pk>
    (re.compile(r"\{(\w+)(?::[^}]*)?\}"), r"{\1}"),  # FastAPI {id:int}, Spring {id:\d+}
    (re.compile(r":(\w+)\??(?:\([^)]*\))?"), r"{\1}"),  # Express/Gin :id, :id?, :id(\d+)
    (re.compile(r"(?<=/)\*(\w+)"), r"{\1}"),  # Gin *filepath
)
_REGEX_ANCHORS = re.compile(r"^\^|\$$")


def normalize(path: str) -> str:
    for pattern, replacement in _PARAMS:
        path = pattern.sub(replacement, path)
    return path


@lru_cache(maxsize=8192)  # the same prefixes are joined for every route below them
def join(*parts: str) -> str:
    """Join path pieces with single slashes; ``/`` for nothing."""
    pieces = []
    for part in parts:
        part = _REGEX_ANCHORS.sub("", part or "")
        pieces += [p for p in part.split("/") if p]
    return normalize("/" + "/".join(pieces))
