"""Gin, Echo, Chi, Gorilla mux and net/http declarations in one Go file, read from its
tree-sitter tree. Local names are qualified by their function (``main.r``) since Go
routers usually live in function scope; routers passed to other functions are linked
across files by ``golink.link_go``."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http.golang_syntax import (
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

_FACTORIES = {
    "gin.Default": "Gin", "gin.New": "Gin", "echo.New": "Echo", "chi.NewRouter": "Chi",
    "chi.NewMux": "Chi", "http.NewServeMux": "net/http", "mux.NewRouter": "Gorilla mux",
    "fiber.New": "Fiber",
}  # fmt: skip
_VERBS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "Any", "Handle",
          "Get", "Post", "Put", "Patch", "Delete", "Options", "Head", "HandleFunc", "Method",
          "MethodFunc", "All", "Match"}  # fmt: skip
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


QUERIES = (_IMPORT_QUERY, _FIELD_QUERY, _LITERAL_QUERY, _QUERY, _BODY_QUERY)
"""The queries ``extract_go_http`` asks of a file it reads."""


def wanted(text: str) -> bool:
    # A file that only groups routers and hands them on need not name its framework.
    return any(
        word in text
        for word in ("gin", "echo", "chi", "net/http", "mux", "fiber", ".Group(", ".Use(")
    )


def extract_go_http(path: str, text: str, parsed: ts.Parsed) -> FileHttp | None:
    if not wanted(text):
        return None
    out = HttpBuilder(path, "go")
    hints = Hints()
    for match in parsed.matches(_IMPORT_QUERY):
        import_path = ts.unquote(match["path"][0])
        alias = ts.text(match["alias"][0]) if "alias" in match else import_path.rsplit("/", 1)[-1]
        hints.imports[alias] = import_path
    for match in parsed.matches(_FIELD_QUERY):
        for field_name in match["name"]:
            hints.field_types[ts.text(field_name)] = type_name(match["type"][0])

    def qualified(node: ts.Node, name: str) -> str:
        closure = closure_param(node)
        if closure is not None and closure[0] == name.split(".")[0]:
            return f"{enclosing_func(node)}.{name}@{ts.line(closure[1])}"
        block = declaring_block(node, name.split(".")[0])
        if block is not None:
            return f"{enclosing_func(node)}.{name}@{ts.line(block)}"
        return f"{enclosing_func(node)}.{name}"

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
            if len(parts) == 2 and (factory := callee_text(parts[1])) in _FACTORIES:
                var = qualified(element, f"{literal_var}.{ts.text(parts[0])}")
                out.routers.append(Router(var, "app", _FACTORIES[factory], "", ts.line(element)))

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
            _declaration(match, out, qualified, hints)
        elif "call" in match:
            _call(match, out, qualified, hints)
        elif "plain" in match and not _declared(match["plain"][0]):
            # registerAPIRoutes(a, limit): a router handed to a function of this package
            folder = path.rpartition("/")[0] or "."
            function = ts.text(match["plain.fn"][0])
            for index, arg in enumerate(match["plain.args"][0].named_children):
                if arg.type == "identifier":
                    target = f"go:{folder}.{function}#{index}"
                    owner = qualified(match["plain"][0], ts.text(arg))
                    out.uses.append(Use(owner, "", target, (), ts.line(arg)))
    routers = {r.var for r in out.routers}
    out.uses = [u for u in out.uses if not u.target.startswith("go:") or u.owner in routers]
    return out.freeze()


def _declaration(match: ts.Match, out: HttpBuilder, qualified, hints: Hints) -> None:  # type: ignore[no-untyped-def]
    node = match["var"][0]
    name = ts.text(match["var.name"][0])
    function = ts.text(match["var.fn"][0])
    args = match["var.args"][0].named_children
    var = qualified(node, name)
    if function in _FACTORIES:
        out.routers.append(Router(var, "app", _FACTORIES[function], "", ts.line(node)))
        return
    selector = match["var.fn"][0]
    if selector.type != "selector_expression":
        return
    maker = selector.child_by_field_name("operand")
    if maker is not None and maker.type == "identifier":
        hints.made_by[var] = (ts.text(maker), ts.text(selector.child_by_field_name("field")))
    if not args and ts.text(selector.child_by_field_name("field"))[:1].isupper():
        # r := router.New(): r is whatever router that function makes, mounted as is
        package = ts.text(selector.child_by_field_name("operand"))
        target = f"go:{hints.package(package)}.{ts.text(selector.child_by_field_name('field'))}#ret"
        out.routers.append(Router(var, "alias", "go", "", ts.line(node)))
        out.uses.append(Use(var, "", target, (), ts.line(node)))
        return
    method = ts.text(selector.child_by_field_name("field"))
    operand = selector.child_by_field_name("operand")
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
    if method == "Group" and args:
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
    parent = qualified(node, ts.text(operand))
    if method == "Group" and args:
        names = [ts.text(a) for a in args[1:]] + used
        out.routers.append(
            Router(
                var,
                "router",
                "go",
                prefix or "",
                ts.line(node),
                parent,
                any(is_guard(n) for n in names),
            )
        )
        for name in used:
            out.uses.append(Use(var, "", name.split("(")[0], (), ts.line(node), is_guard(name)))
    elif method in {"Subrouter"}:
        # r.PathPrefix("/api").Subrouter()
        operand = selector.child_by_field_name("operand")
        if operand is not None and operand.type == "call_expression":
            inner = operand.child_by_field_name("function")
            inner_args = operand.child_by_field_name("arguments")
            if (
                inner is not None
                and ts.text(inner.child_by_field_name("field")) == "PathPrefix"
                and inner_args is not None
                and inner_args.named_children
                and (path_prefix := string_of(inner_args.named_children[0])) is not None
            ):
                parent = qualified(node, ts.text(inner.child_by_field_name("operand")))
                out.routers.append(Router(var, "router", "go", path_prefix, ts.line(node), parent))


def _declared(node: ts.Node) -> bool:
    """Whether the call is the value of a declaration (``x := f(r)``), read on its own."""
    return (
        node.parent is not None
        and node.parent.type == "expression_list"
        and node.parent.parent is not None
        and node.parent.parent.type in {"short_var_declaration", "assignment_statement"}
    )


def _call(match: ts.Match, out: HttpBuilder, qualified, hints: Hints) -> None:  # type: ignore[no-untyped-def]
    node = match["call"][0]
    if _declared(node):
        return  # a declaration, handled above
    method = ts.text(match["call.name"][0])
    obj_node = match["call.obj"][0]
    args = match["call.args"][0].named_children
    base = _use_chain_base(obj_node)
    owner = qualified(node, ts.text(base))
    line = ts.line(node)
    if group := _inline_group(base):
        # g.Group("/user").Use(mw).POST("", h): a group that is never named
        owner = _group_router(group, "", ts.line(base), out, qualified(node, group[0]))
    if method == "Match" and len(args) > 2 and (path := string_of(args[1])) is not None:
        # Gin: g.Match([]string{"GET", "HEAD"}, "/health", h)
        handler, middleware, auth = _handlers([ts.text(a) for a in args[2:]], hints)
        for verb in strings_in(args[0]):
            out.routes.append(RouteDecl(owner, verb.upper(), path, handler, line, auth, middleware))
        return
    if method == "Handle" and len(args) > 1 and callee_text(args[1]) == "http.StripPrefix":
        # mux.Handle("/api/", http.StripPrefix("/api", apiMux())): a mounted handler
        inner = args[1].child_by_field_name("arguments")
        inner_args = inner.named_children if inner is not None else []
        if len(inner_args) > 1 and (prefix := string_of(inner_args[0])) is not None:
            out.uses.append(
                Use(owner, prefix, _mounted(node, inner_args[1], qualified, hints), (), line)
            )
            return
    if method in _VERBS and args:
        path = string_of(args[0])
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
            return
        # chi, Echo and net/http paths begin with "/" (or "GET /x"); c.Get("user") and
        # q.Get("gorm:query") are lookups, not routes. Gin's GET("list") stays.
        lookup = method[0].isupper() and method[1:].islower() and not path.startswith("/")
        lookup = lookup and not (method == "Any" and path == "")  # Echo: g.Any("", h)
        if lookup and " /" not in path:
            return
        verb = method.upper()
        if method in {"HandleFunc", "Handle"}:
            verb, _, rest = path.partition(" ")
            if rest and verb.isupper():  # Go 1.22 patterns: "GET /items/{id}"
                path = rest
            else:
                verb, path = gorilla_methods(node) or "ANY", path
            if ts.text(obj_node) == "http":
                owner = "default-mux"
                if not any(r.var == owner for r in out.routers):
                    out.routers.append(Router(owner, "app", "net/http", "", line))
        elif method in {"Any", "All", "Method", "MethodFunc"}:
            verb = "ANY" if method in {"Any", "All"} else ((string_of(args[0]) or "ANY").upper())
            if method in {"Method", "MethodFunc"}:
                path = string_of(args[1]) if len(args) > 1 else None
                if path is None:
                    return
        handler, middleware, auth = _handlers(
            [ts.text(a) for a in args[1 if method not in {"Method", "MethodFunc"} else 2 :]],
            hints,
        )
        out.routes.append(RouteDecl(owner, verb, path, handler, line, auth, middleware))
    elif method == "Use" and args:
        for arg in args:
            # cors.New(auth.CorsConfig(conf)) is named by its callee, not its arguments
            name = ts.text(arg).split("(")[0]
            out.uses.append(Use(owner, "", name, (), line, is_guard(name)))
    elif (method == "Route" and len(args) > 1 and (prefix := string_of(args[0])) is not None) or (
        method == "Group"
        and len(args) == 1
        and args[0].type == "func_literal"
        and not (prefix := "")
    ):
        # chi: r.Route("/x", func(r chi.Router) {...}) declares a sub-router, and
        # r.Group(func(r chi.Router) {...}) one at the same path (for its own middleware)
        closure = args[-1]
        params = (
            closure.child_by_field_name("parameters") if closure.type == "func_literal" else None
        )
        if params is not None and params.named_children:
            param = params.named_children[0].child_by_field_name("name")
            if param is not None:
                var = f"{enclosing_func(node)}.{ts.text(param)}@{line}"
                out.routers.append(Router(var, "router", "Chi", prefix, line, owner))
    elif method == "Mount" and len(args) > 1 and (prefix := string_of(args[0])) is not None:
        out.uses.append(Use(owner, prefix, _mounted(node, args[1], qualified, hints), (), line))
    elif args:
        # handlers.Register(r, cfg): a router handed to a function in another file
        for index, arg in enumerate(args):
            target = f"go:{hints.package(ts.text(obj_node))}.{method}#{index}"
            if arg.type == "identifier":
                out.uses.append(Use(qualified(node, ts.text(arg)), "", target, (), line))
            elif group := _inline_group(arg):
                # users.Register(v1.Group("/users")): a group made just to hand it over
                var = _group_router(group, f"#{index}", line, out, qualified(node, group[0]))
                out.uses.append(Use(var, "", target, (), line))


def _group_router(
    group: tuple[str, str, list[str]], suffix: str, line: int, out: HttpBuilder, parent: str
) -> str:
    """The router an unnamed ``parent.Group("/x", guards...)`` makes, declared once; its name."""
    _parent, prefix, guards = group
    var = f"{parent}.Group@{line}{suffix}"
    if not any(r.var == var for r in out.routers):
        guarded = any(is_guard(g) for g in guards)
        out.routers.append(Router(var, "router", "go", prefix, line, parent, guarded))
    return var


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


def _use_chain_base(node: ts.Node) -> ts.Node:
    """``g.Use(a).Use(b)`` -> ``g``: a chain of ``Use`` calls acts on its first receiver."""
    while node.type == "call_expression":
        function = node.child_by_field_name("function")
        if (
            function is None
            or function.type != "selector_expression"
            or ts.text(function.child_by_field_name("field")) != "Use"
        ):
            break
        node = function.child_by_field_name("operand") or node
    return node


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


def _inline_group(node: ts.Node) -> tuple[str, str, list[str]] | None:
    if node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    args = node.child_by_field_name("arguments")
    if function is None or function.type != "selector_expression" or args is None:
        return None
    if ts.text(function.child_by_field_name("field")) != "Group" or not args.named_children:
        return None
    prefix = string_of(args.named_children[0])
    if prefix is None:
        return None
    guards = [ts.text(a) for a in args.named_children[1:]]
    return ts.text(function.child_by_field_name("operand")), prefix, guards
