"""FastAPI, Starlette-style and Flask declarations in one Python file, read from its
``ast`` tree; Django URL confs and DRF routers live in ``django.py``."""

from __future__ import annotations

import ast
import re

from archdraft.scan.http import names, python_calls
from archdraft.scan.http.model import (
    RESOURCE,
    FileHttp,
    HttpBuilder,
    Import,
    RouteDecl,
    Router,
    Use,
)
from archdraft.scan.pyast import dotted, string

_ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "options", "head", "api_route",
                     "route", "websocket"}  # fmt: skip
_APPS = {"FastAPI": "FastAPI", "Flask": "Flask", "Starlette": "Starlette", "Quart": "Quart",
         "APIFlask": "Flask", "Litestar": "Litestar"}  # fmt: skip
_ROUTERS = {
    "APIRouter": "FastAPI",
    "Blueprint": "Flask",
    "APIBlueprint": "Flask",
    "Router": "FastAPI",
    "Namespace": "Flask",  # Flask-RESTX / Flask-RESTPlus
    "Api": "Flask",
}
# A project's own router classes: AdminAPIRouter, UserAPIRouter, InferringRouter; their
# names say who may call them
_CUSTOM_ROUTER = re.compile(r"^[A-Z]\w*(API|Api)?Router$")
_USER_ROUTER = re.compile(r"^(User|Private|Protected|Secure|Authenticated|Member)[A-Z]")
_HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}
# Names of dependencies and decorators that guard a route. Not "session": in Python that is
# usually the database session.
_AUTH = re.compile(
    r"auth|current_?user|token|jwt|login_required|permission|verify|api_?key|require_|"
    r"oauth2_scheme|guard|admin|superuser|bearer|credential|is_authenticated", re.I)  # fmt: skip
_PUBLIC = re.compile(r"\bpublic\b|allow_anonymous|no_auth|skip_auth", re.I)
# jwt_optional, get_current_user_optional: anonymous callers get through as well; and
# OAuth2PasswordRequestForm is the sign-in form itself, which anonymous callers post
_OPTIONAL = re.compile(r"(?i:optional)|Form$")
TRIGGER = re.compile(
    r"FastAPI|APIRouter|Flask|Blueprint|include_router|register_blueprint|"
    r"Starlette|\.route\(|\.get\(|\.post\(|add_middleware|Quart|Litestar|Namespace|"
    r"add_namespace|init_app|Api\(|add_resource|Resource|before_request|before_app_request|"
    r"add_url_rule|add_api_route|add_route\(|"
    # a project helper's call: register_api(app, UserAPI, 'users', '/users/')
    r"\w\([^()\n]*['\"]/"
)


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _depends(node: ast.AST | None) -> list[str]:
    """Names inside ``Depends(x)``/``Security(x)`` anywhere in ``node``."""
    found = []
    for inner in ast.walk(node) if node is not None else []:
        name = dotted(inner.func).split(".")[-1] if isinstance(inner, ast.Call) else ""
        if name in {"Depends", "Security"} and isinstance(inner, ast.Call) and inner.args:
            target = inner.args[0]
            found.append((dotted(target) or "dependency") + _optional_marker(target))
    return found


def _optional_marker(target: ast.expr) -> str:
    """`` (optional)`` for ``get_user(required=False)`` or ``HTTPBearer(auto_error=False)``:
    a dependency that lets anonymous callers through does not guard the route."""
    if not isinstance(target, ast.Call):
        return ""
    for keyword in target.keywords:
        value = keyword.value
        if isinstance(value, ast.Constant) and (
            (keyword.arg in {"required", "auto_error"} and value.value is False)
            or (keyword.arg == "optional" and value.value is True)
        ):
            return " (optional)"
    return ""


def _auth_of(names: list[str]) -> str:
    if any(_PUBLIC.search(n) for n in names):
        return "public"
    if any(_AUTH.search(n) and not _OPTIONAL.search(n) for n in names):
        return "required"
    return "unknown"


def _methods(decorator: ast.Call, verb: str) -> list[str]:
    if verb in {"route", "api_route"}:
        methods = _keyword(decorator, "methods")
        if isinstance(methods, (ast.List, ast.Tuple, ast.Set)):
            found = [string(m) for m in methods.elts]
            return [m.upper() for m in found if m]
        return ["GET"] if verb == "route" else ["ANY"]
    return ["WEBSOCKET" if verb == "websocket" else verb.upper()]


def _imports(nodes: list[ast.AST], out: HttpBuilder) -> None:
    # Flask's application factories import blueprints inside create_app()
    for node in nodes:
        if type(node) is ast.ImportFrom:
            source = "." * node.level + (node.module or "")
            for alias in node.names:
                out.imports.append(Import(alias.asname or alias.name, source, alias.name))
        elif type(node) is ast.Import:
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                out.imports.append(
                    Import(local, alias.name if alias.asname else alias.name.split(".")[0], "*")
                )


def _function_routes(
    node: ast.FunctionDef | ast.AsyncFunctionDef,
    out: HttpBuilder,
    applied: list[ast.Call],
    strings: dict[str, str],
) -> None:
    """Routes of a function: its route decorators, and ``router.post("/x")(fn)`` calls
    (``applied``), which register it where they stand (often under an ``if``)."""
    others = [dotted(d) for d in node.decorator_list]
    # Annotated aliases (CurrentUser = Annotated[User, Depends(...)]) name the dependency
    annotations = [
        dotted(a.annotation) for a in node.args.args + node.args.kwonlyargs if a.annotation
    ]
    dependencies = _depends(node.args) + [a for a in annotations if a]
    registrations = [(d, node.lineno) for d in node.decorator_list]
    registrations += [(call, call.lineno) for call in applied]
    for decorator, line in registrations:
        if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute):
            continue
        verb = decorator.func.attr
        if verb not in _ROUTE_DECORATORS:
            continue
        owner = dotted(decorator.func.value)
        path_node = (
            decorator.args[0]
            if decorator.args
            else _keyword(decorator, "path") or _keyword(decorator, "rule")
        )
        path = _literal(path_node, strings)
        expr = _path_expr(path_node) if path is None else None
        if path is None and expr is None:
            # A made-up path would be wrong information; the warning says where it is.
            out.warnings.append(
                f"{out.path}:{decorator.lineno}: route path is not a literal; the route is left out"
            )
            continue
        names = (
            dependencies
            + _depends(_keyword(decorator, "dependencies"))
            + [o for o in others if o != dotted(decorator)]
        )
        auth = _auth_of(names)
        for method in _methods(decorator, verb):
            # a path through an imported constant is resolved once files are joined
            out.routes.append(RouteDecl(owner, method, path, node.name, line, auth, (), expr))


def _class_routes(node: ast.ClassDef, out: HttpBuilder) -> None:
    """``@ns.route('/x')`` on a Flask-RESTX Resource or a flask-smorest MethodView: a route
    for each method named for an HTTP verb, guarded by the class's or the method's
    decorators (or its ``method_decorators``)."""
    class_names = [dotted(d) for d in node.decorator_list]
    for statement in node.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in {"method_decorators", "decorators"}
            for t in statement.targets
        ):
            class_names += _depends(statement.value) + [
                dotted(e) for e in getattr(statement.value, "elts", [])
            ]
    methods = [
        m
        for m in node.body
        if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.name in _HTTP_METHODS
    ]
    if methods and node.bases:
        guarded = [
            (m.name.upper(), _auth_of(class_names + [dotted(d) for d in m.decorator_list]))
            for m in methods
        ]
        out.resources.append((node.name, tuple(guarded)))
    for decorator in node.decorator_list:
        if not (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "route"
            and decorator.args
        ):
            continue
        path = string(decorator.args[0])
        if path is None:
            out.warnings.append(
                f"{out.path}:{decorator.lineno}: route path is not a literal; the route is left out"
            )
            continue
        others = [n for n in class_names if n != dotted(decorator)]
        for method in methods:
            names = others + [dotted(d) for d in method.decorator_list] + _depends(method.args)
            out.routes.append(
                RouteDecl(
                    dotted(decorator.func.value),
                    method.name.upper(),
                    path,
                    f"{node.name}.{method.name}",
                    method.lineno,
                    _auth_of(names),
                )
            )


def _string_bindings(statements: list[ast.stmt]) -> list[tuple[str, str]]:
    """(name, value) for each ``name = "literal"`` (annotated or not) among ``statements``."""
    found = []
    for statement in statements:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], string(statement.value)
        elif isinstance(statement, ast.AnnAssign):
            target, value = statement.target, string(statement.value)
        else:
            continue
        if isinstance(target, ast.Name) and value is not None:
            found.append((target.id, value))
    return found


def _constants(tree: ast.Module, out: HttpBuilder) -> None:
    """Module constants and class attributes holding a path-like string."""
    statements: list[ast.stmt] = list(tree.body)
    statements += [s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body]
    out.constants += [
        (name, value)
        for name, value in _string_bindings(statements)
        if value.startswith("/") and len(value) < 80
    ]


def _literal(node: ast.AST | None, strings: dict[str, str]) -> str | None:
    """A string the code spells out: a literal, a module constant, or an f-string or sum of
    them (``f"{base_prefix}/categories"``); None when any part is computed."""
    if (value := string(node)) is not None:
        return value
    if isinstance(node, ast.Name):
        return strings.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, strings), _literal(node.right, strings)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                if part.conversion != -1 or part.format_spec is not None:
                    return None
                part_value = _literal(part.value, strings)
            else:
                part_value = string(part)
            if part_value is None:
                return None
            parts.append(part_value)
        return "".join(parts)
    return None


def _path_expr(node: ast.AST | None) -> names.PathExpr | None:
    """A path spelled through names the file does not bind (``ITEMS``, ``paths.ITEMS +
    "/{id}"``, ``f"{settings.API}/items"``), in the resolver's form; None if computed."""
    if (value := string(node)) is not None:
        return names.literal(value)
    if isinstance(node, (ast.Name, ast.Attribute)):
        return names.name(dotted(node))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _path_expr(node.left), _path_expr(node.right)
        return names.join_parts([left, right]) if left and right else None
    if isinstance(node, ast.JoinedStr):
        pieces = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                if part.conversion != -1 or part.format_spec is not None:
                    return None
                piece = _path_expr(part.value)
            else:
                piece = _path_expr(part)
            if piece is None:
                return None
            pieces.append(piece)
        return names.join_parts(pieces)
    return None


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Module-level names bound once to a string literal."""
    found: dict[str, list[str]] = {}
    for name, value in _string_bindings(tree.body):
        found.setdefault(name, []).append(value)
    return {name: values[0] for name, values in found.items() if len(values) == 1}


def _assignment(
    node: ast.Assign | ast.AnnAssign, out: HttpBuilder, strings: dict[str, str]
) -> None:
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    if not isinstance(target, ast.Name) or not isinstance(node.value, ast.Call):
        return
    call = node.value
    factory = dotted(call.func).split(".")[-1]
    if factory in _APPS:
        prefix = string(_keyword(call, "root_path")) or ""
        auth = _auth_of(_depends(_keyword(call, "dependencies")))
        out.routers.append(
            Router(target.id, "app", _APPS[factory], prefix, node.lineno, auth=auth == "required")
        )
    elif factory in _ROUTERS or (
        _CUSTOM_ROUTER.match(factory) and factory not in {"DefaultRouter", "SimpleRouter"}
    ):
        given = _keyword(call, "prefix") or _keyword(call, "url_prefix")
        spelled = _literal(given, strings) if given is not None else ""
        if spelled is None and given is not None:
            out.warnings.append(
                f"{out.path}:{node.lineno}: router prefix {ast.unparse(given)[:40]} is not a "
                "literal; routes below it are listed without it"
            )
        prefix = spelled or ""
        if factory == "Namespace":
            # Namespace('teams') serves under /teams unless given a path of its own
            name = string(call.args[0]) if call.args else None
            prefix = string(_keyword(call, "path")) or (f"/{name}" if name else "")
        names = _depends(_keyword(call, "dependencies"))
        auth = _auth_of(names)
        if factory not in _ROUTERS and auth == "unknown":
            # AdminAPIRouter(prefix="/admin"): a project's APIRouter subclass, whose own
            # dependencies live in its class; its name is the evidence read here
            auth = "required" if _USER_ROUTER.match(factory) else _auth_of([factory])
        framework = _ROUTERS.get(factory, "FastAPI")
        out.routers.append(
            Router(target.id, "router", framework, prefix, node.lineno, auth=auth == "required")
        )
        if factory == "Api" and call.args and isinstance(call.args[0], (ast.Name, ast.Attribute)):
            # Api(app) or Api(blueprint): the API's namespaces serve under it
            out.uses.append(Use(dotted(call.args[0]), "", target.id, (), node.lineno, handed=True))


def _call(call: ast.Call, out: HttpBuilder) -> None:
    if not isinstance(call.func, ast.Attribute):
        return
    method = call.func.attr
    owner = dotted(call.func.value)
    if method in {"include_router", "register_blueprint", "mount", "include_app"} and call.args:
        target = dotted(call.args[0])
        prefix_node = _keyword(call, "prefix") or _keyword(call, "url_prefix")
        if method == "mount" and call.args:
            prefix_node, target = call.args[0], dotted(call.args[1]) if len(call.args) > 1 else ""
        path = string(prefix_node) if prefix_node is not None else ""
        expression = dotted(prefix_node) if prefix_node is not None and path is None else None
        names = _depends(_keyword(call, "dependencies"))
        auth = _auth_of(names) == "required"
        out.uses.append(
            Use(owner, path, target, tuple(names), call.lineno, auth, expression or None)
        )
    elif method == "add_resource" and len(call.args) > 1:
        # Flask-RESTful: api.add_resource(UserResource, '/users/<id>', '/users')
        resource = dotted(call.args[0])
        for path_node in call.args[1:]:
            path = string(path_node)
            if path is not None:
                out.routes.append(
                    RouteDecl(owner, f"{RESOURCE}{resource}", path, resource, call.lineno)
                )
    elif method == "add_namespace" and call.args:
        path = string(_keyword(call, "path"))
        target = dotted(call.args[0])
        # a path given here is the namespace's path, instead of the one it was made with
        out.uses.append(Use(owner, path or "", target, (), call.lineno, replaces_prefix=bool(path)))
    elif method == "init_app" and call.args and isinstance(call.args[0], (ast.Name, ast.Attribute)):
        # api.init_app(blueprint) mounts an API; db.init_app(app) is only an extension, and
        # a handed use that leads to no router is dropped
        out.uses.append(Use(dotted(call.args[0]), "", owner, (), call.lineno, handed=True))
    elif method == "add_middleware" and call.args:
        out.uses.append(Use(owner, "", dotted(call.args[0]), (), call.lineno))
    elif method == "middleware" and call.args and string(call.args[0]) == "http":
        pass  # decorator form, seen on the function


def extract_http(path: str, text: str, tree: ast.Module, nodes: list[ast.AST]) -> FileHttp | None:
    out = HttpBuilder(path, "python")
    _imports(nodes, out)
    _constants(tree, out)
    strings = _module_strings(tree)
    if not TRIGGER.search(text):
        return out.freeze(keep_imports=path.endswith("__init__.py"))
    for statement in nodes:
        if type(statement) is ast.Assign or type(statement) is ast.AnnAssign:
            _assignment(statement, out, strings)
    applied: dict[str, list[ast.Call]] = {}
    for node in nodes:
        # register_user = auth_router.post("/register")(register_user)
        if (
            type(node) is ast.Call
            and isinstance(node.func, ast.Call)
            and isinstance(node.func.func, ast.Attribute)
            and node.func.func.attr in _ROUTE_DECORATORS
            and len(node.args) == 1
            and isinstance(node.args[0], ast.Name)
        ):
            applied.setdefault(node.args[0].id, []).append(node.func)
    for node in nodes:
        if type(node) is ast.ClassDef:
            _class_routes(node, out)
        elif type(node) is ast.FunctionDef or type(node) is ast.AsyncFunctionDef:
            _function_routes(node, out, applied.get(node.name, []), strings)
            for decorator in node.decorator_list:
                # @app.middleware("http") and Flask's before_request run on every request
                if isinstance(decorator, ast.Call) and dotted(decorator.func).endswith(
                    ".middleware"
                ):
                    out.uses.append(
                        Use(
                            dotted(decorator.func).rsplit(".", 1)[0],
                            "",
                            node.name,
                            (),
                            node.lineno,
                        )
                    )
                elif dotted(decorator).endswith((".before_request", ".before_app_request")):
                    # @api.before_request over @auth.login_required guards every route of api
                    others = [dotted(d) for d in node.decorator_list if d is not decorator]
                    guard = _auth_of(others) == "required"
                    owner = dotted(decorator).rsplit(".", 1)[0]
                    out.uses.append(Use(owner, "", node.name, (), node.lineno, auth=guard))
        elif type(node) is ast.Call:
            _call(node, out)
    if python_calls.MAY_REGISTER.search(text):
        python_calls.read_calls(tree, out)
    # Python names need no export: any module may pass a router on by importing it.
    return out.freeze(keep_imports=True)
