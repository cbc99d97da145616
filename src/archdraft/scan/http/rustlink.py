"""Linking Rust routers across modules: a chain's ``users::routes()``, ``.service(index)``
or ``.configure(config)`` names a function by path, which is found by the module path of
the file that declares it (``src/users.rs`` and ``src/users/mod.rs`` are ``crate::users``)
within the same crate folder. A handler's auth, read where the handler is declared, is
carried to the routes that name it. What cannot be found is left unlinked: its routes keep
no invented prefix or auth."""

from __future__ import annotations

from dataclasses import replace

from archdraft.scan.http.model import FileHttp
from archdraft.scan.http.rust import AUTH_KIND, LINK
from archdraft.scan.http.rust_syntax import module_of

_Key = tuple[str, str]
"""(crate folder, ``crate::module::function``)."""


def link_rust(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    routers: dict[_Key, tuple[str, str]] = {}
    auth: dict[_Key, str] = {}
    for path, file in sorted(files.items()):
        crate, module = module_of(path)
        for router in file.routers:
            if router.kind == AUTH_KIND:
                name = router.var.removeprefix("auth:")
                auth[(crate, "::".join(["crate", *module, name]))] = router.prefix
            elif "@" not in router.var:
                key = (crate, "::".join(["crate", *module, router.var]))
                routers.setdefault(key, (path, router.var))

    def find(crate: str, target: str) -> _Key | None:
        return next(((crate, c) for c in target.removeprefix(LINK).split("|")
                     if (crate, c) in routers or (crate, c) in auth), None)  # fmt: skip

    linked: dict[str, FileHttp] = {}
    for path, file in files.items():
        crate, _module = module_of(path)
        uses = []
        for use in file.uses:
            if use.target.startswith(LINK):
                found = find(crate, use.target)
                if found is None or found not in routers:
                    continue  # a function that is no router of this crate: nothing mounted
                target_path, var = routers[found]
                use = replace(use, target=f"@{target_path}:{var}")
            uses.append(use)
        routes = []
        for route in file.routes:
            if route.auth.startswith(LINK):
                decided = find(crate, route.auth)
                route = replace(route, auth=auth.get(decided, "unknown") if decided else "unknown")
            routes.append(route)
        linked[path] = replace(
            file,
            routers=tuple(r for r in file.routers if r.kind != AUTH_KIND),
            routes=tuple(routes),
            uses=tuple(uses),
        )
    return linked
