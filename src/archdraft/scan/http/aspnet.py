"""ASP.NET Core routes in one C# file: controllers (``aspnet_controllers``), conventional
controller routes, minimal APIs (``MapGet``, ``MapGroup``), their authorization, the ``app.UseX()``
pipeline, and the policies that decide routes in other files (a fallback policy,
``MapControllers().RequireAuthorization()``)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http import names
from archdraft.scan.http.aspnet_controllers import controller
from archdraft.scan.http.aspnet_fastendpoints import PREFIX as FASTENDPOINTS_PREFIX
from archdraft.scan.http.aspnet_fastendpoints import is_endpoint, read_endpoint
from archdraft.scan.http.aspnet_modules import (
    MODULE_GROUP,
    call_marker,
    discoveries,
    modules,
    wrappers,
)
from archdraft.scan.http.aspnet_syntax import (
    CLASS_QUERY,
    METHOD_QUERY,
    PARAMETER_QUERY,
    attribute_auth,
    attributes,
    auth_of,
    call_parts,
    chain_end,
    chained,
    named_argument,
    path_expr,
    positional,
    scope_of,
    string,
    template,
)
from archdraft.scan.http.model import FileHttp, HttpBuilder, RouteDecl, Router, Use

_CALL_QUERY = "(invocation_expression) @call"
_FALLBACK_QUERY = """
(assignment_expression
  left: (member_access_expression name: (identifier) @fallback.name)
  right: (_) @fallback.value)
"""
_CONSTANT_QUERY = """
(field_declaration
  (variable_declaration
    type: (predefined_type) @type
    (variable_declarator name: (identifier) @name (string_literal) @value))) @field
"""
QUERIES = (
    CLASS_QUERY, _CALL_QUERY, _FALLBACK_QUERY, _CONSTANT_QUERY, METHOD_QUERY, PARAMETER_QUERY
)  # fmt: skip
_MAP_VERBS = {
    "MapGet": "GET",
    "MapPost": "POST",
    "MapPut": "PUT",
    "MapDelete": "DELETE",
    "MapPatch": "PATCH",
    "MapHealthChecks": "GET",
}
_CONVENTIONAL = "{controller}/{action}/{id}"
# Calls that may be a project's wrapper of a Map verb under a name of its own, and the
# framework's Map methods that never are one.
_MAP_NAME = re.compile(r"^Map[A-Z]")
_NOT_WRAPPERS = {
    "MapGroup", "MapMethods", "MapControllers", "MapControllerRoute", "MapAreaControllerRoute",
    "MapDefaultControllerRoute", "MapIdentityApi", "MapHub", "MapRazorPages", "MapBlazorHub",
    "MapFallback", "MapFallbackToFile", "MapFallbackToPage", "MapFallbackToController",
    "MapFallbackToAreaController", "MapRazorComponents", "MapStaticAssets", "MapOpenApi",
    "MapSwagger", "MapGrpcService", "MapWhen", "MapForwarder", "MapReverseProxy",
    *_MAP_VERBS,
}  # fmt: skip
# The verbs whose framework signature is (pattern, handler) and nothing else.
_PAIRED = {"MapGet", "MapPost", "MapPut", "MapDelete", "MapPatch"}
# What MapIdentityApi maps (Microsoft's documentation of the Identity API endpoints).
_IDENTITY = (
    ("POST", "/register"),
    ("POST", "/login"),
    ("POST", "/refresh"),
    ("GET", "/confirmEmail"),
    ("POST", "/resendConfirmationEmail"),
    ("POST", "/forgotPassword"),
    ("POST", "/resetPassword"),
    ("POST", "/manage/2fa"),
    ("GET", "/manage/info"),
    ("POST", "/manage/info"),
)
# What an app's pipeline variable is built from or typed as.
_APP_TYPES = {"IApplicationBuilder", "WebApplication", "IEndpointRouteBuilder"}
# The rule a policy adds for routes no attribute or call decided (see ``apply_policies``).
FALLBACK = ("/**", "required")
CONTROLLERS = ("controllers", "required")
# ``orders.MapOrdersApi().RequireAuthorization()``: a project's own extension method that maps
# a group and returns it; the call's chain decides the routes mapped in that method's body,
# which is often in another file. Rules name the method; constants give each body's lines.
MAPPER = "mapper:"
MAPS = ".__maps__"
_BUILDER_TYPES = _APP_TYPES | {"RouteGroupBuilder"}
_MAY_ROUTE = re.compile(
    r"(const|readonly) string |Map\w*\(|\[(Http|Route|ApiController)|Controller\b|"
    r"\.Use\w*\(|Fallback|override void Configure\(\)|RoutePrefix"
)


def wanted(text: str) -> bool:
    return _MAY_ROUTE.search(text) is not None


def extract_aspnet_http(path: str, parsed: ts.Parsed) -> FileHttp | None:
    out = HttpBuilder(path, "csharp")
    _constants(parsed, out)
    for match in parsed.matches(CLASS_QUERY):
        if is_endpoint(match["class"][0]):
            read_endpoint(match["class"][0], out)
        else:
            controller(match["class"][0], out)
    wrapped, inner = wrappers(parsed, _MAP_VERBS)
    found, sites = discoveries(parsed)
    out.constants += wrapped + found + modules(parsed)
    _Calls(path, parsed, out, inner, sites).read()
    _mapper_bodies(parsed, out)
    for match in parsed.matches(_FALLBACK_QUERY):
        value = ts.text(match["fallback.value"][0]).strip()
        if ts.text(match["fallback.name"][0]) == "FallbackPolicy" and value != "null":
            out.access_rules.append(FALLBACK)
        # app.UseFastEndpoints(c => c.Endpoints.RoutePrefix = "api")
        elif ts.text(match["fallback.name"][0]) == "RoutePrefix":
            prefix = string(match["fallback.value"][0])
            if prefix is not None:
                out.constants.append((FASTENDPOINTS_PREFIX, prefix))
    return out.freeze()


def _mapper_bodies(parsed: ts.Parsed, out: HttpBuilder) -> None:
    """The lines of each method taking an app or route builder, for ``MAPPER`` rules."""
    for method in parsed.nodes(METHOD_QUERY):
        name = method.child_by_field_name("name")
        params = ts.descendants(method.child_by_field_name("parameters"), {"parameter"})
        types = {ts.text(p.child_by_field_name("type")).split(".")[-1] for p in params}
        if name is not None and types & _BUILDER_TYPES:
            span = f"{ts.line(method)}:{method.end_point[0] + 1}"
            out.constants.append((ts.text(name) + MAPS, span))


def _constants(parsed: ts.Parsed, out: HttpBuilder) -> None:
    """``const string Users = "/users"`` (and ``static readonly``), as ``Users`` and
    ``Routes.Users``."""
    for match in parsed.matches(_CONSTANT_QUERY):
        field = match["field"][0]
        modifiers = {ts.text(c) for c in field.children if c.type == "modifier"}
        value = string(match["value"][0])
        if ts.text(match["type"][0]) != "string" or value is None or not names.pathlike(value):
            continue
        if not modifiers & {"const", "static"}:
            continue
        name = ts.text(match["name"][0])
        out.constants.append((name, value))
        klass = field.parent.parent if field.parent is not None else None
        if klass is not None and klass.type in {
            "class_declaration", "record_declaration", "struct_declaration"
        }:  # fmt: skip
            out.constants.append((f"{ts.text(klass.child_by_field_name('name'))}.{name}", value))


class _Calls:
    """Minimal APIs, groups, conventional routes and the pipeline, read from the calls."""

    def __init__(
        self, path: str, parsed: ts.Parsed, out: HttpBuilder, inner: set[int], sites: set[int]
    ) -> None:
        self.path = path
        self.parsed = parsed
        self.out = out
        self.inner = inner
        """The calls a project's own ``MapVERB`` makes to wrap the framework's: not routes."""
        self.sites = sites
        """MapGroup calls of discovery sites: each module's prefix is the join's to give."""
        self.root_auth: dict[tuple[int, str], str] = {}
        """(method, parameter) -> ``param.RequireAuthorization();`` said on a route builder
        the method receives (an endpoint module's group)."""
        self.groups: dict[int, str] = {}
        """A MapGroup call's start -> its router."""
        self.group_auth: dict[str, tuple[str | None, str]] = {}
        """A group router -> (its parent, what its own chain says)."""
        self.bound: dict[tuple[int, str], str] = {}
        """(scope, variable) -> the group router it holds."""
        self.roots: dict[str, str] = {}
        self.handed: set[tuple[int, str]] = set()
        """(method, parameter) for the route builders methods receive."""
        self.apps = self._app_variables()
        self._methods: dict[str, str] | None = None
        """The file's methods by name -> what their attributes say of auth, read once."""

    def _app_variables(self) -> set[tuple[int, str]]:
        """Variables that hold the app: ``var app = builder.Build()`` and parameters typed
        as an application or endpoint builder."""
        found: set[tuple[int, str]] = set()
        for match in self.parsed.matches(_CALL_QUERY):
            call = match["call"][0]
            parts = call_parts(call)
            holder = chain_end(call).parent
            if parts and parts[1] == "Build" and holder and holder.type == "variable_declarator":
                found.add((scope_of(call), ts.text(holder.child_by_field_name("name"))))
        for node in self.parsed.nodes(PARAMETER_QUERY):
            kind = ts.text(node.child_by_field_name("type")).split(".")[-1]
            owner = node.parent.parent if node.parent is not None else None
            if kind in _BUILDER_TYPES and owner is not None:
                key = (owner.start_byte, ts.text(node.child_by_field_name("name")))
                self.handed.add(key)
                if kind in _APP_TYPES:
                    found.add(key)
        return found

    def read(self) -> None:
        calls = sorted(
            (m["call"][0] for m in self.parsed.matches(_CALL_QUERY)), key=lambda n: n.end_byte
        )
        for call in calls:
            parts = call_parts(call)
            if parts is not None and parts[1] == "MapGroup":
                self._group(call)
        for call in calls:
            parts = call_parts(call)
            if parts is not None and parts[1] in {"RequireAuthorization", "AllowAnonymous"}:
                self._group_statement(parts[0], parts[1])
        for call in sorted(calls, key=lambda n: n.start_byte):
            parts = call_parts(call)
            if parts is None:
                continue
            receiver, name, name_node, args = parts
            if call.start_byte in self.inner:
                continue
            if name in _MAP_VERBS or name == "MapMethods" or _any_method_endpoint(name, args):
                self._route(call, receiver, name, name_node, args)
            elif name in {
                "MapControllerRoute",
                "MapAreaControllerRoute",
                "MapDefaultControllerRoute",
            }:
                self._conventional(call, receiver, name, name_node, args)
            elif name == "MapIdentityApi":
                self._identity(call, receiver, name_node)
            elif name == "MapControllers" and "RequireAuthorization" in chained(call):
                self.out.access_rules.append(CONTROLLERS)
            elif name == "SetFallbackPolicy" and args and ts.text(args[0]) != "null":
                self.out.access_rules.append(FALLBACK)
            elif name.startswith("Use") and name[3:4].isupper():
                self._use(call, receiver, name, name_node)
            elif name != "MapGroup" and (auth := auth_of(chained(call))) != "unknown":
                self.out.access_rules.append((MAPPER + name, auth))
            if _MAP_NAME.match(name) and name not in _NOT_WRAPPERS and args:
                self._maybe_wrapped(call, receiver, name, name_node, args)

    def _owner(self, receiver: ts.Node) -> str:
        """The router a call is made on: a group (held in a variable or chained), else the
        file's root for that name."""
        while receiver.type == "invocation_expression":
            if receiver.start_byte in self.groups:
                return self.groups[receiver.start_byte]
            parts = call_parts(receiver)
            if parts is None:
                break
            receiver = parts[0]
        name = ts.text(receiver) if receiver.type == "identifier" else "app"
        held = self.bound.get((scope_of(receiver), name))
        return held or self._root(name)

    def _root(self, name: str) -> str:
        if name not in self.roots:
            self.roots[name] = name
            self.out.routers.append(Router(name, "app", "ASP.NET Core", "", 1))
        return self.roots[name]

    def _group(self, call: ts.Node) -> None:
        parts = call_parts(call)
        if parts is None:
            return
        receiver, _name, name_node, args = parts
        parent = self._owner(receiver)
        prefix = string(args[0]) if args else ""
        if call.start_byte in self.sites:
            prefix = ""  # a discovery site: the join gives each module the prefix it builds
        elif args and ts.text(args[0]) == "this":
            prefix = MODULE_GROUP  # a module's own group (older CleanArchitecture)
        var = f"group@{ts.line(name_node)}:{call.start_byte}"
        self.groups[call.start_byte] = var
        expr = path_expr(args[0]) if prefix is None and args else None
        if prefix is None and expr is None:
            self.out.warnings.append(
                f"{self.path}:{ts.line(name_node)}: group prefix {ts.text(args[0])[:40]} is not "
                "a literal; routes below it are listed without it"
            )
        self.out.routers.append(
            Router(
                var,
                "router",
                "ASP.NET Core",
                template(prefix or ""),
                ts.line(name_node),
                parent,
                prefix_expr=expr,
            )
        )
        self.group_auth[var] = (parent, auth_of(chained(call)))
        holder = chain_end(call).parent
        if holder is not None and holder.type == "variable_declarator":
            self.bound[(scope_of(call), ts.text(holder.child_by_field_name("name")))] = var

    def _group_statement(self, receiver: ts.Node, name: str) -> None:
        """``group.RequireAuthorization();`` as a statement of its own: group metadata, so
        it covers the group's endpoints wherever they are mapped."""
        if receiver.type != "identifier":
            return
        key = (scope_of(receiver), ts.text(receiver))
        var = self.bound.get(key)
        if var is not None:
            parent, _state = self.group_auth[var]
            self.group_auth[var] = (parent, auth_of([name]))
        elif key in self.handed:
            # a group the method is handed (an endpoint module's): it covers what the
            # method maps on it, not what other methods map on a builder of that name
            self.root_auth[key] = auth_of([name])

    def _auth(self, call: ts.Node, owner: str) -> str:
        auth = auth_of(chained(call))
        current: str | None = owner
        while auth == "unknown" and current in self.group_auth:
            current, auth = self.group_auth[current]
        if auth == "unknown" and current is not None:
            scope = call.parent
            while scope is not None and auth == "unknown":
                auth = self.root_auth.get((scope.start_byte, current), "unknown")
                scope = scope.parent
        return auth

    def _route(self, call: ts.Node, receiver: ts.Node, name: str, name_node: ts.Node,
               args: list[ts.Node]) -> None:  # fmt: skip
        if not args:
            return
        path = string(args[0])
        expr = path_expr(args[0]) if path is None else None
        line = ts.line(name_node)
        handler = args[-1] if len(args) > 1 else None
        handler_name = (
            ts.text(handler)
            if handler is not None and handler.named_children
            and handler.named_children[0].type in {"identifier", "member_access_expression"}
            else None
        )  # fmt: skip
        odd = name in _PAIRED and (len(args) != 2 or string(args[1]) is not None)
        if (path is None or odd) and name in _MAP_VERBS:
            # the framework's (pattern, handler) unless a project wrapper of the name takes
            # these arguments (a handler first, a third argument): the join decides, and
            # warns as below if neither can
            owner = self._owner(receiver)
            auth = _with_handler(self._auth(call, owner), self._handler_auth(handler))
            self.out.routes.append(
                RouteDecl(owner, _MAP_VERBS[name], call_marker(name, args), handler_name,
                          line, auth, path_expr=expr)
            )  # fmt: skip
            return
        if path is None and expr is None:
            self.out.warnings.append(
                f"{self.path}:{line}: route path {ts.text(args[0])[:40]} is not a literal; "
                "the route is left out"
            )
            return
        if name == "MapMethods":
            listed = args[1] if len(args) > 1 else None
            named = [n for n in ts.descendants(listed, {"member_access_expression"})
                     if ts.text(n.child_by_field_name("expression")) == "HttpMethods"]  # fmt: skip
            verbs = sorted(
                {v.upper() for n in ts.descendants(listed, {"string_literal"}) if (v := string(n))}
                | {ts.text(n.child_by_field_name("name")).upper() for n in named}
            )
        else:
            verbs = [_MAP_VERBS.get(name, "ANY")]
        owner = self._owner(receiver)
        auth = _with_handler(self._auth(call, owner), self._handler_auth(handler))
        for verb in verbs:
            value = template(path) if path is not None else None
            self.out.routes.append(
                RouteDecl(owner, verb, value, handler_name, line, auth, path_expr=expr)
            )

    def _handler_auth(self, handler: ts.Node | None) -> str:
        """What the handler's own attributes say: a lambda's (``[Authorize] async (..) =>``)
        or those of the method a method group names, when this file declares it."""
        node = handler.named_children[0] if handler is not None and handler.named_children else None
        if node is None:
            return "unknown"
        if node.type == "lambda_expression":
            return attribute_auth(attributes(node))
        if node.type in {"identifier", "member_access_expression"}:
            if self._methods is None:
                self._methods = {}
                for method in self.parsed.nodes(METHOD_QUERY):
                    name = ts.text(method.child_by_field_name("name"))
                    # an overloaded name is no one method: its attributes decide nothing
                    seen = self._methods.get(name)
                    auth = attribute_auth(attributes(method))
                    self._methods[name] = auth if seen is None or seen == auth else "unknown"
            return self._methods.get(ts.text(node).rsplit(".", 1)[-1], "unknown")
        return "unknown"

    def _maybe_wrapped(self, call: ts.Node, receiver: ts.Node, name: str, name_node: ts.Node,
                       args: list[ts.Node]) -> None:  # fmt: skip
        """``group.MapCommand<CreateTodo>("todos")``: a route if the project declares a
        wrapper of that name (``aspnet_join.wrapped``), on a builder already known here,
        so that no app is made up for a call that turns out to be something else."""
        owner = self._known_owner(receiver)
        if owner is not None:
            self.out.routes.append(
                RouteDecl(owner, "ANY", call_marker(name, args, framework=False), None,
                          ts.line(name_node), self._auth(call, owner))
            )  # fmt: skip

    def _known_owner(self, receiver: ts.Node) -> str | None:
        """The group or root ``receiver`` is, when this file already has it."""
        current = receiver
        while current.type == "invocation_expression":
            if current.start_byte in self.groups:
                return self.groups[current.start_byte]
            parts = call_parts(current)
            if parts is None:
                return None
            current = parts[0]
        if current.type != "identifier":
            return None
        key = (scope_of(current), ts.text(current))
        if key in self.bound or key in self.handed or ts.text(current) in self.roots:
            return self._owner(receiver)
        return None

    def _identity(self, call: ts.Node, receiver: ts.Node, name_node: ts.Node) -> None:
        """``MapIdentityApi<TUser>()``: ASP.NET Core Identity's documented endpoints, on the
        builder it is called on; its ``/manage`` group requires authorization."""
        owner = self._owner(receiver)
        auth = self._auth(call, owner)
        for verb, value in _IDENTITY:
            said = "required" if value.startswith("/manage/") and auth != "public" else auth
            self.out.routes.append(
                RouteDecl(owner, verb, value, "MapIdentityApi", ts.line(name_node), said)
            )

    def _conventional(self, call: ts.Node, receiver: ts.Node, name: str, name_node: ts.Node,
                      args: list[ts.Node]) -> None:  # fmt: skip
        """A conventional route is one pattern for every controller action: listed once, as
        written, with its parameters (``{controller=Home}/{action=Index}/{id?}``)."""
        chosen = named_argument(args, "pattern")
        if chosen is None and name != "MapDefaultControllerRoute":
            rest = positional(args)
            at = 2 if name == "MapAreaControllerRoute" else 1
            chosen = rest[at] if len(rest) > at else None
        pattern = string(chosen) if chosen is not None else _CONVENTIONAL
        if pattern is None:
            return
        owner = self._owner(receiver)
        self.out.routes.append(
            RouteDecl(
                owner, "ANY", template(pattern), None, ts.line(name_node), self._auth(call, owner)
            )
        )

    def _use(self, call: ts.Node, receiver: ts.Node, name: str, name_node: ts.Node) -> None:
        if receiver.type != "identifier":
            return
        var = ts.text(receiver)
        if (scope_of(call), var) not in self.apps and (0, var) not in self.apps:
            return
        if name_node.type == "generic_name":
            types = name_node.named_children[1:] if len(name_node.named_children) > 1 else []
            name = ts.text(types[0]).strip("<>") if types else name
        owner = self._root(ts.text(receiver))
        # package: a pipeline step such as UseAuthentication finds out who calls; it does
        # not turn callers away, so it guards no route by its name
        self.out.uses.append(Use(owner, "", name, (), ts.line(name_node), package=True))


def _with_handler(auth: str, handler: str) -> str:
    """A route's auth with its handler's attributes: anonymous access anywhere in an
    endpoint's metadata wins (``[AllowAnonymous]`` over a group's RequireAuthorization)."""
    if "public" in (auth, handler):
        return "public"
    return "required" if "required" in (auth, handler) else auth


def _any_method_endpoint(name: str, args: list[ts.Node]) -> bool:
    """``app.Map(pattern, handler)``: an endpoint for every method. The other ``Map``,
    ``app.Map("/path", branch => branch.Run(...))``, branches the pipeline; its lambda's
    parameter has no type, which a minimal-API delegate cannot do (its lambda needs a
    natural type), so a lambda with an untyped parameter is a branch, not an endpoint."""
    if name != "Map" or len(args) != 2:
        return False
    handler = args[1].named_children[0] if args[1].named_children else None
    if handler is None:
        return False
    if handler.type == "lambda_expression":
        params = handler.child_by_field_name("parameters")
        if params is None or params.type == "implicit_parameter":
            return False
        return all(p.child_by_field_name("type") is not None for p in params.named_children
                   if p.type == "parameter")  # fmt: skip
    return handler.type in {"identifier", "member_access_expression"}
