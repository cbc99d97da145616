"""Django URL confs and Django REST framework routers and views, read with ``ast``.

Per file, ``DjangoFile`` records URL patterns, router registrations, view classes and
settings; ``resolve_django`` walks ``include()`` chains from ROOT_URLCONF."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from archdraft.scan.http.paths import join
from archdraft.scan.pyast import dotted, string
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
TRIGGER = re.compile(r"urlpatterns|DefaultRouter|SimpleRouter|ViewSet|APIView|ROOT_URLCONF|"
                     r"permission_classes|api_view|View\b|login_required")  # fmt: skip


@dataclass(frozen=True)
class Pattern:
    route: str
    target: str
    """``include:<module>``, ``router:<name>``, ``view:<dotted name>``."""
    line: int
    regex: bool = False
    unresolved: str | None = None
    """The source of a route that is not all literal (``f"{prefix}admin/"``): what is left
    of it is kept, and a warning names it."""


@dataclass(frozen=True)
class ViewClass:
    name: str
    bases: tuple[str, ...]
    methods: tuple[str, ...]
    actions: tuple[tuple[str, bool, tuple[str, ...], str], ...]
    """@action methods: (name, detail, methods, url_path)."""
    permissions: tuple[str, ...]
    line: int
    lookup: str = "pk"
    """The detail route's parameter (``lookup_url_kwarg`` or ``lookup_field``)."""


@dataclass(frozen=True)
class ViewFunction:
    name: str
    methods: tuple[str, ...]
    decorators: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class DjangoFile:
    path: str
    imports: tuple[tuple[str, str], ...]
    """(local name, dotted source) for ``from x import y`` (source ``x.y``) and ``import x``."""
    patterns: tuple[Pattern, ...] = ()
    registrations: tuple[tuple[str, str, str, int], ...] = ()
    """DRF router.register: (router, prefix, viewset, line)."""
    views: tuple[ViewClass, ...] = ()
    functions: tuple[ViewFunction, ...] = ()
    root_urlconf: str | None = None
    default_permissions: tuple[str, ...] = ()
    named_patterns: tuple[tuple[str, tuple[Pattern, ...]], ...] = ()
    """Other pattern lists of the module, for ``include(login_urlpatterns)``."""


def _names(node: ast.AST | None) -> tuple[str, ...]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(dotted(e) for e in node.elts)
    return (dotted(node),) if node is not None else ()


def _pattern_calls(node: ast.AST) -> list[ast.Call]:
    """The ``path()`` calls of a pattern list, in order (lists, ``+`` and ``*`` spreads)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return [c for e in node.elts for c in _pattern_calls(e)]
    if isinstance(node, ast.BinOp):
        return _pattern_calls(node.left) + _pattern_calls(node.right)
    if isinstance(node, ast.Starred):
        return _pattern_calls(node.value)
    if isinstance(node, ast.Attribute) and node.attr == "urls":  # urlpatterns = router.urls
        return [
            ast.Call(
                func=ast.Name("path"),
                args=[
                    ast.Constant(""),
                    ast.Call(func=ast.Name("include"), args=[node], keywords=[]),
                ],
                keywords=[],
                lineno=node.lineno,
            )
        ]
    return [node] if isinstance(node, ast.Call) else []


def _patterns(node: ast.AST, found: list[Pattern], prefix: str = "") -> None:
    for call in _pattern_calls(node):
        kind = dotted(call.func).split(".")[-1]
        if kind not in {"path", "re_path", "url"} or len(call.args) < 2:
            continue
        route, unresolved = string(call.args[0]), None
        if route is None:
            route, unresolved = _literal_tail(call.args[0])
            if route is None:
                continue
        regex = kind != "path"
        view = call.args[1]
        if isinstance(view, ast.Call) and dotted(view.func).split(".")[-1] == "include":
            inner = view.args[0] if view.args else None
            if isinstance(inner, ast.Tuple) and inner.elts:
                inner = inner.elts[0]
            module = string(inner)
            if isinstance(inner, ast.List):  # include([path(...), ...]) inline
                nested = Pattern(route, "", call.lineno, regex)
                if unresolved is not None:
                    found.append(Pattern("", "", call.lineno, unresolved=unresolved))
                _patterns(inner, found, prefix + _route_path(nested) + "/")
                continue
            if module:
                target = f"include:{module}"
            elif isinstance(inner, ast.Attribute) and inner.attr == "urls":
                target = f"router:{dotted(inner.value)}"
            elif isinstance(inner, (ast.Name, ast.Attribute)):
                target = f"patterns:{dotted(inner)}"
            else:
                continue
        elif isinstance(view, ast.Call) and dotted(view.func).endswith(".as_view"):
            target = f"view:{dotted(view.func)[: -len('.as_view')]}"
        else:
            target = f"view:{dotted(view)}"
        written = _route_path(Pattern(route, "", 0, regex)) if regex else route
        found.append(Pattern(prefix + written, target, call.lineno, unresolved=unresolved))


def _literal_tail(node: ast.expr) -> tuple[str | None, str | None]:
    """For ``prefix`` or ``f"{prefix}admin/"``: the literal part after what is computed
    (``""``, ``"admin/"``) and the expression; (None, None) when the computed part is
    not at the front."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return "", ast.unparse(node)
    if isinstance(node, ast.JoinedStr):
        tail: list[str] = []
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                tail.append(part.value)
            elif tail:
                return None, None
        return "".join(tail), ast.unparse(node)
    return None, None


def _view_class(node: ast.ClassDef) -> ViewClass:
    methods = tuple(
        f.name for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
    )
    actions = []
    permissions: tuple[str, ...] = ()
    lookups: dict[str, str] = {}
    for item in node.body:
        if isinstance(item, ast.Assign):
            for target in item.targets:
                value = string(item.value)
                if (
                    isinstance(target, ast.Name)
                    and target.id in {"lookup_field", "lookup_url_kwarg"}
                    and value
                ):
                    lookups[target.id] = value
        if isinstance(item, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "permission_classes" for t in item.targets
        ):
            permissions = _names(item.value)
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in item.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and dotted(decorator.func).split(".")[-1] == "action"
                ):
                    kw = {k.arg: k.value for k in decorator.keywords}
                    detail_node = kw.get("detail")
                    detail = isinstance(detail_node, ast.Constant) and detail_node.value is True
                    verbs = tuple(
                        m.upper()
                        for m in (string(e) for e in getattr(kw.get("methods"), "elts", []))
                        if m
                    ) or ("GET",)
                    url_path = string(kw.get("url_path")) or item.name
                    actions.append((item.name, detail, verbs, url_path))
    for decorator in node.decorator_list:
        permissions += tuple(n for n in [dotted(decorator)] if n)
    bases = tuple(dotted(b).split(".")[-1] for b in node.bases)
    lookup = lookups.get("lookup_url_kwarg") or lookups.get("lookup_field") or "pk"
    return ViewClass(node.name, bases, methods, tuple(actions), permissions, node.lineno, lookup)


def extract_django(path: str, text: str, nodes: list[ast.AST]) -> DjangoFile | None:
    if not TRIGGER.search(text):
        return None
    imports: list[tuple[str, str]] = []
    patterns: list[Pattern] = []
    registrations: list[tuple[str, str, str, int]] = []
    views: list[ViewClass] = []
    functions: list[ViewFunction] = []
    root_urlconf = None
    defaults: tuple[str, ...] = ()
    named: list[tuple[str, tuple[Pattern, ...]]] = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            source = "." * node.level + (node.module or "")
            imports += [
                (a.asname or a.name, f"{source}.{a.name}" if source else a.name) for a in node.names
            ]
        elif isinstance(node, ast.Import):
            imports += [(a.asname or a.name, a.name) for a in node.names]
        elif (
            isinstance(node, ast.Assign) and node.targets and isinstance(node.targets[0], ast.Name)
        ):
            name = node.targets[0].id
            if name == "urlpatterns":
                _patterns(node.value, patterns)
            elif isinstance(node.value, (ast.List, ast.Tuple)) and _pattern_calls(node.value):
                listed: list[Pattern] = []
                _patterns(node.value, listed)
                if listed:
                    named.append((name, tuple(listed)))
            elif name == "ROOT_URLCONF":
                root_urlconf = string(node.value)
            elif name == "REST_FRAMEWORK" and isinstance(node.value, ast.Dict):
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    if string(key) == "DEFAULT_PERMISSION_CLASSES":
                        defaults = tuple(
                            s for s in (string(e) for e in getattr(value, "elts", [])) if s
                        )
        elif (
            isinstance(node, ast.AugAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "urlpatterns"
        ):
            _patterns(node.value, patterns)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "register"
            and len(node.args) >= 2
            and (prefix := string(node.args[0])) is not None
        ):
            registrations.append(
                (dotted(node.func.value), prefix, dotted(node.args[1]), node.lineno)
            )
        elif isinstance(node, ast.ClassDef):
            views.append(_view_class(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = tuple(dotted(d) for d in node.decorator_list)
            methods: tuple[str, ...] = ("ANY",)
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and dotted(decorator.func).split(".")[-1]
                    in {"api_view", "require_http_methods"}
                    and decorator.args
                ):
                    methods = tuple(
                        m.upper()
                        for m in (string(e) for e in getattr(decorator.args[0], "elts", []))
                        if m
                    )
                    permissions = [
                        _names(k.value) for k in decorator.keywords if k.arg == "permission_classes"
                    ]
                    decorators += tuple(n for group in permissions for n in group)
                elif (
                    isinstance(decorator, ast.Call)
                    and dotted(decorator.func).split(".")[-1] == "permission_classes"
                ):
                    decorators += tuple(n for a in decorator.args for n in _names(a))
                elif dotted(decorator).split(".")[-1] in {"require_GET", "require_POST"}:
                    methods = (dotted(decorator).split("_")[-1],)
            functions.append(ViewFunction(node.name, methods, decorators, node.lineno))
    if not (
        patterns
        or registrations
        or root_urlconf
        or defaults
        or any(v.bases for v in views)
        or any(f.decorators or f.methods != ("ANY",) for f in functions)
    ):
        return None
    return DjangoFile(path, tuple(imports), tuple(patterns), tuple(registrations), tuple(views),
                      tuple(functions), root_urlconf, defaults, tuple(named))  # fmt: skip


def _route_path(pattern: Pattern) -> str:
    route = pattern.route
    if pattern.regex:
        route = route.lstrip("^").rstrip("$")
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        route = route.replace("\\.", ".").replace("/?", "/")
    return route


@dataclass
class _Django:
    files: dict[str, DjangoFile]
    module_file: Callable[[str, str], str | None]
    defaults_required: bool
    routes: dict[tuple[str, str, str, int], Route]
    warnings: list[str]

    def module(self, importer: str, dotted: str) -> str | None:
        return self.module_file(importer, dotted)

    def find(self, importer: str, dotted: str) -> tuple[str, ViewClass | ViewFunction] | None:
        """The class or function a dotted name in ``importer`` stands for."""
        file = self.files.get(importer)
        if file is None:
            return None
        head, _, rest = dotted.partition(".")
        name = dotted.rsplit(".", 1)[-1]
        candidates = [importer]
        for local, source in file.imports:
            if local == head:
                if rest:  # ``views.OrderList``: head is a module
                    target = self.module(importer, source)
                    candidates.insert(0, target) if target else None
                else:  # ``from .views import OrderList``
                    target = self.module(importer, source.rsplit(".", 1)[0] or ".")
                    candidates.insert(0, target) if target else None
        for path in candidates:
            other = self.files.get(path) if path else None
            if other is None:
                continue
            for view in other.views:
                if view.name == name:
                    return path, view
            for function in other.functions:
                if function.name == name:
                    return path, function
        return None

    def auth(self, found: ViewClass | ViewFunction | None) -> str:
        names = (
            list(found.permissions if isinstance(found, ViewClass) else found.decorators)
            if found
            else []
        )
        if isinstance(found, ViewClass):
            names += list(found.bases)
        if any(_PUBLIC.search(n) for n in names) or (
            isinstance(found, ViewClass)
            and any(b.split(".")[-1] in _SIGN_IN_VIEWS for b in found.bases)
            and not found.permissions
        ):
            return "public"
        if any(n.split(".")[-1].endswith("OrReadOnly") for n in names):
            return "read-only"
        if any(_REQUIRED.search(n) for n in names) or (
            found is not None and self.defaults_required
        ):
            return "required"
        return "unknown"

    def add(
        self, method: str, path: str, handler: str | None, auth: str, evidence: Evidence
    ) -> None:
        if auth == "read-only":
            # IsAuthenticatedOrReadOnly: anyone may read, writing needs a user
            auth = "public" if method in {"GET", "HEAD", "OPTIONS"} else "required"
        key = (method, path, evidence.path, evidence.line or 0)
        self.routes.setdefault(key, Route(method, path, handler, auth, (evidence,)))

    def view(self, importer: str, prefix: str, target: str, line: int) -> None:
        found = self.find(importer, target)
        evidence = Evidence(importer, line)
        if found is None:
            if target.split(".")[-1] in _SIGN_IN_VIEWS:
                self.add("POST", prefix, target, "public", evidence)
            else:
                self.add("ANY", prefix, target, "unknown", evidence)
            return
        _path, view = found
        auth = self.auth(view)
        if isinstance(view, ViewFunction):
            for method in view.methods:
                self.add(method, prefix, view.name, auth, evidence)
            return
        methods = [m.upper() for m in view.methods if m in _HTTP]
        for base in view.bases:
            methods += [m for m in _GENERIC_VIEWS.get(base, ()) if m not in methods]
        for method in methods or ["ANY"]:
            self.add(
                method,
                prefix,
                f"{view.name}.{method.lower()}" if method != "ANY" else view.name,
                auth,
                evidence,
            )

    def viewset(self, importer: str, prefix: str, target: str, line: int) -> None:
        found = self.find(importer, target)
        evidence = Evidence(importer, line)
        if found is None or not isinstance(found[1], ViewClass):
            self.add("ANY", join(prefix), target, "unknown", evidence)
            return
        view = found[1]
        auth = self.auth(view)
        actions, mixed = self._actions(found[0], view, frozenset({view.name}))
        if "update" in actions and "partial_update" not in actions and mixed:
            actions.append("partial_update")
        for action in dict.fromkeys(actions):
            method, detail = _VIEWSET_ACTIONS[action]
            self.add(
                method,
                join(prefix, "{" + view.lookup + "}" if detail else ""),
                f"{view.name}.{action}",
                auth,
                evidence,
            )
        for name, detail, verbs, url_path in view.actions:
            for method in verbs:
                path = join(prefix, "{" + view.lookup + "}" if detail else "", url_path)
                self.add(method, path, f"{view.name}.{name}", auth, evidence)

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
            route = join(prefix, _route_path(pattern))
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
            elif kind == "patterns":
                named = dict(file.named_patterns).get(target)
                if named is None:
                    self.warnings.append(
                        f"{path}:{pattern.line}: include({target}) names a pattern list that "
                        "could not be found; its routes are missing"
                    )
                    continue
                self.walk(path, route, seen | {path}, named)

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
        for _router, register_prefix, viewset, line in registrations:
            self.viewset(source_file, join(prefix, register_prefix), viewset, line)


def resolve_django(
    files: dict[str, DjangoFile], module_file: Callable[[str, str], str | None]
) -> tuple[list[Route], list[str]]:
    if not files:
        return [], []
    settings = sorted(
        (f for f in files.values() if f.root_urlconf), key=lambda f: (f.path.count("/"), f.path)
    )
    defaults = [d for f in files.values() for d in f.default_permissions]
    state = _Django(files, module_file, any(_REQUIRED.search(d) for d in defaults), {}, [])
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
