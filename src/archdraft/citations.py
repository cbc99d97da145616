"""The one citation form shared by the offline drafter, the prompts and verify, and the
other forms people and models write citations in.

A claim cites its evidence as a markdown link whose text is ``path:line`` (or ``path`` for
a whole file) and whose target is the file relative to the document, with a ``#L<line>``
anchor that code hosts such as GitHub understand:

    [src/app.js:12](../../src/app.js#L12)

The other forms are found by ``bare_citations``: ``path:line``, `` `path:line` ``,
``(path:line)``, ``path#L12``, ``path:12-20`` and ``path#L12-L20``. ``link_citations``
rewrites those that resolve into the link form; verify reports those that do not.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from archdraft.scan.summary import Evidence

CITATION = re.compile(r"\[`?(?P<path>[^\]`\s:]+)(?::(?P<line>\d+))?`?\]\((?P<target>[^)\s]+)\)")

# Suffixes of files a citation names. A name without a folder counts as a path only with one
# of these, so `db.example.com:5432` or `127.0.0.1:8080` is never taken for a citation.
FILE_SUFFIXES = frozenset(
    (  # noqa: SIM905 - a list of words reads better as one string
        "py pyi js mjs cjs ts mts cts jsx tsx go java kt kts scala rb php cs rs swift c h cc cpp "
        "hpp json yaml yml toml ini cfg conf env xml gradle properties sql graphql proto md rst "
        "txt lock sh bash html htm css scss vue svelte tf mod sum erb ex exs"
    ).split()
)
_NAMED_FILES = frozenset(
    {"Dockerfile", "Makefile", "Procfile", "Gemfile", "Rakefile", "Jenkinsfile"}
)
_BARE = re.compile(
    r"(?<![\w./:@\[-])"
    r"(?P<path>(?:[\w@.-]+/)*[\w@.-]+)"
    r"(?:"
    r":(?P<line>\d+)(?:[-–](?P<end>\d+))?"
    r"|#L(?P<aline>\d+)(?:-L?(?P<aend>\d+))?"
    r")"
    r"(?![\w/])"
)
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)
_LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")


@dataclass(frozen=True)
class BareCitation:
    """A citation written in any form but the link form, as it stands in a text."""

    start: int
    end: int
    path: str
    line: int
    last: int | None
    """The end of a range (``path:12-20``), else None."""

    def text(self, source: str) -> str:
        return source[self.start : self.end]


def looks_like_file(path: str) -> bool:
    name = PurePosixPath(path).name
    if name in _NAMED_FILES:
        return True
    suffix = name.rsplit(".", 1)[-1] if "." in name.strip(".") else ""
    if name.startswith(".") and name.count(".") == 1:
        return "/" in path or name.startswith(".env")
    return suffix.lower() in FILE_SUFFIXES


def bare_citations(text: str) -> list[BareCitation]:
    """Every ``path:line``-style citation in ``text`` that is not inside a link or a URL."""
    masked = _LINK.sub(lambda m: " " * len(m.group(0)), text)
    masked = _URL.sub(lambda m: " " * len(m.group(0)), masked)
    found: list[BareCitation] = []
    for match in _BARE.finditer(masked):
        path = re.sub(r"^(\./)+", "", match.group("path"))
        if not path or not looks_like_file(path):
            continue
        line = int(match.group("line") or match.group("aline"))
        last_text = match.group("end") or match.group("aend")
        start, end = match.start(), match.end()
        # The wrapping a writer put around it goes with it: `path:line` and (path:line).
        for opening, closing in (("`", "`"), ("(", ")")):
            if text[start - 1 : start] == opening and text[end : end + 1] == closing:
                start, end = start - 1, end + 1
                break
        found.append(BareCitation(start, end, path, line, int(last_text) if last_text else None))
    return found


# What is left of a citation a model garbled, once every real one became a link: (path:22).
_GARBLED = re.compile(r"\((?![^()]*\]\()[^()\s]*:\d+(?:-\d+)?\)")


def garbled_citations(text: str) -> list[str]:
    """``(word:12)`` forms whose word is no file name: neither a citation nor prose."""
    return [
        m.group(0)
        for m in _GARBLED.finditer(text)
        if not looks_like_file(m.group(0)[1:].rsplit(":", 1)[0])
    ]


def relative_link(path: str, doc_path: str) -> str:
    doc_dir = str(PurePosixPath(doc_path).parent)
    return os.path.relpath(path, doc_dir if doc_dir != "." else ".").replace(os.sep, "/")


def cite(evidence: Evidence, doc_path: str) -> str:
    target = relative_link(evidence.path, doc_path)
    if evidence.line:
        return f"[{evidence.path}:{evidence.line}]({target}#L{evidence.line})"
    return f"[{evidence.path}]({target})"


def cite_file(path: str, doc_path: str) -> str:
    return f"[`{path}`]({relative_link(path, doc_path)})"


LineCount = Callable[[str], "int | None"]
"""A repository path's number of lines, or None when it is not a readable file there."""


def link_citations(text: str, doc_path: str, line_count: LineCount) -> str:
    """``text`` with every bare citation that resolves (the file exists, the line is in it)
    rewritten into the link form; those that do not resolve are left as written, for verify
    to report."""
    out: list[str] = []
    position = 0
    for found in bare_citations(text):
        count = line_count(found.path)
        last = found.last if found.last and found.last > found.line else None
        if count is None or not 1 <= found.line <= (last or found.line) <= count:
            continue
        link = cite(Evidence(found.path, found.line), doc_path)
        if last:  # a range keeps its end, in the anchor form code hosts understand
            link = link.replace(f":{found.line}]", f":{found.line}-{last}]")
            link = link[:-1] + f"-L{last})"
        out += [text[position : found.start], link]
        position = found.end
    out.append(text[position:])
    return "".join(out)
