"""Linking Go routers across files: a router handed to a function (``users.Register(r)``)
or made by one (``routers.New()``) is found where that function is declared, by package,
receiver type and folder; a router reached as a struct field (``s.router``) where a function
puts a router in that field. A mount that still has several candidates is left unlinked, so
its routes keep no invented prefix."""

from __future__ import annotations

from dataclasses import replace

from archdraft.scan.http.golang_chains import FIELD, FIELD_TYPE, UNSURE_FIELD
from archdraft.scan.http.model import FileHttp, Router, Use

_Candidate = tuple[str, str, str | None]
"""A router a mount may mean: (file, variable, receiver type)."""


def _in_package(path: str, package: str) -> bool:
    """Whether the file at ``path`` is in ``package``: an import path ending in its folder,
    or a package name that is one of its folders."""
    folder = path.rpartition("/")[0]
    if "/" in package:
        return bool(folder) and (package == folder or package.endswith("/" + folder))
    return f"/{package}/" in f"/{path}"


def _narrow(
    candidates: list[_Candidate], user: str, package: str, receiver: str
) -> list[_Candidate]:
    folder = user.rpartition("/")[0]
    for keep in (
        [c for c in candidates if _in_package(c[0], package)],
        [c for c in candidates if receiver and c[2] == receiver],
        [c for c in candidates if c[0].rpartition("/")[0] == folder],
    ):
        candidates = [c for c in keep if c in candidates] or candidates
    return candidates


def link_go(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """Point ``go:pkg.Func#i`` mounts at the router parameter ``i`` of ``Func``, and
    ``go:pkg.Func#ret`` at the router ``Func`` makes. Among functions of the same name, the
    one in a folder named ``pkg`` wins, then the one on the receiver type the mount names,
    then one in the mounting file's folder; a mount still left with several is not linked,
    so its routes keep no invented prefix."""
    params: dict[tuple[str, str], list[_Candidate]] = {}
    returned: dict[str, list[_Candidate]] = {}
    for path, file in files.items():
        for router in sorted(file.routers, key=lambda r: r.line):
            if router.kind in {FIELD, UNSURE_FIELD, FIELD_TYPE}:
                continue  # a field is reached, not made or handed in
            scope = router.var.partition(".")[0]
            func, _, receiver = scope.partition("~")
            entry = (path, router.var, receiver or None)
            if router.position is not None:
                params.setdefault((func, str(router.position)), []).append(entry)
            elif router.parent is None and "@" not in router.var and router.var != f"{scope}.":
                returned.setdefault(func, []).append(entry)
    linked: dict[str, FileHttp] = {}
    for path, file in files.items():
        uses = []
        for use in file.uses:
            if not use.target.startswith("go:"):
                uses.append(use)
                continue
            spec, _, receiver = use.target[3:].partition("~")
            package, _, rest = spec.rpartition(".")
            func, _, index = rest.partition("#")
            candidates = params.get((func, index), []) if index != "ret" else returned.get(func, [])
            candidates = _narrow(candidates, path, package, receiver)
            if index == "ret":
                # the first router a function makes is what it returns
                makers = {(c[0], c[2]) for c in candidates}
                candidates = candidates[:1] if len(makers) == 1 else candidates
            if len(candidates) == 1:
                uses.append(replace(use, target=f"@{candidates[0][0]}:{candidates[0][1]}"))
        linked[path] = replace(file, uses=tuple(uses))
    return _link_fields(linked)


def _field(var: str) -> str:
    """``routes~Rest.s.router@12`` -> ``router``."""
    return var.partition("@")[0].rpartition(".")[2]


def _link_fields(files: dict[str, FileHttp]) -> dict[str, FileHttp]:
    """A router reached as a field (``s.router.HandleFunc(...)``) is the router some function
    of the code base puts in that field (``s.router = mux.NewRouter()``, ``&Server{router:
    ...}``): mounted there, in the same package first, when exactly one does. Otherwise it is
    a root of its own: a library's server hands its router out already made. A field known
    only by the methods called on it counts when a struct declares that field a router."""
    typed = {r.var for f in files.values() for r in f.routers if r.kind == FIELD_TYPE}
    assigned: dict[str, list[tuple[str, Router]]] = {}
    for path, file in sorted(files.items()):
        for router in file.routers:
            # Func.s.router: a name with a receiver before the field; not a chain's step
            name, _, at = router.var.partition("@")
            if (
                router.kind not in {FIELD, UNSURE_FIELD, FIELD_TYPE}
                and name.count(".") >= 2
                and ":" not in at
            ):
                assigned.setdefault(_field(router.var), []).append((path, router))
    mounts: dict[str, list[Use]] = {}
    kept: dict[str, list[Router]] = {}
    for path, file in sorted(files.items()):
        kept[path] = []
        for router in file.routers:
            if router.kind == FIELD_TYPE or (
                router.kind == UNSURE_FIELD and _field(router.var) not in typed
            ):
                continue
            if router.kind not in {FIELD, UNSURE_FIELD}:
                kept[path].append(router)
                continue
            candidates = assigned.get(_field(router.var), [])
            folder = path.rpartition("/")[0]
            near = [c for c in candidates if c[0].rpartition("/")[0] == folder]
            chosen = near if len(near) == 1 else candidates if len(candidates) == 1 else []
            if chosen:
                target_path, target = chosen[0]
                # A Go router's middleware wraps all its routes whenever it was added, so the
                # mount comes after the last of it, and the routes reached by field are guarded.
                line = max(
                    [target.line]
                    + [u.line for u in files[target_path].uses if u.owner == target.var]
                )
                use = Use(target.var, "", f"@{path}:{router.var}", (), line)
                mounts.setdefault(target_path, []).append(use)
            kept[path].append(replace(router, kind="router" if chosen else "app"))
    return {
        path: replace(file, routers=tuple(kept[path]), uses=file.uses + tuple(mounts.get(path, [])))
        for path, file in files.items()
    }
