"""What one source file says, as read by a language extractor."""

from __future__ import annotations

from dataclasses import dataclass

from archdraft.scan.http.django import DjangoFile
from archdraft.scan.http.model import FileHttp
from archdraft.scan.http.rails_resolve import RailsFile
from archdraft.scan.reach import Seen
from archdraft.scan.signals import Signal
from archdraft.scan.summary import Evidence


@dataclass(frozen=True)
class Found:
    """A named thing seen at one place: an env var read, an error class, an entry point."""

    name: str
    kind: str
    evidence: Evidence


@dataclass(frozen=True)
class FieldClass:
    """A Python class with annotated fields, kept so settings classes that inherit from
    another settings class (in any file) can be recognised once all files are read."""

    name: str
    bases: tuple[str, ...]
    prefix: str | None
    fields: tuple[tuple[str, int], ...]
    path: str


@dataclass(frozen=True)
class CodeFacts:
    env_vars: tuple[Found, ...] = ()
    entrypoints: tuple[Found, ...] = ()
    """``name`` is a short description of what starts there; ``kind`` the spec's kind."""
    errors: tuple[Found, ...] = ()
    module_syntax: str | None = None
    """JS/TS only: ``esm``, ``commonjs``, ``both`` or None when the file shows neither."""
    warning: str | None = None
    models: tuple[Found, ...] = ()
    """``kind`` is the spec's model kind: orm_model, schema, table."""
    services: tuple[Found, ...] = ()
    field_classes: tuple[FieldClass, ...] = ()
    http: FileHttp | None = None
    """Routers, routes and mounts the file declares, joined across files later."""
    django: DjangoFile | None = None
    rails: RailsFile | None = None
    """Rails routes files and controllers, joined once all files are read."""
    auth_signals: tuple[Signal, ...] = ()
    integration_signals: tuple[Signal, ...] = ()
    registrations: tuple[Seen, ...] = ()
    """Lines that look like a route registration (``reach``), whether a route came or not."""
    wrapping: tuple[int, ...] = ()
    """Lines where a project's own registration helper hands its parameters on to the
    framework (a C# ``MapGet`` wrapper's ``builder.MapGet(pattern, handler)``): they look
    like registrations and are none by design, so ``registrations`` leaves them out."""
