"""What manifests declare, and the small helpers every manifest reader shares."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from archdraft.scan.summary import Evidence


@dataclass(frozen=True)
class Dependency:
    ecosystem: str
    """``npm``, ``pypi``, ``go``, ``maven`` (Gradle coordinates are Maven's), ``rubygems``,
    ``packagist``, ``nuget`` or ``crates``."""
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
    """``Node.js``, ``Python``, ``Go``, ``Java``, ``Ruby``, ``PHP``, ``.NET``,
    ``.NET Framework`` or ``Rust``."""
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
    crates: tuple[Declared, ...]
    """The crate each Cargo.toml declares, as ``use`` paths name it (``[lib] name``, else the
    package's name with ``-`` as ``_``)."""
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Pin:
    """A version for dependencies whose manifest leaves it open (``gem "pg"``, a crate with
    ``workspace = true``, a ``PackageReference`` without ``Version``), from a file that covers
    the manifests of its folder and below: a lock file (``resolved``), Cargo's
    ``[workspace.dependencies]`` or ``Directory.Packages.props``."""

    ecosystem: str
    name: str
    version: str
    folder: str
    resolved: bool


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
    crates: list[Declared] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pins: list[Pin] = field(default_factory=list)

    def extend(self, other: Collector) -> None:
        for name in self.__dataclass_fields__:
            getattr(self, name).extend(getattr(other, name))


def package_key(ecosystem: str, name: str) -> str:
    """How a registry compares names: NuGet and RubyGems ignore case, crates.io also ``-``/``_``."""
    key = name if ecosystem in {"go", "maven"} else name.lower()
    return key.replace("_", "-") if ecosystem == "crates" else key


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def fill_versions(dependencies: list[Dependency], pins: list[Pin]) -> list[Dependency]:
    """Each dependency declared without a version takes the nearest pin above it: a
    declared pin (a workspace or central version) before a lock file's resolved one."""
    by_name: dict[tuple[str, str], list[Pin]] = {}
    for pin in pins:
        by_name.setdefault((pin.ecosystem, package_key(pin.ecosystem, pin.name)), []).append(pin)
    filled: list[Dependency] = []
    for dep in dependencies:
        candidates = by_name.get((dep.ecosystem, package_key(dep.ecosystem, dep.name)), [])
        if dep.version is None and candidates:
            folder = _folder(dep.evidence.path)
            covering = [
                p for p in candidates
                if not p.folder or folder == p.folder or folder.startswith(p.folder + "/")
            ]  # fmt: skip
            if covering:
                best = min(covering, key=lambda p: (p.resolved, -len(p.folder), p.folder))
                dep = replace(dep, version=best.version)
        filled.append(dep)
    return filled


def line_of(lines: list[str], pattern: str, start: int = 0) -> int | None:
    """The 1-based number of the first line from ``start`` matching ``pattern``."""
    regex = re.compile(pattern)
    for index in range(start, len(lines)):
        if regex.search(lines[index]):
            return index + 1
    return None
