"""Go routers reached through expressions rather than names: a router a call makes from its
receiver (``r.Group()``, ``r.Mount("/api")``, ``r.With(mw)``, ``r.PathPrefix("/x").Subrouter()``),
a value built by wrapping a known router (``routegroup.New(http.NewServeMux())``), a router
held in a struct field (``t.Server.HTTP``), and Gorilla's route chains
(``.Path("/x").Methods("POST").Handler(h)``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from archdraft.scan import treesitter as ts
from archdraft.scan.http.golang_syntax import FACTORIES, is_guard, string_of, strings_in
from archdraft.scan.http.model import HttpBuilder, Router, Use

# Gorilla's matchers each return the same *mux.Route, so a chain of them is one route.
_MATCHERS = {"Path", "PathPrefix", "Methods", "Name", "Queries", "Headers", "HeadersRegexp",
             "Schemes", "Host", "MatcherFunc", "NewRoute", "BuildVarsFunc"}  # fmt: skip
FIELD, UNSURE_FIELD, FIELD_TYPE = "field", "field?", "field-type"
"""Router kinds that only this reader and ``golink`` see: a router reached as a struct field
(``field?`` until some struct in the code base gives that field a router type), and such a
struct field's declaration."""
_METHOD = re.compile(r"([A-Z]+)[ \t]+(\S.*)")
# example.com, api.{tenant}.example.com, localhost:8080; not a key like cache/x
_HOST = re.compile(r"[\w{}-]*[.:{][\w.:{}-]*")


def mux_pattern(pattern: str) -> tuple[str | None, str]:
    """A Go 1.22 ``ServeMux`` pattern ``[METHOD ][HOST]/[PATH]`` as (method, path):
    ``"GET example.com/x/{id}"`` -> ("GET", "/x/{id}"). The host selects a virtual server and
    is not part of the path; ``{$}`` only anchors the end, and ``{rest...}`` is a parameter."""
    method = None
    if found := _METHOD.fullmatch(pattern):
        method, pattern = found.group(1), found.group(2)
    host, slash, rest = pattern.partition("/")
    if host and slash and _HOST.fullmatch(host):
        pattern = slash + rest
    pattern = re.sub(r"\{\$\}$", "", pattern)
    return method, re.sub(r"\{(\w+)\.\.\.\}", r"{\1}", pattern) or "/"


def _selector_call(node: ts.Node) -> tuple[str, ts.Node, list[ts.Node]] | None:
    """``x.M(args)`` -> ("M", x, args)."""
    if node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    operand = function.child_by_field_name("operand") if function is not None else None
    if function is None or function.type != "selector_expression" or operand is None:
        return None
    return (
        ts.text(function.child_by_field_name("field")),
        operand,
        list(args.named_children) if args else [],
    )


def matchers(node: ts.Node) -> tuple[ts.Node, ts.Node | None, str | None]:
    """``r.Methods("POST").Path("/x")`` -> (r, the path argument, "POST")."""
    path: ts.Node | None = None
    verb = None
    while (call := _selector_call(node)) is not None and call[0] in _MATCHERS:
        step, operand, args = call
        if step in {"Path", "PathPrefix"} and args and path is None:
            path = args[0]
        elif step == "Methods" and (verbs := [v for a in args for v in strings_in(a)]):
            verb = verbs[0].upper()
        node = operand
    return node, path, verb


@dataclass
class Chains:
    """Resolves the receiver of a registration to a router, declaring the routers that
    chains and fields make on the way."""

    out: HttpBuilder
    qualified: Callable[[ts.Node, str], str]
    router_fields: set[str] = field(default_factory=set)
    """Struct fields this file declares with a router type."""

    def known(self, name: str) -> Router | None:
        return next((r for r in self.out.routers if r.var == name), None)

    def owner(self, node: ts.Node, expr: ts.Node, shape: bool = False, depth: int = 0) -> str:
        """The router ``expr`` denotes at ``node``. ``shape``: the registration's own form says
        its receiver is a router, so a struct field reached there is one."""
        # a generated file's chain of a thousand calls is read as far as a person writes one
        made = self.made(node, expr, depth=depth) if depth < 64 else None
        if made is not None:
            return made
        name = self.qualified(node, ts.text(expr))
        if expr.type == "selector_expression":
            known = self.known(name)
            last = ts.text(expr.child_by_field_name("field"))
            sure = shape or last in self.router_fields
            if known is None or (known.kind == UNSURE_FIELD and sure):
                if known is not None:
                    self.out.routers.remove(known)
                kind = FIELD if sure else UNSURE_FIELD
                self.out.routers.append(Router(name, kind, "go", "", ts.line(expr)))
        return name

    def made(
        self, node: ts.Node, expr: ts.Node, var: str | None = None, depth: int = 0
    ) -> str | None:
        """The router a call makes from its receiver, named ``var`` or after the call; None
        when the call makes none."""
        call = _selector_call(expr)
        if call is None:
            return None
        step, operand, args = call
        prefix = string_of(args[0]) if args else None
        if step == "Use":  # Gin: g.Use(a).GET(...) returns g itself
            return self.owner(node, operand, depth=depth + 1) if var is None else None
        if step == "Subrouter":
            base, path, _verb = matchers(operand)
            value = string_of(path) if path is not None else ""
            if value is None and path is not None:
                self.out.warnings.append(
                    f"{self.out.path}:{ts.line(expr)}: path prefix {ts.text(path)[:60]} is not a "
                    "literal; routes below it are listed without it"
                )
            return self._child(node, expr, var, base, value or "", [], True, depth)
        if step == "Group" and (not args or prefix is not None):
            return self._child(node, expr, var, operand, prefix or "", args[1:], False, depth)
        if step == "Mount" and len(args) == 1 and prefix is not None:
            return self._child(node, expr, var, operand, prefix, [], False, depth)
        if step == "With" and args:
            made = self._child(node, expr, var, operand, "", args, False, depth)
            for arg in args:
                name = ts.text(arg).split("(")[0]
                self.out.uses.append(Use(made, "", name, (), ts.line(arg), is_guard(name)))
            return made
        return None

    def _child(
        self,
        node: ts.Node,
        expr: ts.Node,
        var: str | None,
        base: ts.Node,
        prefix: str,
        guards: list[ts.Node],
        shape: bool,
        depth: int,
    ) -> str:
        parent = self.owner(node, base, shape, depth + 1)
        step = ts.text(expr.child_by_field_name("function")).rpartition(".")[2]
        # two calls never end at one place, so the name tells chains on one line apart
        name = var or f"{parent}.{step}@{ts.line(expr)}:{expr.end_point.column}"
        if self.known(name) is None:
            guarded = any(is_guard(ts.text(g).split("(")[0]) for g in guards)
            self.out.routers.append(
                Router(name, "router", "go", prefix, ts.line(expr), parent, guarded)
            )
        return name

    def wraps(self, node: ts.Node, var: str, args: list[ts.Node]) -> bool:
        """``router := routegroup.New(http.NewServeMux())``, ``b := routegroup.Mount(mux,
        "/api")``: a value made from a known router (or a router made in place) is a router
        on the same routes, with a later literal argument that starts with ``/`` as its
        prefix. Whether it was declared."""
        for index, arg in enumerate(args):
            maker = (
                ts.text(arg.child_by_field_name("function"))
                if arg.type == "call_expression"
                else ""
            )
            inner = self.qualified(node, ts.text(arg))
            if maker not in FACTORIES and (
                arg.type not in {"identifier", "selector_expression"} or not self.known(inner)
            ):
                continue
            if inner == var:
                return False  # router = s.routes(router): the same router, handed on
            prefix = next(
                (v for a in args[index + 1 :] if (v := string_of(a)) and v.startswith("/")), ""
            )
            line = ts.line(node)
            if maker in FACTORIES:
                self.out.routers.append(Router(var, "app", FACTORIES[maker], prefix, line))
            else:
                self.out.routers.append(Router(var, "router", "go", prefix, line, inner))
            return True
        return False
