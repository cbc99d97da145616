"""Joins the files ``django.py`` read into routes: ``include()`` chains walked from
ROOT_URLCONF, DRF routers (the project's router subclasses too) and view registries expanded,
and auth decided per view from the view, its project base classes and the settings."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from archdraft.scan.http import django_registry as reg
from archdraft.scan.http.django import (
    DjangoFile,
    Pattern,
    RouteRow,
    ViewClass,
    ViewFunction,
    route_path,
)
from archdraft.scan.http.django_settings import Policy, permission_auth, policy
from archdraft.scan.http.paths import join
from archdraft.scan.summary import Evidence, Route

_VIEWSET_ACTIONS = {
    # action: (method, on the detail route)
    "list": ("GET", False), "create": ("POST", False), "retrieve": ("GET", True),
    "update": ("PUT", True), "partial_update": ("PATCH", True), "destroy": ("DELETE", True),
}  # fmt: skip
_VIEWSET_BASES = {
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "GenericViewSet": (), "ViewSet": (),
}  # fmt: skip
_MIXINS = {"ListModelMixin": "list", "CreateModelMixin": "create", "RetrieveModelMixin": "retrieve",
           "UpdateModelMixin": "update", "DestroyModelMixin": "destroy"}  # fmt: skip
_GENERIC_VIEWS = {
    "ListAPIView": ("GET",), "CreateAPIView": ("POST",), "RetrieveAPIView": ("GET",),
    "DestroyAPIView": ("DELETE",), "UpdateAPIView": ("PUT", "PATCH"),
    "ListCreateAPIView": ("GET", "POST"), "RetrieveUpdateAPIView": ("GET", "PUT", "PATCH"),
    "RetrieveDestroyAPIView": ("GET", "DELETE"),
    "RetrieveUpdateDestroyAPIView": ("GET", "PUT", "PATCH", "DELETE"),
    "TemplateView": ("GET",), "ListView": ("GET",), "DetailView": ("GET",),
    "RedirectView": ("GET",), "FormView": ("GET", "POST"), "CreateView": ("GET", "POST"),
    "UpdateView": ("GET", "POST"), "DeleteView": ("GET", "POST"),
}  # fmt: skip
# Sign-in views of auth libraries (Simple JWT, DRF's token auth, djangorestframework-jwt):
# anonymous callers post credentials to them, whatever the project's default permissions.
_SIGN_IN_VIEWS = frozenset({
    "TokenObtainPairView", "TokenObtainSlidingView", "TokenRefreshView", "TokenRefreshSlidingView",
    "TokenVerifyView", "TokenBlacklistView", "ObtainAuthToken", "obtain_auth_token",
    "ObtainJSONWebToken", "RefreshJSONWebToken", "VerifyJSONWebToken", "obtain_jwt_token",
    "refresh_jwt_token", "verify_jwt_token",
})  # fmt: skip
_GENERIC_VIEWS.update({name: ("POST",) for name in _SIGN_IN_VIEWS})
_HTTP = ("get", "post", "put", "patch", "delete", "head", "options")
_REQUIRED = re.compile(r"IsAuthenticated|\w*Auth\w*Mixin|IsAdminUser|login_required|"
                       r"permission_required|"
                       r"LoginRequired|PermissionRequired|UserPassesTest|staff_member_required|"
                       r"HasAPIKey|IsOwner|DjangoModelPermissions", re.I)  # fmt: skip
_PUBLIC = re.compile(r"AllowAny|csrf_exempt_public", re.I)
# DRF's classes: a view reaching one of them is a DRF view, which the settings' default
# permission classes guard and a login-required middleware does not.
_DRF = frozenset(
    {
        "APIView",
        "GenericAPIView",
        "ViewSetMixin",
        *_VIEWSET_BASES,
        *_MIXINS,
        *(n for n in _GENERIC_VIEWS if n.endswith("APIView")),
        *_SIGN_IN_VIEWS,
    }
)
# Django's own views that its LoginRequiredMiddleware lets anonymous callers reach.
_LOGIN_EXEMPT = frozenset(
    {
        "LoginView",
        "PasswordResetView",
        "PasswordResetDoneView",
        "PasswordResetConfirmView",
        "PasswordResetCompleteView",
    }
)
_ROUTERS = frozenset({"DefaultRouter", "SimpleRouter"})
View = ViewClass | ViewFunction
Entries = dict[tuple[object, ...], list[tuple[dict[str, object], tuple[reg.Registered, str]]]]
"""Registrations by registry key: the entry's fields, the registration and its file."""


def _parent(source: str) -> str:
    """The module ``from m import name`` reads: ``.views`` for ``.views.X``, ``..`` for
    ``..X`` (``from .. import X``)."""
    if "." not in source.lstrip("."):
        return source[: len(source) - len(source.lstrip("."))] or "."
    return source.rsplit(".", 1)[0]


def _app(path: str) -> str:
    """The Django app a module belongs to: its package, above a models/views/api folder."""
    folders = path.split("/")[:-1]
    while len(folders) > 1 and folders[-1] in {"models", "views", "api"}:
        folders.pop()
    return folders[-1] if folders else ""


@dataclass
class _Django:
    files: dict[str, DjangoFile]
    module_file: Callable[[str, str], str | None]
    policy: Policy
    routes: dict[tuple[str, str, str, int], Route]
    warnings: list[str]
    found: dict[tuple[str, str], tuple[str, View] | None] = field(default_factory=dict)
    lines: dict[tuple[str, str], list[tuple[str, ViewClass]]] = field(default_factory=dict)
    entries: dict[str, Entries] = field(default_factory=dict)

    modules: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def module(self, importer: str, dotted: str) -> str | None:
        # the resolver looks through every path for a backend folder's modules
        key = (importer if dotted.startswith(".") else "", dotted)
        if key not in self.modules:
            self.modules[key] = self.module_file(importer, dotted)
        return self.modules[key]

    def candidates(self, importer: str, dotted: str) -> list[str]:
        """The modules a dotted name in ``importer`` may be defined in, the likeliest first."""
        file = self.files.get(importer)
        head, _, rest = dotted.partition(".")
        found = [importer]
        for local, source in file.imports if file else ():
            if local == head:
                # ``views.OrderList``: head is a module; ``from .views import OrderList``
                target = self.module(importer, source if rest else _parent(source))
                if target:
                    found.insert(0, target)
        return found

    def find(self, importer: str, dotted: str, depth: int = 0) -> tuple[str, View] | None:
        """The class or function a dotted name in ``importer`` stands for, through a
        package's re-exports (``from .object_views import *``)."""
        key = (importer, dotted)
        if key not in self.found:
            self.found[key] = None  # a cycle of re-exports ends here
            self.found[key] = self._find(importer, dotted, depth)
        return self.found[key]

    def _find(self, importer: str, dotted: str, depth: int) -> tuple[str, View] | None:
        name = dotted.rsplit(".", 1)[-1]
        for path in self.candidates(importer, dotted):
            other = self.files.get(path)
            if other is None:
                continue
            for view in other.views:
                if view.name == name:
                    return path, view
            for function in other.functions:
                if function.name == name:
                    return path, function
            if depth >= 4:
                continue
            for local, source in other.imports:
                target = None
                if local == "*":
                    target = self.module(path, source[:-2] or ".")
                elif local == name and path != importer:  # the importer's own: a candidate
                    target = self.module(path, _parent(source))
                if target and target != path:
                    hit = self.find(target, source.rsplit(".", 1)[-1] if local != "*" else name,
                                    depth + 1)  # fmt: skip
                    if hit is not None:
                        return hit
        return None

    def ancestry(self, path: str, view: ViewClass) -> list[tuple[str, ViewClass]]:
        """The class and the project classes it inherits from, depth first, left to right:
        near enough to Python's MRO for the first ``permission_classes`` to win."""
        key = (path, view.name)
        if key not in self.lines:
            line: list[tuple[str, ViewClass]] = []
            self._ancestry(path, view, line, set())
            self.lines[key] = line
        return self.lines[key]

    def _ancestry(self, path: str, view: ViewClass, line: list[tuple[str, ViewClass]],
                  seen: set[tuple[str, str]]) -> None:  # fmt: skip
        if (path, view.name) in seen or len(line) > 40:
            return
        seen.add((path, view.name))
        line.append((path, view))
        for base in view.dotted_bases or view.bases:
            short = base.rsplit(".", 1)[-1]
            if short in _DRF or short in _GENERIC_VIEWS or short in {"View", "object"}:
                continue
            found = self.find(path, base)
            if found is not None and isinstance(found[1], ViewClass):
                self._ancestry(found[0], found[1], line, seen)

    def auth(self, path: str, found: View | None) -> str:
        if found is None:
            return "unknown"
        classes: tuple[str, ...] = ()
        if isinstance(found, ViewFunction):
            names = list(found.decorators)
            drf = any(n.rsplit(".", 1)[-1] == "api_view" for n in names)
            sets = found.sets_permissions
            exempt = any(n.endswith("login_not_required") for n in names)
            sign_in = False
        else:
            line = self.ancestry(path, found)
            owner = next((v for _p, v in line if v.sets_permissions), None)
            bases = [b for _p, v in line for b in v.bases]
            names = list(found.permissions) + list(owner.classes if owner else ()) + bases
            drf = any(b in _DRF for b in bases)
            sets = owner is not None
            classes = owner.classes if owner else ()
            exempt = any(v.login_exempt for _p, v in line) or any(b in _LOGIN_EXEMPT for b in bases)
            sign_in = any(b in _SIGN_IN_VIEWS for b in bases) and not sets
        if any(_PUBLIC.search(n) for n in names) or sign_in:
            return "public"
        if any(n.split(".")[-1].endswith("OrReadOnly") for n in names):
            return "read-only"
        if any(_REQUIRED.search(n) for n in names):
            return "required"
        if drf and sets and isinstance(found, ViewClass):
            # the settings' rule for a view's own classes: a project's class that is not
            # AllowAny checks the caller; [] checks nothing
            return permission_auth(classes) or "unknown"
        if drf and not sets and self.policy.drf:
            return self.policy.drf
        if not drf and self.policy.login_middleware:
            return "public" if exempt else "required"
        return "unknown"

    def add(self, method: str, path: str, handler: str | None, auth: str,
            evidence: Evidence, also: Evidence | None = None) -> None:  # fmt: skip
        if auth == "read-only":
            # IsAuthenticatedOrReadOnly: anyone may read, writing needs a user
            auth = "public" if method in {"GET", "HEAD", "OPTIONS"} else "required"
        key = (method, path, evidence.path, evidence.line or 0)
        cited = (evidence, also) if also is not None else (evidence,)
        self.routes.setdefault(key, Route(method, path, handler, auth, cited))

    def view(self, importer: str, prefix: str, target: str, line: int,
             also: Evidence | None = None) -> None:  # fmt: skip
        found = self.find(importer, target)
        evidence = Evidence(importer, line)
        if found is None:
            if target.split(".")[-1] in _SIGN_IN_VIEWS:
                self.add("POST", prefix, target, "public", evidence, also)
            else:
                self.add("ANY", prefix, target, "unknown", evidence, also)
            return
        path, view = found
        auth = self.auth(path, view)
        if isinstance(view, ViewFunction):
            for method in view.methods:
                self.add(method, prefix, view.name, auth, evidence, also)
            return
        methods: list[str] = []
        for _path, cls in self.ancestry(path, view):
            methods += [m.upper() for m in cls.methods if m in _HTTP and m.upper() not in methods]
            for base in cls.bases:
                methods += [m for m in _GENERIC_VIEWS.get(base, ()) if m not in methods]
        for method in methods or ["ANY"]:
            handler = f"{view.name}.{method.lower()}" if method != "ANY" else view.name
            self.add(method, prefix, handler, auth, evidence, also)

    def viewset(self, importer: str, prefix: str, target: str, line: int,
                extra: tuple[tuple[int, str, str], ...] = (),
                table: tuple[RouteRow, ...] = ()) -> None:  # fmt: skip
        found = self.find(importer, target)
        evidence = Evidence(importer, line)
        if found is None or not isinstance(found[1], ViewClass):
            self.add("ANY", join(prefix), target, "unknown", evidence)
            return
        view = found[1]
        auth = self.auth(found[0], view)
        actions, mixed = self._actions(found[0], view, frozenset({view.name}))
        if "update" in actions and "partial_update" not in actions and mixed:
            actions.append("partial_update")
        if table:
            self._table(found[0], view, prefix, actions, table, evidence)
            return
        for action in dict.fromkeys(actions):
            method, detail = _VIEWSET_ACTIONS[action]
            self.add(
                method,
                join(prefix, "{" + view.lookup + "}" if detail else ""),
                f"{view.name}.{action}",
                auth,
                evidence,
            )
        defined = {m for _p, cls in self.ancestry(found[0], view) for m in cls.methods}
        for index, method, action in extra:
            # DRF maps a route's method only to an action the viewset has
            if action in defined and index in {0, 2}:
                path = join(prefix, "{" + view.lookup + "}" if index == 2 else "")
                self.add(method, path, f"{view.name}.{action}", auth, evidence)
        for name, detail, verbs, url_path in view.actions:
            for method in verbs:
                path = join(prefix, "{" + view.lookup + "}" if detail else "", url_path)
                self.add(method, path, f"{view.name}.{name}", auth, evidence)

    def _table(self, path: str, view: ViewClass, prefix: str, actions: list[str],
               table: tuple[RouteRow, ...], evidence: Evidence) -> None:  # fmt: skip
        """Routes from a router's own table: DRF maps a method to an action only when the
        viewset has it, and a dynamic route serves the @action methods of its kind."""
        auth = self.auth(path, view)
        defined = set(actions) | {m for _p, cls in self.ancestry(path, view) for m in cls.methods}
        for url, mapping, detail, dynamic in table:
            template = url.replace("{trailing_slash}", "").replace("{lookup}", f"{{{view.lookup}}}")
            template = route_path(Pattern(template, "", 0, regex=True))
            if dynamic:
                for name, on_detail, verbs, url_path in view.actions:
                    if on_detail == detail:
                        route = template.replace("{url_path}", url_path)
                        for method in verbs:
                            self.add(method, join(prefix, route.replace("{prefix}", "")),
                                     f"{view.name}.{name}", auth, evidence)  # fmt: skip
                continue
            for method, action in mapping:
                if action in defined:
                    route = template.replace("{prefix}", "")
                    self.add(method, join(prefix, route), f"{view.name}.{action}", auth, evidence)

    def _actions(self, path: str, view: ViewClass, seen: frozenset[str]) -> tuple[list[str], bool]:
        """The viewset actions a class serves, through the project's own base classes
        (``class ListViewSet(mixins.ListModelMixin, GenericViewSet)``), and whether any come
        from DRF's mixins."""
        actions = [a for b in view.bases for a in _VIEWSET_BASES.get(b, ())]
        actions += [_MIXINS[b] for b in view.bases if b in _MIXINS]
        actions += [m for m in view.methods if m in _VIEWSET_ACTIONS]
        mixed = any(b in _MIXINS for b in view.bases)
        for base in view.bases:
            if base in _VIEWSET_BASES or base in _MIXINS or base in seen:
                continue
            found = self.find(path, base)
            if found is not None and isinstance(found[1], ViewClass):
                inherited, base_mixed = self._actions(found[0], found[1], seen | {base})
                actions += inherited
                mixed = mixed or base_mixed
        return actions, mixed

    def walk(self, path: str, prefix: str, seen: frozenset[str],
             patterns: tuple[Pattern, ...] | None = None) -> None:  # fmt: skip
        file = self.files.get(path)
        if file is None or (patterns is None and path in seen):
            return
        for pattern in file.patterns if patterns is None else patterns:
            route = join(prefix, route_path(pattern))
            kind, _, target = pattern.target.partition(":")
            if pattern.unresolved is not None:
                warning = (
                    f"{path}:{pattern.line}: path {pattern.unresolved} is not a literal; "
                    "routes below it are listed without its computed part"
                )
                if warning not in self.warnings:
                    self.warnings.append(warning)
            if kind == "include":
                included = self.module(path, target)
                if included is None:
                    self.warnings.append(
                        f"{path}:{pattern.line}: include({target!r}) could not be found; "
                        "its routes are missing"
                    )
                    continue
                self.walk(included, route, seen | {path})
            elif kind == "router":
                self.router(path, target, route)
            elif kind == "view":
                self.view(path, route, target, pattern.line)
            elif kind == "helper":
                self.helper(path, route, target, pattern)
            elif kind == "patterns":
                named = dict(file.named_patterns).get(target)
                if named is None:
                    self.warnings.append(
                        f"{path}:{pattern.line}: include({target}) names a pattern list that "
                        "could not be found; its routes are missing"
                    )
                    continue
                self.walk(path, route, seen | {path}, named)

    def router_class(self, path: str, name: str) -> list[tuple[str, ViewClass]]:
        """The router's class and the project classes it inherits from."""
        file = self.files.get(path)
        kind = dict(file.routers).get(name) if file else None
        found = self.find(path, kind) if kind else None
        if found is None or not isinstance(found[1], ViewClass):
            return []
        return self.ancestry(found[0], found[1])

    def router(self, path: str, name: str, prefix: str) -> None:
        file = self.files[path]
        registrations = [r for r in file.registrations if r[0] == name]
        source_file = path
        if not registrations:
            head = name.split(".")[0]
            for local, source in file.imports:
                if local == head:
                    target = self.module(
                        path, source.rsplit(".", 1)[0] if "." not in name else source
                    )
                    other = self.files.get(target) if target else None
                    if other:
                        registrations = [
                            r for r in other.registrations if r[0] == name.split(".")[-1]
                        ]
                        source_file = target or path
        line = self.router_class(source_file, name.split(".")[-1])
        extra = tuple(r for _p, cls in line for r in cls.router_routes)
        # the nearest class that sets ``routes`` replaces DRF's table
        table = next((cls.router_table for _p, cls in line if cls.router_table), ())
        for _router, register_prefix, viewset, at in registrations:
            self.viewset(source_file, join(prefix, register_prefix), viewset, at, extra, table)

    def builder(self, path: str, name: str) -> reg.Builder | None:
        short = name.rsplit(".", 1)[-1]
        for candidate in self.candidates(path, name):
            file = self.files.get(candidate)
            for builder in file.registry.builders if file and file.registry else ():
                if builder.name == short:
                    return builder
        return None

    def model(self, path: str, name: str) -> reg.Model:
        """A model class named in a registration, with the app its module belongs to."""
        origin = next((c for c in self.candidates(path, name) if c != path), None)
        file = self.files.get(path)
        for local, source in file.imports if file and origin is None else ():
            if local == "*" and "models" in source:  # from .models import *
                origin = self.module(path, source[:-2] or ".")
                break
        return reg.Model(name.rsplit(".", 1)[-1], _app(origin or path))

    def registered(self, root: str) -> Entries:
        """Every registration through a store on ``root``, by registry key."""
        if root not in self.entries:
            stores = {s.name: s for f in self.files.values() if f.registry
                      for s in f.registry.stores if s.root == root}  # fmt: skip
            found: Entries = {}
            for path in sorted(self.files):
                registry = self.files[path].registry
                for item in registry.registered if registry else ():
                    store = stores.get(item.decorator.rsplit(".", 1)[-1])
                    if store is not None:
                        key, fields = reg.entry(store, item, partial(self.model, path))
                        found.setdefault(key, []).append((fields, (item, path)))
            self.entries[root] = found
        return self.entries[root]

    def helper(self, path: str, prefix: str, name: str, pattern: Pattern) -> None:
        """``include(model_urls('dcim', 'device'))``: a route per view registered there."""
        builder = self.builder(path, name)
        if builder is None or pattern.call is None:
            return
        try:
            call = ast.parse(pattern.call, mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            return
        bound = reg.call_key(builder, call) if isinstance(call, ast.Call) else None
        if bound is None:
            return
        entries = self.registered(builder.root).get(bound[1], [])
        for route, (item, where) in reg.routes(builder, bound[0], entries):
            self.view(where, join(prefix, route), item.target, item.line,
                      Evidence(path, pattern.line))  # fmt: skip


def resolve_django(
    files: dict[str, DjangoFile], module_file: Callable[[str, str], str | None]
) -> tuple[list[Route], list[str]]:
    if not files:
        return [], []
    settings = sorted(
        (f for f in files.values() if f.root_urlconf), key=lambda f: (f.path.count("/"), f.path)
    )
    decided = policy(f.settings for f in files.values() if f.settings is not None)
    state = _Django(files, module_file, decided, {}, [])
    roots: list[str] = []
    if settings:
        root = module_file(settings[0].path, settings[0].root_urlconf or "")
        if root:
            roots.append(root)
    if not roots:
        included = {module_file(p, t.target.partition(":")[2]) for p, f in files.items()
                    for t in f.patterns if t.target.startswith("include:")}  # fmt: skip
        roots = sorted((p for p, f in files.items() if f.patterns and p not in included),
                       key=lambda p: (p.count("/"), p))[:1]  # fmt: skip
    for root in roots:
        state.walk(root, "", frozenset())
    return list(state.routes.values()), state.warnings
