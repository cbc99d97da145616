"""Dependency manifests read with real parsers: package.json, pyproject.toml and
requirements files. Declared versions are kept exactly as written."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from archdraft.repo import TextFile
from archdraft.scan.summary import Evidence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Dependency:
    ecosystem: str
    """``npm`` or ``pypi``."""
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
class Manifests:
    dependencies: tuple[Dependency, ...]
    scripts: tuple[Script, ...]
    """npm scripts and Python console scripts."""
    bin_files: tuple[Declared, ...]
    """Command-line programs a package.json declares in ``bin``."""
    node_versions: tuple[Declared, ...]
    python_versions: tuple[Declared, ...]
    module_types: tuple[Declared, ...]
    """package.json ``type`` values."""
    tool_sections: tuple[Declared, ...]
    """``[tool.X]`` tables of pyproject.toml files, e.g. ruff, mypy, pytest."""
    warnings: tuple[str, ...]


_NPM_SECTIONS = (
    ("dependencies", False),
    ("peerDependencies", False),
    ("optionalDependencies", False),
    ("devDependencies", True),
)
_DEV_EXTRAS = re.compile(r"^(dev|test|tests|testing|lint|docs?|typing|types|check|ci)([-_].*)?$")


def _line_of(lines: list[str], pattern: str, start: int = 0) -> int | None:
    regex = re.compile(pattern)
    for index in range(start, len(lines)):
        if regex.search(lines[index]):
            return index + 1
    return None


def _json_key_line(lines: list[str], key: str, start: int = 0) -> int | None:
    return _line_of(lines, r'"' + re.escape(key) + r'"\s*:', start)


def _package_json(path: str, text: str, out: _Collector) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # The message names line and column only, never the offending text.
        out.warnings.append(
            f"{path}: skipped, not valid JSON (line {exc.lineno}, column {exc.colno})"
        )
        return
    if not isinstance(data, dict):
        out.warnings.append(f"{path}: skipped, not a JSON object")
        return
    lines = text.splitlines()
    for section, dev in _NPM_SECTIONS:
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        section_line = _json_key_line(lines, section) or 1
        for name, version in sorted(deps.items()):
            line = _json_key_line(lines, name, section_line - 1) or section_line
            out.dependencies.append(
                Dependency(
                    "npm",
                    name,
                    version if isinstance(version, str) else None,
                    dev,
                    Evidence(path, line),
                )
            )
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        base = _json_key_line(lines, "scripts") or 1
        for name, command in sorted(scripts.items()):
            if isinstance(command, str):
                line = _json_key_line(lines, name, base - 1) or base
                out.scripts.append(Script(name, command, Evidence(path, line)))
    folder = PurePosixPath(path).parent
    bins = data.get("bin")
    bin_targets = bins.values() if isinstance(bins, dict) else [bins] if bins else []
    for target in bin_targets:
        if isinstance(target, str):
            target_path = PurePosixPath(str(folder / target).removeprefix("./"))
            out.bin_files.append(
                Declared(
                    str(target_path).removeprefix("./"),
                    Evidence(path, _json_key_line(lines, "bin")),
                )
            )
    engines = data.get("engines")
    if isinstance(engines, dict) and isinstance(engines.get("node"), str):
        base = _json_key_line(lines, "engines") or 1
        out.node_versions.append(
            Declared(engines["node"], Evidence(path, _json_key_line(lines, "node", base - 1)))
        )
    if isinstance(data.get("type"), str):
        out.module_types.append(
            Declared(data["type"], Evidence(path, _json_key_line(lines, "type")))
        )


def _requirement(line_text: str) -> Requirement | None:
    try:
        return Requirement(line_text)
    except InvalidRequirement:
        return None


_AS_WRITTEN = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(?P<spec>[^;@]*)")


def _add_requirement(
    req_text: str, dev: bool, path: str, line: int | None, out: _Collector
) -> None:
    req = _requirement(req_text)
    if req is None:
        out.warnings.append(f"{path}:{line or 1}: a requirement could not be parsed; skipped it")
        return
    # packaging normalises and reorders specifiers; the summary keeps what the author wrote.
    written = _AS_WRITTEN.match(req_text)
    spec = written.group("spec").strip().strip("()").strip() if written else ""
    out.dependencies.append(
        Dependency("pypi", canonicalize_name(req.name), spec or None, dev, Evidence(path, line))
    )


def _requirements_txt(path: str, text: str, out: _Collector) -> None:
    name = PurePosixPath(path).name.lower()
    dev = any(word in name for word in ("dev", "test", "lint", "doc", "ci"))
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "http:", "https:", "git+", ".", "/")):
            continue
        _add_requirement(line, dev, path, number, out)


def _pyproject(path: str, text: str, out: _Collector) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        out.warnings.append(
            f"{path}: skipped, not valid TOML ({str(exc).split('(')[-1].rstrip(')')})"
        )
        return
    lines = text.splitlines()

    def quoted_line(value: str) -> int | None:
        return _line_of(lines, r"""["']""" + re.escape(value) + r"""["']""")

    project = data.get("project", {})
    if isinstance(project, dict):
        for req in project.get("dependencies", []) or []:
            if isinstance(req, str):
                _add_requirement(req, False, path, quoted_line(req), out)
        optional = project.get("optional-dependencies", {}) or {}
        for extra, reqs in sorted(optional.items()) if isinstance(optional, dict) else []:
            for req in reqs or []:
                if isinstance(req, str):
                    _add_requirement(
                        req, bool(_DEV_EXTRAS.match(extra)), path, quoted_line(req), out
                    )
        if isinstance(project.get("requires-python"), str):
            out.python_versions.append(
                Declared(
                    project["requires-python"],
                    Evidence(path, _line_of(lines, r"^\s*requires-python\s*=")),
                )
            )
        scripts = project.get("scripts", {})
        if isinstance(scripts, dict):
            for name, target in sorted(scripts.items()):
                if isinstance(target, str):
                    out.scripts.append(Script(name, target, Evidence(path, quoted_line(target))))
    groups = data.get("dependency-groups", {})
    for _group, reqs in sorted(groups.items()) if isinstance(groups, dict) else []:
        for req in reqs or []:
            if isinstance(req, str):
                _add_requirement(req, True, path, quoted_line(req), out)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        return
    poetry = tool.get("poetry", {})
    if isinstance(poetry, dict):
        tables = [("dependencies", False), ("dev-dependencies", True)]
        group_tables = poetry.get("group", {})
        tables += (
            [(f"group.{g}.dependencies", True) for g in sorted(group_tables)]
            if isinstance(group_tables, dict)
            else []
        )
        for table_name, dev in tables:
            table: object = poetry
            for part in table_name.split("."):
                table = table.get(part, {}) if isinstance(table, dict) else {}
            for name, spec in sorted(table.items()) if isinstance(table, dict) else []:
                if name.lower() == "python":
                    if isinstance(spec, str):
                        out.python_versions.append(
                            Declared(spec, Evidence(path, _line_of(lines, r"^\s*python\s*=")))
                        )
                    continue
                version = (
                    spec
                    if isinstance(spec, str)
                    else spec.get("version")
                    if isinstance(spec, dict)
                    else None
                )
                line = _line_of(lines, r"^\s*[\"']?" + re.escape(name) + r"[\"']?\s*=")
                out.dependencies.append(
                    Dependency("pypi", canonicalize_name(name), version, dev, Evidence(path, line))
                )
    for section in sorted(tool):
        line = _line_of(lines, r"^\s*\[tool\." + re.escape(section) + r"[\].]")
        out.tool_sections.append(Declared(section, Evidence(path, line)))


@dataclass
class _Collector:
    dependencies: list[Dependency]
    scripts: list[Script]
    bin_files: list[Declared]
    node_versions: list[Declared]
    python_versions: list[Declared]
    module_types: list[Declared]
    tool_sections: list[Declared]
    warnings: list[str]


_READERS = {
    "package.json": _package_json,
    "pyproject.toml": _pyproject,
}


_Reader = Callable[[str, str, "_Collector"], None]


def is_manifest(path: str) -> bool:
    return _reader_for(path) is not None


def _reader_for(path: str) -> _Reader | None:
    name = PurePosixPath(path).name
    if name in _READERS:
        return _READERS[name]
    if name.startswith("requirements") and name.endswith((".txt", ".in")):
        return _requirements_txt
    return None


def _depth_then_path(path: str) -> tuple[int, str]:
    return (path.count("/"), path)


def read_manifests(files: Iterable[TextFile]) -> Manifests:
    """Parse the manifests among ``files``, shallowest first so a root manifest's
    declaration is the one whose version is reported."""
    out = _Collector([], [], [], [], [], [], [], [])
    for file in sorted(files, key=lambda f: _depth_then_path(f.path)):
        reader = _reader_for(file.path)
        if reader is not None:
            reader(file.path, file.text, out)
    return Manifests(
        dependencies=tuple(out.dependencies),
        scripts=tuple(out.scripts),
        bin_files=tuple(out.bin_files),
        node_versions=tuple(out.node_versions),
        python_versions=tuple(out.python_versions),
        module_types=tuple(out.module_types),
        tool_sections=tuple(out.tool_sections),
        warnings=tuple(out.warnings),
    )
