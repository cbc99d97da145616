"""Reading Go syntax for the route reader: literals, scopes, the types that name a router,
and the names that guard."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archdraft.scan import treesitter as ts

FACTORIES = {
    "gin.Default": "Gin", "gin.New": "Gin", "echo.New": "Echo", "chi.NewRouter": "Chi",
    "chi.NewMux": "Chi", "http.NewServeMux": "net/http", "mux.NewRouter": "Gorilla mux",
    "fiber.New": "Fiber",
}  # fmt: skip
# routegroup.Bundle: go-pkgz/routegroup, a thin layer of groups over a ServeMux
ROUTER_TYPES = re.compile(r"gin\.Engine|gin\.RouterGroup|gin\.IRouter|gin\.IRoutes|echo\.Echo|"
                           r"echo\.Group|chi\.Router|chi\.Mux|http\.ServeMux|mux\.Router|fiber\.App|"
                           r"fiber\.Router|routegroup\.Bundle")  # fmt: skip

_AUTH = re.compile(r"auth|jwt|token|guard|protect|session|permission|role|admin|apikey|api_key|"
                   r"login|bearer|verif", re.I)  # fmt: skip
# requireNoAuth, optionalAuth: the name says the route does not need a signed-in caller;
# a tracing middleware (go-pkgz/auth's Trace reads a token only if one is sent) lets all in;
# logInfoWithBody logs, though it spells logIn
_NOT_GUARD = re.compile(r"no_?auth|without_?auth|unauth|optional|anonymous|guest|limit|trace|"
                        r"(^|\.)(?-i:log(?!in))", re.I)  # fmt: skip


def is_guard(name: str) -> bool:
    return bool(_AUTH.search(name)) and not _NOT_GUARD.search(name)


def string_of(node: ts.Node) -> str | None:
    if node.type in {"interpreted_string_literal", "raw_string_literal"}:
        return ts.unquote(node)
    return None


def scope_name(declaration: ts.Node) -> str:
    """``Routes`` for a function; ``router~AccountResource`` for a method, so that two
    receivers' ``router()`` methods in one file keep their routers apart."""
    name = ts.text(declaration.child_by_field_name("name"))
    if declaration.type == "method_declaration":
        params = declaration.child_by_field_name("receiver")
        first = params.named_children[0] if params and params.named_children else None
        if first is not None and (receiver := type_name(first.child_by_field_name("type"))):
            return f"{name}~{receiver}"
    return name


def enclosing_func(node: ts.Node) -> str:
    current = node.parent
    while current is not None:
        if current.type in {"function_declaration", "method_declaration"}:
            return scope_name(current)
        current = current.parent
    return ""


def type_name(node: ts.Node | None) -> str:
    """``*pkg.AccountResource`` -> ``AccountResource``."""
    return ts.text(node).lstrip("*&").rpartition(".")[2].split("[")[0] if node is not None else ""


@dataclass
class Hints:
    """What a file says about the values routers are reached through: which package made a
    variable (``api, err := admin.NewAPI(db)``) and the type of each struct field
    (``Accounts *AccountResource``). They point a mount at the right ``Router()`` method
    when several packages have one."""

    made_by: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Qualified variable -> (package, constructor name)."""
    field_types: dict[str, str] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    """Package name or alias -> import path (``at`` -> ``example.com/app/auth/transport``)."""

    def package(self, name: str) -> str:
        return self.imports.get(name, name)


def declaring_block(node: ts.Node, name: str) -> ts.Node | None:
    """The nearest nested block (not a function's body) that declares ``name`` with
    ``:=``, so that ``{ r := ... }`` blocks side by side keep their ``r`` apart."""
    current = node.parent
    while current is not None and current.type not in {
        "function_declaration",
        "method_declaration",
        "func_literal",
    }:
        if (
            current.type == "block"
            and current.parent is not None
            and current.parent.type
            not in {
                "function_declaration",
                "method_declaration",
                "func_literal",
            }
        ):
            for statement in current.named_children:
                left = (
                    statement.child_by_field_name("left")
                    if statement.type == "short_var_declaration"
                    else None
                )
                if left is not None and any(ts.text(n) == name for n in left.named_children):
                    return current
        current = current.parent
    return None


def closure_param(node: ts.Node, name: str) -> ts.Node | None:
    """For a use of ``name`` inside ``r.Route("/x", func(r chi.Router) {...})``: the route
    call whose closure binds it, the nearest one, as Go scopes it. A closure handed to a
    ``Route`` or ``Group`` call is given a router whatever its parameter's type is named."""
    current = node.parent
    while current is not None and current.type not in {
        "function_declaration",
        "method_declaration",
    }:
        params = current.child_by_field_name("parameters")
        call = current.parent.parent if current.parent is not None else None
        if (
            current.type == "func_literal"
            and params is not None
            and params.named_children
            and call is not None
            and call.type == "call_expression"
        ):
            first = params.named_children[0]
            param = first.child_by_field_name("name")
            type_node = first.child_by_field_name("type")
            method = ts.text(call.child_by_field_name("function")).rpartition(".")[2]
            if (
                param is not None
                and ts.text(param) == name
                and type_node is not None
                and (ROUTER_TYPES.search(ts.text(type_node)) or method in {"Route", "Group"})
            ):
                return call
        current = current.parent
    return None


def strings_in(node: ts.Node) -> list[str]:
    """The string literals of ``[]string{"GET", "HEAD"}``, in order."""
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        if (value := string_of(current)) is not None:
            found.append(value)
        else:
            stack.extend(reversed(current.named_children))
    return found


def gorilla_methods(call: ts.Node) -> str | None:
    """Gorilla mux: ``r.HandleFunc("/x", h).Methods("GET", "HEAD")`` -> ``GET``."""
    selector = call.parent
    if (
        selector is not None
        and selector.type == "selector_expression"
        and ts.text(selector.child_by_field_name("field")) == "Methods"
        and selector.parent is not None
        and selector.parent.type == "call_expression"
    ):
        arguments = selector.parent.child_by_field_name("arguments")
        verbs = [string_of(a) for a in arguments.named_children] if arguments is not None else []
        return next((v.upper() for v in verbs if v), None)
    return None


def callee_text(node: ts.Node) -> str:
    function = node.child_by_field_name("function") if node.type == "call_expression" else None
    return ts.text(function) if function is not None else ""
