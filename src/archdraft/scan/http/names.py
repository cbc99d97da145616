"""Values the code spells through names: a path, prefix or verb given as a constant, a
concatenation or a template of constants, resolved once every file's constants are known.

Each language reader writes such a value as a ``PathExpr``: its parts joined by `` + ``,
literal parts as JSON strings and the others as the names written in the code
(``API_V1 + "/users"``, ``"/" + globalPrefix``, ``this.path + "/:id"``). One resolver serves
every reader, so a constant is found the same way in Python, JS, Go and Java: in the file
itself, then in the module it was imported from, then as the one value of that name in the
code base. A name with no single value leaves the expression unresolved; the caller warns."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from archdraft.scan import treesitter as ts
from archdraft.scan.http.model import FileHttp

PathExpr = str
"""Parts joined by `` + ``: JSON string literals and dotted names."""

_NAME = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")
# A constant worth keeping for paths: short, one token, no spaces (not a message or a query)
_PATHLIKE = re.compile(r"[\w./:{}<>*$~@-]{1,80}")


def pathlike(value: str) -> bool:
    """Whether a string constant could be (part of) a route path, prefix or verb."""
    return bool(_PATHLIKE.fullmatch(value))


def literal(value: str) -> str:
    return json.dumps(value)


def join_parts(expressions: Iterable[str]) -> PathExpr:
    """Expressions already in this form, joined; adjacent literals are merged."""
    merged: list[str] = []
    for expression in expressions:
        for part in parts(expression) or [expression]:
            if merged and merged[-1].startswith('"') and part.startswith('"'):
                merged[-1] = literal(json.loads(merged[-1]) + json.loads(part))
            else:
                merged.append(part)
    return " + ".join(merged)


def name(value: str) -> str | None:
    """A name part, or None when ``value`` is not a plain dotted name (a call, an index)."""
    cleaned = value.strip()
    return cleaned if _NAME.fullmatch(cleaned) else None


def from_syntax(
    node: ts.Node | None,
    string_of: Callable[[ts.Node], str | None],
    name_types: Collection[str],
    inner: Callable[[ts.Node | None], PathExpr | None],
) -> PathExpr | None:
    """The form shared by the tree-sitter languages: a string, a name, a parenthesis or a
    ``+`` of them. ``inner`` reads the parts, so a language's own forms (JavaScript's
    templates) are read inside a sum too."""
    if node is None:
        return None
    if (value := string_of(node)) is not None:
        return literal(value)
    if node.type in name_types:
        return name(ts.text(node))
    if node.type == "parenthesized_expression" and node.named_children:
        return inner(node.named_children[0])
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == "+":
        left = inner(node.child_by_field_name("left"))
        right = inner(node.child_by_field_name("right"))
        return join_parts([left, right]) if left and right else None
    return None


_DECODER = json.JSONDecoder()


def parts(expr: PathExpr) -> list[str] | None:
    """The literals and names of ``expr``; None when it is not in this form. Literals are
    read as JSON, so one that holds `` + `` is still one part."""
    pieces: list[str] = []
    at = 0
    while at < len(expr):
        if expr.startswith('"', at):
            try:
                value, end = _DECODER.raw_decode(expr, at)
            except ValueError:
                return None
            if not isinstance(value, str):
                return None
            pieces.append(literal(value))
        else:
            end = expr.find(" + ", at)
            end = len(expr) if end < 0 else end
            if not _NAME.fullmatch(expr[at:end]):
                return None
            pieces.append(expr[at:end])
        if end < len(expr) and not expr.startswith(" + ", end):
            return None
        at = end + 3 if end < len(expr) else end
    return pieces


ImportedFile = Callable[[str, str], "tuple[str, str] | None"]
"""(file, local name) -> (file it was imported from, name there), or None."""


@dataclass
class Constants:
    """Every file's string constants, and how to follow a name to the file it came from."""

    files: dict[str, FileHttp]
    imported: ImportedFile

    def __post_init__(self) -> None:
        self._anywhere: dict[str, set[str]] = {}
        for file in self.files.values():
            for key, value in file.constants:
                self._anywhere.setdefault(key, set()).add(value)

    def value(self, path: str, expr: PathExpr | None) -> str | None:
        """The string ``expr`` spells in ``path``, or None when a part has no single value."""
        if expr is None:
            return None
        pieces = parts(expr)
        if pieces is None:
            return None
        out = []
        for piece in pieces:
            found = json.loads(piece) if piece.startswith('"') else self.named(path, piece)
            if found is None:
                return None
            out.append(found)
        return "".join(out)

    def named(self, path: str, dotted: str, depth: int = 0) -> str | None:
        file = self.files.get(path)
        last = dotted.rsplit(".", 1)[-1]
        head = dotted.split(".", 1)[0]
        if file is not None:
            # ``this.path``, ``Routes.USERS``, ``settings.API_PREFIX``: the file's own first
            for key in dict.fromkeys((dotted, dotted.removeprefix("this."), last)):
                values = {v for k, v in file.constants if k == key}
                if len(values) == 1:
                    return values.pop()
        if depth < 4:
            source = self.imported(path, head)
            if source is not None:
                target, imported_name = source
                wanted = (
                    last
                    if "." in dotted and imported_name in {"*", "default"}
                    else (imported_name if "." not in dotted else f"{imported_name}.{last}")
                )
                found = self.named(target, wanted, depth + 1)
                if found is not None:
                    return found
        # ``ApiPaths.USERS`` as written, then the one value of ``USERS`` in the code base
        for key in dict.fromkeys((dotted, last)):
            values = self._anywhere.get(key, set())
            if len(values) == 1:
                return next(iter(values))
        return None
