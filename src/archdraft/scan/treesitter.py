"""The one module that touches tree-sitter: grammars from the official per-language
wheels (no download at run time), parsing, and queries."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import tree_sitter
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_python
import tree_sitter_typescript

Node = tree_sitter.Node
Match = dict[str, list[tree_sitter.Node]]

_GRAMMARS = {
    "js": tree_sitter_javascript.language,
    "ts": tree_sitter_typescript.language_typescript,
    "tsx": tree_sitter_typescript.language_tsx,
    "go": tree_sitter_go.language,
    "java": tree_sitter_java.language,
    "python": tree_sitter_python.language,
}


@cache
def _language(grammar: str) -> tree_sitter.Language:
    return tree_sitter.Language(_GRAMMARS[grammar]())


@cache
def _parser(grammar: str) -> tree_sitter.Parser:
    return tree_sitter.Parser(_language(grammar))


@cache
def _query(grammar: str, source: str) -> tree_sitter.Query:
    query: tree_sitter.Query = tree_sitter.Query(_language(grammar), source)
    return query


def parse(grammar: str, text: str) -> tree_sitter.Tree:
    return _parser(grammar).parse(text.encode("utf-8", "surrogatepass"))


def matches(grammar: str, query: str, node: Node) -> Iterator[Match]:
    """Each match of ``query`` below ``node``, as capture name -> nodes."""
    for _index, match in tree_sitter.QueryCursor(_query(grammar, query)).matches(node):
        yield match


def syntax_warning(path: str, tree: tree_sitter.Tree) -> str | None:
    """The warning for a file the grammar could only partly parse, or None."""
    if tree.root_node.has_error:
        return f"{path}: parsed with syntax errors; facts from it may be incomplete"
    return None


def text(node: Node | None) -> str:
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def line(node: Node) -> int:
    return node.start_point.row + 1


def unquote(node: Node) -> str:
    """A string literal's value: quotes and backticks stripped."""
    return text(node).strip("\"'`")
