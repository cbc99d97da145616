"""Joining a Laravel application's files before the shared resolver walks them: route
files named by ``base_path()`` found, the route files nothing loads made roots (with the
``/api`` prefix the framework gives ``routes/api.php``), and controllers' own middleware
applied to the routes that name their actions."""

from __future__ import annotations

import posixpath
from dataclasses import replace

from archdraft.scan.http.laravel import ROUTER, is_guard
from archdraft.scan.http.laravel_app import APP, GROUPS
from archdraft.scan.http.model import OPEN_UNLESS_GUARDED, FileHttp, RouteDecl, Use


def _common(a: str, b: str) -> int:
    return len(posixpath.commonprefix([a, b]))


def link_laravel(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    routed = sorted(p for p, f in files.items() if any(r.var == ROUTER for r in f.routers))
    declared: dict[str, list[dict[str, str]]] = {}
    for file in files.values():
        for name, rules in file.resources:
            declared.setdefault(name, []).append(dict(rules))
    # a route names its controller by its short name: two controllers of that name that
    # say different things (Settings\Currencies, Wizard\Currencies) decide nothing
    actions = {
        name: found[0] for name, found in declared.items() if all(f == found[0] for f in found)
    }

    def target(path: str, use: Use) -> str | None:
        if use.target.startswith("base:"):
            wanted = use.target.removeprefix("base:")
            found = [p for p in routed if p == wanted or p.endswith("/" + wanted)]
            best = max(found, key=lambda p: (_common(p, path), p), default=None)
            return f"@{best}:{ROUTER}" if best else None
        if use.target.startswith("@"):
            return use.target if use.target[1:].rpartition(":")[0] in routed else None
        return use.target  # a middleware

    guarding = _guarding_groups(files)
    linked: dict[str, FileHttp] = {}
    for path, file in files.items():
        uses = []
        for use in file.uses:
            resolved = target(path, use)
            if resolved is not None:  # a file that declares no route adds nothing
                guarded = use.auth or bool(guarding & set(use.names))
                uses.append(replace(use, target=resolved, auth=guarded))
        routes = tuple(
            replace(d, auth="required")
            if d.auth in {"unknown", OPEN_UNLESS_GUARDED} and guarding & set(d.middleware)
            else d
            for d in file.routes
        )
        linked[path] = replace(file, uses=tuple(uses), routes=routes, resources=())
    mounted = {u.target[1:].rpartition(":")[0] for f in linked.values() for u in f.uses}
    for path in routed:
        file = linked[path]
        routers = tuple(
            replace(r, kind="app", prefix="/api" if _is_api(path) else "")
            if r.var == ROUTER and path not in mounted
            else r
            for r in file.routers
        )
        routes = tuple(_with_controller(d, actions) for d in file.routes)
        linked[path] = replace(file, routers=routers, routes=routes)
    return linked


def _is_api(path: str) -> bool:
    return path == "routes/api.php" or path.endswith("/routes/api.php")


def _with_controller(decl: RouteDecl, actions: dict[str, dict[str, str]]) -> RouteDecl:
    if decl.auth != "unknown" or not decl.handler or "@" not in decl.handler:
        return decl
    controller, _, action = decl.handler.partition("@")
    rules = actions.get(controller)
    if not rules:
        return decl
    return replace(decl, auth=rules.get(action, rules.get("*", "unknown")))


def _guarding_groups(files: dict[str, FileHttp]) -> set[str]:
    """The middleware groups (``web``, ``api``) the kernel or ``bootstrap/app.php`` gives a
    guard: a route or group naming the group (``'middleware' => 'api'``) is guarded."""
    found = set()
    for file in files.values():
        for use in file.uses:
            for name, path in GROUPS.items():
                if use.owner == APP and use.path == path and not use.names and is_guard(use.target):
                    found.add(name)
    return found
