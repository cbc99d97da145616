"""The scan stage's output, ``RepoSummary``: schema ``archdraft.scan/v1``.

Field names and order follow the public contract (spec scan-v1). ``errors`` and
``reach`` are additions the schema allows (fields may be added): error handlers and error
classes, so the Error Handling section has evidence; and the registration-looking lines no
route came from, so a reader knows what the route list may be missing.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "archdraft.scan/v1"


@dataclass(frozen=True, order=True)
class Evidence:
    path: str
    line: int | None = None

    def cite(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


Evidences = tuple[Evidence, ...]


@dataclass(frozen=True)
class RepoInfo:
    name: str
    commit: str | None
    files: int
    bytes: int


@dataclass(frozen=True)
class Language:
    name: str
    files: int
    lines: int


@dataclass(frozen=True)
class StackItem:
    category: str
    name: str
    version: str | None
    evidence: Evidences


@dataclass(frozen=True)
class Entrypoint:
    path: str
    line: int | None
    kind: str
    evidence: Evidences


@dataclass(frozen=True)
class EnvVar:
    name: str
    evidence: Evidences


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: str | None
    auth: str
    evidence: Evidences


@dataclass(frozen=True)
class Middleware:
    name: str
    scope: str
    order: int | None
    evidence: Evidences


@dataclass(frozen=True)
class AuthFact:
    method: str
    evidence: Evidences


@dataclass(frozen=True)
class Model:
    name: str
    kind: str
    evidence: Evidences


@dataclass(frozen=True)
class Service:
    name: str
    evidence: Evidences


@dataclass(frozen=True)
class Integration:
    name: str
    kind: str
    evidence: Evidences


@dataclass(frozen=True)
class TestLocation:
    kind: str
    path: str


@dataclass(frozen=True)
class ErrorFact:
    name: str
    kind: str
    """``handler`` (code that turns errors into responses), ``class`` (a custom error type)
    or ``value`` (an error value the project defines, Go's ``var ErrNotFound = errors.New``)."""
    evidence: Evidences


@dataclass(frozen=True)
class Reach:
    """Lines that look like a route registration (a verb called with a path, a mapping
    annotation, a URL pattern, a helper handed a router and a path), and how many of them
    no route came from: what the route list may be missing."""

    registrations: int = 0
    unrouted: int = 0
    examples: Evidences = ()
    """Up to five of the unrouted lines, in path order."""
    calls: tuple[str, ...] = ()
    """What each example calls or applies (``helpers.setupApiRoute``, ``@GetMapping``)."""


@dataclass(frozen=True)
class RepoSummary:
    repo: RepoInfo
    languages: tuple[Language, ...] = ()
    module_system: str | None = None
    stack: tuple[StackItem, ...] = ()
    entrypoints: tuple[Entrypoint, ...] = ()
    env_vars: tuple[EnvVar, ...] = ()
    routes: tuple[Route, ...] = ()
    middleware: tuple[Middleware, ...] = ()
    auth: tuple[AuthFact, ...] = ()
    models: tuple[Model, ...] = ()
    services: tuple[Service, ...] = ()
    integrations: tuple[Integration, ...] = ()
    tests: tuple[TestLocation, ...] = ()
    errors: tuple[ErrorFact, ...] = ()
    reach: Reach = field(default_factory=Reach)
    warnings: tuple[str, ...] = ()
    schema: str = field(default=SCHEMA)

    def stack_in(self, *categories: str) -> tuple[StackItem, ...]:
        return tuple(item for item in self.stack if item.category in categories)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        ordered = {"schema": data.pop("schema")}
        ordered.update(data)
        return ordered

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
