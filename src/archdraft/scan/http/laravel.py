"""Laravel route declarations in one PHP file (``routes/*.php``, a service provider):
``Route::`` calls, their groups, prefixes, middleware and controllers, and resources,
read from the tree-sitter tree. Each file declares one router, ``routes``; which file is a
root, and under which prefix, is decided once all files are known (``laravel_link``)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace

from archdraft.scan import treesitter as ts
from archdraft.scan.http import php_syntax as php
from archdraft.scan.http.model import HttpBuilder, RouteDecl, Router, Use
from archdraft.scan.http.paths import join

ROUTER = "routes"
ROOTS = frozenset({"Route"})
_VERBS = {"get": ("GET",), "post": ("POST",), "put": ("PUT",), "patch": ("PATCH",),
          "delete": ("DELETE",), "options": ("OPTIONS",), "any": ("ANY",),
          "view": ("GET",), "redirect": ("ANY",), "permanentRedirect": ("ANY",)}  # fmt: skip
_RESOURCE_ACTIONS = (
    ("index", "GET", ""), ("create", "GET", "/create"), ("store", "POST", ""),
    ("show", "GET", "/{}"), ("edit", "GET", "/{}/edit"), ("update", "PUT", "/{}"),
    ("update", "PATCH", "/{}"), ("destroy", "DELETE", "/{}"),
)  # fmt: skip
_API_ACTIONS = frozenset({"index", "store", "show", "update", "destroy"})
# Middleware that lets a request through only for a signed-in or authorised caller
_GUARD = re.compile(
    r"^(auth(\.\w+)?|can|verified|password\.confirm|abilities|ability|role|permission|"
    r"admin|sanctum|jwt(\.\w+)?|scopes?|client)(:|$)|auth|jwt|token|permission|role|admin",
    re.I,
)
_NOT_GUARD = re.compile(r"^guest\b|throttle|limit|cors|csrf|log|session|cookie", re.I)
_OPTIONAL = re.compile(r"\{(\w+)(?::\w+)?\?\}|\{(\w+):\w+\}")
_MAX_DEPTH = 300  # nesting beyond this is no hand-written route file
_MAX_UNROLLED = 500


def is_guard(name: str) -> bool:
    return bool(_GUARD.search(name)) and not _NOT_GUARD.search(name)


def is_public(name: str) -> bool:
    return name.split(":")[0] == "guest"


@dataclass(frozen=True)
class _Ctx:
    prefix: str = ""
    middleware: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    controller: str | None = None
    bound: tuple[tuple[str, ts.Node], ...] = ()
    """``foreach ($endpoints as $name => $controller)`` over a literal array: each variable
    with the element it stands for in this pass."""


@dataclass
class _Pending:
    methods: tuple[str, ...]
    path: str | None
    handler: str | None
    line: int
    own: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    own_lines: list[int] = field(default_factory=list)


def auth_of(middleware: tuple[str, ...] | list[str], without: tuple[str, ...] | list[str]) -> str:
    applied = [m for m in middleware if m not in without]
    if any(is_guard(m) for m in applied):
        return "required"
    if any(is_public(m) for m in applied) or any(is_guard(m) for m in without):
        return "public"
    return "unknown"


def _uri(raw: str) -> str:
    # {id?} and {post:slug} are the parameter {id}, {post}
    return _OPTIONAL.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", raw)


def _route_aliases(root: ts.Node) -> frozenset[str]:
    """The names the file imports the Route facade under
    (``use Illuminate\\Support\\Facades\\Route as Facade;``): their static calls are
    ``Route::`` calls."""
    found = set()
    for declaration in root.named_children:
        if declaration.type != "namespace_use_declaration":
            continue
        group = next((c for c in declaration.named_children if c.type == "namespace_name"), None)
        clauses = ts.descendants(declaration, {"namespace_use_clause"})
        for clause in clauses:
            parts = [c for c in clause.named_children if c.type in {"qualified_name", "name"}]
            if len(parts) < 2:
                continue  # no alias: the name is Route itself or another class
            imported = ts.text(parts[0])
            if group is not None and clause.parent is not declaration:
                imported = f"{ts.text(group)}\\{imported}"
            if imported.lstrip("\\") in {"Illuminate\\Support\\Facades\\Route", "Route"}:
                found.add(ts.text(parts[-1]))
    return frozenset(found)


def _literal_arrays(root: ts.Node) -> dict[str, ts.Node]:
    found: dict[str, list[ts.Node]] = {}
    for statement in root.named_children:
        value = statement.named_children[0] if statement.named_children else None
        if (
            statement.type == "expression_statement"
            and value is not None
            and value.type == "assignment_expression"
            and len(value.named_children) == 2
        ):
            name, array = value.named_children
            if name.type == "variable_name" and array.type == "array_creation_expression":
                found.setdefault(ts.text(name), []).append(array)
    return {name: arrays[0] for name, arrays in found.items() if len(arrays) == 1}


def _interpolated(node: ts.Node, ctx: _Ctx) -> str | None:
    """A literal, or a double-quoted string whose variables the loop binds."""
    value = php.literal(node)
    if value is not None or node.type != "encapsed_string" or not ctx.bound:
        return value
    bound = dict(ctx.bound)
    parts = []
    for child in node.named_children:
        if child.type == "string_content":
            parts.append(ts.text(child))
        elif child.type == "variable_name" and (text := php.literal(bound.get(ts.text(child)))):
            parts.append(text)
        else:
            return None
    return "".join(parts)


def _handler(node: ts.Node | None, ctx: _Ctx) -> str | None:
    if node is None:
        return None
    if node.type == "argument" and node.named_children:
        node = node.named_children[-1]
    if node.type in {"anonymous_function", "arrow_function"}:
        return "closure"
    parts = php.names(node)
    if len(parts) == 2 and node.type == "array_creation_expression":
        return f"{parts[0]}@{parts[1]}"
    if len(parts) == 1:
        value = parts[0]
        if "@" in value:
            return php.short(value)
        if php.class_name(node) is not None:
            return f"{value}@__invoke"
        return f"{ctx.controller}@{value}" if ctx.controller else value
    return None


def _singular(word: str) -> str:
    word = word.replace("-", "_")
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _resource_base(name: str) -> tuple[str, str]:
    """``photos.comments`` -> (``/photos/{photo}/comments``, ``comment``)."""
    segments = [s for s in name.strip("/").split(".") if s]
    if not segments:
        return "", "id"
    path = "".join(f"/{s}/{{{_singular(s.rsplit('/', 1)[-1])}}}" for s in segments[:-1])
    last = segments[-1]
    return f"{path}/{last}", _singular(last.rsplit("/", 1)[-1])


class LaravelRoutes:
    """Walks a file's statements, groups' closures included, with the context they add."""

    def __init__(self, out: HttpBuilder) -> None:
        self.out = out
        self.declared = False
        self.arrays: dict[str, ts.Node] = {}
        self.roots = ROOTS
        """Variables the file assigns one literal array, for loops over them."""

    def router(self) -> None:
        if not self.declared:
            self.out.routers.append(Router(ROUTER, "router", "php", "", 1))
            self.declared = True

    def visit(self, node: ts.Node, ctx: _Ctx, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            return
        if node.type == "program":
            self.arrays = _literal_arrays(node)
            self.roots = ROOTS | _route_aliases(node)
        if node.type == "foreach_statement" and self.unrolled(node, ctx, depth):
            return
        if node.type in {"expression_statement", "arrow_function", "return_statement"}:
            for child in node.named_children:
                if child.type.startswith(("require", "include")):
                    target = file_target(self.out.path, child)
                    if target is not None:
                        self.mount(target, ctx, ts.line(child))
                    return
                links = php.chain(child, self.roots)
                if links is not None:
                    self.statement(links, ctx, depth)
                    return
        for child in node.named_children:
            self.visit(child, ctx, depth + 1)

    def unrolled(self, node: ts.Node, ctx: _Ctx, depth: int) -> bool:
        """A loop over a literal array registers a route per element: its body is read once
        for each, with the loop's variables bound (``"{$endpoint}.view"``)."""
        parts = node.named_children
        if len(parts) < 3 or parts[0].type != "variable_name":
            return False
        array = self.arrays.get(ts.text(parts[0]))
        if array is None or len(array.named_children) > _MAX_UNROLLED:
            return False
        key_var, value_var = None, ts.text(parts[1])
        if parts[1].type == "pair" and len(parts[1].named_children) == 2:
            key_var, value_var = (ts.text(c) for c in parts[1].named_children)
        for element in array.named_children:
            values = element.named_children
            bound: tuple[tuple[str, ts.Node], ...] = ((value_var, values[-1]),) if values else ()
            if key_var is not None and len(values) == 2:
                bound += ((key_var, values[0]),)
            self.visit(parts[-1], replace(ctx, bound=ctx.bound + bound), depth + 1)
        return True

    def statement(self, links: list[php.Link], ctx: _Ctx, depth: int) -> None:
        self.router()
        pending: list[_Pending] = []
        resource: tuple[str, str | None, bool, int] | None = None
        only: set[str] | None = None
        except_: set[str] = set()
        added: list[tuple[str, int]] = []  # the middleware this statement gives its group
        for name, name_node, arguments in links:
            values = php.args(arguments)
            first = values[0] if values else None
            if name == "prefix" and not pending:
                ctx = replace(ctx, prefix=join(ctx.prefix, php.literal(first) or ""))
            elif name in {"middleware", "can", "withoutMiddleware"}:
                found = [m for v in values for m in php.names(v)]
                if name == "can":
                    found = ["can:" + ",".join(found)]
                if not pending and name == "withoutMiddleware":
                    ctx = replace(ctx, without=ctx.without + tuple(found))
                elif not pending:
                    ctx = replace(ctx, middleware=ctx.middleware + tuple(found))
                    added += [(m, ts.line(name_node)) for m in found]
                for item in pending:
                    if name == "withoutMiddleware":
                        item.without += found
                    else:
                        item.own += found
                        item.own_lines += [ts.line(name_node)] * len(found)
            elif name == "controller" and not pending:
                ctx = replace(ctx, controller=php.first_name(first))
            elif name == "group":
                self.group(values, ctx, ts.line(name_node), depth, added)
            elif name in _VERBS or name == "match":
                methods = _VERBS.get(name) or tuple(m.upper() for m in php.names(first))
                rest = values if name in _VERBS else values[1:]
                uri = _interpolated(rest[0], ctx) if rest else None
                bound = dict(ctx.bound)
                target = bound.get(ts.text(rest[1]), rest[1]) if len(rest) > 1 else None
                handler = _handler(target, ctx)
                if name in {"view", "redirect", "permanentRedirect"}:
                    handler = name
                line = ts.line(name_node)
                pending.append(_Pending(methods or ("ANY",), uri, handler, line))
            elif name in {"resource", "apiResource"}:
                label = php.literal(first)
                controller = php.first_name(values[1]) if len(values) > 1 else None
                if label is not None:
                    resource = (label, controller, name == "apiResource", ts.line(name_node))
                    pending.append(_Pending((), None, None, ts.line(name_node)))
            elif name in {"resources", "apiResources"}:
                for label, value in php.array_items(first):
                    controller = php.first_name(value)
                    line = ts.line(value)
                    self.resource(label, controller, name == "apiResources", line, ctx, [], None)
            elif name == "only":
                only = {n for v in values for n in php.names(v)}
            elif name == "except":
                except_ |= {n for v in values for n in php.names(v)}
        for item in pending:
            if resource is not None and not item.methods:
                label, controller, api, line = resource
                chosen = (only or set(_RESOURCE_ACTIONS_NAMES)) - except_
                own = item.own + [f"-{m}" for m in item.without]
                self.resource(label, controller, api, line, ctx, own, chosen)
                continue
            self.add(item, ctx)

    def add(self, item: _Pending, ctx: _Ctx) -> None:
        middleware = ctx.middleware + tuple(item.own)
        without = ctx.without + tuple(item.without)
        auth = auth_of(middleware, without)
        if item.path is None:
            self.out.warnings.append(
                f"{self.out.path}:{item.line}: route path is not a literal; route left out"
            )
            return
        path = join(ctx.prefix, _uri(item.path))
        for method in item.methods:
            self.out.routes.append(
                RouteDecl(
                    ROUTER,
                    method,
                    path,
                    item.handler,
                    item.line,
                    auth,
                    tuple(item.own),
                    middleware_lines=tuple(item.own_lines),
                )
            )

    def resource(
        self,
        label: str,
        controller: str | None,
        api: bool,
        line: int,
        ctx: _Ctx,
        own: list[str],
        chosen: set[str] | None,
    ) -> None:
        base, param = _resource_base(label)
        wanted = chosen if chosen is not None else set(_RESOURCE_ACTIONS_NAMES)
        kept_own = [m for m in own if not m.startswith("-")]
        without = [m[1:] for m in own if m.startswith("-")]
        for action, method, suffix in _RESOURCE_ACTIONS:
            if action not in wanted or (api and action not in _API_ACTIONS):
                continue
            handler = f"{controller}@{action}" if controller else action
            path = base + suffix.replace("{}", "{" + param + "}")
            item = _Pending((method,), path, handler, line, list(kept_own), without)
            self.add(item, ctx)

    def group(
        self,
        values: list[ts.Node],
        ctx: _Ctx,
        line: int,
        depth: int,
        added: list[tuple[str, int]] | None = None,
    ) -> None:
        added = list(added or [])
        for key, value in php.array_items(values[0] if len(values) > 1 else None):
            if key == "prefix":
                ctx = replace(ctx, prefix=join(ctx.prefix, php.literal(value) or ""))
            elif key == "middleware":
                found = php.names(value)
                ctx = replace(ctx, middleware=ctx.middleware + tuple(found))
                added += [(m, ts.line(value)) for m in found]
            elif key == "controller":
                ctx = replace(ctx, controller=php.first_name(value))
        if not values:
            return
        body = values[-1]
        if body.type in {"anonymous_function", "arrow_function"}:
            self.router()
            for name, at in added:
                # group middleware, applied to the group's routes here already: a mount
                # path that is never walked keeps it out of the global chain
                use = Use(ROUTER, ctx.prefix or "/", name, (), at, applied=True)
                self.out.uses.append(use)
            inner = body.child_by_field_name("body")
            if inner is not None:
                self.visit(inner if body.type == "anonymous_function" else body, ctx, depth + 1)
            return
        target = file_target(self.out.path, body)
        if target is not None:
            self.mount(target, ctx, line)

    def mount(self, target: str, ctx: _Ctx, line: int) -> None:
        """Another file's routes, under this group's prefix and middleware."""
        self.router()
        guarded = auth_of(ctx.middleware, ctx.without) == "required"
        self.out.uses.append(Use(ROUTER, ctx.prefix, target, ctx.middleware, line, guarded))


_RESOURCE_ACTIONS_NAMES = tuple(dict.fromkeys(a for a, _m, _s in _RESOURCE_ACTIONS))


def file_target(path: str, node: ts.Node) -> str | None:
    """The routes file an expression names, as a ``Use`` target: ``@routes/auth.php:routes``
    for ``__DIR__.'/auth.php'``; ``base:routes/api.php`` for ``base_path('routes/api.php')``,
    matched to a file once all are known."""
    if node.type in {"require_expression", "require_once_expression", "include_expression",
                     "include_once_expression", "parenthesized_expression"}:  # fmt: skip
        return file_target(path, node.named_children[-1]) if node.named_children else None
    if node.type == "function_call_expression":
        function = ts.text(node.child_by_field_name("function"))
        values = php.args(node.child_by_field_name("arguments"))
        value = php.literal(values[0]) if values else None
        if function == "base_path" and value:
            return "base:" + value.lstrip("/")
        return None
    if node.type == "binary_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        tail = php.literal(right)
        if left is not None and ts.text(left) == "__DIR__" and tail:
            folder = posixpath.dirname(path)
            return "@" + posixpath.normpath(posixpath.join(folder, tail.lstrip("/"))) + ":routes"
        if left is not None and left.type == "function_call_expression" and tail:
            head = file_target(path, left)
            if head is not None and head.startswith("base:"):
                return posixpath.join(head, tail.lstrip("/"))
    return None


def read_routes(out: HttpBuilder, root: ts.Node) -> None:
    LaravelRoutes(out).visit(root, _Ctx())
