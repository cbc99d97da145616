"""Project-wide auth from Django settings: DRF's ``DEFAULT_PERMISSION_CLASSES`` (for every
DRF view that sets no ``permission_classes``) and a login-required middleware (for every
plain Django view not exempted), read with ``ast`` in source order so that a dict built and
then updated, or a middleware list extended, reads as Django would see it at the end."""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from archdraft.scan.pyast import dotted, string

_PERMISSIONS = "DEFAULT_PERMISSION_CLASSES"
_LOGIN_MIDDLEWARE = re.compile(r"login_?required|requires?_?login", re.I)
# Settings for tests, CI or a developer's machine often relax auth; the deployed ones decide.
_RELAXED = re.compile(r"(^|[_.-])(tests?|testing|ci|dev|develop|development|local|debug)([_.-]|$)")
COMPUTED = "?"
"""Stands in the permission list for a value that is not literal."""


@dataclass(frozen=True)
class Settings:
    path: str
    rest_framework: bool = False
    """``REST_FRAMEWORK`` is assigned here (a literal dict or a copy of another)."""
    permissions: tuple[str, ...] | None = None
    """DEFAULT_PERMISSION_CLASSES as this file leaves it; None when it never sets it."""
    middleware: tuple[str, ...] = ()


def _names(node: ast.AST | None) -> tuple[str, ...]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return tuple(n for e in node.elts for n in _names(e))
    if isinstance(node, ast.Starred):
        return (COMPUTED,)
    text = string(node)
    if text is not None:
        return (text,)
    name = dotted(node) if isinstance(node, (ast.Name, ast.Attribute)) else ""
    return (name,) if name else (COMPUTED,)


def _is(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_key(node: ast.AST, owner: str, key: str) -> bool:
    """``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]``"""
    return isinstance(node, ast.Subscript) and _is(node.value, owner) and string(node.slice) == key


def _statements(nodes: Iterable[ast.AST]) -> list[ast.AST]:
    wanted = [n for n in nodes if isinstance(n, (ast.Assign, ast.AugAssign, ast.Call))]
    return sorted(wanted, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)))


class _Reader:
    def __init__(self) -> None:
        self.rest_framework = False
        self.permissions: tuple[str, ...] | None = None
        self.middleware: list[str] = []
        self.touched = False

    def mapping(self, node: ast.AST) -> None:
        """A dict literal, ``dict(K=...)`` or ``{**BASE, ...}`` given to REST_FRAMEWORK."""
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None and string(key) == _PERMISSIONS:
                    self.permissions = _names(value)
        elif isinstance(node, ast.Call) and dotted(node.func) == "dict":
            for keyword in node.keywords:
                if keyword.arg == _PERMISSIONS:
                    self.permissions = _names(keyword.value)

    def assign(self, target: ast.AST, value: ast.AST) -> None:
        if _is(target, "REST_FRAMEWORK"):
            self.rest_framework = self.touched = True
            if isinstance(value, ast.Dict) and None not in value.keys:
                self.permissions = None  # a fresh dict: DRF's own default until set
            self.mapping(value)
        elif _is_key(target, "REST_FRAMEWORK", _PERMISSIONS):
            self.permissions, self.touched = _names(value), True
        elif _is(target, "MIDDLEWARE") or _is(target, "MIDDLEWARE_CLASSES"):
            self.touched = True
            self.middleware = [n for n in self._middleware(value) if n != COMPUTED] or (
                self.middleware
            )

    def _middleware(self, node: ast.AST) -> list[str]:
        if isinstance(node, ast.BinOp):
            return self._middleware(node.left) + self._middleware(node.right)
        if isinstance(node, (ast.List, ast.Tuple)):
            found: list[str] = []
            for element in node.elts:
                if isinstance(element, ast.Starred):
                    found += self.middleware  # [..., *MIDDLEWARE, ...]
                else:
                    found += [n for n in _names(element) if n != COMPUTED]
            return found
        if _is(node, "MIDDLEWARE") or _is(node, "MIDDLEWARE_CLASSES"):
            return list(self.middleware)
        return []

    def call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        owner, verb = func.value, func.attr
        if _is(owner, "REST_FRAMEWORK") and verb == "update":
            self.touched = True
            for arg in node.args:
                self.mapping(arg)
            self.mapping(ast.Call(func=ast.Name("dict"), args=[], keywords=node.keywords))
        elif _is_key(owner, "REST_FRAMEWORK", _PERMISSIONS) and verb in {"append", "insert",
                                                                         "extend"}:  # fmt: skip
            self.touched = True
            added = _names(node.args[-1]) if node.args else (COMPUTED,)
            self.permissions = (*(self.permissions or ()), *added)
        elif (_is(owner, "MIDDLEWARE") or _is(owner, "MIDDLEWARE_CLASSES")) and node.args:
            self.touched = True
            names = [n for n in _names(node.args[-1]) if n != COMPUTED]
            if verb in {"append", "insert", "extend"}:
                self.middleware += names
            elif verb == "remove":
                self.middleware = [m for m in self.middleware if m not in names]


def extract_settings(path: str, nodes: Iterable[ast.AST]) -> Settings | None:
    reader = _Reader()
    for node in _statements(nodes):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                reader.assign(target, node.value)
        elif isinstance(node, ast.AugAssign):
            if _is_key(node.target, "REST_FRAMEWORK", _PERMISSIONS):
                reader.touched = True
                reader.permissions = (*(reader.permissions or ()), *_names(node.value))
            elif _is(node.target, "MIDDLEWARE") or _is(node.target, "MIDDLEWARE_CLASSES"):
                reader.touched = True
                reader.middleware += reader._middleware(node.value)
        elif isinstance(node, ast.Call):
            reader.call(node)
    if not reader.touched:
        return None
    return Settings(path, reader.rest_framework, reader.permissions, tuple(reader.middleware))


def permission_auth(names: Iterable[str]) -> str | None:
    """What a list of DRF permission classes asks of a caller; DRF grants access only when
    every class does, so one that needs a user decides."""
    verdicts = set()
    for name in names:
        short = name.rsplit(".", 1)[-1]
        if name == COMPUTED:
            return None
        if short == "AllowAny":
            verdicts.add("public")
        elif short.endswith("OrReadOnly"):
            verdicts.add("read-only")
        else:  # IsAuthenticated, IsAdminUser, DjangoModelPermissions, a project's own class
            verdicts.add("required")
    for verdict in ("required", "read-only", "public"):
        if verdict in verdicts:
            return verdict
    return "public"  # an empty list: DRF checks nothing


@dataclass(frozen=True)
class Policy:
    drf: str | None = None
    """Auth of a DRF view that sets no permission classes: required, public, read-only, or
    None when settings do not say (no REST_FRAMEWORK seen, or a computed value)."""
    login_middleware: bool = False
    """A login-required middleware guards every plain Django view not exempted."""


def _deciding(settings: list[Settings]) -> list[Settings]:
    deployed = [s for s in settings if not _RELAXED.search(posixpath.basename(s.path)[:-3])]
    return deployed or settings


def policy(settings: Iterable[Settings]) -> Policy:
    chosen = _deciding(sorted(settings, key=lambda s: s.path))
    explicit = {permission_auth(s.permissions) for s in chosen if s.permissions is not None}
    if explicit:
        # split settings that disagree (one module allows all, another requires a user):
        # which one runs is decided at deploy time
        drf = explicit.pop() if len(explicit) == 1 else None
    elif any(s.rest_framework for s in chosen):
        drf = "public"  # REST_FRAMEWORK without the key: DRF's default is AllowAny
    else:
        drf = None
    middleware = any(
        _LOGIN_MIDDLEWARE.search(m.rsplit(".", 1)[-1]) for s in chosen for m in s.middleware
    )
    return Policy(drf, middleware)
