"""What manifests declare, and the small helpers every manifest reader shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archdraft.scan.summary import Evidence


@dataclass(frozen=True)
class Dependency:
    ecosystem: str
    """``npm``, ``pypi``, ``go`` or ``maven`` (Gradle coordinates are Maven's)."""
    name: str
    version: str | None
    dev: bool
    evidence: Evidence


@dataclass(frozen=True)
class Script:
    name: str
    command: str
    evidence: Evidence


@dataclass(frozen=True)
class Declared:
    """A single declared value with where it was declared (a runtime version, say)."""

    value: str
    evidence: Evidence


@dataclass(frozen=True)
class RuntimeDecl:
    runtime: str
    """``Node.js``, ``Python``, ``Go`` or ``Java``."""
    version: str
    evidence: Evidence


@dataclass(frozen=True)
class Manifests:
    dependencies: tuple[Dependency, ...]
    scripts: tuple[Script, ...]
    """npm scripts and Python console scripts."""
    bin_files: tuple[Declared, ...]
    """Command-line programs a package.json declares in ``bin``."""
    runtimes: tuple[RuntimeDecl, ...]
    module_types: tuple[Declared, ...]
    """package.json ``type`` values."""
    tool_sections: tuple[Declared, ...]
    """``[tool.X]`` tables of pyproject.toml files, e.g. ruff, mypy, pytest."""
    workspaces: tuple[Declared, ...]
    """Workspace package globs (npm, yarn, pnpm)."""
    frontend_folders: tuple[str, ...]
    """Folders whose package.json is a frontend's (React, Vue, ...) with no backend framework."""
    backend_package_folders: tuple[str, ...]
    """Folders whose package.json names a backend framework or server library."""
    warnings: tuple[str, ...]


@dataclass
class Collector:
    dependencies: list[Dependency] = field(default_factory=list)
    scripts: list[Script] = field(default_factory=list)
    bin_files: list[Declared] = field(default_factory=list)
    runtimes: list[RuntimeDecl] = field(default_factory=list)
    module_types: list[Declared] = field(default_factory=list)
    tool_sections: list[Declared] = field(default_factory=list)
    workspaces: list[Declared] = field(default_factory=list)
    frontend_folders: list[str] = field(default_factory=list)
    backend_package_folders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def line_of(lines: list[str], pattern: str, start: int = 0) -> int | None:
    """The 1-based number of the first line from ``start`` matching ``pattern``."""
    regex = re.compile(pattern)
    for index in range(start, len(lines)):
        if regex.search(lines[index]):
            return index + 1
    return None
