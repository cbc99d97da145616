"""Spring's functional endpoints (WebFlux and WebMvc.fn) in one Java file.

Routes are method calls rather than annotations: a builder's ``.GET("/users/{id}", h)``
(``RouterFunctions.route()``, springdoc's ``SpringdocRouteBuilder.route()``) or a request
predicate, ``route(GET("/users"), h)``. Prefixes come from the builder calls around them:
``.path("/api", b -> ...)`` and ``.nest(path("/api"), ...)``, whose second argument may be
a lambda or a method of the same class that builds the nested routes. Upper-case verb
methods are these APIs' own spelling, so the call shape alone is enough to know them.

A router function returned by a ``@Bean`` method is served as it is. One returned by any
other method is handed to code that may nest it under a prefix of its own, built at run
time; the file's routes are then listed from the root with a warning that says so."""

from __future__ import annotations

from archdraft.scan import treesitter as ts
from archdraft.scan.http.model import Arg, Call, Helper, HttpBuilder, RouteDecl, Router

_VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
_ROUTE_CALLS = {"route", "andRoute"}
_NESTS = {"nest", "andNest", "path"}
QUERY = "(method_invocation name: (identifier) @name arguments: (argument_list) @args) @call"
OWNER = "functional~routes"
"""The router a file's functional routes are put on (no Java name has a ``~``)."""


def wanted(text: str) -> bool:
    return "RouterFunction" in text or "RouteBuilder" in text or "RequestPredicates" in text


def _string(node: ts.Node | None) -> str | None:
    if node is not None and node.type == "string_literal":
        return ts.unquote(node)
    return None


def _args(node: ts.Node | None) -> list[ts.Node]:
    return [c for c in node.named_children if "comment" not in c.type] if node else []


def _prefix_of(argument: ts.Node) -> str | None:
    """``"/api"`` or ``path("/api")`` / ``RequestPredicates.path("/api")``."""
    if (literal := _string(argument)) is not None:
        return literal
    if argument.type == "method_invocation" and ts.text(argument.child_by_field_name("name")) in {
        "path",
        "pathPrefix",
    }:
        inner = _args(argument.child_by_field_name("arguments"))
        return _string(inner[0]) if inner else None
    return None


def _predicate_path(node: ts.Node) -> str | None:
    """``"/x"``, or the path of a predicate ``path("/x").and(contentType(...))``."""
    while node.type == "method_invocation" and ts.text(node.child_by_field_name("name")) in {
        "and",
        "or",
    }:
        base = node.child_by_field_name("object")
        if base is None:
            return None
        node = base
    return _prefix_of(node)


def _enclosing(node: ts.Node, kind: str) -> ts.Node | None:
    parent = node.parent
    while parent is not None and parent.type != kind:
        parent = parent.parent
    return parent


def _nest_prefixes(node: ts.Node) -> tuple[list[str], bool]:
    """The prefixes of the nest and path calls around ``node``, outermost first, and
    whether one of them could not be read."""
    prefixes: list[str] = []
    unknown = False
    child, parent = node, node.parent
    while parent is not None and parent.type != "method_declaration":
        if parent.type == "argument_list" and parent.parent is not None:
            call = parent.parent
            name = ts.text(call.child_by_field_name("name"))
            args = _args(parent)
            nests = call.type == "method_invocation" and name in _NESTS and len(args) > 1
            if nests and not _same(child, args[0]):
                prefix = _prefix_of(args[0])
                if prefix is None:
                    unknown = True
                else:
                    prefixes.insert(0, prefix)
        child, parent = parent, parent.parent
    return prefixes, unknown


def _handler(node: ts.Node | None, owner_class: str) -> str | None:
    if node is None:
        return None
    text = ts.text(node)
    if node.type == "method_reference":
        head, _, method = text.partition("::")
        return f"{owner_class if head.strip() == 'this' else head.strip()}.{method.strip()}"
    return text if node.type in {"identifier", "field_access"} else None


def _annotated_bean(method: ts.Node | None) -> bool:
    modifiers = (
        next((c for c in method.children if c.type == "modifiers"), None) if method else None
    )
    return modifiers is not None and "@Bean" in ts.text(modifiers)


def functional_routes(path: str, parsed: ts.Parsed, out: HttpBuilder) -> None:
    """Add the file's functional routes to ``out``, on one router of its own."""
    calls = parsed.matches(QUERY)
    # .nest(path("/x"), userspaceScopedApis()): the method builds routes below /x
    method_prefixes: dict[str, str] = {}
    for match in calls:
        if ts.text(match["name"][0]) not in _NESTS:
            continue
        args = _args(match["args"][0])
        if len(args) > 1 and args[1].type == "method_invocation" and len(args) == 2:
            prefix = _prefix_of(args[0])
            callee = ts.text(args[1].child_by_field_name("name"))
            if prefix is not None and args[1].child_by_field_name("object") is None:
                method_prefixes[callee] = prefix
    handed_on = False
    first_line = 0
    for match in calls:
        name_node = match["name"][0]
        verb = ts.text(name_node)
        if verb not in _VERBS:
            _call(match, out)
            continue
        call, args = match["call"][0], _args(match["args"][0])
        if args and _helper(call, verb, args[0], out):
            first_line = first_line or ts.line(call)
            continue
        route_path: str | None = None
        handler_node: ts.Node | None = None
        if len(args) >= 2 and (route_path := _predicate_path(args[0])) is not None:
            handler_node = args[1]  # builder.GET("/x", handler, ...)
        elif args and args[0].type in {"method_reference", "lambda_expression"}:
            route_path, handler_node = "", args[0]  # builder.POST(handler): the nest's root
        elif len(args) == 1 and (route_path := _string(args[0])) is not None:
            # route(GET("/x").and(accept(JSON)), handler): the predicate inside route(...)
            route_call = _route_call(call)
            if route_call is None:
                continue
            route_args = _args(route_call.child_by_field_name("arguments"))
            handler_node = route_args[1] if len(route_args) > 1 else None
        else:
            continue
        method = _enclosing(call, "method_declaration")
        klass = _enclosing(call, "class_declaration")
        owner_class = ts.text(klass.child_by_field_name("name")) if klass is not None else ""
        prefixes, unknown = _nest_prefixes(call)
        method_name = ts.text(method.child_by_field_name("name")) if method is not None else ""
        if method_name in method_prefixes:
            prefixes.insert(0, method_prefixes[method_name])
        if unknown:
            out.warnings.append(
                f"{path}:{ts.line(name_node)}: a prefix nesting route {route_path} is not a "
                "literal; the route is listed without it"
            )
        if not _annotated_bean(method) and method_name not in method_prefixes:
            handed_on = True
        first_line = first_line or ts.line(call)
        full = "/".join(p.strip("/") for p in [*prefixes, route_path] if p.strip("/"))
        out.routes.append(
            RouteDecl(
                OWNER, verb, "/" + full, _handler(handler_node, owner_class), ts.line(name_node)
            )
        )
    if first_line:
        out.routers.append(Router(OWNER, "controller", "Spring", "", first_line))
    if handed_on:
        out.warnings.append(
            f"{path}: its router functions are returned to other code, not declared as a "
            "@Bean: a prefix added where they are used is not known, so they are listed "
            "from the root"
        )


def _params(method: ts.Node | None) -> dict[str, int]:
    listed = method.child_by_field_name("parameters") if method is not None else None
    params = [c for c in listed.named_children if "parameter" in c.type] if listed else []
    return {ts.text(p.child_by_field_name("name")): i for i, p in enumerate(params)}


def _helper(call: ts.Node, verb: str, path_node: ts.Node, out: HttpBuilder) -> bool:
    """``RouterFunction<ServerResponse> crud(String path, Handler h) { return route()
    .GET(path, h::list)... }``: a method building routes on the path it is given."""
    if path_node.type != "identifier":
        return False
    method = _enclosing(call, "method_declaration")
    params = _params(method)
    if method is None or ts.text(path_node) not in params or _nest_prefixes(call)[0]:
        return False
    out.helpers.append(
        Helper(
            name=ts.text(method.child_by_field_name("name")),
            path=params[ts.text(path_node)],
            line=ts.line(method),
            method=verb,
            owner=OWNER,
        )
    )
    return True


def _call(match: ts.Match, out: HttpBuilder) -> None:
    """A call that may reach a helper: a path literal among its arguments."""
    args = _args(match["args"][0])
    literals = [_string(a) for a in args]
    if not any((v or "").startswith("/") for v in literals):
        return
    call = match["call"][0]
    receiver = call.child_by_field_name("object")
    if receiver is not None and ts.text(receiver) != "this":
        return  # URI.create("/x"): another class's method, no helper of this one
    # a helper that builds router functions is a method of the same class
    callee = "this." + ts.text(call.child_by_field_name("name"))
    converted = tuple(
        Arg(literal=v) if v is not None else Arg(name=_handler(a, "") or ts.text(a)[:60])
        for v, a in zip(literals, args, strict=True)
    )
    out.calls.append(Call(callee=callee, args=converted, line=ts.line(call)))


def _route_call(node: ts.Node) -> ts.Node | None:
    """The ``route(...)`` call whose first argument holds the predicate ``node``."""
    parent = node.parent
    while parent is not None and parent.type != "method_declaration":
        if parent.type == "argument_list" and parent.parent is not None:
            call = parent.parent
            if ts.text(call.child_by_field_name("name")) in _ROUTE_CALLS:
                args = _args(parent)
                return call if args and _within(args[0], node) else None
        parent = parent.parent
    return None


def _same(a: ts.Node, b: ts.Node) -> bool:
    return (a.start_byte, a.end_byte) == (b.start_byte, b.end_byte)


def _within(ancestor: ts.Node, node: ts.Node) -> bool:
    return ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte
