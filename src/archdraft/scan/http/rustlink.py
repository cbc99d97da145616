"""Linking Rust routers across modules: a chain's ``users::routes()``, ``.service(index)``
or ``.configure(config)`` names a function by path, which is found by the module path of
the file that declares it (``src/users.rs`` and ``src/users/mod.rs`` are ``crate::users``)
within the same crate folder. A handler's auth, read where the handler is declared, is
carried to the routes that name it, also from another crate of the workspace
(``use app_api::post::like::like_post``: the crate whose Cargo.toml names it
``app_api``). A handler auth waiting on its extractor types is settled with the guard
extractors declared anywhere in the scan (``rust_syntax.settle``). What cannot be found is
left unlinked: its routes keep no invented prefix or auth."""

from __future__ import annotations

from dataclasses import replace

from archdraft.scan.http.model import FileHttp
from archdraft.scan.http.rust import AUTH_KIND, GUARD_KIND, LINK
from archdraft.scan.http.rust_syntax import module_of, settle
from archdraft.scan.manifests.model import Declared

_Key = tuple[str, str]
"""(crate folder, ``crate::module::function``)."""


def crate_folders(crates: tuple[Declared, ...]) -> dict[str, str]:
    """Each crate's name, as ``use`` paths give it -> its crate folder (``crates/api/src``).
    A name two manifests give is left out: which crate a path means is not known."""
    found: dict[str, set[str]] = {}
    for crate in crates:
        folder = crate.evidence.path.rpartition("/")[0]
        found.setdefault(crate.value, set()).add(f"{folder}/src" if folder else "src")
    return {name: folders.pop() for name, folders in found.items() if len(folders) == 1}


def link_rust(
    files: dict[str, FileHttp], crates: dict[str, str] | None = None
) -> dict[str, FileHttp]:
    routers: dict[_Key, tuple[str, str]] = {}
    auth: dict[_Key, str] = {}
    guards = frozenset(
        r.var.removeprefix("guard:")
        for f in files.values()
        for r in f.routers
        if r.kind == GUARD_KIND
    )
    for path, file in sorted(files.items()):
        crate, module = module_of(path)
        for router in file.routers:
            if router.kind == GUARD_KIND:
                continue
            if router.kind == AUTH_KIND:
                name = router.var.removeprefix("auth:")
                auth[(crate, "::".join(["crate", *module, name]))] = router.prefix
            elif "@" not in router.var:
                key = (crate, "::".join(["crate", *module, router.var]))
                routers.setdefault(key, (path, router.var))

    def find(crate: str, target: str) -> _Key | None:
        return next(((crate, c) for c in target.removeprefix(LINK).split("|")
                     if (crate, c) in routers or (crate, c) in auth), None)  # fmt: skip

    def handler(crate: str, target: str) -> str:
        """The auth of the handler ``target`` names: in the route's crate, else in the
        workspace crate a candidate's first segment names."""
        found = find(crate, target)
        for candidate in target.removeprefix(LINK).split("|"):
            if found is not None:
                break
            _crate, head, rest = [*candidate.split("::", 2), "", ""][:3]
            other = (crates or {}).get(head)
            if other is not None and other != crate and rest and (other, f"crate::{rest}") in auth:
                found = (other, f"crate::{rest}")
        return auth.get(found, "unknown") if found else "unknown"

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
            decided = handler(crate, route.auth) if route.auth.startswith(LINK) else route.auth
            routes.append(replace(route, auth=settle(decided, guards)))
        linked[path] = replace(
            file,
            routers=tuple(r for r in file.routers if r.kind not in {AUTH_KIND, GUARD_KIND}),
            routes=tuple(routes),
            uses=tuple(uses),
        )
    return linked
