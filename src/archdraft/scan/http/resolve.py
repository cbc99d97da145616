"""Joining files into routes with full paths: follow imports and exports to find which
router each mount names, then walk the mount graph from every app.

A mount or prefix that cannot be resolved keeps its routes, listed without it, and adds a
warning naming the file and line; no route is invented."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from archdraft.scan.http import names
from archdraft.scan.http.guards import guards
from archdraft.scan.http.helpers import expand_helpers
from archdraft.scan.http.model import (
    OPEN_UNLESS_GUARDED,
    RESOURCE,
    FileHttp,
    RouteDecl,
    Router,
    Use,
)
from archdraft.scan.http.names import Constants
from archdraft.scan.http.paths import join
from archdraft.scan.summary import Evidence, Middleware, Route

Node = tuple[str, str]
"""A router: (file path, variable)."""
ModuleResolver = Callable[[str, str], "str | None"]
"""(importing file, module specifier) -> the file it names, or None."""

_JS_SUFFIXES = (
    "",
    ".ts",
    ".js",
    ".tsx",
    ".mjs",
    ".cjs",
    ".jsx",
    "/index.ts",
    "/index.js",
    "/index.mjs",
)


def js_modules(paths: frozenset[str]) -> ModuleResolver:
    def resolve(importer: str, source: str) -> str | None:
        if source.startswith(("@/", "~/")):
            # the usual TypeScript/bundler alias for the source folder
            bases = ["src/" + source[2:], source[2:]]
        elif source.startswith("."):
            bases = [posixpath.normpath(posixpath.join(posixpath.dirname(importer), source))]
        else:
            return None
        for base in bases:
            found = _with_suffix(base)
            if found:
                return found
        return None

    def _with_suffix(base: str) -> str | None:
        for suffix in _JS_SUFFIXES:
            if base + suffix in paths:
                return base + suffix
        # TypeScript compiled imports write .js for a .ts source
        if base.endswith(".js") and base[:-3] + ".ts" in paths:
            return base[:-3] + ".ts"
        return None

    return resolve


def python_modules(paths: frozenset[str]) -> ModuleResolver:
    roots = sorted({p.split("/", 1)[0] + "/" for p in paths if p.startswith("src/")} | {""})

    def resolve(importer: str, source: str) -> str | None:
        if source.startswith("."):
            level = len(source) - len(source.lstrip("."))
            package = posixpath.dirname(importer)
            for _ in range(level - 1):
                package = posixpath.dirname(package)
            rest = source.lstrip(".").replace(".", "/")
            candidates = [posixpath.join(package, rest)] if rest else [package]
        else:
            rest = source.replace(".", "/")
            candidates = [root + rest for root in ("", *roots)]
            # a monorepo's backend folder is often the import root (backend/app/...)
            candidates += [
                p[: -len(rest) - 3] + rest for p in paths if p.endswith("/" + rest + ".py")
            ]
            # and a package there (``from app.api.viewsets import X``, backend/app/api/viewsets/)
            candidates += [
                p[: -len(rest) - 12] + rest
                for p in paths
                if p.endswith("/" + rest + "/__init__.py")
            ]
        for base in candidates:
            for candidate in (base + ".py", base + "/__init__.py"):
                if candidate in paths:
                    return candidate
        return None

    return resolve


@dataclass
class _Graph:
    files: dict[str, FileHttp]
    modules: ModuleResolver
    warnings: list[str] = field(default_factory=list)

    def router(self, node: Node) -> Router | None:
        file = self.files.get(node[0])
        return next((r for r in file.routers if r.var == node[1]), None) if file else None

    def lookup(self, path: str, name: str, depth: int = 0) -> Node | None:
        """The router a name in ``path`` stands for, following imports and re-exports."""
        file = self.files.get(path)
        if file is None or depth > 12:
            return None
        head, _, attribute = name.partition(".")
        if any(r.var == name for r in file.routers):
            return (path, name)
        for imported in file.imports:
            if imported.local != head:
                continue
            if file.framework == "python" and imported.name not in {"*", "default"}:
                # ``from pkg import module``: a submodule wins over a name in pkg/__init__
                submodule = self.modules(
                    path, f"{imported.source}.{imported.name}".replace("..", ".")
                )
                if submodule is not None and not imported.source.endswith("."):
                    return self.export(submodule, attribute or "*", depth + 1)
                if submodule is not None:
                    return self.export(submodule, attribute or "*", depth + 1)
            target = self.modules(path, imported.source)
            if target is None:
                return None
            if imported.name in {"*"}:
                return self.export(target, attribute or "*", depth + 1)
            found = self.export(target, imported.name, depth + 1)
            return found
        return None

    def export(self, path: str, name: str, depth: int) -> Node | None:
        file = self.files.get(path)
        if file is None:
            return None
        if name == "*":
            default = next((e for e in file.exports if e.name == "default"), None)
            if default is not None:
                return self._follow(path, default.local, default.source, depth)
            routers = [r for r in file.routers if r.kind != "app"]
            return (path, routers[0].var) if len(routers) == 1 else None
        for export in file.exports:
            if export.name == name:
                return self._follow(path, export.local, export.source, depth)
        if any(r.var == name for r in file.routers):
            return (path, name)  # Python: every module-level name can be imported
        for export in file.exports:
            if export.name == "*" and export.source:
                target = self.modules(path, export.source)
                found = self.export(target, name, depth + 1) if target else None
                if found:
                    return found
        return self.lookup(path, name, depth + 1)

    def _follow(self, path: str, local: str, source: str | None, depth: int) -> Node | None:
        if source is not None:
            target = self.modules(path, source)
            return (
                self.export(target, local if local != "default" else "default", depth + 1)
                if target
                else None
            )
        return self.lookup(path, local, depth + 1)

    def autoloaded(self, path: str, use: Use) -> list[tuple[str, Node]]:
        """@fastify/autoload: each plugin file below the folder, prefixed by its subfolder."""
        relative, _, flat = use.target.removeprefix("autoload:").partition("#")
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative))
        found = []
        for other in sorted(self.files):
            if other.startswith(folder + "/"):
                node = self.export(other, "*", 0)
                if node is not None:
                    sub = "" if flat else posixpath.dirname(other[len(folder) + 1 :])
                    found.append((sub, node))
        return found

    def resolve_use(self, path: str, use: Use) -> Node | None:
        if use.target.startswith("@"):  # already linked to (file, router)
            target_path, _, var = use.target[1:].partition(":")
            return (target_path, var) if self.router((target_path, var)) else None
        if use.target.startswith("require:"):
            target = self.modules(path, use.target.removeprefix("require:"))
            return self.export(target, "*", 0) if target else None
        return self.lookup(path, use.target)


@dataclass(frozen=True)
class HttpFacts:
    routes: tuple[Route, ...]
    middleware: tuple[Middleware, ...]
    warnings: tuple[str, ...]


def _mounts(graph: _Graph) -> dict[Node, list[tuple[Use, Node]]]:
    """For every router, what it mounts (use, child), in registration order."""
    mounts: dict[Node, list[tuple[Use, Node]]] = {}
    for path, file in graph.files.items():
        for use in file.uses:
            if use.target.startswith("autoload:"):
                owner = graph.lookup(path, use.owner) or (path, use.owner)
                for sub, node in graph.autoloaded(path, use):
                    mounted_use = Use(use.owner, join(use.path or "", sub), node[1], (), use.line)
                    mounts.setdefault(owner, []).append((mounted_use, node))
                continue
            child = graph.resolve_use(path, use)
            if (
                child is not None
                and (graph.router(child) is not None)
                and child != (path, use.owner)
            ):
                owner = graph.lookup(path, use.owner) or (path, use.owner)
                # a mount on something that is not a known router hangs from nothing
                if graph.router(owner) is not None:
                    mounts.setdefault(owner, []).append((use, child))
        for router in file.routers:
            if router.parent is not None:
                parent = graph.lookup(path, router.parent) or (path, router.parent)
                # the group carries its own prefix; the edge to it adds none
                use = Use(router.parent, "", router.var, (), router.line, router.auth)
                mounts.setdefault(parent, []).append((use, (path, router.var)))
    return mounts


def _resources(files: dict[str, FileHttp], modules: ModuleResolver) -> dict[str, FileHttp]:
    """``add_resource(UserResource, '/users')`` routes, one per verb method of the class,
    found in the registering file, the module it was imported from, or the one class of
    that name; a class not found leaves one ``ANY`` route."""
    by_name: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]] = {}
    for path, file in files.items():
        for name, methods in file.resources:
            by_name.setdefault(name, []).append((path, methods))
    expanded: dict[str, FileHttp] = {}
    for path, file in files.items():
        if not any(r.method.startswith(RESOURCE) for r in file.routes):
            expanded[path] = file
            continue
        routes = []
        for route in file.routes:
            if not route.method.startswith(RESOURCE):
                routes.append(route)
                continue
            dotted_name = route.method.removeprefix(RESOURCE)
            name = dotted_name.rsplit(".", 1)[-1]
            head = dotted_name.split(".")[0]
            sources = {
                modules(path, i.source if i.name == "*" else f"{i.source}.{i.name}")
                or modules(path, i.source)
                for i in file.imports
                if i.local == head
            }
            found = by_name.get(name, [])
            chosen = (
                [f for f in found if f[0] == path]
                or [f for f in found if f[0] in sources]
                or (found if len(found) == 1 else [])
            )
            methods = chosen[0][1] if chosen else (("ANY", "unknown"),)
            routes += [
                replace(route, method=verb, handler=f"{name}.{verb.lower()}" if chosen
                        else route.handler, auth=auth)
                for verb, auth in methods
            ]  # fmt: skip
        expanded[path] = replace(file, routes=tuple(routes))
    return expanded


def imported_by(
    files: dict[str, FileHttp], modules: ModuleResolver
) -> Callable[[str, str], tuple[str, str] | None]:
    """(file, local name) -> the file and name it was imported as, if it was imported."""

    def imported(path: str, local: str) -> tuple[str, str] | None:
        file = files.get(path)
        if file is None:
            return None
        for each in file.imports:
            if each.local != local:
                continue
            if file.framework == "python" and each.name not in {"*", "default"}:
                submodule = modules(path, f"{each.source}.{each.name}".replace("..", "."))
                if submodule is not None:
                    return (submodule, "*")
            target = modules(path, each.source)
            return (target, each.name) if target is not None else None
        return None

    return imported


def _global_prefix(files: dict[str, FileHttp], constants: Constants, warnings: list[str]) -> str:
    for path, file in sorted(files.items()):
        if file.global_prefix:
            return file.global_prefix
        if file.global_prefix_expr is not None:
            line, expr = file.global_prefix_expr
            value = constants.value(path, expr)
            if value is not None:
                return value
            warnings.append(
                f"{path}:{line}: global prefix {expr[:40]} is not a literal; "
                "routes are listed without it"
            )
    return ""


def resolve(files: dict[str, FileHttp], modules: ModuleResolver) -> HttpFacts:
    files = _resources(files, modules)
    constants_of = Constants(files, imported_by(files, modules))
    files = expand_helpers(files, constants_of)
    graph = _Graph(files, modules)
    mounts = _mounts(graph)
    mounted = {child for children in mounts.values() for _use, child in children}
    routes: dict[tuple[str, str, str, int], Route] = {}
    global_prefix = _global_prefix(files, constants_of, graph.warnings)
    versioning = next((f.versioning for f in files.values() if f.versioning), None)

    # Routes and guards may be registered on a router imported from another file
    # (Flask blueprints: bp is created in __init__.py, routes are added in routes.py).
    declared: dict[Node, list[tuple[str, RouteDecl]]] = {}
    guarding: dict[Node, list[tuple[str, Use]]] = {}
    for path, file in files.items():
        for decl in file.routes:
            if decl.path is None and decl.path_expr is not None:
                value = constants_of.value(path, decl.path_expr)
                if value is None:
                    # A made-up path would be wrong information; the warning says where it is.
                    graph.warnings.append(
                        f"{path}:{decl.line}: route path {decl.path_expr[:40]} is not a "
                        "literal; the route is left out"
                    )
                    continue
                decl = replace(decl, path=value)
            if decl.owner.startswith("@"):
                # registered by a helper on a router of the helper's own file
                owner_path, _, var = decl.owner[1:].partition(":")
                owner: Node = (owner_path, var)
            else:
                owner = graph.lookup(path, decl.owner) or (path, decl.owner)
            declared.setdefault(owner, []).append((path, decl))
        for use in file.uses:
            is_guard = use.auth or (guards(use.target) and not use.package and not use.applied)
            if is_guard and not use.handed and graph.resolve_use(path, use) is None:
                owner = graph.lookup(path, use.owner) or (path, use.owner)
                guarding.setdefault(owner, []).append((path, use))

    def own_routes(node: Node) -> list[tuple[str, RouteDecl]]:
        return declared.get(node, [])

    def guards_before(node: Node, path: str, line: int, base: str) -> tuple[str, ...]:
        """The path prefixes guarded on a router before ``line`` of ``path`` (in another
        file, registration order cannot be known, so its guards are taken to apply)."""
        return tuple(
            join(base, use.path or "")
            for g_path, use in guarding.get(node, [])
            if g_path != path or use.line <= line  # a chain's guard precedes its routes
        )

    def covered(full: str, guarded: tuple[str, ...]) -> bool:
        return any(p == "/" or full == p or full.startswith(p + "/") for p in guarded)

    def constant(path: str, use: Use) -> str | None:
        """A non-literal mount path spelled through constants (its own file's, an imported
        module's, or one found once in the code base)."""
        expr = use.path_expr
        if expr is not None and not expr.startswith('"') and " + " not in expr:
            expr = names.name(expr)
        value = constants_of.value(path, expr)
        if value is not None:
            return value
        graph.warnings.append(
            f"{path}:{use.line}: mount path {use.path_expr or '?'} is not a literal; "
            "routes below it are listed without it"
        )
        return None

    visited: set[Node] = set()

    def walk(
        node: Node,
        prefix: str | None,
        inherited: tuple[str, ...],
        seen: frozenset[Node],
        own_prefix: bool = True,
    ) -> None:
        router = graph.router(node)
        if router is None or node in seen:
            return
        visited.add(node)
        router_prefix = router.prefix if own_prefix else ""
        if own_prefix and router.prefix_expr is not None:
            resolved = constants_of.value(node[0], router.prefix_expr)
            if resolved is None:
                graph.warnings.append(
                    f"{node[0]}:{router.line}: prefix {router.prefix_expr[:40]} is not a "
                    "literal; routes below it are listed without it"
                )
            router_prefix = resolved or ""
        here = join(prefix or "", router_prefix) if prefix is not None else None
        base = here if here is not None else join(router_prefix)
        if router.auth:
            inherited = (*inherited, base)
        for decl_path, decl in own_routes(node):
            if here is None or decl.path is None:
                full = join(router_prefix, decl.path or "")
            else:
                full = join(here, decl.path)
            guarded = covered(full, inherited + guards_before(node, decl_path, decl.line, base))
            auth = decl.auth
            if decl.auth in {"unknown", OPEN_UNLESS_GUARDED} and guarded:
                auth = "required"
            elif decl.auth == OPEN_UNLESS_GUARDED:
                auth = "public"
            key = (decl.method, full, decl_path, decl.line)
            evidence = (Evidence(decl_path, decl.line),)
            routes.setdefault(key, Route(decl.method, full, decl.handler, auth, evidence))
        for use, child in mounts.get(node, []):
            mount_path = use.path if use.path is not None else constant(node[0], use)
            # an unknown mount path is left out; the known parts around it are kept
            child_prefix = None if here is None else join(here, mount_path or "")
            passed = inherited + guards_before(node, node[0], use.line, base)
            if use.auth:
                passed = (*passed, join(base, mount_path or ""))
            walk(child, child_prefix, passed, seen | {node}, not use.replaces_prefix)

    # An app mounted into another (chi.NewRouter() returned and mounted) is not a root.
    # A name standing for a router another function returns (Go's r := routers.New()) is a
    # root like an app when nothing mounts it.
    apps = [(path, r.var) for path, f in files.items() for r in f.routers
            if r.kind in {"app", "alias"} and (path, r.var) not in mounted]  # fmt: skip
    for app in apps:
        walk(app, "", (), frozenset())
    middleware = _middleware(graph, apps)
    for path, file in files.items():
        for router in file.routers:
            node = (path, router.var)
            orphan = node not in mounted and bool(own_routes(node) or mounts.get(node))
            if router.kind == "controller":
                version = router.version or (versioning[1] if versioning else "")
                segment = f"{versioning[0]}{version}" if versioning and version else ""
                walk(node, join(global_prefix, segment), (), frozenset())
            elif router.kind not in {"app", "alias"} and orphan:
                if apps:
                    graph.warnings.append(
                        f"{path}:{router.line}: router {router.var} is not mounted by any app "
                        "found; its routes are listed without a prefix"
                    )
                walk(node, "", (), frozenset())
    # Routers mounted only from other unmounted routers (a plugin's set-up function that
    # no app calls) are walked from the top of their own chain, with the same warning.
    mounters: dict[Node, list[Node]] = {}
    for parent, children in mounts.items():
        for _use, child in children:
            mounters.setdefault(child, []).append(parent)
    for path, file in files.items():
        for router in file.routers:
            node = (path, router.var)
            if node in visited or not own_routes(node):
                continue
            top, chain = node, {node}
            while up := next(
                (m for m in mounters.get(top, []) if m not in chain and graph.router(m)), None
            ):
                top = up
                chain.add(up)
            top_router = graph.router(top)
            if top in visited or top_router is None:
                continue
            if apps:
                graph.warnings.append(
                    f"{top[0]}:{top_router.line}: router {top[1]} is not mounted by any app "
                    "found; its routes are listed without a prefix"
                )
            walk(top, "", (), frozenset())
    for file in files.values():
        graph.warnings.extend(file.warnings)
    ordered = sorted(
        routes.values(),
        key=lambda r: (r.path, r.method, r.evidence[0].path, r.evidence[0].line or 0),
    )
    return HttpFacts(tuple(ordered), tuple(middleware), tuple(sorted(set(graph.warnings))))


# app.use('/api', route.router) that could not be followed: a mount, not middleware
_ROUTER_NAME = re.compile(r"(^|\.)(\w*[rR]outer|routes)$")


def _middleware(graph: _Graph, apps: list[Node]) -> list[Middleware]:
    """Each app's global chain in registration order, following the app into the functions
    it is handed to (``require('./config/express')(app)``) where they are called; middleware
    on a path or a router is ``group``; middleware given to one route is ``route``."""
    found: dict[tuple[str, str, str, int], Middleware] = {}

    def add(name: str, scope: str, order: int | None, path: str, line: int) -> None:
        found.setdefault(
            (name, scope, path, line), Middleware(name, scope, order, (Evidence(path, line),))
        )

    by_owner: dict[Node, list[tuple[str, Use]]] = {}
    for path, file in graph.files.items():
        for use in sorted(file.uses, key=lambda u: u.line):
            if not use.target.startswith("autoload:"):
                owner = graph.lookup(path, use.owner) or (path, use.owner)
                by_owner.setdefault(owner, []).append((path, use))
    placed: set[tuple[str, int, str]] = set()

    def chain(node: Node, counter: list[int], seen: frozenset[Node]) -> None:
        for path, use in by_owner.get(node, []):
            if use.path:
                continue
            child = graph.resolve_use(path, use)
            here = graph.router(node)
            same_app = use.handed or use.same or (here is not None and here.kind == "alias")
            if same_app and child is not None and graph.router(child) and child not in seen:
                # the same app, set up in another file, or made by a function (e := server.New())
                chain(child, counter, seen | {child})
            elif child is None and not use.handed and not _ROUTER_NAME.search(use.target):
                counter[0] += 1
                add(use.target, "global", counter[0], path, use.line)
                placed.add((path, use.line, use.target))

    for app in apps:
        chain(app, [0], frozenset({app}))
    for owner, uses in by_owner.items():
        for path, use in uses:
            if (path, use.line, use.target) in placed or use.handed:
                continue  # handed: a function the router was passed to, not one it runs
            if graph.resolve_use(path, use) is not None:
                for name in use.names:
                    add(name, "group", None, path, use.line)
            elif graph.router(owner) is not None and not _ROUTER_NAME.search(use.target):
                add(use.target, "group", None, path, use.line)
    for path, file in graph.files.items():
        for decl in file.routes:
            lines = decl.middleware_lines
            for i, name in enumerate(decl.middleware):
                add(name, "route", None, path, lines[i] if i < len(lines) else decl.line)
    return sorted(
        found.values(),
        key=lambda m: (
            m.scope != "global",
            m.order or 0,
            m.evidence[0].path,
            m.evidence[0].line or 0,
            m.name,
        ),
    )
