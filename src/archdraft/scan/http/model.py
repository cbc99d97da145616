"""What one source file declares about HTTP, before files are joined: its imports and
exports, the apps and routers it creates, the routes it registers, and what it mounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Import:
    local: str
    """The name bound in this file."""
    source: str
    """The module specifier as written (``./routes/users``, ``app.routers.items``)."""
    name: str
    """The imported name: ``default``, ``*`` (the whole module) or an exported name."""


@dataclass(frozen=True)
class Export:
    name: str
    """The exported name, ``default`` for a default export."""
    local: str
    """The local name it exports; for a re-export, the name in ``source``."""
    source: str | None = None
    """Set for ``export { x } from './y'``."""


@dataclass(frozen=True)
class Router:
    var: str
    """The local name of the app or router (``app``, ``router``, ``api``)."""
    kind: str
    """``app`` (a root that serves requests) or ``router`` (mounted somewhere)."""
    framework: str
    prefix: str
    """A prefix the router carries itself (koa-router, APIRouter, Blueprint, a Gin group)."""
    line: int
    parent: str | None = None
    """For a group created from another router (``r.Group("/api")``): that router."""
    auth: bool = False
    """Authentication applies to everything under it (a guard given at creation)."""
    position: int | None = None
    """For a function's parameter standing for a router (Go), its position in the call."""
    version: str | None = None
    """NestJS ``@Controller({ path: 'users', version: '1' })``: the controller's version."""
    prefix_expr: str | None = None
    """A prefix spelled through names (``names.PathExpr``), resolved when files are joined."""


OPEN_UNLESS_GUARDED = "public-unless-guarded"
"""A route's auth when its own code leaves it open on purpose (a controller guards its
other actions) but a guard around it, a group's or a mount's, still decides: ``public``
only if nothing around it guards it."""
RESOURCE = "resource:"
"""The method of a route registered by ``add_resource``, until its class is found."""


@dataclass(frozen=True)
class RouteDecl:
    owner: str
    """The router or app variable the route is registered on."""
    method: str
    path: str | None
    """None when the path is not a literal: the route is kept and a warning added."""
    handler: str | None
    line: int
    auth: str = "unknown"
    """What the registration itself says: ``required``, ``public`` or ``unknown``."""
    middleware: tuple[str, ...] = ()
    """Functions applied to this route alone, in order."""
    path_expr: str | None = None
    """A path spelled through names (``names.PathExpr``) when ``path`` is None: resolved when
    files are joined, else the route is left out with a warning."""
    middleware_lines: tuple[int, ...] = ()
    """The line each of ``middleware`` is written on, when known and not ``line``
    (``Route::get('/user', function () {...})->middleware('auth')`` three lines on)."""


@dataclass(frozen=True)
class Use:
    """``owner.use(...)``, ``include_router``, ``register_blueprint``, ``r.Mount``: either
    a mount of another router or a middleware in the owner's chain."""

    owner: str
    path: str | None
    """The mount path; ``""`` when none was given; None when it is not a literal."""
    target: str
    """The mounted or used expression, as a name (``usersRouter``, ``items.router``)."""
    names: tuple[str, ...]
    """Names of the other functions passed along (middleware applied to the mount)."""
    line: int
    auth: bool = False
    path_expr: str | None = None
    """The expression given as the path when it is not a literal (``settings.API_PREFIX``)."""
    handed: bool = False
    """The owner was passed to a function (``routes(app)``): a mount when that function
    registers routes on it, and nothing at all otherwise (not middleware)."""
    same: bool = False
    """The target is the owner under another name: the router a function builds and returns
    (``let app = routes::app(state)``), so its global middleware is the owner's."""
    replaces_prefix: bool = False
    """The mount path stands instead of the mounted router's own prefix
    (Flask-RESTX ``api.add_namespace(ns, path='/x')``)."""
    package: bool = False
    """A library's plugin registered as it is (``fastify.register(fastifyJwt)``): it adds
    abilities, such as verifying a token, and guards no route by itself."""
    applied: bool = False
    """Middleware the reader has already applied to the routes it covers (a Laravel
    ``Route::middleware(...)->group(...)``): recorded as a fact, never taken as a guard of
    the routes registered after it."""


@dataclass(frozen=True)
class Arg:
    """One argument of a call that may reach a registration helper."""

    literal: str | None = None
    """A string literal's value (or a constant the reader resolved)."""
    name: str | None = None
    """A name or member expression as written (``router``, ``middleware.ensureLoggedIn``)."""
    param: int | None = None
    """The position of the enclosing function's parameter the argument passes on."""
    expr: str | None = None
    """A path spelled through names, in the resolver's form (see ``PathExpr``)."""
    members: tuple[str, ...] = ()
    """The names in a list argument (``[middleware.ensureLoggedIn, limiter]``)."""
    prefix: str = ""
    """A literal before the parameter ``param`` passes on (``'/admin' + path``)."""


@dataclass(frozen=True)
class Helper:
    """A project function that registers a route from its parameters
    (``function setupPageRoute(router, name, ...) { router.get(name, ...) }``): each call to it
    with a literal path is a route. Found by the language reader; calls are matched to it
    across files when files are joined."""

    name: str
    """The function's name in its file (``setupPageRoute``; a method's bare name)."""
    path: int
    """Position of the parameter that becomes the route's path."""
    line: int
    method: str | int = "ANY"
    """The verb it registers, or the position of the parameter that gives it."""
    router: int | None = None
    """Position of the parameter the route is registered on; None: on ``owner``."""
    owner: str | None = None
    """The router (in the helper's own file) it registers on when no parameter gives one."""
    prefix: str = ""
    """A literal the helper puts before the path (``'/api' + path``)."""
    handler: int | None = None
    """Position of the parameter that is the handler, if one is."""
    auth: str = "unknown"
    """What the helper's own registration says (a guard it always applies)."""


@dataclass(frozen=True)
class Call:
    """A call of a function this file does not define as a router method, with at least one
    string or a parameter among its arguments: a route when the callee is a ``Helper``, and
    a helper itself when it passes its own parameters on to one."""

    callee: str
    """As written: ``setupPageRoute``, ``helpers.setupApiRoute``, ``s.handle``."""
    args: tuple[Arg, ...]
    line: int
    inside: str | None = None
    """The enclosing function's name, when a parameter of it is passed on."""
    inside_line: int = 0


@dataclass(frozen=True)
class FileHttp:
    path: str
    framework: str
    imports: tuple[Import, ...] = ()
    exports: tuple[Export, ...] = ()
    routers: tuple[Router, ...] = ()
    routes: tuple[RouteDecl, ...] = ()
    uses: tuple[Use, ...] = ()
    global_prefix: str | None = None
    """NestJS ``app.setGlobalPrefix`` and the like."""
    global_prefix_expr: tuple[int, str] | None = None
    """The line and ``names.PathExpr`` of a global prefix given through names."""
    warnings: tuple[str, ...] = ()
    constants: tuple[tuple[str, str], ...] = ()
    """String constants (``API_V1_STR = "/api/v1"``, class attributes too) a path may name."""
    access_rules: tuple[tuple[str, str], ...] = ()
    """Path patterns with ``required``/``public``, first match wins (Spring Security)."""
    versioning: tuple[str, str] | None = None
    """NestJS URI versioning: the segment's prefix (``v``) and the default version, if any."""
    resources: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """Python classes with HTTP-verb methods (Flask-RESTful resources), each with its
    (method, auth) pairs, for ``api.add_resource(UserResource, '/users')`` in any file."""
    helpers: tuple[Helper, ...] = ()
    calls: tuple[Call, ...] = ()


@dataclass
class HttpBuilder:
    """Mutable collector an extractor fills, frozen into ``FileHttp`` at the end."""

    path: str
    framework: str
    imports: list[Import] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    routers: list[Router] = field(default_factory=list)
    routes: list[RouteDecl] = field(default_factory=list)
    uses: list[Use] = field(default_factory=list)
    global_prefix: str | None = None
    warnings: list[str] = field(default_factory=list)
    constants: list[tuple[str, str]] = field(default_factory=list)
    access_rules: list[tuple[str, str]] = field(default_factory=list)
    versioning: tuple[str, str] | None = None
    resources: list[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    helpers: list[Helper] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    global_prefix_expr: tuple[int, str] | None = None
    pending: list[Any] = field(default_factory=list)
    """Routes whose path needs the file's constants, resolved once all are known."""
    functions: dict[str, Any] = field(default_factory=dict)
    """Functions assigned to a name in the file (``const plugin = async (fastify) => ...``),
    so that exporting the name can make it a plugin; not part of the frozen result."""

    def freeze(self, keep_imports: bool = False) -> FileHttp | None:
        """None when the file declares nothing that routes could pass through."""
        if not (
            self.routers
            or self.routes
            or self.uses
            or self.global_prefix
            or self.global_prefix_expr
            or self.constants
            or self.access_rules
            or self.versioning
            or self.warnings
            or self.resources
            or self.helpers
            or self.calls
        ):
            # module.exports = require('./routes') passes a module on without importing it
            passes_on = (self.imports and (self.exports or keep_imports)) or any(
                e.source for e in self.exports
            )
            return (
                FileHttp(self.path, self.framework, tuple(self.imports), tuple(self.exports))
                if passes_on
                else None
            )
        return FileHttp(
            self.path, self.framework, tuple(self.imports), tuple(self.exports),
            tuple(self.routers), tuple(self.routes), tuple(self.uses), self.global_prefix,
            self.global_prefix_expr,
            tuple(self.warnings), tuple(self.constants), tuple(self.access_rules),
            self.versioning, tuple(self.resources), tuple(self.helpers), tuple(self.calls),
        )  # fmt: skip
