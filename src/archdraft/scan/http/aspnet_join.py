"""The steps that join ASP.NET Core files once all are read: controllers taking their
class template from a base class in another file, actions reached by conventional routes,
and the policies that decide routes declared elsewhere (a fallback policy,
``MapControllers().RequireAuthorization()``, a project's own mapping method called with
``.RequireAuthorization()``), and what endpoint modules and a project's own ``MapVERB``
wrappers make of the routes (see ``aspnet_modules``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import replace

from archdraft.scan.http.aspnet import CONTROLLERS, FALLBACK, MAPPER, MAPS
from archdraft.scan.http.aspnet_controllers import BASE, CONVENTIONAL
from archdraft.scan.http.aspnet_fastendpoints import FRAMEWORK as FASTENDPOINTS
from archdraft.scan.http.aspnet_fastendpoints import PREFIX as FASTENDPOINTS_PREFIX
from archdraft.scan.http.aspnet_modules import (
    CALL,
    CARTER,
    DISCOVERS,
    MODULE,
    MODULE_GROUP,
    WRAPS,
    Arg,
    Module,
    Param,
    Wrapper,
    marked_args,
    module_of,
    wrapper_of,
)
from archdraft.scan.http.aspnet_syntax import template, tokens
from archdraft.scan.http.model import FileHttp, RouteDecl, Router
from archdraft.scan.http.resolve import HttpFacts


def fast_endpoints(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """FastEndpoints' routes below the ``Endpoints.RoutePrefix`` the app sets, when the
    scan finds one value of it."""
    prefixes = {v for f in files.values() for k, v in f.constants if k == FASTENDPOINTS_PREFIX}
    if len(prefixes) != 1:
        return files
    prefix = "/" + prefixes.pop().strip("/")
    return {
        path: replace(
            file,
            routers=tuple(
                replace(r, prefix=prefix) if r.framework == FASTENDPOINTS else r
                for r in file.routers
            ),
        )
        for path, file in files.items()
    }


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


def wrapped(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """Calls marked ``CALL``: the route a project's ``MapVERB`` wrapper maps from those
    arguments (``group.MapPut(UpdateTodoItem, "{id}")``: the pattern is the parameter the
    wrapper hands on as the framework's, or its default). Without a wrapper that takes them,
    the call is the framework's ``MapVERB(pattern, handler)`` as before: a pattern given
    through a constant is resolved, anything else is left out with a warning."""
    specs: dict[str, list[Wrapper]] = {}
    known: set[str] = set()
    for file in files.values():
        for key, value in file.constants:
            if key.endswith(WRAPS):
                specs.setdefault(key.removesuffix(WRAPS), []).append(wrapper_of(value))
            elif "__" not in key:
                known.add(key)
    result = {}
    for path, file in files.items():
        routes: list[RouteDecl] = []
        warnings = list(file.warnings)
        for decl in file.routes:
            if not (decl.path or "").startswith(CALL):
                routes.append(decl)
                continue
            name, framework, args = marked_args(decl.path or "")
            taken = {
                found
                for spec in specs.get(name, [])
                if _fits(spec, args, known) and (found := _wrapped_route(spec, args)) is not None
            }
            if len(taken) == 1:
                verb, pattern, expr, handler, said = taken.pop()
                # AllowAnonymous wins over any RequireAuthorization, wherever it is added
                auth = decl.auth if decl.auth == "public" or said == "unknown" else said
                auth = "public" if said == "public" else auth
                routes.append(replace(decl, method=verb, path=pattern, path_expr=expr,
                                      handler=handler, auth=auth))  # fmt: skip
            elif not framework:
                continue  # a project method of its own that maps no route this way
            elif args and args[0].literal is not None:
                routes.append(replace(decl, path=template(args[0].literal)))
            elif decl.path_expr is not None:
                routes.append(replace(decl, path=None))
            else:
                warnings.append(
                    f"{path}:{decl.line}: route path {args[0].text[:40]} is not a literal; "
                    "the route is left out"
                )
        result[path] = replace(file, routes=tuple(routes), warnings=tuple(warnings))
    return result


def _accepts(param: Param, arg: Arg, known: set[str]) -> bool:
    """Whether an argument can be given for a parameter, as far as its syntax shows: a
    string literal (or a string constant's name) only for a ``string``, a lambda not."""
    stringy = param.type in {"string", "object"}
    if arg.kind == "string" or (arg.kind == "name" and arg.text in known):
        return stringy or param.type == "object"
    if arg.kind == "lambda":
        return not stringy or param.type == "object"
    return True


def _fits(spec: Wrapper, args: list[Arg], known: set[str]) -> bool:
    positional = [a for a in args if a.label is None]
    if len(positional) > len(spec.params):
        return False
    by_name = {p.name: p for p in spec.params}
    given = {p.name for p in spec.params[: len(positional)]}
    for param, arg in zip(spec.params, positional, strict=False):
        if not _accepts(param, arg, known):
            return False
    for arg in args:
        if arg.label is None:
            continue
        named = by_name.get(arg.label)
        if named is None or not _accepts(named, arg, known):
            return False
        given.add(arg.label)
    return all(p.optional or p.name in given for p in spec.params)


def _wrapped_route(
    spec: Wrapper, args: list[Arg]
) -> tuple[str, str | None, str | None, str | None, str] | None:
    """(verb, pattern, pattern through names, handler, the wrapper's auth) a fitting call
    maps."""
    positional = [a for a in args if a.label is None]
    chosen = spec.params[spec.at]
    arg = positional[spec.at] if spec.at < len(positional) else None
    arg = arg or next((a for a in args if a.label == chosen.name), None)
    handlers = [
        a.text
        for p, a in zip(spec.params, positional, strict=False)
        if p.type == "Delegate" and a.kind == "name"
    ]
    handler = handlers[0] if len(handlers) == 1 else None
    if arg is None:
        if chosen.default is None:
            return None
        return spec.verb, template(chosen.default), None, handler, spec.auth
    if arg.literal is not None:
        return spec.verb, template(arg.literal), None, handler, spec.auth
    if arg.expr is not None:
        return spec.verb, None, arg.expr, handler, spec.auth
    return None


def modules(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """Routes of endpoint modules, below the prefix their discovery site gives: the class's
    own property when the site reads it and the class declares it, else the site's template
    with the class's name (``$"/api/{type.Name}"``); Carter's at the root or below its
    constructor's path. A module no site discovers keeps what its own code maps."""
    sites: dict[str, set[str]] = {}
    classes: dict[str, list[Module]] = {}
    for file in files.values():
        for key, value in file.constants:
            if key.endswith(DISCOVERS):
                sites.setdefault(key.removesuffix(DISCOVERS), set()).add(value)
            elif key.endswith(MODULE):
                classes.setdefault(key.removesuffix(MODULE), []).append(module_of(value))
    result = {}
    for path, file in files.items():
        found = [(k.removesuffix(MODULE), module_of(v)) for k, v in file.constants
                 if k.endswith(MODULE)]  # fmt: skip
        if not found and not any(r.prefix == MODULE_GROUP for r in file.routers):
            result[path] = file
            continue
        routers, routes = list(file.routers), list(file.routes)
        for name, module in found:
            bases = _lineage(module, classes)
            given = _module_prefix(name, module, bases, sites)
            if given is not None:
                _place(name, module, given, routers, routes)
            if module.auth != "unknown":
                routes = [replace(d, auth=module.auth)
                          if d.auth == "unknown" and _inside(module.methods, d.line) else d
                          for d in routes]  # fmt: skip
        warnings = list(file.warnings)
        for index, router in enumerate(routers):
            if router.prefix == MODULE_GROUP:
                routers[index] = replace(router, prefix="")
                warnings.append(
                    f"{path}:{router.line}: group prefix this: no discovery site of the class "
                    "was found; routes below it are listed without it"
                )
        result[path] = replace(
            file, routers=tuple(routers), routes=tuple(routes), warnings=tuple(warnings)
        )
    return result


def _lineage(module: Module, classes: dict[str, list[Module]]) -> list[str]:
    """A module's bases and theirs, nearest first, through the classes that declare a
    mapping method themselves (an abstract ``EndpointGroupBase : IEndpointGroup``); a name
    more than one class has is not followed."""
    found: list[str] = []
    queue = list(module.bases)
    while queue and len(found) < 16:
        base = queue.pop(0)
        if base in found:
            continue
        found.append(base)
        declared = classes.get(base, [])
        if len(declared) == 1:
            queue += declared[0].bases
    return found


def _module_prefix(
    name: str, module: Module, bases: list[str], sites: dict[str, set[str]]
) -> str | None:
    """The prefix a module's routes get."""
    for base in bases:
        if len(sites.get(base, ())) != 1:
            continue
        (value,) = sites[base]
        data = json.loads(value)
        own = dict(module.properties)
        if data["property"] in own:
            # the class's own value, or (not a literal) nothing rather than a made-up prefix
            return own[data["property"]]
        return str(data["template"]).format(name)
    if set(bases) & CARTER and module.base_path:
        return module.base_path
    return None


def _place(
    name: str, module: Module, prefix: str, routers: list[Router], routes: list[RouteDecl],
) -> None:  # fmt: skip
    """Put a module's mapping methods below its prefix: the groups it makes itself with
    ``MapGroup(this)`` (the older CleanArchitecture), else (the site hands it the group) a
    router of its own standing for that group, which takes the routes and groups the method
    maps on the builder it was given."""
    own = [i for i, r in enumerate(routers)
           if r.prefix == MODULE_GROUP and _inside(module.methods, r.line)]  # fmt: skip
    for index in own:
        routers[index] = replace(routers[index], prefix=template(prefix))
    if own:
        return
    roots = {r.var for r in routers if r.kind == "app"}
    for span in module.methods:
        var = f"{name}@{span[0]}"
        taken = [d for d in routes if d.owner in roots and _inside([span], d.line)]
        nested = [r for r in routers if r.parent in roots and _inside([span], r.line)]
        if not taken and not nested:
            continue
        routers.append(Router(var, "app", "ASP.NET Core", template(prefix), span[0]))
        for index, decl in enumerate(routes):
            if decl in taken:
                routes[index] = replace(decl, owner=var)
        for index, router in enumerate(routers):
            if router in nested:
                routers[index] = replace(router, parent=var)


def _inside(spans: Iterable[tuple[int, int]], line: int) -> bool:
    return any(start <= line <= end for start, end in spans)
