"""axum and actix-web routers in one Rust file, read from its tree-sitter tree.

Routers are values built by method chains (``Router::new().route(..).nest(..)``,
``App::new().service(web::scope(..))``), held in ``let`` bindings, returned from functions
and handed to ``.nest``/``.merge``/``.service``/``.configure``. Each function that returns a
router, takes an actix ``ServiceConfig`` or carries a route attribute (``#[get("/x")]``) is a
router named after the function; a call of such a function in a chain is a mount of it,
linked across modules by ``rustlink``.

Auth: a layer that looks like a guard (``route_layer(from_fn(require_auth))``) guards what
the router holds when it is added (axum layers wrap the routes added before them); an actix
``.wrap`` guard guards the whole scope; a handler taking an authenticated-caller extractor
is required, one taking it only optionally is public (``rust_syntax.handler_auth``). An
extractor type is authenticated-caller by its name, or by an ``impl FromRequest`` /
``FromRequestParts`` anywhere in the workspace that rejects unidentified callers
(``rust_syntax.guard_extractor``): the file records the types it declares so, and
``rustlink`` settles the handlers waiting on them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from archdraft.scan import treesitter as ts
from archdraft.scan.http import rust_syntax as syn
from archdraft.scan.http.golang_syntax import is_guard
from archdraft.scan.http.model import FileHttp, HttpBuilder, RouteDecl, Router, Use

LINK = "rs:"
"""A mount target, handler auth or router function still to be found in another module:
``rs:`` and the ``|``-separated ``crate::`` paths it may be."""
AUTH_KIND = "rs-auth"
"""A router record that only carries a handler's auth (its ``prefix``) to ``rustlink``."""
GUARD_KIND = "rs-guard"
"""A router record that only names an authenticated-caller extractor type the file
declares (``guard:LocalUserView``), for ``rustlink`` to settle handler auth across the
workspace with."""
IMPLS = syn.IMPLS
QUERY = "(function_item name: (identifier) @fn.name body: (block) @fn.body) @fn"
# pub const V1_AUTH: &str = "/v1/auth"; (static too): a path a route may name
CONSTANTS = """
[(const_item name: (identifier) @name value: (string_literal) @value)
 (static_item name: (identifier) @name value: (string_literal) @value)]
"""
_SERVERS = {"serve", "run", "bind", "launch", "into_make_service"}
_CONFIG_TYPES = {"ServiceConfig"}


@dataclass
class _Reader:
    path: str
    module: tuple[str, ...]
    uses: dict[str, list[str]]
    out: HttpBuilder
    handlers: dict[str, str]
    """Handler auth of the file's own functions."""
    items: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """For each router, what it holds in order: ("route"|"use", index)."""
    resources: set[str] = field(default_factory=set)
    fn: str = ""
    locals: dict[str, str] = field(default_factory=dict)
    calls: dict[str, ts.Node] = field(default_factory=dict)
    """Locals bound to a call of a project function, not yet known to be routers
    (``let app = routes::app(state)``): a router when the server is given them."""
    depth: int = 0

    # -- routers ---------------------------------------------------------------------------
    def router(
        self, var: str, kind: str, prefix: str, node: ts.Node, auth: bool = False,
        prefix_expr: str | None = None,
    ) -> str:  # fmt: skip
        if not any(r.var == var for r in self.out.routers):
            self.out.routers.append(Router(var, kind, "rust", prefix, ts.line(node), auth=auth,
                                           prefix_expr=prefix_expr))  # fmt: skip
        return var

    def anon(
        self, node: ts.Node, kind: str = "router", prefix: str = "",
        prefix_expr: str | None = None,
    ) -> str:  # fmt: skip
        var = f"{self.fn}@{ts.line(node)}:{node.start_point.column}"
        return self.router(var, kind, prefix, node, prefix_expr=prefix_expr)

    def link(self, segments: list[str]) -> str:
        return LINK + "|".join(syn.candidates(segments, self.module, self.uses))

    def mount(
        self, owner: str, path: str | None, target: str, node: ts.Node, same: bool = False
    ) -> None:
        if target == owner:
            return
        self.out.uses.append(Use(owner, path, target, (), ts.line(node), same=same))
        self.items.setdefault(owner, []).append(("use", len(self.out.uses) - 1))

    def route(
        self,
        owner: str,
        method: str,
        path: str | None,
        handler: ts.Node | None,
        line: int,
        middleware: tuple[str, ...] = (),
        auth: str = "unknown",
        path_expr: str | None = None,
    ) -> None:
        # a closure's source is no name a reader could look up; a generic handler
        # (get_settings::<Backend>) is named without its type arguments
        if handler is not None and handler.type == "generic_function":
            named_node = handler.child_by_field_name("function")
        else:
            named_node = handler
        named = named_node is not None and named_node.type in {"identifier", "scoped_identifier"}
        name = ts.text(named_node)[:80] if named_node is not None and named else None
        if auth == "unknown" and handler is not None:
            auth = self.handler_auth(handler)
        value = syn.route_path(path) if path is not None else None
        self.out.routes.append(
            RouteDecl(owner, method, value, name, line, auth, middleware, path_expr=path_expr)
        )
        self.items.setdefault(owner, []).append(("route", len(self.out.routes) - 1))

    def handler_auth(self, handler: ts.Node) -> str:
        segments = syn.path_segments(handler)
        if len(segments) == 1 and segments[0] in self.handlers:
            return self.handlers[segments[0]]
        return self.link(segments) if segments else "unknown"

    def guard(self, owner: str) -> None:
        """Everything ``owner`` holds so far needs a signed-in caller."""
        for kind, index in self.items.get(owner, []):
            if kind == "route":
                self.out.routes[index] = replace(self.out.routes[index], auth="required")
            else:
                self.out.uses[index] = replace(self.out.uses[index], auth=True)

    def layer(self, owner: str, node: ts.Node, whole: bool) -> None:
        """A tower layer or actix middleware: listed in the chain, and a guard when its name
        says so. ``ServiceBuilder::new().layer(a).layer(b)`` is each of its layers."""
        inner = self.builder_layers(node)
        for each in inner or [node]:
            name = syn.middleware_name(each)
            # package: resolve must not read a guard into it by line order; guards are
            # decided here, where the chain's order is known
            self.out.uses.append(Use(owner, "", name, (), ts.line(each), package=True))
            if _is_guard(name, each):
                self.guard(owner)
                if whole:
                    self.out.routers[:] = [
                        replace(r, auth=True) if r.var == owner else r for r in self.out.routers
                    ]

    def builder_layers(self, node: ts.Node) -> list[ts.Node]:
        found: list[ts.Node] = []
        while node.type == "call_expression":
            function = node.child_by_field_name("function")
            args = node.child_by_field_name("arguments")
            if function is None or function.type != "field_expression":
                break
            if ts.text(function.child_by_field_name("field")) == "layer" and args is not None:
                found[:0] = list(args.named_children[:1])
            node = function.child_by_field_name("value") or node
        return found if ts.text(node).startswith("ServiceBuilder") else []

    # -- expressions -----------------------------------------------------------------------
    def eval(self, node: ts.Node | None, want: bool = False) -> str | None:
        """The router ``node`` evaluates to, declaring what it registers on the way; None
        when it is no router. ``want``: a router is expected here, so a call of a project
        function is a router that function makes."""
        if node is None or self.depth > 200:
            return None
        self.depth += 1
        try:
            return self._eval(node, want)
        finally:
            self.depth -= 1

    def _eval(self, node: ts.Node, want: bool) -> str | None:
        kind = node.type
        if kind in {"parenthesized_expression", "try_expression", "await_expression",
                    "reference_expression"}:  # fmt: skip
            return self.eval(node.named_children[0] if node.named_children else None, want)
        if kind == "identifier":
            return self.locals.get(ts.text(node))
        if kind == "call_expression":
            return self.call(node, want)
        if kind == "let_declaration":
            value = self.eval(node.child_by_field_name("value"))
            pattern = node.child_by_field_name("pattern")
            if pattern is not None and pattern.type == "identifier":
                if value:
                    self.locals[ts.text(pattern)] = value
                elif (call := node.child_by_field_name("value")) is not None:
                    self.calls[ts.text(pattern)] = call
            return None
        if kind == "assignment_expression":
            value = self.eval(node.child_by_field_name("right"))
            left = node.child_by_field_name("left")
            if value and left is not None and left.type == "identifier":
                self.locals[ts.text(left)] = value
            return None
        if kind == "closure_expression":
            self.eval(node.child_by_field_name("body"))
            return None
        if kind == "block":
            result = None
            for child in node.named_children:
                result = self.eval(child)
            last = node.named_children[-1] if node.named_children else None
            return result if last is not None and last.type.endswith("expression") else None
        if kind in {"macro_invocation", "string_literal", "line_comment", "block_comment"}:
            return None
        for child in node.named_children:
            self.eval(child)
        return None

    def call(self, node: ts.Node, want: bool) -> str | None:
        function = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = syn.arguments(args_node)
        if function is not None and function.type == "field_expression":
            method = ts.text(function.child_by_field_name("field"))
            base = self.eval(function.child_by_field_name("value"), want=method in _CHAIN)
            if base is not None:
                return self.method(base, method, args, function)
            for arg in args:
                value = self.served(arg) if method in _SERVERS else self.eval(arg)
                if value and method in _SERVERS:
                    self.serves(value)
            return None
        segments = syn.path_segments(function)
        if segments and segments[0] in self.uses:  # use actix_web::web::resource; resource(..)
            segments = self.uses[segments[0]] + segments[1:]
        last = segments[-1] if segments else ""
        if segments[-2:] == ["Router", "new"]:
            return self.anon(node)
        if segments[-2:] == ["App", "new"]:
            return self.anon(node, "app")
        if segments[-2:] in (["web", "scope"], ["web", "resource"]) and args:
            prefix = syn.string(args[0])
            var = self.anon(
                node,
                prefix="" if prefix is None else syn.route_path(prefix),
                prefix_expr=syn.path_constant(args[0]) if prefix is None else None,
            )
            if last == "resource":
                self.resources.add(var)
            return var
        values = [self.served(arg) if last in _SERVERS else self.eval(arg) for arg in args]
        if last in _SERVERS:
            for value in values:
                if value:
                    self.serves(value)
            return None
        if want and syn.is_function_path(segments):
            var = self.anon(node)
            self.mount(var, "", self.link(segments), node, same=True)
            return var
        return None

    def served(self, arg: ts.Node) -> str | None:
        """The router given to a server: a local bound to a project function's result
        (``let app = routes::app(state); axum::serve(listener, app)``) is the router that
        function builds; so is ``app.into_make_service()``."""
        value = self.eval(arg)
        if value is None and arg.type == "call_expression":
            function = arg.child_by_field_name("function")
            if (
                function is not None
                and function.type == "field_expression"
                and ts.text(function.child_by_field_name("field")) in _SERVERS
            ):
                arg = function.child_by_field_name("value") or arg
        name = ts.text(arg) if value is None and arg.type == "identifier" else ""
        if name in self.calls:
            value = self.locals[name] = self.eval(self.calls.pop(name), want=True) or ""
        return value or None

    def serves(self, var: str) -> None:
        self.out.routers[:] = [
            replace(r, kind="app") if r.var == var else r for r in self.out.routers
        ]

    def method(self, base: str, method: str, args: list[ts.Node], at: ts.Node) -> str:
        field_node = at.child_by_field_name("field") or at
        line = ts.line(field_node)
        first = syn.string(args[0]) if args else None
        # a path that is no literal (.route(uri::V1_AUTH, ..)) is a constant for the join to
        # find, or the route is left out: never listed at its router's prefix
        expr = syn.path_constant(args[0]) if args and first is None else None
        if method in {"route", "route_service"} and len(args) == 2:
            if method == "route_service":
                self.route(base, "ANY", first, args[1], line, path_expr=expr)
            elif (methods := self.method_router(args[1])) is not None:
                for verb, handler, middleware, auth in methods:
                    self.route(base, verb, first, handler, line, middleware, auth, expr)
            else:  # actix: .route("/x", web::get().to(h))
                verb, handler = self.actix_route(args[1])
                self.route(base, verb, first, handler, line, path_expr=expr)
        elif method == "route" and len(args) == 1:  # actix resource
            verb, handler = self.actix_route(args[0])
            self.route(base, verb, "", handler, line)
        elif method == "to" and base in self.resources and args:
            self.route(base, "ANY", "", args[0], line)
        elif method in syn.VERBS and base in self.resources and args:
            self.route(base, method.upper(), "", args[0], line)
        elif method in {"nest", "nest_service"} and len(args) == 2:
            target = self.eval(args[1], want=True)
            if target is not None:
                self.mount(base, first, target, field_node)
        elif method in {"merge", "service", "configure"} and args:
            target = self.eval(args[0], want=True)
            if target is None and args[0].type == "closure_expression":
                target = self.config_closure(args[0])
            segments = syn.path_segments(args[0])
            if target is None and segments and method != "merge":
                target = self.link(segments)  # a #[get] handler or a configure function
            if target is not None:
                self.mount(base, "", target, field_node)
        elif method in {"layer", "route_layer", "wrap", "wrap_fn"} and args:
            self.layer(base, args[0], whole=method.startswith("wrap"))
        else:
            for arg in args:
                self.eval(arg)
        return base

    def config_closure(self, closure: ts.Node) -> str | None:
        """``.configure(|cfg| { cfg.service(..); })``: the closure's parameter is a router."""
        params = closure.child_by_field_name("parameters")
        names = [ts.text(p) for p in params.named_children] if params else []
        if len(names) != 1:
            return None
        var = self.anon(closure)
        param = names[0].split(":")[0].strip()
        self.locals[param] = var
        body = closure.child_by_field_name("body")
        self.eval(body)
        # |cfg| users::configure::<B>(cfg, flag): the function registers on the router the
        # closure hands it, as .configure(users::configure) would
        for call in _handing(body, param):
            segments = syn.path_segments(call.child_by_field_name("function"))
            if syn.is_function_path(segments):
                self.mount(var, "", self.link(segments), call, same=True)
        return var

    def method_router(
        self, node: ts.Node
    ) -> list[tuple[str, ts.Node | None, tuple[str, ...], str]] | None:
        """axum ``get(h).post(h2).layer(x)``, ``on(MethodFilter::GET, h)``: each (method,
        handler, route middleware, auth); None when ``node`` is no method router."""
        if node.type != "call_expression":
            return None
        function = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = syn.arguments(args_node)
        if function is not None and function.type == "field_expression":
            step = ts.text(function.child_by_field_name("field"))
            inner = self.method_router(function.child_by_field_name("value") or function)
            if inner is None:
                return None
            if step.removesuffix("_service") in syn.VERBS | {"any"} and args:
                return [*inner, (_verb(step), args[0], (), "unknown")]
            if step in {"layer", "route_layer"} and args:
                name = syn.middleware_name(args[0])
                guarded = _is_guard(name, args[0])
                return [(v, h, (*m, name), "required" if guarded else a) for v, h, m, a in inner]
            return inner
        segments = syn.path_segments(function)
        last = segments[-1] if segments else ""
        if last.removesuffix("_service") in syn.VERBS | {"any"} and len(args) == 1:
            return [(_verb(last), args[0], (), "unknown")]
        if last in {"on", "on_service"} and len(args) == 2:
            verbs = [s.upper() for s in ts.text(args[0]).replace("::", " ").split()
                     if s.lower() in syn.VERBS] or ["ANY"]  # fmt: skip
            return [(verb, args[1], (), "unknown") for verb in verbs]
        return None

    def actix_route(self, node: ts.Node) -> tuple[str, ts.Node | None]:
        """``web::get().to(h)``, ``web::route().guard(guard::Post()).to(h)``,
        ``web::method(Method::PUT).to(h)`` -> (method, handler)."""
        verb, handler = "ANY", None
        while node.type == "call_expression":
            function = node.child_by_field_name("function")
            args_node = node.child_by_field_name("arguments")
            args = syn.arguments(args_node)
            if function is None:
                break
            if function.type == "field_expression":
                step = ts.text(function.child_by_field_name("field"))
                if step == "to" and args:
                    handler = args[0]
                elif step == "guard" and args:
                    named = syn.path_segments(args[0].child_by_field_name("function"))
                    if named and named[-1].lower() in syn.VERBS:
                        verb = named[-1].upper()
                node = function.child_by_field_name("value") or function
                continue
            last = (syn.path_segments(function) or [""])[-1]
            if last in syn.VERBS:
                verb = last.upper()
            elif last == "method" and args:
                verb = ts.text(args[0]).rpartition("::")[2].upper() or verb
            break
        return verb, handler

    # -- functions ---------------------------------------------------------------------------
    def function(self, node: ts.Node, name: str, body: ts.Node) -> None:
        self.fn, self.locals, self.calls = name, {}, {}
        params = node.child_by_field_name("parameters")
        for param in params.named_children if params else []:
            types = {t for t, _o in syn.type_names(param.child_by_field_name("type"))}
            pattern = param.child_by_field_name("pattern")
            if pattern is not None and types & (_CONFIG_TYPES | {"Router", "Scope"}):
                self.locals[ts.text(pattern).removeprefix("mut ").strip()] = self.router(
                    name, "router", "", node
                )
        for methods, value, line in syn.route_attributes(node):
            self.router(name, "router", "", node)
            for verb in methods:
                self.route(name, verb, value, node.child_by_field_name("name"), line,
                           auth=self.handlers.get(name, "unknown"))  # fmt: skip
        returned = self.eval(body)
        for ret in ts.matches("rust", "(return_expression (_) @value)", body):
            returned = returned or self.eval(ret["value"][0])
        if returned is not None and returned != name:
            # a function that builds the app (fn create_app() -> App<..>) is the app
            kind = next((r.kind for r in self.out.routers if r.var == returned), "router")
            self.mount(self.router(name, kind, "", node), "", returned, node, same=True)


# Methods only a router has: the value they are called on is a router
_CHAIN = {"route", "route_service", "nest", "nest_service", "merge", "layer", "route_layer",
          "service", "configure", "wrap", "with_state", "fallback"}  # fmt: skip


# Middleware that finds out who the caller is and lets anonymous callers through
_IDENTIFIES = re.compile(r"Session|Identity|Cookie|Optional|Maybe", re.I)


def _is_guard(name: str, node: ts.Node) -> bool:
    """Whether a layer guards: its name says so (``require_auth``, ``HttpAuthentication``)
    or the constructor it is made with does (``ValidateRequestHeaderLayer::bearer``)."""
    function = node.child_by_field_name("function") if node.type == "call_expression" else None
    made_with = ts.text(function)[:120] if function is not None else ""
    return any(is_guard(n) and not _IDENTIFIES.search(n) for n in (name, made_with) if n)


def _verb(name: str) -> str:
    verb = name.removesuffix("_service").upper()
    return "ANY" if verb == "ANY" else verb


def _handing(body: ts.Node | None, param: str) -> list[ts.Node]:
    """The calls in a closure's body (itself, or its block's statements) that hand a
    function the closure's parameter."""
    if body is None:
        return []
    statements = [body] if body.type != "block" else [
        c.named_children[0] if c.type == "expression_statement" and c.named_children else c
        for c in body.named_children
    ]  # fmt: skip
    return [
        s for s in statements
        if s.type == "call_expression"
        and any(ts.text(a) == param for a in syn.arguments(s.child_by_field_name("arguments")))
    ]  # fmt: skip


def extract_rust_http(path: str, parsed: ts.Parsed) -> FileHttp | None:
    _crate, module = syn.module_of(path)
    out = HttpBuilder(path, "rust")
    functions = [
        (m["fn"][0], "::".join([*syn.inline_modules(m["fn"][0]), ts.text(m["fn.name"][0])]),
         m["fn.body"][0])
        for m in parsed.matches(QUERY)
        if not syn.is_test(m["fn"][0])
    ]  # fmt: skip
    handlers = {name: syn.handler_auth(node) for node, name, _body in functions}
    reader = _Reader(path, module, syn.uses_of(parsed.root), out, handlers)
    for node, name, body in functions:
        owner = node.parent.parent if node.parent is not None else None
        if owner is not None and owner.type in {"impl_item", "trait_item"}:
            continue  # a method: not reachable by a path, and not a handler a path names
        reader.function(node, name, body)
    for name, auth in sorted(handlers.items()):
        if auth != "unknown":
            out.routers.append(Router(f"auth:{name}", AUTH_KIND, "rust", auth, 0))
    for match in parsed.matches(CONSTANTS):
        value = syn.string(match["value"][0])
        if value is not None and value.startswith("/"):
            out.constants.append((ts.text(match["name"][0]), value))
    guards: dict[str, int] = {}
    for match in parsed.matches(IMPLS):
        impl = match["impl"][0]
        guard = None if syn.is_test(impl) else syn.guard_extractor(impl)
        if guard is not None:
            guards.setdefault(guard, ts.line(impl))
    for guard, line in sorted(guards.items()):
        out.routers.append(Router(f"guard:{guard}", GUARD_KIND, "rust", "required", line))
    return out.freeze()
