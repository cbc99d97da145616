"""A JavaScript or TypeScript file's registration helpers and the calls that may reach one.

A function is a helper when it registers a route whose path is one of its parameters
(``router.get(name, ...)``, ``router[verb](`/api${name}`, ...)``); the router and the verb
may be parameters too. Parameters are counted by position, rest parameters included, so
``function (...args) { const [router, verb, name] = args; ... }`` is read like
``function (router, verb, name)``. Every other call that passes a path-like string, or a
parameter of its own function, is kept as a ``Call``: ``helpers.expand_helpers`` matches
the calls to helpers once all files are known."""

from __future__ import annotations

from dataclasses import dataclass

from archdraft.scan import treesitter as ts
from archdraft.scan.http.js_syntax import INLINE, args, guards, name_of, path_expr, strings
from archdraft.scan.http.model import Arg, Call, Helper, HttpBuilder, Router

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "del", "options", "head", "all"}
_FUNCTIONS = {
    "function_declaration", "function_expression", "function", "arrow_function",
    "method_definition", "generator_function_declaration",
}  # fmt: skip
# The reader's own business (routes, mounts) and calls that never register anything
_NOT_CALLEES = HTTP_METHODS | {
    "use", "register", "route", "require", "push", "join", "replace", "startsWith", "endsWith",
    "includes", "split", "match", "test", "set", "send", "json", "log", "warn", "error",
    "info", "debug", "redirect", "render", "emit", "on", "then", "catch", "resolve",
}  # fmt: skip
CALLS_QUERY = "(call_expression function: (_) @fn arguments: (arguments) @args) @call"
_LISTS_QUERY = "(variable_declarator name: (identifier) @name value: (array) @list)"
_DESTRUCTURING_QUERY = """
(variable_declarator name: [(array_pattern) (object_pattern)] @pattern value: (identifier) @source)
"""
QUERIES = (CALLS_QUERY, _LISTS_QUERY, _DESTRUCTURING_QUERY)
"""What ``read_helpers`` asks of a file, to be batched with the reader's own queries."""


@dataclass(frozen=True)
class _Function:
    name: str | None
    line: int
    params: dict[str, int]
    derived: frozenset[str] = frozenset()
    """Names taken out of a parameter: ``({ router }) =>``, ``const { router } = params``."""


def _param_names(
    node: ts.Node, index: int, rest: dict[str, int], derived: set[str]
) -> tuple[str, int] | None:
    """The name a parameter binds and its position; a rest parameter is noted in ``rest``,
    the names of an object pattern in ``derived``."""
    if node.type in {"required_parameter", "optional_parameter"}:
        inner = node.child_by_field_name("pattern")
        return _param_names(inner, index, rest, derived) if inner is not None else None
    if node.type == "object_pattern":
        derived.update(_shorthand(node))
        return None
    if node.type == "identifier":
        return ts.text(node), index
    if node.type == "assignment_pattern":
        left = node.child_by_field_name("left")
        return (ts.text(left), index) if left is not None and left.type == "identifier" else None
    if node.type == "rest_pattern" and node.named_children:
        rest[ts.text(node.named_children[0])] = index
    return None


def _shorthand(pattern: ts.Node) -> list[str]:
    return [
        ts.text(c)
        for c in pattern.named_children
        if c.type in {"shorthand_property_identifier_pattern", "identifier"}
    ]


def _function_name(fn: ts.Node) -> str | None:
    if fn.type in {"function_declaration", "generator_function_declaration"}:
        return ts.text(fn.child_by_field_name("name")) or None
    if fn.type == "method_definition":
        return ts.text(fn.child_by_field_name("name")) or None
    parent = fn.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        return ts.text(parent.child_by_field_name("name")) or None
    if parent.type == "assignment_expression":
        # helpers.setupPageRoute = function (...) {}: the member's own name is the one called
        return ts.text(parent.child_by_field_name("left")).rsplit(".", 1)[-1] or None
    if parent.type == "pair":
        return ts.text(parent.child_by_field_name("key")).strip("'\"") or None
    return None


def _read_function(fn: ts.Node, parsed: ts.Parsed) -> _Function:
    params: dict[str, int] = {}
    rest: dict[str, int] = {}
    derived: set[str] = set()
    single = fn.child_by_field_name("parameter")  # x => ... has no parentheses
    listed = fn.child_by_field_name("parameters")
    nodes = [single] if single is not None else args(listed)
    for index, node in enumerate(nodes):
        if (bound := _param_names(node, index, rest, derived)) is not None:
            params[bound[0]] = bound[1]
    body = fn.child_by_field_name("body")
    if (rest or params) and body is not None and body.type == "statement_block":
        # the file's matches, asked with the others in one walk, kept to this body's span
        start, end = body.start_byte, body.end_byte
        for match in parsed.matches(_DESTRUCTURING_QUERY):
            if not start <= match["pattern"][0].start_byte < end:
                continue
            source, pattern = ts.text(match["source"][0]), match["pattern"][0]
            if pattern.type == "object_pattern" and source in params:
                derived.update(_shorthand(pattern))  # const { router } = params
            elif pattern.type == "array_pattern" and source in rest:
                # const [router, verb, name] = args: positions counted from the rest parameter
                for offset, element in enumerate(pattern.named_children):
                    if element.type == "identifier":
                        params.setdefault(ts.text(element), rest[source] + offset)
    return _Function(_function_name(fn), ts.line(fn), params, frozenset(derived))


class _Scopes:
    """The enclosing function of each call and its parameters, read once per function."""

    def __init__(self, parsed: ts.Parsed) -> None:
        self._parsed = parsed
        self._seen: dict[tuple[int, int], _Function] = {}

    def enclosing(self, node: ts.Node) -> tuple[_Function, ...]:
        """The functions around ``node``, nearest first."""
        found = []
        parent = node.parent
        while parent is not None:
            if parent.type in _FUNCTIONS:
                key = (parent.start_byte, parent.end_byte)
                if key not in self._seen:
                    self._seen[key] = _read_function(parent, self._parsed)
                found.append(self._seen[key])
            parent = parent.parent
        return tuple(found)


def _param(node: ts.Node, scopes: tuple[_Function, ...]) -> tuple[_Function, int] | None:
    """The function whose parameter ``node`` names, and its position."""
    if node.type != "identifier":
        return None
    name = ts.text(node)
    for scope in scopes:
        if name in scope.params:
            return scope, scope.params[name]
    return None


def _path_param(node: ts.Node, scopes: tuple[_Function, ...]) -> tuple[_Function, int, str] | None:
    """A path argument that is a parameter, maybe after a literal: ``name``,
    ``'/api' + name``, ``` `/api${name}` ```; with the literal prefix."""
    if (found := _param(node, scopes)) is not None:
        return found[0], found[1], ""
    prefix_node: ts.Node | None = None
    last: ts.Node | None = None
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == "+":
        prefix_node, last = node.child_by_field_name("left"), node.child_by_field_name("right")
        prefix = strings(prefix_node)
    elif node.type == "template_string":
        children = node.named_children
        if len(children) != 2 or children[0].type != "string_fragment":
            return None
        if children[1].type != "template_substitution" or not children[1].named_children:
            return None
        prefix, last = ts.text(children[0]), children[1].named_children[0]
    else:
        return None
    if prefix is None or last is None or (found := _param(last, scopes)) is None:
        return None
    return found[0], found[1], prefix


class _Lists:
    """Lists of middleware the file binds to a name (``const middlewares =
    [middleware.ensureLoggedIn]``), so that ``[...middlewares, x]`` can be read."""

    def __init__(self, parsed: ts.Parsed) -> None:
        self._bound: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for match in parsed.matches(_LISTS_QUERY):
            names = _names(match["list"][0], None)
            self._bound.setdefault(ts.text(match["name"][0]), []).append(
                (ts.line(match["list"][0]), names)
            )

    def members(self, name: str, line: int) -> tuple[str, ...]:
        """The names in the list bound last before ``line``."""
        before = [b for b in self._bound.get(name, []) if b[0] <= line]
        return max(before)[1] if before else ()


def _names(array: ts.Node, lists: _Lists | None, line: int = 0) -> tuple[str, ...]:
    found: list[str] = []
    for child in array.named_children:
        if child.type == "spread_element":
            inner = child.named_children[0] if child.named_children else None
            if lists is not None and inner is not None and inner.type == "identifier":
                found += lists.members(ts.text(inner), line)
        elif (name := name_of(child)) and name != INLINE:
            found.append(name)
    return tuple(found)


def _arg(
    node: ts.Node, scopes: tuple[_Function, ...], fn: _Function | None, lists: _Lists, line: int
) -> Arg:
    if (literal := strings(node)) is not None:
        return Arg(literal=literal)
    param = _param(node, scopes[:1])
    if node.type == "array":
        return Arg(members=_names(node, lists, line))
    if fn is not None and (within := _path_param(node, scopes[:1])) is not None and within[2]:
        return Arg(param=within[1], prefix=within[2])  # '/admin' + path, passed on
    name = name_of(node)
    return Arg(
        name=name if name and name != INLINE else None,
        param=param[1] if param is not None and fn is not None and param[0] is fn else None,
        expr=path_expr(node) if node.type != "identifier" or param is None else None,
        members=lists.members(name, line) if node.type == "identifier" else (),
    )


def read_helpers(parsed: ts.Parsed, out: HttpBuilder) -> set[int]:
    """Add the file's helpers and calls to ``out``, and a router for each parameter that
    routes are registered or mounted on; the lines of the registrations that made a
    helper (their path is a parameter, not a route of their own)."""
    scopes = _Scopes(parsed)
    lists = _Lists(parsed)
    routers = {r.var for r in out.routers}
    helper_lines: set[int] = set()
    for match in parsed.matches(CALLS_QUERY):
        function, call = match["fn"][0], match["call"][0]
        call_args = args(match["args"][0])
        if not call_args:
            continue
        around = scopes.enclosing(call)
        if function.type in {"member_expression", "subscript_expression"}:
            if _helper(function, call_args, around, routers, out, ts.line(call)):
                helper_lines.add(ts.line(call))
                continue
            if (receiver := _parameter_router(function, call_args, around, routers)) is not None:
                framework = next((r.framework for r in out.routers), "Express")
                out.routers.append(Router(receiver, "router", framework, "", ts.line(call)))
                routers.add(receiver)
                continue
        _call(function, call_args, around, out, ts.line(call), lists)
    return helper_lines


def _parameter_router(
    function: ts.Node, call_args: list[ts.Node], around: tuple[_Function, ...], routers: set[str]
) -> str | None:
    """``(app, middleware) => { app.post('/compose', middleware.csrf, h) }``: a parameter
    that routes are registered on stands for a router the caller passes. Only a literal
    path and a handler make it one: ``client.get(url)`` and ``map.get(key, fallback)`` are
    not registrations."""
    if function.type != "member_expression" or len(call_args) < 2:
        return None
    verb = ts.text(function.child_by_field_name("property"))
    obj = function.child_by_field_name("object")
    if verb not in HTTP_METHODS | {"use"} or obj is None or obj.type != "identifier":
        return None
    name = ts.text(obj)
    if name in routers or not (strings(call_args[0]) or "").startswith("/"):
        return None
    if call_args[-1].type not in _HANDLERS:
        return None
    if not any(name in f.params or name in f.derived for f in around[:2]):
        return None
    return name


_HANDLERS = {
    "identifier", "member_expression", "call_expression", "arrow_function",
    "function_expression", "function", "array",
}  # fmt: skip


def _helper(
    function: ts.Node,
    call_args: list[ts.Node],
    around: tuple[_Function, ...],
    routers: set[str],
    out: HttpBuilder,
    line: int,
) -> bool:
    """``router.get(name, ...)`` or ``router[verb](name, ...)`` with ``name`` a parameter of
    a named function: that function is a helper."""
    obj = function.child_by_field_name("object")
    if obj is None:
        return False
    method: str | int
    verb_scope: _Function | None = None
    if function.type == "member_expression":
        verb = ts.text(function.child_by_field_name("property"))
        if verb not in HTTP_METHODS:
            return False
        method = {"all": "ANY", "del": "DELETE"}.get(verb, verb.upper())
    else:
        index = function.child_by_field_name("index")
        found = _param(index, around) if index is not None else None
        if found is None:
            return False
        verb_scope, method = found
    path = _path_param(call_args[0], around)
    if path is None or path[0].name is None:
        return False
    scope, position, prefix = path
    if verb_scope is not None and verb_scope is not scope:
        return False
    router_param = _param(obj, (scope,))
    owner = ts.text(obj)
    if router_param is None and owner not in routers:
        return False  # a getter on some object, not a route
    others = [n for n in (name_of(a) for a in call_args[1:]) if n and n != INLINE]
    out.helpers.append(
        Helper(
            name=scope.name or "",
            path=position,
            line=scope.line,
            method=method,
            router=router_param[1] if router_param is not None else None,
            owner=None if router_param is not None else owner,
            prefix=prefix,
            auth="required" if any(guards(n) for n in others[:-1]) else "unknown",
        )
    )
    return True


def _call(
    function: ts.Node,
    call_args: list[ts.Node],
    around: tuple[_Function, ...],
    out: HttpBuilder,
    line: int,
    lists: _Lists,
) -> None:
    if function.type not in {"identifier", "member_expression"}:
        return
    callee = ts.text(function)
    if callee.rsplit(".", 1)[-1] in _NOT_CALLEES or len(call_args) < 2:
        return
    nearest = around[0] if around else None
    # most calls pass neither a path nor a parameter: tell them by their nodes before reading
    params = nearest.params if nearest is not None and nearest.name is not None else {}
    if not any(
        (a.type == "identifier" and ts.text(a) in params)
        or (a.type in {"string", "template_string", "binary_expression"} and "/" in ts.text(a))
        or (params and a.type in {"binary_expression", "template_string"})
        for a in call_args
    ):
        return
    converted = tuple(_arg(a, around, nearest, lists, line) for a in call_args)
    # a literal path, or a template or sum that starts with one (`/${name}/dashboard`)
    path_like = any(
        (a.literal or "").startswith("/") or (a.expr or "").startswith('"/') for a in converted
    )
    passes_on = (
        nearest is not None
        and nearest.name is not None
        and any(a.param is not None for a in converted)
    )
    if not (path_like or passes_on):
        return
    out.calls.append(
        Call(
            callee=callee,
            args=converted,
            line=line,
            inside=nearest.name if passes_on and nearest is not None else None,
            inside_line=nearest.line if passes_on and nearest is not None else 0,
        )
    )
