"""The one module that touches tree-sitter: grammars from the official per-language
wheels (no download at run time), parsing, and queries."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from functools import cache

import tree_sitter
import tree_sitter_c_sharp
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_php
import tree_sitter_python
import tree_sitter_ruby
import tree_sitter_rust
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
    "ruby": tree_sitter_ruby.language,
    "php": tree_sitter_php.language_php,
    "csharp": tree_sitter_c_sharp.language,
    "rust": tree_sitter_rust.language,
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


@cache
def _batch(grammar: str, queries: tuple[str, ...]) -> tuple[tree_sitter.Query, list[int]]:
    """One query made of several, and where each one's patterns end in it."""
    ends, total = [], 0
    for source in queries:
        total += _query(grammar, source).pattern_count
        ends.append(total)
    return _query(grammar, "\n".join(queries)), ends


class Parsed:
    """A parsed file with the matches of the queries its readers will ask, found in one
    walk of the tree: a query cursor's cost is mostly the walk, so queries asked together
    share it. A query outside the batch still answers, from a walk of its own."""

    def __init__(self, grammar: str, text: str, queries: tuple[str, ...]) -> None:
        self.grammar = grammar
        self.tree = parse(grammar, text)
        self.root = self.tree.root_node
        self._found: dict[str, list[Match]] = {source: [] for source in queries}
        if queries:
            combined, ends = _batch(grammar, queries)
            for index, match in tree_sitter.QueryCursor(combined).matches(self.root):
                self._found[queries[bisect_right(ends, index)]].append(match)

    def matches(self, query: str) -> list[Match]:
        """Each match of ``query`` in the file, as capture name -> nodes."""
        if query not in self._found:
            self._found[query] = list(matches(self.grammar, query, self.root))
        return self._found[query]

    def nodes(self, query: str) -> list[Node]:
        """The nodes a query of one capture (``(method_declaration) @method``) finds, in
        document order."""
        return [nodes[0] for match in self.matches(query) for nodes in match.values()]


def descendants(node: Node | None, kinds: set[str]) -> list[Node]:
    """The nodes of the given types at or below ``node``, in document order. For a part of
    a file; a whole file's nodes of a type come cheaper from ``Parsed.nodes``."""
    found: list[Node] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.type in kinds:
            found.append(current)
        stack.extend(reversed(current.children))
    return found


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
