"""Go registration helpers: ``func (s *Server) handle(method, path string, h http.HandlerFunc)``
that registers ``s.mux.HandleFunc(method+" "+path, h)``, and the calls that reach them.

The Go reader hands each registration whose path is not a literal to ``helper``: when the
path (and the verb, where one is given) are parameters of the enclosing function, that
function is a ``Helper``. Every call that passes a path literal, or a parameter of its own
function, is kept as a ``Call``; ``helpers.expand_helpers`` matches them across files."""

from __future__ import annotations

from archdraft.scan import treesitter as ts
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
