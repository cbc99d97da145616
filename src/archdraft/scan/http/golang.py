"""Gin, Echo, Chi, Gorilla mux, net/http (with Go 1.22 method patterns) and go-pkgz/routegroup
declarations in one Go file, read from its tree-sitter tree. Local names are qualified by
their function (``main.r``) since Go routers usually live in function scope; routers made by
chains, wrappers and struct fields are read by ``golang_chains``; routers passed to other
functions, or held in fields, are linked across files by ``golink.link_go``."""

from __future__ import annotations

import re
from dataclasses import replace

from archdraft.scan import treesitter as ts
from archdraft.scan.http import golang_helpers
from archdraft.scan.http.golang_chains import FIELD_TYPE, Chains, matchers, mux_pattern
from archdraft.scan.http.golang_syntax import (
    FACTORIES,
    ROUTER_TYPES,
    Hints,
    callee_text,
    closure_param,
    declaring_block,
    enclosing_func,
    gorilla_methods,
    is_guard,
    scope_name,
    string_of,
    strings_in,
    type_name,
)
from archdraft.scan.http.model import FileHttp, HttpBuilder, RouteDecl, Router, Use

_VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "Any", "Handle",
          "Get", "Post", "Put", "Patch", "Delete", "Options", "Head", "HandleFunc", "Method",
          "MethodFunc", "All", "Match", "HandleFiles"}  # fmt: skip
# Registrations whose first argument is a ServeMux pattern (routegroup adds HandleFiles)
_MUX = {"HandleFunc", "Handle", "HandleFiles"}
_QUERY = """
(function_declaration
  name: (identifier) @fn.name parameters: (parameter_list) @fn.params body: (block)) @fn
(method_declaration
  name: (field_identifier) @fn.name parameters: (parameter_list) @fn.params body: (block)) @fn
"""
_BODY_QUERY = """
(short_var_declaration
  left: (expression_list . (identifier) @var.name)
  right: (expression_list
    . (call_expression function: (_) @var.fn arguments: (argument_list) @var.args))) @var
(assignment_statement
  left: (expression_list . (_) @var.name)
  right: (expression_list
    . (call_expression function: (_) @var.fn arguments: (argument_list) @var.args))) @var
(call_expression
  function: (selector_expression operand: (_) @call.obj field: (field_identifier) @call.name)
  arguments: (argument_list) @call.args) @call
(call_expression function: (identifier) @plain.fn arguments: (argument_list) @plain.args) @plain
"""
_IMPORT_QUERY = """
(import_spec name: (package_identifier)? @alias path: (interpreted_string_literal) @path)
"""
_LITERAL_QUERY = """
(short_var_declaration
  left: (expression_list . (identifier) @lit.var)
  right: (expression_list . [
    (composite_literal body: (literal_value) @lit.body)
    (unary_expression operand: (composite_literal body: (literal_value) @lit.body))]))
"""
_FIELD_QUERY = """
(field_declaration name: (field_identifier) @name type: (_) @type)
"""


QUERIES = (
    _IMPORT_QUERY, _FIELD_QUERY, _LITERAL_QUERY, _QUERY, _BODY_QUERY,
    golang_helpers.CONSTANTS_QUERY,
)  # fmt: skip
"""The queries ``extract_go_http`` asks of a file it reads."""


# A file that only groups routers and hands them on need not name its framework; one that
# reaches a library's router through a field need not import a router package.
_WANTED = ("gin", "echo", "chi", "net/http", "mux", "fiber", ".Group(", ".Use(", ".Handle",
           ".Path", ".Route(", ".Mount(")  # fmt: skip


# s.handle("POST", "/notes", h): a call of a project helper, with a path literal
HELPER_CALL = re.compile(r"\w\(\s*(\"[A-Z]+\",\s*)?\"/")


def wanted(text: str) -> bool:
    return (
        any(word in text for word in _WANTED)
        or HELPER_CALL.search(text) is not None
        or golang_helpers.CONSTANT.search(text) is not None
    )


def extract_go_http(path: str, text: str, parsed: ts.Parsed) -> FileHttp | None:
    if not wanted(text):
        return None
    out = HttpBuilder(path, "go")
    golang_helpers.constants(parsed, out)
    hints = Hints()
    for match in parsed.matches(_IMPORT_QUERY):
        import_path = ts.unquote(match["path"][0])
        alias = ts.text(match["alias"][0]) if "alias" in match else import_path.rsplit("/", 1)[-1]
        hints.imports[alias] = import_path
    routed: set[str] = set()
    for match in parsed.matches(_FIELD_QUERY):
        for field_name in match["name"]:
            hints.field_types[ts.text(field_name)] = type_name(match["type"][0])
            if ROUTER_TYPES.search(ts.text(match["type"][0])):
                # HTTP *mux.Router: any struct's field of that name may be this router
                routed.add(ts.text(field_name))
                line = ts.line(field_name)
                out.routers.append(Router(ts.text(field_name), FIELD_TYPE, "go", "", line))

    def qualified(node: ts.Node, name: str) -> str:
        closure = closure_param(node, name.split(".")[0])
        if closure is not None:
            return f"{enclosing_func(node)}.{name}@{ts.line(closure)}"
        block = declaring_block(node, name.split(".")[0])
        if block is not None:
            return f"{enclosing_func(node)}.{name}@{ts.line(block)}"
        return f"{enclosing_func(node)}.{name}"

    chains = Chains(out, qualified, routed)
    for match in parsed.matches(_LITERAL_QUERY):
        # s := &Server{router: mux.NewRouter()}: s.router is an app
        literal_var = ts.text(match["lit.var"][0])
        for element in match["lit.body"][0].named_children:
            if element.type != "keyed_element":
                continue
            parts = [
                c.named_children[0] if c.type == "literal_element" and c.named_children else c
                for c in element.named_children
            ]
            if len(parts) == 2 and (factory := callee_text(parts[1])) in FACTORIES:
                var = qualified(element, f"{literal_var}.{ts.text(parts[0])}")
                out.routers.append(Router(var, "app", FACTORIES[factory], "", ts.line(element)))

    for match in parsed.matches(_QUERY):
        func = scope_name(match["fn"][0])
        for position, param in enumerate(match["fn.params"][0].named_children):
            type_node = param.child_by_field_name("type")
            name = param.child_by_field_name("name")
            if (
                type_node is not None
                and name is not None
                and ROUTER_TYPES.search(ts.text(type_node))
            ):
                var = f"{func}.{ts.text(name)}"
                out.routers.append(
                    Router(var, "router", "go", "", ts.line(param), position=position)
                )
    for match in parsed.matches(_BODY_QUERY):
        if "var" in match:
            _declaration(match, out, chains, hints)
        elif "call" in match:
            _call(match, out, chains, hints)
        elif "plain" in match:
            # registerAPIRoutes(a, limit), r = withRoutes(r): a router handed to a function
            # of this package
            folder = path.rpartition("/")[0] or "."
            function = ts.text(match["plain.fn"][0])
            plain_args = list(match["plain.args"][0].named_children)
            golang_helpers.call(out, match["plain"][0], function, plain_args)
            for index, arg in enumerate(match["plain.args"][0].named_children):
                if arg.type == "identifier":
                    target = f"go:{folder}.{function}#{index}"
                    owner = qualified(match["plain"][0], ts.text(arg))
                    out.uses.append(Use(owner, "", target, (), ts.line(arg)))
    routers = {r.var for r in out.routers}
    out.uses = [u for u in out.uses if not u.target.startswith("go:") or u.owner in routers]
    return out.freeze()


def _declaration(match: ts.Match, out: HttpBuilder, chains: Chains, hints: Hints) -> None:
    node = match["var"][0]
    name = ts.text(match["var.name"][0])
    function = ts.text(match["var.fn"][0])
    args = match["var.args"][0].named_children
    qualified = chains.qualified
    var = qualified(node, name)
    if function in FACTORIES:
        out.routers.append(Router(var, "app", FACTORIES[function], "", ts.line(node)))
        return
    selector = match["var.fn"][0]
    method = ts.text(selector.child_by_field_name("field"))
    operand = selector.child_by_field_name("operand")
    receiver = chains.known(qualified(node, ts.text(operand))) if operand is not None else None
    if receiver is None and name not in {"_", "err"} and chains.wraps(node, var, args):
        return
    if selector.type != "selector_expression" or operand is None:
        return
    if operand.type == "identifier":
        hints.made_by[var] = (ts.text(operand), method)
    call = selector.parent
    if (
        (method in {"Mount", "With", "Subrouter"} or (method == "Group" and not args))
        and call is not None
        and chains.made(node, call, var) is not None
    ):
        return  # rapi := router.Mount("/api/v1"), g := r.Group(): routers made by a router
    if not args and method[:1].isupper():
        # r := router.New(): r is whatever router that function makes, mounted as is
        target = f"go:{hints.package(ts.text(operand))}.{method}#ret"
        out.routers.append(Router(var, "alias", "go", "", ts.line(node)))
        out.uses.append(Use(var, "", target, (), ts.line(node)))
        return
    used: list[str] = []
    # g := r.Group("/api").Use(a).Use(b): the group, with a and b on it
    while method == "Use" and operand is not None and operand.type == "call_expression":
        inner = operand.child_by_field_name("function")
        inner_args = operand.child_by_field_name("arguments")
        if inner is None or inner.type != "selector_expression" or inner_args is None:
            break
        used = [ts.text(a) for a in args] + used
        method, args = ts.text(inner.child_by_field_name("field")), inner_args.named_children
        operand = inner.child_by_field_name("operand")
    if method != "Group" or not args or operand is None:
        # router = s.routes(router): the router is handed on, and given back
        for index, arg in enumerate(args):
            if arg.type == "identifier" and operand is not None:
                target = f"go:{hints.package(ts.text(operand))}.{method}#{index}"
                out.uses.append(Use(qualified(node, ts.text(arg)), "", target, (), ts.line(arg)))
        return
    prefixes = [args[0]]
    # engine.Group(prefix).Group("v1"): one group, the prefixes joined
    while operand is not None and operand.type == "call_expression":
        inner = operand.child_by_field_name("function")
        inner_args = operand.child_by_field_name("arguments")
        if (
            inner is None
            or inner.type != "selector_expression"
            or ts.text(inner.child_by_field_name("field")) != "Group"
            or inner_args is None
            or not inner_args.named_children
        ):
            break
        prefixes.insert(0, inner_args.named_children[0])
        operand = inner.child_by_field_name("operand")
    literal = [string_of(p) for p in prefixes]
    for written, value in zip(prefixes, literal, strict=True):
        if value is None:
            out.warnings.append(
                f"{out.path}:{ts.line(node)}: group prefix {ts.text(written)[:60]} is not "
                "a literal; routes below it are listed without it"
            )
    prefix = "/".join(v.strip("/") for v in literal if v)
    parent = chains.owner(node, operand) if operand is not None else ""
    names = [ts.text(a) for a in args[1:]] + used
    guarded = any(is_guard(n) for n in names)
    out.routers.append(Router(var, "router", "go", prefix or "", ts.line(node), parent, guarded))
    for name in used:
        out.uses.append(Use(var, "", name.split("(")[0], (), ts.line(node), is_guard(name)))


def _declared(node: ts.Node) -> bool:
    """Whether the call is the value of a declaration (``x := f(r)``), read on its own."""
    return (
        node.parent is not None
        and node.parent.type == "expression_list"
        and node.parent.parent is not None
        and node.parent.parent.type in {"short_var_declaration", "assignment_statement"}
    )


def _call(match: ts.Match, out: HttpBuilder, chains: Chains, hints: Hints) -> None:
    node = match["call"][0]
    if _declared(node):
        return  # a declaration, handled above
    method = ts.text(match["call.name"][0])
    obj_node = match["call.obj"][0]
    args = match["call.args"][0].named_children
    qualified = chains.qualified
    # r.With(a,\n b).HandleFunc(...): the registration's line is the method's, not the chain's
    line = ts.line(match["call.name"][0])

    def owner(shape: bool = False) -> str:
        return chains.owner(node, obj_node, shape)

    if method in {"Handler", "HandlerFunc"} and args:
        # Gorilla: r.Path("/x").Methods("POST").Handler(h), r.PathPrefix("/x").Handler(h)
        base, path_node, verb = matchers(obj_node)
        path = string_of(path_node) if path_node is not None else None
        if path is not None:
            handler, middleware, auth = _handlers([ts.text(a) for a in args], hints)
            verb = verb or gorilla_methods(node) or "ANY"
            decl = RouteDecl(chains.owner(node, base, True), verb, path, handler, line, auth)
            out.routes.append(replace(decl, middleware=middleware))
        return
    if method == "Match" and len(args) > 2 and (path := string_of(args[1])) is not None:
        # Gin: g.Match([]string{"GET", "HEAD"}, "/health", h)
        handler, middleware, auth = _handlers([ts.text(a) for a in args[2:]], hints)
        for verb in strings_in(args[0]):
            out.routes.append(
                RouteDecl(owner(), verb.upper(), path, handler, line, auth, middleware)
            )
        return
    if (
        method == "Handle"
        and len(args) > 2
        and (verb := string_of(args[0])) is not None
        and verb.isalpha()
        and verb.isupper()
        and (path := string_of(args[1])) is not None
    ):
        # Gin: r.Handle("GET", "/x", h)
        handler, middleware, auth = _handlers([ts.text(a) for a in args[2:]], hints)
        out.routes.append(RouteDecl(owner(), verb, path, handler, line, auth, middleware))
        return
    if method == "Handle" and len(args) > 1 and callee_text(args[1]) == "http.StripPrefix":
        # mux.Handle("/api/", http.StripPrefix("/api", apiMux())): a mounted handler
        inner = args[1].child_by_field_name("arguments")
        inner_args = inner.named_children if inner is not None else []
        if len(inner_args) > 1 and (prefix := string_of(inner_args[0])) is not None:
            target = _mounted(node, inner_args[1], qualified, hints)
            out.uses.append(Use(owner(True), prefix, target, (), line))
            return
    if method in _VERBS and args:
        path = string_of(args[0])
        if path is None and args[0].type == "binary_expression":
            path = golang_helpers.in_file(out, args[0])  # userPath+"/sessions"
        if path is None and args[0].type == "binary_expression":
            # r.GET(cfg.Prefix+"/swagger/*any", h): the literal end, and a warning
            right = args[0].child_by_field_name("right")
            path = string_of(right) if right is not None else None
            if path is not None:
                out.warnings.append(
                    f"{out.path}:{line}: route path {ts.text(args[0])[:60]} is not all "
                    "literal; the route is listed without its computed start"
                )
        if path is None:
            # s.mux.HandleFunc(path, h) inside func (s *Server) handle(path string, ...)
            if golang_helpers.helper(out, node, method, obj_node, args, owner(method in _MUX)):
                return
            expr = golang_helpers.path_expr(args[0])
            if expr is not None and method not in _MUX and golang_helpers.named_path(expr, args):
                # r.Get(paths.Users, h): a constant, resolved once files are joined
                handler, middleware, auth = _handlers([ts.text(a) for a in args[1:]], hints)
                verb = "ANY" if method in {"Any", "All"} else method.upper()
                decl = RouteDecl(owner(), verb, None, handler, line, auth, middleware, expr)
                out.routes.append(decl)
            return
        verb = method.upper()
        if method in _MUX:
            pattern_verb, path = mux_pattern(path)
            if not path.startswith("/"):
                return  # every ServeMux, chi and Gorilla pattern has a path
            verb = pattern_verb or gorilla_methods(node) or "ANY"
            if ts.text(obj_node) == "http":
                registered_on = "default-mux"
                if not any(r.var == registered_on for r in out.routers):
                    out.routers.append(Router(registered_on, "app", "net/http", "", line))
            else:
                # Handle(pattern, handler) with a pattern is a router's call, whatever holds it
                registered_on = owner(len(args) == 2)
        else:
            # chi, Echo and net/http paths begin with "/"; c.Get("user") and
            # q.Get("gorm:query") are lookups, not routes. Gin's GET("list") stays.
            lookup = method[0].isupper() and method[1:].islower() and not path.startswith("/")
            if lookup and not (method == "Any" and path == ""):  # Echo: g.Any("", h)
                return
            if method in {"Any", "All", "Method", "MethodFunc"}:
                verb = "ANY" if method in {"Any", "All"} else (string_of(args[0]) or "ANY").upper()
                if method in {"Method", "MethodFunc"}:
                    path = string_of(args[1]) if len(args) > 1 else None
                    if path is None:
                        golang_helpers.helper(out, node, method, obj_node, args, owner())
                        return
            registered_on = owner()
        handler, middleware, auth = _handlers(
            [ts.text(a) for a in args[1 if method not in {"Method", "MethodFunc"} else 2 :]],
            hints,
        )
        if method == "HandleFiles":  # b.HandleFiles("/", http.FS(files)): a file system
            handler, middleware = ts.text(args[1]) if len(args) > 1 else None, ()
        out.routes.append(RouteDecl(registered_on, verb, path, handler, line, auth, middleware))
    elif method == "Use" and args:
        used_on = owner()
        for arg in args:
            # cors.New(auth.CorsConfig(conf)) is named by its callee, not its arguments
            name = ts.text(arg).split("(")[0]
            out.uses.append(Use(used_on, "", name, (), line, is_guard(name)))
    elif (
        method == "Route"
        and len(args) > 1
        and ((prefix := string_of(args[0])) is not None or golang_helpers.path_expr(args[0]))
    ) or (
        method in {"Group", "Route"}
        and len(args) == 1
        and args[0].type == "func_literal"
        and not (prefix := "")
    ):
        # r.Route(apiPrefix, ...): a constant, resolved once files are joined
        prefix_expr = golang_helpers.path_expr(args[0]) if prefix is None else None
        # chi: r.Route("/x", func(r chi.Router) {...}) declares a sub-router, and
        # r.Group(func(r chi.Router) {...}) one at the same path (for its own middleware), as
        # routegroup's r.Route(func(r *routegroup.Bundle) {...}) does
        closure = args[-1]
        params = (
            closure.child_by_field_name("parameters") if closure.type == "func_literal" else None
        )
        if params is not None and params.named_children:
            param = params.named_children[0].child_by_field_name("name")
            typed = ROUTER_TYPES.search(ts.text(params.named_children[0]))
            if param is not None:
                # named as ``qualified`` names the closure's parameter: by the call's line
                var = f"{enclosing_func(node)}.{ts.text(param)}@{ts.line(node)}"
                router = Router(var, "router", "Chi", prefix or "", line, owner(bool(typed)))
                out.routers.append(replace(router, prefix_expr=prefix_expr))
    elif method == "Mount" and len(args) > 1 and (prefix := string_of(args[0])) is not None:
        target = _mounted(node, args[1], qualified, hints)
        out.uses.append(Use(owner(True), prefix, target, (), line))
    elif args:
        golang_helpers.call(out, node, f"{ts.text(obj_node)}.{method}", list(args))
        # handlers.Register(r, cfg): a router handed to a function in another file
        for index, arg in enumerate(args):
            target = f"go:{hints.package(ts.text(obj_node))}.{method}#{index}"
            if arg.type == "identifier":
                out.uses.append(Use(qualified(node, ts.text(arg)), "", target, (), line))
            elif (made := chains.made(node, arg)) is not None:
                # users.Register(v1.Group("/users")): a group made just to hand it over
                out.uses.append(Use(made, "", target, (), line))


def _handlers(handlers: list[str], hints: Hints) -> tuple[str | None, tuple[str, ...], str]:
    """(handler, middleware, auth) from the functions a route registration passes."""
    if any("labstack/echo" in i for i in hints.imports.values()):
        # Echo: e.GET(path, handler, middleware...); Gin and chi put the handler last
        handlers = handlers[1:] + handlers[:1]
    handler = handlers[-1] if handlers and not handlers[-1].startswith("func(") else None
    middleware = tuple(h for h in handlers[:-1])
    wrapped = re.fullmatch(r"([\w.]+)\((\w[\w.]*)\)", handler or "")
    if wrapped:  # requireToken(createNote): a middleware wrapping the handler
        middleware, handler = (*middleware, wrapped.group(1)), wrapped.group(2)
    return handler, middleware, "required" if any(is_guard(m) for m in middleware) else "unknown"


def _mounted(node: ts.Node, target: ts.Node, qualified, hints: Hints) -> str:  # type: ignore[no-untyped-def]
    """The router a mount names: a local variable, or what a function call returns, as
    ``go:package.Func#ret`` with ``~Type`` when the receiver's type is known."""
    if target.type != "call_expression":
        return str(qualified(node, ts.text(target)))
    function = target.child_by_field_name("function")
    package, _, name = ts.text(function).rpartition(".")
    receiver = ""
    made = hints.made_by.get(qualified(node, package)) if package.isidentifier() else None
    if made is not None:
        # authResource.Router(), authResource made by pwdless.NewResource(...)
        package, constructor = made
        receiver = constructor.removeprefix("New") if constructor.startswith("New") else ""
    elif "." in package:
        # a.Accounts.router(): the field's declared type
        receiver = hints.field_types.get(package.rpartition(".")[2], "")
    package = hints.package(package)
    return f"go:{package or '.'}.{name}#ret" + (f"~{receiver}" if receiver else "")
