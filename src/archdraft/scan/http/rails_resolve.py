"""Rails routes joined with their controllers: drawn route files put in their scope,
``resources`` actions kept where the controller (its bases or concerns) defines them, and
each route's auth from the filters that run before its action.

A handler is written ``Api::V1::ArticlesController.show`` (the summary's ``Class.method``).
A filter guards when its name says it authenticates (``authenticate_user!``,
``require_login``) and, where the project defines it, its body can end the request; the
plain twin of a bang method (``authenticate_user`` beside ``authenticate_user!``) is the
lenient one by Ruby's convention and guards nothing."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from archdraft.scan.http.paths import join
from archdraft.scan.http.rails_controllers import Filter, RubyClass
from archdraft.scan.http.rails_devise import DEFAULT_MODULES
from archdraft.scan.http.rails_routes import RoutesFile, RouteSpec, join_module
from archdraft.scan.summary import Evidence, Middleware, Route


@dataclass(frozen=True)
class RailsFile:
    path: str
    routes: RoutesFile | None = None
    classes: tuple[RubyClass, ...] = ()
    middleware: tuple[tuple[str, int], ...] = ()
    """``config.middleware.use X`` in config/application.rb: name and line, in order."""


_ROUTES = "config/routes.rb"
_GUARD = re.compile(
    r"^(authenticate|authorize|doorkeeper_authorize|http_basic_authenticate|login_required|"
    # a filter that sends a caller who is not signed in to the sign-in page
    r"redirect_\w*?(sign_?in|log_?in)$|"
    r"(require|ensure|check|verify|must_be|restrict_to|confirm)_\w*?(user|admin|login|logged|"
    r"signed|auth|session|token|jwt|api_key|moderator|member|account|current))"
)
_NOT_GUARD = re.compile(r"authenticity|rate|limit|optional|no_user|not_logged|guest|anonym|"
                        r"if_|maybe|try_|unless_", re.I)  # fmt: skip
_MAX_DEPTH = 12


@dataclass
class _Index:
    classes: dict[str, tuple[str, RubyClass]]
    by_file: dict[str, list[RubyClass]]
    halting: dict[str, bool]
    """Method name -> whether some definition of it in the project can end the request."""

    def find(self, name: str, context: RubyClass) -> RubyClass | None:
        namespaces = list(context.nesting)
        parts = context.name.split("::")[:-1]
        namespaces += ["::".join(parts[:i]) for i in range(len(parts), 0, -1)]
        for namespace in [*namespaces, ""]:
            full = f"{namespace}::{name}" if namespace else name
            found = self.classes.get(full.removeprefix("::"))
            if found is not None and found[1] is not context:
                return found[1]
        return None

    def guards(self, name: str) -> bool:
        if not _GUARD.search(name) or _NOT_GUARD.search(name):
            return False
        if not name.endswith("!") and name + "!" in self.halting:
            return False
        return self.halting.get(name, True)


def _index(files: dict[str, RailsFile]) -> _Index:
    classes: dict[str, tuple[str, RubyClass]] = {}
    by_file: dict[str, list[RubyClass]] = {}
    halting: dict[str, bool] = {}
    for path, file in sorted(files.items()):
        for each in file.classes:
            classes.setdefault(each.name, (path, each))
            by_file.setdefault(path, []).append(each)
            for method in (*each.actions, *each.private):
                halting[method] = halting.get(method, False) or method in each.halting
    return _Index(classes, by_file, halting)


def _applies(rule: Filter, action: str) -> bool:
    if rule.only is not None and action not in rule.only:
        return False
    return not (rule.exclude is not None and action in rule.exclude)


@dataclass
class _Chain:
    index: _Index
    action: str
    states: dict[str, str]
    """Filter name -> ``on``, ``off`` (not for this action) or ``skipped``."""
    macros: dict[str, tuple[Filter, ...]]

    def run(self, cls: RubyClass, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            return
        if not cls.module and cls.superclass:
            base = self.index.find(cls.superclass, cls)
            if base is not None:
                self.run(base, depth + 1)
        self.macros.update(dict(cls.macros))
        for rule in cls.filters:
            self.apply(rule, cls, depth)

    def apply(self, rule: Filter, cls: RubyClass, depth: int) -> None:
        if rule.kind == "include":
            for name in rule.names:
                module = self.index.find(name, cls)
                if module is not None and module.module:
                    self.run(module, depth + 1)
        elif rule.kind == "before":
            for name in rule.names:
                self.states[name] = "on" if _applies(rule, self.action) else "off"
        elif rule.kind == "skip":
            if _applies(rule, self.action):
                for name in rule.names:
                    if name in self.states:
                        self.states[name] = "skipped"
        elif rule.kind == "macro" and rule.names[0] in self.macros:
            for skip in self.macros[rule.names[0]]:
                given = rule if skip.forwards else skip
                self.apply(replace(skip, only=given.only, exclude=given.exclude), cls, depth)


def _auth(index: _Index, cls: RubyClass, action: str) -> str:
    chain = _Chain(index, action, {}, {})
    chain.run(cls)
    guards = [name for name in chain.states if index.guards(name)]
    if any(chain.states[name] == "on" for name in guards):
        return "required"
    if any(chain.states[name] == "skipped" for name in guards):
        return "public"
    return "unknown"


def _actions(index: _Index, cls: RubyClass, depth: int = 0) -> set[str]:
    """Public methods of the class, its project bases and the modules they include."""
    found = set(cls.actions)
    if depth > _MAX_DEPTH:
        return found
    for rule in cls.filters:
        if rule.kind == "include":
            for name in rule.names:
                module = index.find(name, cls)
                if module is not None and module.module:
                    found |= _actions(index, module, depth + 1)
    if not cls.module and cls.superclass:
        base = index.find(cls.superclass, cls)
        if base is not None and base.name != "ApplicationController":
            found |= _actions(index, base, depth + 1)
    return found


def _camel(controller: str) -> str:
    return (
        "::".join(
            "".join(word.capitalize() for word in part.split("_")) for part in controller.split("/")
        )
        + "Controller"
    )


def _routes_of(
    files: dict[str, RailsFile], path: str, depth: int = 0
) -> list[tuple[str, RouteSpec]]:
    """A routes file's routes with the files it draws, in their scope."""
    file = files.get(path)
    if file is None or file.routes is None or depth > _MAX_DEPTH:
        return []
    found = [(path, spec) for spec in file.routes.routes]
    folder = posixpath.join(posixpath.dirname(path), "routes")
    if path.endswith(".rb") and not path.endswith(_ROUTES):
        folder = posixpath.dirname(path)
    for draw in file.routes.draws:
        for drawn_path, spec in _routes_of(files, f"{folder}/{draw.name}.rb", depth + 1):
            controller = join_module(draw.module, spec.controller) if spec.controller else None
            found.append((drawn_path, replace(spec, path=join(draw.path, spec.path),
                                              controller=controller)))  # fmt: skip
    return found


def resolve_rails(files: dict[str, RailsFile]) -> tuple[list[Route], list[Middleware]]:
    """The routes of every config/routes.rb, and the global middleware each app adds."""
    middleware = [
        Middleware(name, "global", order, (Evidence(path, line),))
        for path, file in sorted(files.items())
        for order, (name, line) in enumerate(file.middleware, 1)
    ]
    return _resolve_routes(files), middleware


def _resolve_routes(files: dict[str, RailsFile]) -> list[Route]:
    index = _index(files)
    # many routes share a controller: its actions and each action's auth are worked out once
    actions: dict[str, set[str]] = {}
    auths: dict[tuple[str, str], str] = {}
    routes: dict[tuple[str, str, str, int], Route] = {}
    for root_file in sorted(p for p in files if p == _ROUTES or p.endswith("/" + _ROUTES)):
        root = root_file[: -len(_ROUTES)]
        for path, spec in _routes_of(files, root_file):
            if spec.devise is not None and not _enabled(index, *spec.devise):
                continue
            cls = _controller(index, root, spec.controller) if spec.controller else None
            if cls is not None and cls.name not in actions:
                actions[cls.name] = _actions(index, cls)
            if spec.standard and cls is not None and spec.action not in actions[cls.name]:
                continue
            if cls is not None and spec.action:
                handler: str | None = f"{cls.name}.{spec.action}"
                if (cls.name, spec.action) not in auths:
                    auths[(cls.name, spec.action)] = _auth(index, cls, spec.action)
                auth = auths[(cls.name, spec.action)]
            elif spec.controller and spec.action:
                handler, auth = f"{_camel(spec.controller)}.{spec.action}", "unknown"
            else:
                handler = spec.target if spec.target != "redirect" else None
                auth = "unknown"
            key = (spec.method, spec.path, path, spec.line)
            evidence = (Evidence(path, spec.line),)
            routes.setdefault(key, Route(spec.method, spec.path, handler, auth, evidence))
    return sorted(routes.values(), key=lambda r: (r.path, r.method, r.evidence[0].line or 0))


def _enabled(index: _Index, model: str, module: str) -> bool:
    found = index.classes.get(model)
    enabled = found[1].devise if found is not None and found[1].devise else DEFAULT_MODULES
    return module in enabled


def _controller(index: _Index, root: str, controller: str) -> RubyClass | None:
    in_file = index.by_file.get(f"{root}app/controllers/{controller}_controller.rb", [])
    named = [c for c in in_file if not c.module and c.name.endswith("Controller")]
    if named:
        return named[-1]
    found = index.classes.get(_camel(controller))
    return found[1] if found else None
