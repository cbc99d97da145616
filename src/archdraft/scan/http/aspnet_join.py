"""The steps that join ASP.NET Core files once all are read: controllers taking their
class template from a base class in another file, actions reached by conventional routes,
and the policies that decide routes declared elsewhere (a fallback policy,
``MapControllers().RequireAuthorization()``, a project's own mapping method called with
``.RequireAuthorization()``)."""

from __future__ import annotations

import re
from dataclasses import replace

from archdraft.scan.http.aspnet import BASE, CONTROLLERS, CONVENTIONAL, FALLBACK, MAPPER, MAPS
from archdraft.scan.http.aspnet_syntax import template, tokens
from archdraft.scan.http.model import FileHttp, RouteDecl
from archdraft.scan.http.resolve import HttpFacts


def inherit(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """Routes of controllers that take their class template from a base class in another
    file: the template is put in, with this controller's tokens. Without one, an action
    with a template of its own keeps it, and one without is reached only conventionally."""
    found: dict[str, set[str]] = {}
    for file in files.values():
        for key, value in file.constants:
            if key.endswith(".__route__"):
                found.setdefault(key.removesuffix(".__route__"), set()).add(value)
    result = {}
    for path, file in files.items():
        routes = []
        for decl in file.routes:
            mark = BASE.match(decl.path or "")
            if mark is not None and decl.path is not None:
                rest = decl.path[mark.end() :]
                values = found.get(mark.group(1), set())
                if len(values) != 1 and not rest:
                    continue
                owner, _, action = (decl.handler or "").partition(".")
                own = {"controller": owner.removesuffix("Controller"), "action": action}
                prefix = tokens(next(iter(values)), own) if len(values) == 1 else ""
                decl = replace(decl, path=template(f"{prefix}/{rest}"))
            routes.append(decl)
        result[path] = replace(file, routes=tuple(routes))
    return result


def apply_policies(facts: HttpFacts, files: list[FileHttp]) -> HttpFacts:
    """A fallback policy requires authentication of every endpoint nothing else decided;
    ``MapControllers().RequireAuthorization()`` of every controller action."""
    rules = {rule for f in files for rule in f.access_rules}
    controllers = {
        (f.path, d.line) for f in files for d in f.routes
        if any(r.var == d.owner and r.kind == "controller" for r in f.routers)
    }  # fmt: skip
    mapped = _mapped(rules, files)
    routes = []
    for route in facts.routes:
        evidence = route.evidence[0]
        if route.auth == "unknown":
            by_caller = mapped.get(evidence.path, [])
            said = {auth for start, end, auth in by_caller if start <= (evidence.line or 0) <= end}
            if len(said) == 1:
                route = replace(route, auth=said.pop())
            elif FALLBACK in rules or (
                CONTROLLERS in rules and (evidence.path, evidence.line) in controllers
            ):
                route = replace(route, auth="required")
        routes.append(route)
    return replace(facts, routes=tuple(routes))


def _mapped(
    rules: set[tuple[str, str]], files: list[FileHttp]
) -> dict[str, list[tuple[int, int, str]]]:
    """Per file, the line spans of the methods a caller's chain decided, with its answer:
    ``app.MapOrdersApi().RequireAuthorization()`` for the routes ``MapOrdersApi`` maps."""
    decided: dict[str, set[str]] = {}
    for key, auth in rules:
        if key.startswith(MAPPER):
            decided.setdefault(key.removeprefix(MAPPER), set()).add(auth)
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for file in files:
        for key, value in file.constants:
            answers = decided.get(key.removesuffix(MAPS), set()) if key.endswith(MAPS) else set()
            if len(answers) == 1:
                start, _, end = value.partition(":")
                (answer,) = answers
                spans.setdefault(file.path, []).append((int(start), int(end), answer))
    return spans


_ACTION_PATTERN = re.compile(r"^(.*?)\{controller\}/\{action\}")


def _pattern_prefix(decl: RouteDecl) -> str | None:
    """What a conventional route's pattern puts before ``{controller}/{action}``."""
    found = _ACTION_PATTERN.match((decl.path or "").lstrip("/")) if decl.handler is None else None
    return found.group(1) if found else None


def conventional(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """Actions without a template of their own, at the paths the app's conventional routes
    give them (``{controller=Home}/{action=Index}/{id?}`` gives ``/Account/Login``), which
    then stand for the pattern; without such a route they are reached by nothing."""
    found = (_pattern_prefix(d) for f in files.values() for d in f.routes)
    patterns = sorted({p for p in found if p is not None})
    expanded = bool(patterns) and any(
        d.path == CONVENTIONAL for f in files.values() for d in f.routes
    )
    result = {}
    for path, file in files.items():
        routes = []
        for decl in file.routes:
            if decl.path == CONVENTIONAL:
                owner, _, action = (decl.handler or "").partition(".")
                name = owner.removesuffix("Controller")
                routes += [replace(decl, path=f"/{p}{name}/{action}") for p in patterns]
            elif not (expanded and _pattern_prefix(decl) is not None):
                routes.append(decl)
        result[path] = replace(file, routes=tuple(routes))
    return result
