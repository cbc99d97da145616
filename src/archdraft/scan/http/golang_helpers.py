"""Go registration helpers: ``func (s *Server) handle(method, path string, h http.HandlerFunc)``
that registers ``s.mux.HandleFunc(method+" "+path, h)``, and the calls that reach them.

The Go reader hands each registration whose path is not a literal to ``helper``: when the
path (and the verb, where one is given) are parameters of the enclosing function, that
function is a ``Helper``. Every call that passes a path literal, or a parameter of its own
function, is kept as a ``Call``; ``helpers.expand_helpers`` matches them across files."""

from __future__ import annotations

import json
import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http import names
from archdraft.scan.http.golang_syntax import string_of
from archdraft.scan.http.model import Arg, Call, Helper, HttpBuilder

_FUNCTIONS = {"function_declaration", "method_declaration", "func_literal"}
_ANY = {"HandleFunc", "Handle", "HandleFiles", "Any", "All"}


def _function(node: ts.Node) -> ts.Node | None:
    current = node.parent
    while current is not None and current.type not in _FUNCTIONS:
        current = current.parent
    return current


def _params(function: ts.Node) -> dict[str, int]:
    """Parameter names by position: ``method, path string`` are two parameters."""
    found: dict[str, int] = {}
    listed = function.child_by_field_name("parameters")
    position = 0
    for declaration in listed.named_children if listed is not None else []:
        names = declaration.children_by_field_name("name")
        for name in names:
            found[ts.text(name)] = position
            position += 1
        position += 0 if names else 1  # func(http.ResponseWriter, *http.Request): unnamed
    return found


def _name(function: ts.Node) -> str | None:
    if function.type == "func_literal":
        return None
    return ts.text(function.child_by_field_name("name")) or None


def helper(
    out: HttpBuilder, call: ts.Node, method: str, receiver: ts.Node, args: list[ts.Node],
    owner: str,
) -> bool:  # fmt: skip
    """Record the enclosing function as a helper when this registration's path comes from
    its parameters; False when it does not."""
    function = _function(call)
    if function is None or (name := _name(function)) is None or not args:
        return False
    params = _params(function)
    verb: str | int = "ANY" if method in _ANY else method.upper()
    first = args[0]
    if method in {"Method", "MethodFunc"} and len(args) > 2:
        # chi: r.Method(method, path, h)
        given = params.get(ts.text(args[0])) if args[0].type == "identifier" else None
        if given is None:
            return False
        verb, first = given, args[1]
    path: int | None = None
    if first.type == "identifier" and ts.text(first) in params:
        path = params[ts.text(first)]
    elif first.type == "binary_expression" and method in {"HandleFunc", "Handle"}:
        # method+" "+path: a Go 1.22 pattern built from the verb and the path given
        left, right = first.child_by_field_name("left"), first.child_by_field_name("right")
        if left is not None and right is not None and right.type == "identifier":
            inner = left.child_by_field_name("left") if left.type == "binary_expression" else None
            space = left.child_by_field_name("right") if inner is not None else None
            spaced = space is not None and string_of(space) == " "
            if spaced and inner is not None and ts.text(inner) in params:
                verb = params[ts.text(inner)]
                path = params.get(ts.text(right))
    if path is None:
        return False
    router = params.get(ts.text(receiver)) if receiver.type == "identifier" else None
    out.helpers.append(
        Helper(
            name=name,
            path=path,
            line=ts.line(function),
            method=verb,
            router=router,
            owner=None if router is not None else owner,
        )
    )
    return True


def call(out: HttpBuilder, node: ts.Node, callee: str, args: list[ts.Node]) -> None:
    """Keep a call that may reach a helper: a path literal among its arguments, or a
    parameter of its own named function passed on."""
    function = _function(node)
    params = _params(function) if function is not None else {}
    name = _name(function) if function is not None else None
    converted = []
    passes_on = False
    for arg in args:
        literal = string_of(arg)
        param = params.get(ts.text(arg)) if arg.type == "identifier" and name else None
        passes_on = passes_on or param is not None
        converted.append(Arg(literal=literal, name=None if literal is not None else ts.text(arg),
                             param=param))  # fmt: skip
    if len(converted) < 2:
        return
    if not (passes_on or any((a.literal or "").startswith("/") for a in converted)):
        return
    out.calls.append(
        Call(
            callee=callee,
            args=tuple(converted),
            line=ts.line(node),
            inside=name if passes_on else None,
            inside_line=ts.line(function) if passes_on and function is not None else 0,
        )
    )


CONSTANTS_QUERY = """
(source_file (const_declaration (const_spec
  name: (identifier) @name value: (expression_list . (interpreted_string_literal) @value))))
(source_file (var_declaration (var_spec
  name: (identifier) @name value: (expression_list . (interpreted_string_literal) @value))))
(package_clause (package_identifier) @package)
"""
CONSTANT = re.compile(r"(?m)^\s*(const\s+)?\w+\s*=\s*\"/")
"""A package-level string constant that may be a path (``const apiPrefix = "/api"``)."""


def constants(parsed: ts.Parsed, out: HttpBuilder) -> None:
    """The file's path-like string constants, as ``name`` and ``package.name`` (how another
    package's code names them)."""
    matches = parsed.matches(CONSTANTS_QUERY)
    package = next((ts.text(m["package"][0]) for m in matches if "package" in m), "")
    for match in matches:
        if "name" not in match:
            continue
        value = string_of(match["value"][0])
        if value is None or not names.pathlike(value):
            continue
        name = ts.text(match["name"][0])
        out.constants.append((name, value))
        if package:
            out.constants.append((f"{package}.{name}", value))


def path_expr(node: ts.Node | None) -> str | None:
    """``apiPrefix + "/users"``, ``paths.Users``: the resolver's form of a Go expression."""
    return names.from_syntax(node, _literal, {"identifier", "selector_expression"}, path_expr)


def _literal(node: ts.Node) -> str | None:
    return string_of(node)


def in_file(out: HttpBuilder, node: ts.Node) -> str | None:
    """A sum of literals and the file's own constants, resolved here."""
    pieces = names.parts(path_expr(node) or "")
    if not pieces:
        return None
    known = dict(out.constants)
    found = [json.loads(p) if p.startswith('"') else known.get(p) for p in pieces]
    return "".join(f for f in found if f is not None) if None not in found else None


# What a path constant is called: paths.Users (another package's exported name), apiPrefix,
# USERS_PATH. A lookup's key (q.Get(key), cache.Get(ctx, id)) is called otherwise.
_PATH_NAME = re.compile(r"^(\w+\.[A-Z]\w*|[A-Z][A-Z0-9_]+|\w*([Pp]ath|[Pp]refix|[Rr]oute|URL|Url|"
                        r"[Ee]ndpoint)\w*)$")  # fmt: skip


def named_path(expr: str, args: list[ts.Node]) -> bool:
    """Whether ``r.Get(expr, h)`` reads as a route given through a constant."""
    pieces = names.parts(expr) or []
    if len(args) < 2 or args[-1].type not in {
        "identifier",
        "selector_expression",
        "func_literal",
        "call_expression",
    }:
        return False  # fmt: skip
    literal_path = any(p.startswith('"/') for p in pieces)
    return literal_path or all(p.startswith('"') or _PATH_NAME.match(p) for p in pieces)
