"""Express, Koa (koa-router) and Fastify declarations in one JavaScript or TypeScript file,
read from its tree-sitter tree; NestJS controllers are read by ``nest.py``."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http import fastify, names
from archdraft.scan.http.js_helpers import QUERIES as HELPER_QUERIES
from archdraft.scan.http.js_helpers import read_helpers
from archdraft.scan.http.js_syntax import AUTH_NAME as _AUTH_NAME
from archdraft.scan.http.js_syntax import INLINE as _INLINE
from archdraft.scan.http.js_syntax import PUBLIC_NAME as _PUBLIC_NAME
from archdraft.scan.http.js_syntax import args as _args
from archdraft.scan.http.js_syntax import callee as _callee
from archdraft.scan.http.js_syntax import guards as _guards
from archdraft.scan.http.js_syntax import name_of as _name_of
from archdraft.scan.http.js_syntax import object_field as _object_field
from archdraft.scan.http.js_syntax import object_prefix as _object_prefix
from archdraft.scan.http.js_syntax import path_expr as _path_expr
from archdraft.scan.http.js_syntax import strings as _strings
from archdraft.scan.http.model import Export, FileHttp, HttpBuilder, Import, RouteDecl, Router, Use
from archdraft.scan.http.nest import CONTROLLER_SERVERS as _CONTROLLER_SERVERS
from archdraft.scan.http.nest import NEST_GLOBALS as _NEST_GLOBALS
from archdraft.scan.http.nest import decorator_calls as _decorator_calls
from archdraft.scan.http.nest import nest_class as _nest_class
from archdraft.scan.http.nest import uri_versioning as _uri_versioning

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "del", "options", "head", "all"}
_APP_FACTORIES = {"express": "Express", "fastify": "Fastify", "Fastify": "Fastify"}
_ROUTER_FACTORIES = {"express.Router": "Express", "Router": "Express", "Router.Router": "Express"}

_QUERY = """
(import_statement source: (string (string_fragment) @import.source)) @import
(variable_declarator
  name: (_) @require.name
  value: (call_expression
    function: (identifier) @require.fn
    arguments: (arguments . (string (string_fragment) @require.source))))
(variable_declarator
  name: (identifier) @var.name
  value: [(call_expression) (new_expression) (await_expression)] @var.value)
(variable_declarator
  name: (identifier) @fn.name value: [(arrow_function) (function_expression)] @fn.value)
(function_declaration name: (identifier) @fn.name) @fn.value
(expression_statement
  (call_expression
    function: (member_expression
      object: (_) @call.object
      property: (property_identifier) @call.method)
    arguments: (arguments) @call.args) @call)
(assignment_expression left: (_) @assign.left right: (_) @assign.right) @assign
(export_statement) @export
(call_expression function: (identifier) @plain.fn arguments: (arguments) @plain.args) @plain
(call_expression
  function: (call_expression
    function: (identifier) @handed.require
    arguments: (arguments . (string (string_fragment) @handed.source)))
  arguments: (arguments) @handed.args) @handed
(pair key: (property_identifier) @const.key value: (string) @const.value)
(variable_declarator name: (identifier) @const.key value: (string) @const.value)
(class_declaration) @class
"""


_FIELD_QUERIES = {
    "js": "(field_definition property: (property_identifier) @field.name value: (_) @field.value)",
    "ts": "(public_field_definition name: (property_identifier) @field.name "
    "value: (_) @field.value)",
}
_FIELD_QUERIES["tsx"] = _FIELD_QUERIES["ts"]


def _imports(match: ts.Match, out: HttpBuilder) -> None:
    statement = match["import"][0]
    source = ts.text(match["import.source"][0])
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    for child in clause.named_children if clause else []:
        if child.type == "identifier":
            out.imports.append(Import(ts.text(child), source, "default"))
        elif child.type == "namespace_import":
            out.imports.append(Import(ts.text(child.named_children[-1]), source, "*"))
        elif child.type == "named_imports":
            for spec in child.named_children:
                name = ts.text(spec.child_by_field_name("name"))
                alias = spec.child_by_field_name("alias")
                out.imports.append(Import(ts.text(alias) if alias else name, source, name))


def _require(match: ts.Match, out: HttpBuilder) -> None:
    if ts.text(match["require.fn"][0]) != "require":
        return
    target = match["require.name"][0]
    source = ts.text(match["require.source"][0])
    if target.type == "identifier":
        out.imports.append(Import(ts.text(target), source, "*"))
    elif target.type == "object_pattern":
        for child in target.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                out.imports.append(Import(ts.text(child), source, ts.text(child)))
            elif child.type == "pair_pattern":
                key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
                out.imports.append(Import(ts.text(value), source, ts.text(key)))


def _variable(match: ts.Match, out: HttpBuilder) -> None:
    _declare(ts.text(match["var.name"][0]), match["var.value"][0], out)


def _declare(var: str, value: ts.Node, out: HttpBuilder) -> None:
    """What ``var = value`` makes: an app, a router, a plugin, or nothing of note."""
    while value.type == "call_expression" and _callee(value).endswith(".withTypeProvider"):
        # fastify().withTypeProvider<Zod>() is the app fastify() makes
        function = value.child_by_field_name("function")
        inner = function.child_by_field_name("object") if function is not None else None
        if inner is None:
            break
        value = inner
    callee = _callee(value)
    line = ts.line(value)
    inner = value.named_children[0] if value.type == "await_expression" else value
    args = (
        _args(inner.child_by_field_name("arguments"))
        if inner.child_by_field_name("arguments")
        else []
    )
    required = re.fullmatch(r"""require\(\s*["'](\w+)["']\s*\)""", callee)
    if required and required.group(1) in _APP_FACTORIES:
        callee = required.group(1)  # const app = require('fastify')()
    if callee in fastify.PLUGIN_WRAPPERS:
        out.functions[var] = value  # const plugin = fp(async (fastify) => {...})
    elif callee in _APP_FACTORIES:
        out.routers.append(Router(var, "app", _APP_FACTORIES[callee], "", line))
    elif callee == "Koa":
        out.routers.append(Router(var, "app", "Koa", "", line))
    elif (
        callee in _ROUTER_FACTORIES
        or callee in {"KoaRouter", "Router"}
        or callee.endswith("Router")
    ):
        framework = "Koa" if value.type == "new_expression" else "Express"
        prefix = _object_prefix(args[0]) if args else ""
        out.routers.append(Router(var, "router", framework, prefix, line))
    elif callee == "NestFactory.create":
        out.routers.append(Router(var, "app", "NestJS", "", line))
    else:
        _router_chain(var, value, out)


def _router_chain(var: str, value: ts.Node, out: HttpBuilder) -> bool:
    """``Router().use(a).use('/x', b)``: a router made and given its mounts in one chain."""
    links: list[tuple[str, list[ts.Node], int]] = []
    node = value
    while node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is None:
            return False
        if function.type != "member_expression":
            break
        links.append((ts.text(function.child_by_field_name("property")),
                      _args(node.child_by_field_name("arguments")), ts.line(node)))  # fmt: skip
        inner = function.child_by_field_name("object")
        if inner is None:
            return False
        node = inner
    if node.type not in {"call_expression", "new_expression"} or not links:
        return False
    factory = _callee(node)
    if not (factory in _ROUTER_FACTORIES or factory.endswith("Router")):
        return False
    out.routers.append(Router(var, "router", "Express", "", ts.line(node)))
    for method, args, line in reversed(links):
        if method in {"use"} and args:
            _use(out, var, "use", args, line)
        elif method in HTTP_METHODS and args:
            _route(out, var, method, _strings(args[0]), args[1:], line)
    return True


def _call(match: ts.Match, out: HttpBuilder) -> None:
    obj = match["call.object"][0]
    method = ts.text(match["call.method"][0])
    args = _args(match["call.args"][0])
    line = ts.line(match["call"][0])
    if method == "setGlobalPrefix" and args:
        out.global_prefix = _strings(args[0])
        if out.global_prefix is None and (expr := _path_expr(args[0])) is not None:
            out.global_prefix_expr = (line, expr)  # a constant, resolved once files are joined
        elif out.global_prefix is None:
            out.warnings.append(
                f"{out.path}:{line}: global prefix {ts.text(args[0])[:40]} is not a literal; "
                "routes are listed without it"
            )
        return
    if method == "enableVersioning":
        out.versioning = _uri_versioning(args[0] if args else None)
        return
    # router.route('/x').get(h).post(h): walk down to the .route('/x') call
    if method in HTTP_METHODS and obj.type == "call_expression":
        chain: list[tuple[str, list[ts.Node]]] = [(method, args)]
        node = obj
        while node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is None or function.type != "member_expression":
                return
            name = ts.text(function.child_by_field_name("property"))
            node_args = _args(node.child_by_field_name("arguments"))
            if name == "route" and node_args and (path := _strings(node_args[0])) is not None:
                owner = ts.text(function.child_by_field_name("object"))
                for verb, verb_args in chain:
                    _route(out, owner, verb, path, verb_args, line)
                return
            chain.append((name, node_args))
            next_node = function.child_by_field_name("object")
            if next_node is None:
                return
            node = next_node
        links = chain[1:]
        if node.type in {"identifier", "member_expression"} and all(
            name in fastify.CHAINABLE for name, _link_args in links
        ):
            # app.withTypeProvider<Zod>().register(auth).get('/profile', ...): the route is
            # the app's, behind what the chain registers on the way
            for name, link_args in reversed(links):
                if name in {"register", "use"} and link_args:
                    _use(out, ts.text(node), name, link_args, line)
            if (path := _strings(args[0]) if args else None) is not None:
                _route(out, ts.text(node), method, path, args[1:], line)
        return
    owner = ts.text(_chain_base(obj) if method in {"use", "register"} else obj)
    if method in HTTP_METHODS and len(args) > 1 and args[0].type == "array":
        # router.get(['/a', '/b'], handler): one route per path
        paths = [_strings(a) for a in _args(args[0])]
        for each in (p for p in paths if p is not None):
            _route(out, owner, method, each, args[1:], line)
        if None in paths:
            out.warnings.append(
                f"{out.path}:{line}: a route path in {ts.text(args[0])[:40]} is not a literal; "
                "the route is left out"
            )
        return
    if method in HTTP_METHODS and args:
        path = _strings(args[0])
        if path is None and args[0].type not in {
            "identifier",
            "member_expression",
            "template_string",
            "binary_expression",
        }:
            return  # not a route: a getter like map.get(key) has no path-like first argument
        if path is None:
            if len(args) < 2:
                return  # map.get(id), cache.delete(key): a route has a handler too
            # `${this.path}/:id` may name a class field or constant found later in the file
            out.pending.append((owner, method, args, line))
            return
        _route(out, owner, method, path, args[1:], line)
    elif method == "route" and args and args[0].type == "object":
        if options := fastify.route_options(args[0], out, line):
            path, verbs, handlers = options
            for verb in verbs:
                _route(out, owner, verb.lower(), path, handlers, line)
    elif method in {"use", "register"} and args:
        _use(out, owner, method, args, line)
    elif method == "addHook" and len(args) > 1 and _strings(args[0]) in fastify.REQUEST_HOOKS:
        # fastify.addHook('onRequest', fastify.authenticate) guards the plugin's routes;
        # onClose, onReady and the like are the server's life cycle, not a request's
        name = _name_of(args[-1])
        if name:
            out.uses.append(Use(owner, "", name, (), line, bool(_AUTH_NAME.search(name))))
    elif method in _NEST_GLOBALS and args:
        # NestJS pipes, filters, guards and interceptors run on every request, in this order
        names = tuple(n for n in (_name_of(a) for a in args) if n)
        for name in names:
            out.uses.append(
                Use(owner, "", name.removeprefix("new "), (), line, bool(_AUTH_NAME.search(name)))
            )


_PATH_VARIABLE = re.compile(r"path|prefix|base|url|route|mount", re.I)


def _loop_mounts(args: list[ts.Node]) -> list[tuple[str, str]] | None:
    """``routes.forEach((r) => router.use(r.path, r.route))`` over an array of object
    literals in the same file: the (path, router) pairs it mounts."""
    if len(args) < 2 or args[0].type != "member_expression" or args[-1].type != "member_expression":
        return None
    item = ts.text(args[0].child_by_field_name("object"))
    path_key = ts.text(args[0].child_by_field_name("property"))
    route_key = ts.text(args[-1].child_by_field_name("property"))
    if ts.text(args[-1].child_by_field_name("object")) != item:
        return None
    function = args[0].parent
    while function is not None and function.type not in {"arrow_function", "function_expression"}:
        function = function.parent
    params = function.child_by_field_name("parameters") if function is not None else None
    single = function.child_by_field_name("parameter") if function is not None else None
    names = (
        [ts.text(p) for p in params.named_children]
        if params is not None
        else [ts.text(single)]
        if single
        else []
    )
    loop = function.parent.parent if function is not None and function.parent is not None else None
    if item not in names[:1] or loop is None or loop.type != "call_expression":
        return None
    looped = loop.child_by_field_name("function")
    if looped is None or ts.text(looped.child_by_field_name("property")) != "forEach":
        return None
    array_name = ts.text(looped.child_by_field_name("object"))
    root = loop
    while root.parent is not None:
        root = root.parent
    pairs: list[tuple[str, str]] = []
    for declarator in _declarators(root, array_name):
        for element in declarator.named_children if declarator.type == "array" else []:
            fields = {ts.text(p.child_by_field_name("key")): p.child_by_field_name("value")
                      for p in element.named_children if p.type == "pair"}  # fmt: skip
            path = _strings(fields.get(path_key))
            target = fields.get(route_key)
            if path is not None and target is not None:
                pairs.append((path, ts.text(target)))
    return pairs or None


def _declarators(root: ts.Node, name: str) -> list[ts.Node]:
    found = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "variable_declarator" and ts.text(node.child_by_field_name("name")) == name:
            value = node.child_by_field_name("value")
            if value is not None:
                found.append(value)
        elif node.type in {
            "program",
            "lexical_declaration",
            "variable_declaration",
            "export_statement",
        }:
            stack.extend(node.named_children)
    return found


def _use(out: HttpBuilder, owner: str, method: str, args: list[ts.Node], line: int) -> None:
    if method == "use" and len(args) == 1 and _callee(args[0]) == "mount":
        # koa-mount: app.use(mount('/api', api)) mounts api at /api; mount(routes) at /
        args = _args(args[0].child_by_field_name("arguments")) or args
    looped = _loop_mounts(args) if method == "use" else None
    if looped:
        for mount, router_name in looped:
            out.uses.append(Use(owner, mount, router_name, (), line))
        return
    path = _strings(args[0])
    unresolved = (
        path is None
        and len(args) > 1
        and args[0].type in {"identifier", "member_expression"}
        and bool(_PATH_VARIABLE.search(ts.text(args[0])))
    )
    rest = args[1:] if path is not None or unresolved else args
    if not rest:
        return
    if method == "register":  # fastify.register(plugin, { prefix })
        target = rest[0]
        if target.type == "call_expression" and _callee(target) in fastify.PLUGIN_WRAPPERS:
            wrapped = _args(target.child_by_field_name("arguments"))
            rest = [wrapped[0] if wrapped else target, *rest[1:]]  # register(fp(plugin))
            target = rest[0]
        mount_path: str | None = _object_prefix(rest[1]) if len(rest) > 1 else ""
        folder = fastify.autoload_dir(rest[1]) if len(rest) > 1 else None
        if folder is not None:
            prefix = mount_path or fastify.autoload_prefix(rest[1])
            # dirNameRoutePrefix: false keeps folder names out of the plugins' paths
            option = _object_field(rest[1], "dirNameRoutePrefix")
            flat = option is not None and ts.text(option) == "false"
            out.uses.append(
                Use(owner, prefix, f"autoload:{folder}" + ("#flat" if flat else ""), (), line)
            )
            return
    else:
        # koa-router: router.use('/users', users.routes(), users.allowedMethods())
        routers = [
            a for a in rest if a.type == "call_expression" and _callee(a).endswith(".routes")
        ]
        target = routers[0] if routers else rest[-1]
        mount_path = None if unresolved else (path or "")
    if unresolved:
        out.warnings.append(
            f"{out.path}:{line}: mount path {ts.text(args[0])} is not a literal; "
            "routes below it are listed without it"
        )
    mounted = target
    function = target.child_by_field_name("function") if target.type == "call_expression" else None
    if function is not None and _callee(target).endswith((".routes", ".middleware")):
        # koa-router: app.use(router.routes())
        router_object = function.child_by_field_name("object")
        if router_object is None:
            return
        target = router_object
    if target.type == "call_expression" and _callee(target).startswith("require("):
        target = target.child_by_field_name("function") or target  # require('./users')()
    if target.type == "call_expression" and _callee(target) == "require":
        required = _args(target.child_by_field_name("arguments"))
        target_name = "require:" + (_strings(required[0]) or "") if required else ""
    else:
        target_name = _name_of(target)
        if target_name == _INLINE:
            target_name = f"inline {owner}.use handler"
    functions = [
        a
        for a in (rest[:1] if method == "register" else rest)  # register's second is options
        if a is not mounted and a.type not in {"object", "string", "number"}
    ]
    names = tuple(
        n for n in (_name_of(a) for a in functions) if n and not n.endswith(".allowedMethods")
    )
    auth = any(_guards(n) for n in names)
    expression = ts.text(args[0]) if unresolved else None
    package = method == "register" and fastify.is_package(target_name, out)
    out.uses.append(
        Use(owner, mount_path, target_name, names, line, auth, expression, package=package)
    )


def _plugin(function: ts.Node, out: HttpBuilder) -> str | None:
    """``async function (fastify, opts) {...}``: a Fastify plugin registers routes on its
    first parameter, which stands for the router it is mounted as."""
    if function.type == "call_expression" and _callee(function) in fastify.PLUGIN_WRAPPERS:
        inner = _args(function.child_by_field_name("arguments"))
        function = inner[0] if inner else function
        if function.type == "identifier":  # fp(plugin), plugin declared in the file
            function = out.functions.get(ts.text(function), function)
    if function.type not in {
        "function_expression",
        "arrow_function",
        "function",
        "function_declaration",
    }:
        return None
    params = function.child_by_field_name("parameters")
    first = params.named_children[0] if params is not None and params.named_children else None
    if first is None:
        return _returned(function)
    name = ts.text(first.child_by_field_name("pattern") or first).split(":")[0].strip()
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return None
    if not any(r.var == name for r in out.routers):
        out.routers.append(Router(name, "router", "Fastify", "", ts.line(function)))
    return name


def _returned(function: ts.Node) -> str | None:
    """``() => { const app = Router(); ...; return app }``: the router a factory returns."""
    body = function.child_by_field_name("body")
    for statement in body.named_children if body is not None else []:
        if statement.type == "return_statement" and statement.named_children:
            value = statement.named_children[0]
            if value.type == "identifier":
                return ts.text(value)
    return None


def _route(
    out: HttpBuilder,
    owner: str,
    method: str,
    path: str | None,
    handlers: list[ts.Node],
    line: int,
    path_expr: str | None = None,
) -> None:
    # Fastify's route options give their request hooks; other arguments are functions
    handlers = [f for h in handlers for f in (fastify.hooks(h) if h.type == "object" else [h])]
    # router.get('/x', [auth, ...checks], h): a list of middleware is its members
    handlers = [f for h in handlers for f in (_members(h) if h.type == "array" else [h])]
    names = [n if n != _INLINE else "" for n in (_name_of(h) for h in handlers)]
    handler = names[-1] if names and names[-1] else None
    middleware = [n for n in names[:-1] if n]
    auth = "unknown"
    if any(_PUBLIC_NAME.search(n) for n in middleware):
        auth = "public"
    elif any(_guards(n) for n in middleware):
        auth = "required"
    verb = {"all": "ANY", "del": "DELETE"}.get(method, method.upper())
    out.routes.append(
        RouteDecl(owner, verb, path, handler, line, auth, tuple(middleware), path_expr)
    )


def _members(array: ts.Node) -> list[ts.Node]:
    found = []
    for child in array.named_children:
        if child.type == "spread_element" and child.named_children:
            child = child.named_children[0]
        if child.type != "comment":
            found.append(child)
    return found


def _chain_base(node: ts.Node) -> ts.Node:
    """``server.register(cors).register(autoLoad, ...)`` -> ``server``: a chain of use and
    register calls acts on its first receiver."""
    while node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            break
        if ts.text(function.child_by_field_name("property")) not in {"use", "register"}:
            break
        node = function.child_by_field_name("object") or node
    return node


def _exports(node: ts.Node, out: HttpBuilder) -> None:
    source_node = node.child_by_field_name("source")
    source = ts.unquote(source_node) if source_node is not None else None
    declaration = node.child_by_field_name("declaration")
    value = node.child_by_field_name("value")
    if declaration is not None:
        for declarator in declaration.named_children:
            if declarator.type == "variable_declarator":
                name = ts.text(declarator.child_by_field_name("name"))
                out.exports.append(Export(name, name))
        if declaration.type in {"class_declaration", "function_declaration"}:
            name = ts.text(declaration.child_by_field_name("name"))
            is_default = any(c.type == "default" for c in node.children)
            plugin = (
                _plugin(declaration, out) if declaration.type == "function_declaration" else None
            )
            out.exports.append(Export("default" if is_default else name, plugin or name))
    elif value is not None:
        chained = f"default@{ts.line(value)}"
        if _router_chain(chained, value, out):
            out.exports.append(Export("default", chained))
            return
        plugin = _plugin(out.functions.get(ts.text(value), value), out)
        out.exports.append(Export("default", plugin or ts.text(value)))
    for clause in node.named_children:
        if clause.type == "export_clause":
            for spec in clause.named_children:
                name = ts.text(spec.child_by_field_name("name"))
                alias = spec.child_by_field_name("alias")
                out.exports.append(Export(ts.text(alias) if alias else name, name, source))
    if source is not None and not any(c.type == "export_clause" for c in node.named_children):
        out.exports.append(Export("*", "*", source))


def _assignment(match: ts.Match, out: HttpBuilder) -> None:
    left, right = ts.text(match["assign.left"][0]), match["assign.right"][0]
    if left.startswith("this.") and right.type in {"call_expression", "new_expression"}:
        _declare(left, right, out)  # this.app = express() in a class's constructor
    elif left == "module.exports":
        if right.type == "object":
            for child in right.named_children:
                if child.type == "shorthand_property_identifier":
                    out.exports.append(Export(ts.text(child), ts.text(child)))
                elif child.type == "pair":
                    out.exports.append(
                        Export(
                            ts.text(child.child_by_field_name("key")),
                            ts.text(child.child_by_field_name("value")),
                        )
                    )
        elif right.type == "call_expression" and _callee(right).endswith(
            (".routes", ".middleware")
        ):
            # koa-router: module.exports = router.routes()
            out.exports.append(Export("default", _callee(right).rsplit(".", 1)[0]))
        elif right.type == "call_expression" and _callee(right) == "require":
            source = _strings(_args(right.child_by_field_name("arguments"))[0])
            if source:
                # the module is the required one: its default and each of its names
                out.exports += [Export("default", "default", source), Export("*", "*", source)]
        elif (plugin := _plugin(out.functions.get(ts.text(right), right), out)) is not None:
            out.exports.append(Export("default", plugin))
        else:
            out.exports.append(Export("default", _name_of(right)))
    elif left.startswith(("module.exports.", "exports.")):
        out.exports.append(Export(left.rsplit(".", 1)[1], _name_of(right)))


TRIGGER = re.compile(
    r"express|Router|fastify|Fastify|koa|Koa|@Controller|@JsonController|setGlobalPrefix|"
    r"routePrefix|"
    r"\.(get|post|put|patch|delete|all|use|register|route)\(|"
    r"export\s*(\*|\{[^}]*\})\s*from|module\.exports\s*=\s*require|"
    r"[Pp]refix|PREFIX|basePath|BASE_PATH|"
    # a project helper's call, setupApiRoute(router, 'get', '/users', ...), and a helper's
    # registration with a verb it is given, router[verb](name, ...)
    r"\[\w*([Vv]erb|[Mm]ethod)\]\(|"
    r"\w\(\s*[\w.]+\s*,\s*(['\"`]\w+['\"`]\s*,\s*)?['\"`]/"
)


def queries(grammar: str) -> tuple[str, ...]:
    """The queries ``extract_http`` asks of a file in ``grammar``."""
    return (_FIELD_QUERIES[grammar], _QUERY, *HELPER_QUERIES)


EXPORTED_CONSTANT = re.compile(r"export\s+const\s+\w+\s*=\s*['\"`]")
_CONSTANTS_QUERY = "(export_statement (lexical_declaration (variable_declarator "
_CONSTANTS_QUERY += "name: (identifier) @key value: (string) @value)))"


def extract_http(path: str, text: str, parsed: ts.Parsed) -> FileHttp | None:
    if not TRIGGER.search(text):
        if not EXPORTED_CONSTANT.search(text):
            return None
        # a module of path constants another file's routes import
        constants = HttpBuilder(path, "js")
        for match in parsed.matches(_CONSTANTS_QUERY):
            value = _strings(match["value"][0])
            if value and names.pathlike(value):
                constants.constants.append((ts.text(match["key"][0]), value))
        return constants.freeze()
    out = HttpBuilder(path, "js")
    handed: list[Use] = []
    for match in parsed.matches(_FIELD_QUERIES[parsed.grammar]):
        # class UsersRoute { public path = '/users'; public router = Router(); }
        field_name, field_value = ts.text(match["field.name"][0]), match["field.value"][0]
        if field_value.type in {"call_expression", "new_expression"}:
            _declare(f"this.{field_name}", field_value, out)
        elif (literal := _strings(field_value)) and literal.startswith("/") and len(literal) < 80:
            out.constants.append((field_name, literal))
    for match in parsed.matches(_QUERY):
        if "import" in match:
            _imports(match, out)
        elif "require.fn" in match:
            _require(match, out)
        elif "var.name" in match:
            _variable(match, out)
        elif "fn.name" in match:
            out.functions[ts.text(match["fn.name"][0])] = match["fn.value"][0]
        elif "call" in match:
            _call(match, out)
        elif "assign" in match:
            _assignment(match, out)
        elif "plain" in match:
            if ts.text(match["plain.fn"][0]) in _CONTROLLER_SERVERS:
                _route_prefix(match["plain.args"][0], ts.line(match["plain"][0]), out)
            # auth(app): a router handed to a function that mounts routes on it
            for arg in _args(match["plain.args"][0]):
                if arg.type == "identifier":
                    handed.append(Use(ts.text(arg), "", ts.text(match["plain.fn"][0]), (),
                                      ts.line(match["plain"][0]), handed=True))  # fmt: skip
        elif "handed" in match:
            # require('./config/routes')(app, passport): the module's function mounts on app
            if ts.text(match["handed.require"][0]) == "require":
                target = "require:" + ts.text(match["handed.source"][0])
                for arg in _args(match["handed.args"][0]):
                    if arg.type == "identifier":
                        handed.append(Use(ts.text(arg), "", target, (),
                                          ts.line(match["handed"][0]), handed=True))  # fmt: skip
        elif "const.key" in match:
            value = _strings(match["const.value"][0])
            declared = match["const.key"][0].type == "identifier"
            # a variable may hold any part of a path (const globalPrefix = 'api'); an
            # object's keys are too many and too generic to be taken unless they hold a path
            if value and (value.startswith("/") or declared) and names.pathlike(value):
                out.constants.append((ts.text(match["const.key"][0]), value))
        elif "export" in match:
            node = match["export"][0]
            _exports(node, out)
            declaration = node.child_by_field_name("declaration")
            if declaration is not None and declaration.type == "class_declaration":
                _nest_class(
                    declaration, out, _decorator_calls(node) + _decorator_calls(declaration)
                )
        elif "class" in match:
            node = match["class"][0]
            if node.parent is None or node.parent.type != "export_statement":
                _nest_class(node, out, _decorator_calls(node))
    # after the routers are known: a helper registers on a parameter or on one of them
    helper_lines = read_helpers(parsed, out)
    for owner, method, args, line in out.pending:
        if line in helper_lines:
            continue  # the path is a helper's parameter: its calls are the routes
        resolved = _template_path(args[0], out)
        if resolved is None and (expr := _path_expr(args[0])) is not None:
            # names of other files (an imported constant): resolved once files are joined
            _route(out, owner, method, None, args[1:], line, expr)
        elif resolved is None:
            # A made-up path would be wrong information; the warning says where it is.
            out.warnings.append(
                f"{out.path}:{line}: route path {ts.text(args[0])[:40]} is not a literal; "
                "the route is left out"
            )
        else:
            _route(out, owner, method, resolved, args[1:], line)
    routers = {r.var for r in out.routers}
    out.uses += [use for use in handed if use.owner in routers]
    return out.freeze()


def _route_prefix(arguments: ts.Node, line: int, out: HttpBuilder) -> None:
    """``createExpressServer({ routePrefix: '/api', controllers: [...] })`` (routing-controllers)
    serves every controller below its ``routePrefix``, as Nest's setGlobalPrefix does."""
    options = next((a for a in _args(arguments) if a.type == "object"), None)
    value = _object_field(options, "routePrefix")
    if value is None:
        return
    out.global_prefix = _strings(value)
    if out.global_prefix is None:
        out.warnings.append(
            f"{out.path}:{line}: route prefix {ts.text(value)[:40]} is not a literal; "
            "routes are listed without it"
        )


def _template_path(node: ts.Node, out: HttpBuilder) -> str | None:
    """`${this.path}/:id` or `${BASE}/users` with each substitution a string constant of
    the file (a class field, a const, an object key); None when any is not."""
    if node.type in {"identifier", "member_expression"}:
        return _constant(ts.text(node), out)
    if node.type != "template_string":
        return None
    parts = []
    for child in node.named_children:
        if child.type == "template_substitution":
            inner = child.named_children[0] if child.named_children else None
            value = _constant(ts.text(inner), out) if inner is not None else None
            if value is None:
                return None
            parts.append(value)
        else:
            parts.append(ts.text(child))
    return "".join(parts)


def _constant(expression: str, out: HttpBuilder) -> str | None:
    name = expression.removeprefix("this.")
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", name):
        return None
    values = {value for key, value in out.constants if key == name}
    return values.pop() if len(values) == 1 else None
