"""Django URL confs and Django REST framework routers and views, read with ``ast``.

Per file, ``DjangoFile`` records URL patterns, router registrations, view classes, settings
and view registries; ``django_resolve`` joins the files."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from archdraft.scan.http import django_registry as reg
from archdraft.scan.http.django_settings import Settings, extract_settings
from archdraft.scan.pyast import dotted, string

TRIGGER = re.compile(r"urlpatterns|DefaultRouter|SimpleRouter|ViewSet|APIView|ROOT_URLCONF|"
                     r"permission_classes|api_view|View\b|login_required|REST_FRAMEWORK|"
                     r"MIDDLEWARE|class \w+Mixin\b")  # fmt: skip
# A view registry's store appends an entry dict; its builder calls path() with a computed
# route. Tested apart: each has a literal prefix, which one alternation would lose.
_STORE = re.compile(r"\.append\(\s*\{")
_ROUTE_CALL = re.compile(r"(?<![\w.])(?:re_)?path\(")


def _registry_hint(text: str) -> bool:
    return _STORE.search(text) is not None or (
        "path(" in text and _ROUTE_CALL.search(text) is not None
    )


def triggered(text: str) -> bool:
    """The file may hold a Django fact: cheap enough to run on every Python file."""
    return TRIGGER.search(text) is not None or _registry_hint(text)


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
    call: str | None = None
    """For ``include(model_urls('app', 'device'))``: the call's source, for a registry."""


RouteRow = tuple[str, tuple[tuple[str, str], ...], bool, bool]
"""A router's route: url template, method to action mapping, detail, dynamic (@action)."""


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
    dotted_bases: tuple[str, ...] = ()
    sets_permissions: bool = False
    """``permission_classes`` is assigned in the class body (``[]`` included)."""
    classes: tuple[str, ...] = ()
    """The classes assigned to ``permission_classes``, without the class's decorators."""
    login_exempt: bool = False
    """``login_required = False`` or ``@method_decorator(login_not_required, ...)``."""
    router_routes: tuple[tuple[int, str, str], ...] = ()
    router_table: tuple[RouteRow, ...] = ()
    """A router subclass's own ``routes = [Route(...), DynamicRoute(...)]``, replacing DRF's."""
    """A DRF router subclass's ``self.routes[i].mapping.update({'put': 'bulk_update'})``:
    (route index, method, action)."""


@dataclass(frozen=True)
class ViewFunction:
    name: str
    methods: tuple[str, ...]
    decorators: tuple[str, ...]
    line: int
    sets_permissions: bool = False


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
    settings: Settings | None = None
    named_patterns: tuple[tuple[str, tuple[Pattern, ...]], ...] = ()
    """Other pattern lists of the module, for ``include(login_urlpatterns)``."""
    routers: tuple[tuple[str, str], ...] = ()
    """(variable, class as written): ``router = ApiRouter()`` for a router with registrations."""
    registry: reg.Registry | None = None


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
                _patterns(inner, found, prefix + route_path(nested) + "/")
                continue
            helper = None
            if module:
                target = f"include:{module}"
            elif isinstance(inner, ast.Attribute) and inner.attr == "urls":
                target = f"router:{dotted(inner.value)}"
            elif isinstance(inner, (ast.Name, ast.Attribute)):
                target = f"patterns:{dotted(inner)}"
            elif isinstance(inner, ast.Call) and dotted(inner.func):
                target, helper = f"helper:{dotted(inner.func)}", ast.unparse(inner)
            else:
                continue
            if helper is not None:
                written = route_path(Pattern(route, "", 0, regex)) if regex else route
                found.append(Pattern(prefix + written, target, call.lineno, False, unresolved,
                                     helper))  # fmt: skip
                continue
        elif isinstance(view, ast.Call) and dotted(view.func).endswith(".as_view"):
            target = f"view:{dotted(view.func)[: -len('.as_view')]}"
        else:
            target = f"view:{dotted(view)}"
        written = route_path(Pattern(route, "", 0, regex)) if regex else route
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


def _view_class(node: ast.ClassDef, routes: bool = False) -> ViewClass:
    methods = tuple(
        f.name for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
    )
    actions = []
    permissions: tuple[str, ...] = ()
    sets_permissions = exempt = False
    classes: tuple[str, ...] = ()
    lookups: dict[str, str] = {}
    for item in node.body:
        if isinstance(item, ast.Assign):
            for target in item.targets:
                if _is_name(target, "login_required") and _is_false(item.value):
                    exempt = True
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
            permissions = classes = _names(item.value)
            sets_permissions = True
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
        if isinstance(decorator, ast.Call) and any(
            dotted(a).endswith("login_not_required") for a in decorator.args
        ):
            exempt = True
    # ``GenericAPIView[Any]``: the class is what is subscripted
    written = [dotted(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases]
    bases = tuple(b.split(".")[-1] for b in written)
    lookup = lookups.get("lookup_url_kwarg") or lookups.get("lookup_field") or "pk"
    return ViewClass(node.name, bases, methods, tuple(actions), permissions, node.lineno, lookup,
                     tuple(written), sets_permissions, classes, exempt,
                     _router_routes(node) if routes else (),
                     _router_table(node) if routes else ())  # fmt: skip


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _router_table(node: ast.ClassDef) -> tuple[RouteRow, ...]:
    rows: list[RouteRow] = []
    for item in node.body:
        if not (
            isinstance(item, ast.Assign)
            and any(_is_name(t, "routes") for t in item.targets)
            and isinstance(item.value, (ast.List, ast.Tuple))
        ):
            continue
        for call in item.value.elts:
            kind = dotted(call.func).rsplit(".", 1)[-1] if isinstance(call, ast.Call) else ""
            if not isinstance(call, ast.Call) or kind not in {"Route", "DynamicRoute"}:
                continue
            kw = {k.arg: k.value for k in call.keywords if k.arg}
            url, mapping = string(kw.get("url")), kw.get("mapping")
            detail = kw.get("detail")
            keys, values = getattr(mapping, "keys", []), getattr(mapping, "values", [])
            pairs = tuple(
                (m.upper(), a)
                for k, v in zip(keys, values, strict=True)
                if (m := string(k)) and (a := string(v))
            )
            if url is not None:
                rows.append((url, pairs, isinstance(detail, ast.Constant) and detail.value is True,
                             kind == "DynamicRoute"))  # fmt: skip
    return tuple(rows)


def _router_routes(node: ast.ClassDef) -> tuple[tuple[int, str, str], ...]:
    """``self.routes[0].mapping.update({'put': 'bulk_update'})`` in a router subclass: the
    extra methods its list (0) or detail (2) route maps to viewset actions."""
    found: list[tuple[int, str, str]] = []
    for call in ast.walk(node):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "update"
            and call.args
            and isinstance(call.args[0], ast.Dict)
        ):
            continue
        mapping = call.func.value
        route = mapping.value if isinstance(mapping, ast.Attribute) else None
        if (
            isinstance(mapping, ast.Attribute)
            and mapping.attr == "mapping"
            and isinstance(route, ast.Subscript)
            and dotted(route.value).endswith("routes")
            and isinstance(route.slice, ast.Constant)
            and isinstance(route.slice.value, int)
        ):
            for key, value in zip(call.args[0].keys, call.args[0].values, strict=True):
                method, action = string(key), string(value)
                if method and action:
                    found.append((route.slice.value, method.upper(), action))
    return tuple(found)


def extract_django(path: str, text: str, nodes: list[ast.AST]) -> DjangoFile | None:
    # a package's __init__ re-exports views (``from .object_views import *``)
    package = path.endswith("__init__.py") and "import" in text
    if not triggered(text):
        return _package(path, nodes) if package else None
    imports: list[tuple[str, str]] = []
    patterns: list[Pattern] = []
    registrations: list[tuple[str, str, str, int]] = []
    views: list[ViewClass] = []
    functions: list[ViewFunction] = []
    root_urlconf = None
    named: list[tuple[str, tuple[Pattern, ...]]] = []
    instances: dict[str, str] = {}
    decorated: list[ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef] = []
    for node in nodes:
        if isinstance(node, (ast.ImportFrom, ast.Import)):
            imports += _imports([node])
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
            elif isinstance(node.value, ast.Call) and not node.value.args:
                instances[name] = dotted(node.value.func)
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
            decorated += [node] if node.decorator_list else []
            # walking every class for a router's mapping costs more than the rest of it
            views.append(_view_class(node, "mapping" in text))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorated += [node] if node.decorator_list else []
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
            sets = any(
                isinstance(d, ast.Call)
                and (
                    dotted(d.func).endswith("permission_classes")
                    or any(k.arg == "permission_classes" for k in d.keywords)
                )
                for d in node.decorator_list
            )
            functions.append(ViewFunction(node.name, methods, decorators, node.lineno, sets))
    settings = (
        extract_settings(path, nodes) if "REST_FRAMEWORK" in text or "MIDDLEWARE" in text else None
    )
    registry = reg.extract_registry(nodes[0], decorated, _registry_hint(text))
    registered = {r[0] for r in registrations}
    routers = tuple(sorted((v, c) for v, c in instances.items() if v in registered))
    if not (
        patterns
        or registrations
        or root_urlconf
        or settings
        or registry
        or package
        or any(v.bases or v.methods for v in views)  # a mixin gives a viewset actions
        or any(f.decorators or f.methods != ("ANY",) for f in functions)
    ):
        return None
    return DjangoFile(path, tuple(imports), tuple(patterns), tuple(registrations), tuple(views),
                      tuple(functions), root_urlconf, settings, tuple(named), routers,
                      registry)  # fmt: skip


def _imports(nodes: list[ast.AST]) -> list[tuple[str, str]]:
    imports: list[tuple[str, str]] = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            source = "." * node.level + (node.module or "")
            # ``from . import views`` is ``.views``, not the parent package's ``..views``
            imports += [
                (a.asname or a.name, f"{source}.{a.name}" if node.module else source + a.name)
                for a in node.names
            ]
        elif isinstance(node, ast.Import):
            imports += [(a.asname or a.name, a.name) for a in node.names]
    return imports


def _package(path: str, nodes: list[ast.AST]) -> DjangoFile | None:
    """A package's ``__init__`` that only passes names on (``from .object_views import *``)."""
    module = nodes[0] if nodes else None
    imports = _imports(list(module.body)) if isinstance(module, ast.Module) else []
    return DjangoFile(path, tuple(imports)) if imports else None


def route_path(pattern: Pattern) -> str:
    route = pattern.route
    if pattern.regex:
        route = route.lstrip("^").rstrip("$")
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
        route = route.replace("\\.", ".").replace("/?", "/")
    return route
