"""Routes registered through a project's own helpers.

Services of any size wrap their framework's registration in functions of their own
(``setupPageRoute(router, '/groups/:slug', controller)``, ``s.handle(r, "/push", h)``). A
reader marks such a function as a ``Helper`` when it passes one of its parameters on as a
route's path, and records the calls of its file that could reach one. Here, with every file
known, each call is matched to the helper it names (in its own file, through an import, or as
the one helper of that name in the code base). A call with a literal path becomes a route of
the caller's file, with the method, router, guards and handler it passes; a call that passes
its own parameters on makes the enclosing function a helper too, followed to a small fixed
depth so wrappers of wrappers across files are found."""

from __future__ import annotations

import re
from dataclasses import replace

from archdraft.scan.http.guards import guards
from archdraft.scan.http.model import Arg, Call, FileHttp, Helper, RouteDecl, Router
from archdraft.scan.http.names import Constants

_DEPTH = 3
_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "all", "any"}
# A Go 1.22 pattern handed to a helper as its path: "GET /users"
_PATTERN = re.compile(r"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) +(/\S*)")
# Public markers among the other functions a call passes; guards by the join step's rule
_PUBLIC = re.compile(r"public|anonymous|allow_?any|no_?auth|skip_?auth", re.I)


def expand_helpers(files: dict[str, FileHttp], constants: Constants) -> dict[str, FileHttp]:
    """Every file with the routes its calls of helpers register added."""
    if not any(f.calls for f in files.values()):
        return files
    by_name: dict[str, list[tuple[str, Helper]]] = {}
    for path, file in files.items():
        for helper in file.helpers:
            by_name.setdefault(helper.name, []).append((path, helper))
    for _round in range(_DEPTH):
        added = False
        for path, file in files.items():
            for call in file.calls:
                if call.inside is None:
                    continue
                for _where, helper in _targets(call, path, by_name, constants):
                    wrapper = _wrapper(call, helper)
                    if wrapper is None:
                        continue
                    known = by_name.setdefault(wrapper.name, [])
                    if (path, wrapper) not in known:
                        known.append((path, wrapper))
                        added = True
        if not added:
            break
    expanded: dict[str, FileHttp] = dict(files)
    extra: dict[str, list[RouteDecl]] = {}
    for path, file in files.items():
        for call in file.calls:
            for where, helper in _targets(call, path, by_name, constants):
                decl = _route(call, path, where, helper, constants)
                if decl is not None:
                    extra.setdefault(path, []).append(decl)
    for path, decls in extra.items():
        file = expanded[path]
        seen = {(r.method, r.path, r.line) for r in file.routes}
        fresh = tuple(d for d in decls if (d.method, d.path, d.line) not in seen)
        expanded[path] = replace(
            file, routes=file.routes + fresh, routers=file.routers + _parameters(file, fresh)
        )
    return expanded


def _parameters(file: FileHttp, decls: tuple[RouteDecl, ...]) -> tuple[Router, ...]:
    """Routers the calls pass that the file neither creates nor imports: a parameter of the
    function the calls are in (``(app, middleware) => { setupPageRoute(app, ...) }``). It
    stands for a router, so its routes are listed; where it is mounted is not known."""
    known = {r.var for r in file.routers} | {i.local for i in file.imports}
    added: dict[str, Router] = {}
    for decl in decls:
        var = decl.owner
        if var.startswith("@") or var in known or var.split(".", 1)[0] in known:
            continue
        added.setdefault(var, Router(var, "router", file.framework, "", decl.line))
    return tuple(added.values())


def _targets(
    call: Call, path: str, by_name: dict[str, list[tuple[str, Helper]]], constants: Constants
) -> list[tuple[str, Helper]]:
    """The helper a call names: its own file's, the imported one's, else the only one."""
    last = call.callee.rsplit(".", 1)[-1]
    candidates = by_name.get(last, [])
    if not candidates:
        return []
    # One function may register several routes (a page and its /api twin): all of them
    # are the helper's, so the choice below is of a file, not of one record.
    head = call.callee.split(".", 1)[0]
    if "." not in call.callee or head in {"this", "self"}:
        own = [c for c in candidates if c[0] == path]
        if own or head in {"this", "self"}:
            return own  # this.crud(...) is the class's own method, or nobody's helper
    source = constants.imported(path, head)
    if source is not None:
        target = [c for c in candidates if c[0] == source[0]]
        if target:
            return target
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    # a method called on a receiver (Go's s.handle) is most often the package's own
    same_folder = [
        c for c in candidates if (c[0].rsplit("/", 1)[0] if "/" in c[0] else "") == folder
    ]
    if len({c[0] for c in same_folder}) == 1:
        return same_folder
    return candidates if len({c[0] for c in candidates}) == 1 else []


def _arg(call: Call, index: int | None) -> Arg | None:
    if index is None or index < 0 or index >= len(call.args):
        return None
    return call.args[index]


def _wrapper(call: Call, helper: Helper) -> Helper | None:
    """The enclosing function as a helper, when it hands its own parameter on as the path."""
    path_arg = _arg(call, helper.path)
    if path_arg is None or path_arg.param is None or call.inside is None:
        return None
    method: str | int = helper.method
    if isinstance(helper.method, int):
        given = _arg(call, helper.method)
        if given is None:
            return None
        method = given.param if given.param is not None else (given.literal or "ANY").upper()
    router: int | None = None
    owner = helper.owner
    if helper.router is not None:
        given = _arg(call, helper.router)
        if given is None or given.param is None:
            return None  # a wrapper registering on a router of its own: not followed
        router, owner = given.param, None
    handler_arg = _arg(call, helper.handler)
    # what the wrapper adds itself: a guard it always passes applies to all its routes
    passed = {helper.path, helper.router, helper.handler, helper.method}
    own = [n for i, a in enumerate(call.args) if i not in passed and a.param is None
           for n in (a.name, *a.members) if n]  # fmt: skip
    return Helper(
        name=call.inside.rsplit(".", 1)[-1],
        path=path_arg.param,
        line=call.inside_line or call.line,
        method=method,
        router=router,
        owner=owner,
        prefix=helper.prefix + path_arg.prefix,
        handler=handler_arg.param if handler_arg is not None else None,
        auth=helper.auth if helper.auth != "unknown" else _auth(own),
    )


def _auth(names: list[str]) -> str:
    if any(_PUBLIC.search(n) for n in names):
        return "public"
    if any(guards(n) for n in names):
        return "required"
    return "unknown"


def _route(
    call: Call, path: str, where: str, helper: Helper, constants: Constants
) -> RouteDecl | None:
    path_arg = _arg(call, helper.path)
    if path_arg is None:
        return None
    route_path = path_arg.literal
    if route_path is None and path_arg.expr is not None:
        route_path = constants.value(path, path_arg.expr)
    if route_path is None:
        return None
    if isinstance(helper.method, int):
        given = _arg(call, helper.method)
        verb = (given.literal or "").lower() if given is not None else ""
        if verb not in _VERBS:
            return None
        method = "ANY" if verb in {"all", "any"} else verb.upper()
    else:
        method = helper.method
    pattern = _PATTERN.fullmatch(route_path)
    if pattern is not None and method == "ANY":
        # a Go 1.22 pattern handed to a helper that registers it as it is: "GET /users"
        method, route_path = pattern.group(1), pattern.group(2)
    if helper.router is not None:
        router_arg = _arg(call, helper.router)
        if router_arg is None or router_arg.name is None:
            return None
        owner = router_arg.name
    elif helper.owner is not None:
        owner = f"@{where}:{helper.owner}"
    else:
        return None
    used = {helper.path, helper.router, helper.handler}
    if isinstance(helper.method, int):
        used.add(helper.method)
    handler_arg = _arg(call, helper.handler)
    rest = [a for i, a in enumerate(call.args) if i not in used]
    named = [a for a in rest if a.name]
    if handler_arg is None and named:
        handler_arg = named[-1]  # the handler comes last of the names passed
        rest = [a for a in rest if a is not handler_arg]
    handler = handler_arg.name if handler_arg is not None else None
    middleware = tuple(n for a in rest for n in (a.name, *a.members) if n and n != handler)
    auth = helper.auth if helper.auth != "unknown" else _auth(list(middleware))
    return RouteDecl(
        owner, method, helper.prefix + route_path, handler, call.line, auth, middleware
    )
