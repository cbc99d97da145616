"""The Rails routing DSL of ``config/routes.rb`` (and the files it draws), read from the
syntax tree into route specs with paths relative to the file and controllers relative to
no module. Which of a ``resources`` line's standard actions exist is decided later, once
the controllers are read (``rails_resolve``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from archdraft.scan import treesitter as ts
from archdraft.scan.http.paths import join
from archdraft.scan.http.rails_devise import devise_model, devise_routes
from archdraft.scan.http.ruby_syntax import (
    CallShape,
    call_shape,
    singular,
    statements,
    strings,
    value,
)


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    controller: str | None
    """``api/v1/articles``: the controller's path below app/controllers, without the suffix."""
    action: str | None
    line: int
    standard: bool = False
    """A ``resources``/``resource`` action: listed only where the controller defines it."""
    target: str | None = None
    """What a ``mount`` or a ``redirect`` sends the request to, when no controller does."""
    devise: tuple[str, str] | None = None
    """A ``devise_for`` route: the model and the Devise module it needs the model to enable."""


@dataclass(frozen=True)
class Draw:
    """``draw(:admin)``: config/routes/admin.rb, read inside the scope the call stands in."""

    name: str
    line: int
    path: str
    module: str


@dataclass(frozen=True)
class RoutesFile:
    routes: tuple[RouteSpec, ...] = ()
    draws: tuple[Draw, ...] = ()


_VERBS = {"get", "post", "put", "patch", "delete", "options", "head"}
_RESOURCES: tuple[str, ...] = ("index", "create", "new", "edit", "show", "update", "destroy")
_RESOURCE: tuple[str, ...] = ("create", "new", "edit", "show", "update", "destroy")
_PATHS = {"index": ("GET", ""), "create": ("POST", ""), "new": ("GET", "/new"),
          "edit": ("GET", "/{id}/edit"), "show": ("GET", "/{id}"), "update": ("PATCH", "/{id}"),
          "destroy": ("DELETE", "/{id}")}  # fmt: skip
# Scope-like calls whose block is read in the same scope: constraints, defaults, conditions
_TRANSPARENT = {
    "constraints",
    "defaults",
    "with_options",
    "scope",
    "namespace",
    "controller",
    "authenticated",
    "authenticate",
    "unauthenticated",
    "devise_scope",
    "localized",
}
_OPTIONAL = re.compile(r"\([^()]*\)")
_PARAM = re.compile(r"[:*]([A-Za-z_]\w*)")


def rails_path(raw: str) -> str:
    """``/top(/:length)(.:format)`` -> ``/top``: optional segments are left out and
    parameters written ``{name}``."""
    previous = None
    while previous != raw:
        previous, raw = raw, _OPTIONAL.sub("", raw)
    return _PARAM.sub(r"{\1}", raw)


_FORMS = 8  # a path with more optional parts than this is listed in fewer of its forms


def rails_paths(raw: str) -> list[str]:
    """Every form a verb route's optional segments allow, shortest first:
    ``/top(/:length(/page/:page))`` -> ``/top``, ``/top/{length}``,
    ``/top/{length}/page/{page}``. An optional format (``(.:format)``) is no form of its own."""
    forms: list[str] = []
    pending = [raw]
    while pending and len(forms) < _FORMS:
        current = pending.pop(0)
        group = _outer_group(current)
        if group is None:
            forms.append(rails_path(current))
            continue
        start, end = group
        inner = current[start + 1 : end - 1]
        pending.append(current[:start] + current[end:])
        if not inner.startswith("."):
            pending.append(current[:start] + inner + current[end:])
    return sorted(dict.fromkeys(forms), key=lambda form: (form.count("/"), form))


def _outer_group(raw: str) -> tuple[int, int] | None:
    """The span of the first outermost ``(...)`` in ``raw``, parentheses included."""
    depth, start = 0, -1
    for index, char in enumerate(raw):
        if char == "(":
            start = index if depth == 0 else start
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                return start, index + 1
    return None


def plural_of(word: str) -> str:
    """The plural of a singular resource's name, for its controller (profile -> profiles)."""
    if word.endswith("s"):
        return word
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class _Scope:
    path: str = ""
    module: str = ""
    controller: str | None = None
    """Where a verb without ``to:`` goes (inside a resource, or ``scope controller:``)."""
    member: str | None = None
    """Inside a resource's block: the path a ``member`` route hangs from (``/articles/{id}``)."""
    nested: str | None = None
    """Inside a resource's block: the path of nested routes (``/articles/{article_id}``)."""
    collection: str | None = None
    namespace: str | None = None
    """The last ``namespace`` name, the controller of a bare verb in it (``post "plaid"``)."""
    shallow: bool = False
    """Inside ``shallow do`` or a ``shallow: true`` resource: nested resources' member
    routes hang from ``shallow_path``, not from their parent's member path."""
    shallow_path: str = ""
    """The path a namespace or ``scope shallow_path:`` gives, without ``scope`` paths or
    parent resources (Rails' ``shallow_path``)."""


@dataclass
class _Reader:
    routes: list[RouteSpec] = field(default_factory=list)
    draws: list[Draw] = field(default_factory=list)
    concerns: dict[str, ts.Node | None] = field(default_factory=dict)
    depth: int = 0

    def body(self, node: ts.Node | None, scope: _Scope) -> None:
        self.depth += 1
        if self.depth < 60:  # a hostile file's nesting ends the reading, not the scan
            for statement in statements(node):
                self.statement(statement, scope)
        self.depth -= 1

    def statement(self, node: ts.Node, scope: _Scope) -> None:
        if node.type in {"if", "unless", "then", "else", "begin", "parenthesized_statements"}:
            for child in node.named_children:
                if child.type in {"then", "else", "call", "begin", "if", "unless"}:
                    self.statement(child, scope)
            return
        shape = call_shape(node)
        if shape is None or shape.receiver is not None:
            if shape is not None and shape.block is not None and shape.name == "draw":
                self.body(shape.block, scope)  # Rails.application.routes.draw do ... end
            return
        self.call(shape, ts.line(node), scope)

    def call(self, shape: CallShape, line: int, scope: _Scope) -> None:
        name = shape.name
        if name in _VERBS or name == "match":
            self.verb(shape, line, scope)
        elif name == "root":
            self.root(shape, line, scope)
        elif name in {"resources", "resource"}:
            for each in shape.args:
                resource = value(each)
                if isinstance(resource, str):
                    self.resource(shape, resource, name == "resource", line, scope)
        elif name == "namespace" and shape.args:
            self.namespace(shape, scope)
        elif name == "scope":
            self.body(shape.block, self.scoped(shape, scope))
        elif name == "shallow" and not shape.args:
            self.body(shape.block, replace(scope, shallow=True))
        elif name in {"member", "collection"} and scope.member is not None:
            here = scope.member if name == "member" else scope.collection
            self.body(shape.block, replace(scope, path=here or "", member=None, nested=None))
        elif name == "mount":
            self.mount(shape, line, scope)
        elif name == "devise_for":
            self.devise(shape, line, scope)
        elif name == "draw" and shape.args and isinstance(value(shape.args[0]), str):
            self.draws.append(Draw(str(value(shape.args[0])), line, scope.path, scope.module))
        elif name == "concern" and shape.args and isinstance(value(shape.args[0]), str):
            self.concerns[str(value(shape.args[0]))] = shape.block
        elif name == "concerns":
            self.use_concerns(shape.args, scope)
        elif name == "controller" and shape.args and isinstance(value(shape.args[0]), str):
            controller = join_module(scope.module, str(value(shape.args[0])))
            self.body(shape.block, replace(scope, controller=controller))
        elif shape.block is not None and (name in _TRANSPARENT or not shape.args):
            self.body(shape.block, scope)

    def use_concerns(self, args: list[ts.Node], scope: _Scope) -> None:
        for arg in args:
            for concern in strings(arg) or ():
                block = self.concerns.get(concern)
                if block is not None:
                    self.body(block, scope)

    def scoped(self, shape: CallShape, scope: _Scope) -> _Scope:
        path = _option(shape, "path")
        if path is None and shape.args:
            first = value(shape.args[0])
            path = first if isinstance(first, str) else None
        module = _option(shape, "module")
        controller = _option(shape, "controller")
        shallow_path = _option(shape, "shallow_path")
        return replace(
            scope,
            shallow=scope.shallow or _true(shape, "shallow"),
            shallow_path=(
                join(scope.shallow_path, rails_path(shallow_path))
                if shallow_path
                else scope.shallow_path
            ),
            path=join(scope.path, rails_path(path)) if path else scope.path,
            module=join_module(scope.module, module) if module else scope.module,
            controller=join_module(scope.module, controller) if controller else scope.controller,
        )

    def namespace(self, shape: CallShape, scope: _Scope) -> None:
        name = value(shape.args[0])
        if not isinstance(name, str):
            return
        path = _option(shape, "path") or name
        module = _option(shape, "module") or name
        inner = replace(
            scope,
            path=join(scope.path, rails_path(path)),
            module=join_module(scope.module, module),
            controller=None, member=None, nested=None, collection=None,
            namespace=join_module(scope.module, module),
            shallow_path=join(scope.shallow_path, rails_path(path)),
        )  # fmt: skip
        self.body(shape.block, inner)

    def verb(self, shape: CallShape, line: int, scope: _Scope) -> None:
        raw: str | None = None
        target: str | None = None
        redirect: str | None = None
        for key, val in shape.pairs:  # get "/login" => "login#index"
            raw = _text(key)
            target, redirect = _target(val)
        if raw is None and shape.args:
            first = value(shape.args[0])
            raw = first if isinstance(first, str) else None
        if raw is None and not shape.args and not shape.pairs:
            return
        if "to" in shape.options:
            target, redirect = _target(shape.options["to"])
        # get/post/... set the method whatever ``via:`` says (the router's map_method)
        methods = _methods(shape) if shape.name == "match" else (shape.name.upper(),)
        on = _option(shape, "on")
        base = scope.path
        if scope.member is not None:
            base = {"member": scope.member, "collection": scope.collection}.get(
                on or "", scope.nested or scope.path
            ) or ""
        paths = [join(base, form) for form in rails_paths(raw)] if raw is not None else [base]
        controller, action = (
            (None, None) if redirect is not None else self.destination(shape, raw, target, scope)
        )
        for path in dict.fromkeys(paths):
            for method in methods:
                self.routes.append(RouteSpec(method, path, controller, action, line,
                                             target=redirect))  # fmt: skip

    def destination(
        self, shape: CallShape, raw: str | None, target: str | None, scope: _Scope
    ) -> tuple[str | None, str | None]:
        controller = _option(shape, "controller")
        action = _option(shape, "action")
        if target is not None and "#" in target:
            controller, _, action = target.partition("#")
        elif target is not None and action is None:
            action = target
        if controller is not None:
            return join_module(scope.module, controller), action
        bare = (raw or "").strip("/")
        if action is None and bare and "/" not in bare and not _PARAM.search(bare):
            action = bare.replace("-", "_")
        elif action is None and bare.count("/") == 1 and scope.controller is None:
            # get "photos/search" goes to photos#search
            first, second = bare.split("/")
            if not _PARAM.search(bare):
                return join_module(scope.module, first), second.replace("-", "_")
        return scope.controller or scope.namespace, action

    def root(self, shape: CallShape, line: int, scope: _Scope) -> None:
        target = None
        if shape.args:
            found = value(shape.args[0])
            target = found if isinstance(found, str) else None
        target = target or _option(shape, "to")
        controller, action = (None, None)
        if target and "#" in target:
            controller, _, action = target.partition("#")
            controller = join_module(scope.module, controller)
        self.routes.append(RouteSpec("GET", scope.path or "/", controller, action, line))

    def mount(self, shape: CallShape, line: int, scope: _Scope) -> None:
        engine: str | None = None
        at = _option(shape, "at")
        for key, val in shape.pairs:  # mount Sidekiq::Web => "/sidekiq"
            engine, at = ts.text(key), _text(val)
        if engine is None and shape.args:
            engine = ts.text(shape.args[0])
        if engine is not None and at is not None:
            path = join(scope.path, rails_path(at))
            self.routes.append(RouteSpec("ANY", path, None, None, line, target=engine))

    def devise(self, shape: CallShape, line: int, scope: _Scope) -> None:
        for each in shape.args:
            resource = value(each)
            if not isinstance(resource, str):
                continue
            base = join(scope.path, rails_path(_option(shape, "path") or resource))
            model = _option(shape, "class_name") or devise_model(resource)
            for module, verb, path, controller, action in devise_routes(shape):
                if not controller.startswith("devise/"):
                    controller = join_module(scope.module, controller)
                self.routes.append(RouteSpec(verb, join(base, path), controller, action, line,
                                             devise=(model, module)))  # fmt: skip

    def resource(self, shape: CallShape, name: str, single: bool, line: int, scope: _Scope) -> None:
        actions = _RESOURCE if single else _RESOURCES
        only, exclude = strings(shape.options.get("only")), strings(shape.options.get("except"))
        if only is not None:
            actions = tuple(a for a in actions if a in only)
        if exclude is not None:
            actions = tuple(a for a in actions if a not in exclude)
        segment = _option(shape, "path") or name
        base = join(scope.nested or scope.path, rails_path(segment))
        param = _option(shape, "param") or "id"
        module = _option(shape, "module")
        owner = join_module(scope.module, module) if module else scope.module
        plural = plural_of(name) if single else name
        controller = join_module(owner, _option(shape, "controller") or plural)
        shallow = scope.shallow or _true(shape, "shallow")
        # nested shallowly: show, edit, update, destroy and member routes leave the parent
        own = join(scope.shallow_path, rails_path(segment))
        members = own if shallow and scope.nested is not None and not single else base
        for action in actions:
            method, suffix = _PATHS[action]
            if single:
                suffix = suffix.replace("/{id}", "")
            at = members if suffix.startswith("/{id}") else base
            path = join(at, suffix.replace("{id}", "{" + param + "}"))
            for verb in (method, "PUT") if action == "update" else (method,):
                self.routes.append(RouteSpec(verb, path, controller, action, line, True))
        member = base if single else join(members, "{" + param + "}")
        nested = base if single else join(members, "{" + singular(name) + "_" + param + "}")
        inner = replace(scope, path=base, module=owner, controller=controller, member=member,
                        nested=nested, collection=base, shallow=shallow)  # fmt: skip
        if "concerns" in shape.options:
            self.use_concerns([shape.options["concerns"]], replace(inner, path=member))
        self.body(shape.block, inner)


def join_module(module: str, name: str) -> str:
    """A controller named inside ``module``: ``admin`` + ``users`` -> ``admin/users``; a
    name beginning with a slash names a top-level controller."""
    if name.startswith("/"):
        return name.strip("/")
    name = name.replace("::", "/")
    return f"{module}/{name}" if module else name


def _text(node: ts.Node | None) -> str | None:
    found = value(node)
    return found if isinstance(found, str) else None


def _option(shape: CallShape, key: str) -> str | None:
    return _text(shape.options.get(key))


def _true(shape: CallShape, key: str) -> bool:
    node = shape.options.get(key)
    return node is not None and node.type == "true"


def _methods(shape: CallShape) -> tuple[str, ...]:
    via = strings(shape.options.get("via"))
    if not via or "all" in via:
        return ("ANY",)
    return tuple(v.upper() for v in via)


def _target(node: ts.Node) -> tuple[str | None, str | None]:
    """``"ctrl#action"`` as the controller target; ``redirect("/x")`` and a Rack app as
    what the route forwards to."""
    found = value(node)
    if isinstance(found, str):
        return (found, None) if node.type == "string" else (None, found)
    shape = call_shape(node)
    if shape is not None and shape.name == "redirect":
        return None, "redirect"
    return None, ts.text(node)[:60] or None


def read_routes(root: ts.Node) -> RoutesFile:
    reader = _Reader()
    reader.body(root, _Scope())
    return RoutesFile(tuple(reader.routes), tuple(reader.draws))
