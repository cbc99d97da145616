"""What a Laravel application says around its route files: the global middleware of
``app/Http/Kernel.php`` (Laravel 10 and before) or ``bootstrap/app.php``'s
``withMiddleware`` (11 and after), the route files ``withRouting`` loads and their prefix,
and the middleware controllers apply to their own actions."""

from __future__ import annotations

from archdraft.scan import treesitter as ts
from archdraft.scan.http import php_syntax as php
from archdraft.scan.http.laravel import auth_of, file_target, is_guard
from archdraft.scan.http.model import OPEN_UNLESS_GUARDED, HttpBuilder, RouteDecl, Router, Use

APP = "laravel"
_GLOBAL_CALLS = {"append", "prepend", "use"}

QUERY = """
(class_declaration name: (name) @class.name (base_clause (_) @class.base)?
  body: (declaration_list) @class.body) @class
(scoped_call_expression scope: (_) @app.scope name: (name) @app.name) @app
"""


def _app(out: HttpBuilder, line: int) -> None:
    if not any(r.var == APP for r in out.routers):
        out.routers.append(Router(APP, "app", "php", "", line))


def read_app(out: HttpBuilder, parsed: ts.Parsed) -> list[tuple[str, int]]:
    """Fills ``out``; returns the exception handlers seen (``withExceptions``)."""
    handlers: list[tuple[str, int]] = []
    for match in parsed.matches(QUERY):
        if "class" in match:
            base = php.short(ts.text(match["class.base"][0])) if "class.base" in match else ""
            body = match["class.body"][0]
            if base.endswith("Kernel"):
                _kernel(out, body)
            actions = _controller(body)
            if actions:
                out.resources.append((ts.text(match["class.name"][0]), actions))
        elif ts.text(match["app.scope"][0]).endswith("Application"):
            node = match["app"][0]
            while node.parent is not None and node.parent.type == "member_call_expression":
                node = node.parent
            for name, name_node, arguments in php.member_chain(node) or []:
                if name == "withRouting":
                    _routing(out, arguments, ts.line(name_node))
                elif name == "withMiddleware":
                    _global(out, arguments)
                elif name == "withExceptions":
                    handlers.append(("withExceptions", ts.line(name_node)))
    return handlers


def _kernel(out: HttpBuilder, body: ts.Node) -> None:
    for prop in body.named_children:
        if prop.type != "property_declaration":
            continue
        for element in prop.named_children:
            name = element.child_by_field_name("name")
            value = element.child_by_field_name("default_value")
            if element.type != "property_element" or value is None:
                continue
            if ts.text(name) == "$middleware":
                _app(out, ts.line(prop))
                for item in value.named_children:
                    for mw in php.names(item.named_children[0] if item.named_children else None):
                        out.uses.append(Use(APP, "", mw, (), ts.line(item)))
            elif ts.text(name) == "$middlewareGroups":
                for group, members in php.array_items(value):
                    if group in GROUPS:
                        _group(out, group, members)


def _routing(out: HttpBuilder, arguments: ts.Node, line: int) -> None:
    _app(out, line)
    prefix = php.literal(php.named_arg(arguments, "apiPrefix"))
    for key, path in (("web", ""), ("api", "/" + (prefix if prefix is not None else "api"))):
        value = php.named_arg(arguments, key)
        target = file_target(out.path, value) if value is not None else None
        if target is not None:
            out.uses.append(Use(APP, path, target, (), ts.line(value) if value else line))
    # health: '/up' registers the framework's own health check (GET, no middleware group)
    health = php.named_arg(arguments, "health")
    uri = php.literal(health)
    if health is not None and uri:
        out.routes.append(RouteDecl(APP, "GET", "/" + uri.lstrip("/"), "health", ts.line(health)))


def _global(out: HttpBuilder, arguments: ts.Node) -> None:
    """``$middleware->append(X::class)``; prepends, then the rest, in the order written."""
    calls = [m for v in php.args(arguments) for m in ts.matches("php", _CALLS, v)]
    for match in calls:
        name = ts.text(match["name"][0])
        if name in _GLOBAL_CALLS:
            _app(out, ts.line(match["name"][0]))
            for value in php.args(match["args"][0]):
                for mw in php.names(value):
                    out.uses.append(Use(APP, "", mw, (), ts.line(value)))
        elif name in GROUPS:
            for key in ("prepend", "append"):
                _group(out, name, php.named_arg(match["args"][0], key))
        elif name in _API_SHORTHANDS:
            # $middleware->statefulApi(), ->throttleApi('uploads'): the api group gains one
            values = php.args(match["args"][0])
            limiter = php.literal(values[0]) if values else None
            added = _API_SHORTHANDS[name].replace("{}", limiter or "api")
            _app(out, ts.line(match["name"][0]))
            out.uses.append(Use(APP, GROUPS["api"], added, (), ts.line(match["name"][0])))


# The middleware groups every route file of that kind runs through: recorded as group
# middleware (a mount path that is never walked keeps them out of the global chain)
GROUPS = {"web": "/", "api": "/api"}
_API_SHORTHANDS = {"statefulApi": "EnsureFrontendRequestsAreStateful", "throttleApi": "throttle:{}"}


def _group(out: HttpBuilder, group: str, value: ts.Node | None) -> None:
    if value is None:
        return
    _app(out, ts.line(value))
    for item in value.named_children if value.type == "array_creation_expression" else [value]:
        for mw in php.names(item.named_children[0] if item.named_children else item):
            out.uses.append(Use(APP, GROUPS[group], mw, (), ts.line(item)))


_CALLS = """
(member_call_expression object: (variable_name) name: (name) @name arguments: (arguments) @args)
"""
_METHODS = """
(method_declaration name: (name) @name body: (compound_statement) @body)
"""
_THIS_MIDDLEWARE = """
(member_call_expression
  object: (variable_name) @obj name: (name) @name (#eq? @name "middleware")
  arguments: (arguments) @args) @call
"""


def _controller(body: ts.Node) -> tuple[tuple[str, str], ...]:
    """Each action's auth as the controller's constructor says (``$this->middleware('auth')
    ->except(['index'])``) or Laravel 11's static ``middleware()`` list; ``*`` for actions
    it does not declare (inherited ones)."""
    methods: dict[str, ts.Node] = {}
    for match in ts.matches("php", _METHODS, body):
        methods[ts.text(match["name"][0])] = match["body"][0]
    rules: list[tuple[list[str], set[str] | None, set[str]]] = []
    if "__construct" in methods:
        for match in ts.matches("php", _THIS_MIDDLEWARE, methods["__construct"]):
            if ts.text(match["obj"][0]) != "$this":
                continue
            values = php.args(match["args"][0])
            names = php.names(values[0]) if values else []
            only: set[str] | None = None
            except_: set[str] = set()
            # $this->middleware('guest', ['only' => ['login']]): the options array
            for key, listed in php.array_items(values[1]) if len(values) > 1 else ():
                if key == "only":
                    only = set(php.names(listed))
                elif key == "except":
                    except_ |= set(php.names(listed))
            node = match["call"][0]
            while node.parent is not None and node.parent.type == "member_call_expression":
                node = node.parent
                link = ts.text(node.child_by_field_name("name"))
                values = php.args(node.child_by_field_name("arguments"))
                found = {n for v in values for n in php.names(v)}
                if link == "only":
                    only = found
                elif link == "except":
                    except_ |= found
            rules.append((names, only, except_))
    if "middleware" in methods:
        rules += _static_rules(methods["middleware"])
    if not rules:
        return ()
    actions = [m for m in methods if not m.startswith("__") and m != "middleware"] + ["*"]
    result = []
    for action in actions:
        applied = [
            n
            for names, only, except_ in rules
            if (only is None or action in only) and action not in except_
            for n in names
        ]
        auth = auth_of(applied, ())
        if auth == "unknown" and any(is_guard(n) for names, _o, _e in rules for n in names):
            # the controller's guard leaves this action out on purpose: open, unless the
            # route's group or file guards it
            auth = OPEN_UNLESS_GUARDED
        result.append((action, auth))
    return tuple(result)


def _static_rules(body: ts.Node) -> list[tuple[list[str], set[str] | None, set[str]]]:
    rules: list[tuple[list[str], set[str] | None, set[str]]] = []
    for statement in body.named_children:
        if statement.type != "return_statement" or not statement.named_children:
            continue
        array = statement.named_children[0]
        for element in array.named_children if array.type == "array_creation_expression" else ():
            value = element.named_children[0] if element.named_children else None
            if value is None:
                continue
            if value.type == "object_creation_expression":
                arguments = next((c for c in value.named_children if c.type == "arguments"), None)
                values = php.args(arguments)
                names = php.names(values[0]) if values else []
                only_node = php.named_arg(arguments, "only")
                except_node = php.named_arg(arguments, "except")
                only = set(php.names(only_node)) if only_node is not None else None
                rules.append((names, only, set(php.names(except_node))))
            else:
                rules.append((php.names(value), None, set()))
    return rules
