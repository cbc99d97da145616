"""Routes registered by a call rather than a decorator (Flask's ``add_url_rule``,
FastAPI/Starlette's ``add_api_route``), and the project functions that wrap them.

``app.add_url_rule('/users', view_func=UserAPI.as_view('users'), methods=['GET'])`` is a
route. Flask's own documentation teaches the wrapper ``def register_api(app, view, endpoint,
url): app.add_url_rule(url, ...)``: a function that passes its parameter on as the rule is
a ``Helper``, and each call of it with a literal is a route (``helpers.expand_helpers``)."""

from __future__ import annotations

import ast
import re

from archdraft.scan.http.model import Arg, Call, Helper, HttpBuilder, RouteDecl
from archdraft.scan.pyast import dotted, string

_REGISTRATIONS = {"add_url_rule": "rule", "add_api_route": "path", "add_route": "path"}
MAY_REGISTER = re.compile(r"add_url_rule|add_api_route|add_route\(|\w\([^()\n]*,\s*['\"]/")
"""Bytes of a file that registers by a call, or calls a helper with a path after a router:
the cheap test before the walk of every function."""
# Flask answers GET (with HEAD and OPTIONS) when no methods are given; so does FastAPI
_DEFAULT = "GET"


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _methods(call: ast.Call) -> list[str]:
    node = _keyword(call, "methods")
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        found = [v.upper() for v in (string(e) for e in node.elts) if v]
        return found or [_DEFAULT]
    return [_DEFAULT]


def _handler(call: ast.Call, method: str) -> str | None:
    node = _keyword(call, "view_func") or _keyword(call, "endpoint")
    if node is None and method == "add_url_rule" and len(call.args) > 2:
        node = call.args[2]
    elif node is None and method != "add_url_rule" and len(call.args) > 1:
        node = call.args[1]
    if isinstance(node, ast.Call):  # UserAPI.as_view('users')
        node = node.func.value if isinstance(node.func, ast.Attribute) else node.func
    return dotted(node) if node is not None else None


def _params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, int]:
    return {a.arg: i for i, a in enumerate(function.args.posonlyargs + function.args.args)}


def _calls(function: ast.AST) -> list[ast.Call]:
    """The calls in a function's own body, not in functions defined inside it."""
    found: list[ast.Call] = []
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Call):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return sorted(found, key=lambda c: (c.lineno, c.col_offset))


def read_calls(tree: ast.Module, out: HttpBuilder) -> None:
    """Add the file's call registrations, helpers and the calls that may reach a helper."""
    scopes: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, list[ast.Call]]] = [
        (None, _calls(tree))
    ]
    scopes += [
        (node, _calls(node))
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for function, calls in scopes:
        params = _params(function) if function is not None else {}
        for call in calls:
            _one(call, function, params, out)


def _one(
    call: ast.Call,
    function: ast.FunctionDef | ast.AsyncFunctionDef | None,
    params: dict[str, int],
    out: HttpBuilder,
) -> None:
    method = call.func.attr if isinstance(call.func, ast.Attribute) else None
    if method in _REGISTRATIONS and isinstance(call.func, ast.Attribute):
        owner = dotted(call.func.value)
        path_node = call.args[0] if call.args else _keyword(call, _REGISTRATIONS[method])
        path = string(path_node)
        handler = _handler(call, method)
        if path is not None:
            for verb in _methods(call):
                out.routes.append(RouteDecl(owner, verb, path, handler, call.lineno))
            return
        if function is not None and isinstance(path_node, ast.Name) and path_node.id in params:
            router = params.get(owner)
            out.helpers += [
                Helper(
                    name=function.name,
                    path=params[path_node.id],
                    line=function.lineno,
                    method=verb,
                    router=router,
                    owner=None if router is not None else owner,
                )
                for verb in _methods(call)
            ]
        return
    callee = dotted(call.func)
    if not callee or len(call.args) < 2:
        return
    args = tuple(_arg(a, params) for a in call.args)
    passes_on = function is not None and any(a.param is not None for a in args)
    if not passes_on and not any((a.literal or "").startswith("/") for a in args):
        return
    out.calls.append(
        Call(
            callee=callee,
            args=args,
            line=call.lineno,
            inside=function.name if passes_on and function is not None else None,
            inside_line=function.lineno if passes_on and function is not None else 0,
        )
    )


def _arg(node: ast.expr, params: dict[str, int]) -> Arg:
    if (literal := string(node)) is not None:
        return Arg(literal=literal)
    if isinstance(node, ast.Call):  # UserAPI.as_view('users') names its view
        inner = node.func.value if isinstance(node.func, ast.Attribute) else node.func
        return Arg(name=dotted(inner) or None)
    name = dotted(node) or None
    return Arg(name=name, param=params.get(node.id) if isinstance(node, ast.Name) else None)
