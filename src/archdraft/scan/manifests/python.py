"""pyproject.toml (PEP 621, poetry, uv, dependency groups), requirements files, Pipfile,
and Python version files."""

from __future__ import annotations

import re
import sys
from pathlib import PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from archdraft.scan.manifests.model import (
    Collector,
    Declared,
    Dependency,
    RuntimeDecl,
    Script,
    line_of,
)
from archdraft.scan.summary import Evidence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_DEV_EXTRAS = re.compile(r"^(dev|test|tests|testing|lint|docs?|typing|types|check|ci)([-_].*)?$")
_AS_WRITTEN = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*(?P<spec>[^;@]*)")


def _add_requirement(text: str, dev: bool, path: str, line: int | None, out: Collector) -> None:
    try:
        req = Requirement(text)
    except InvalidRequirement:
        out.warnings.append(f"{path}:{line or 1}: a requirement could not be parsed; skipped it")
        return
    # packaging normalises and reorders specifiers; the summary keeps what the author wrote.
    written = _AS_WRITTEN.match(text)
    spec = written.group("spec").strip().strip("()").strip() if written else ""
    out.dependencies.append(
        Dependency("pypi", canonicalize_name(req.name), spec or None, dev, Evidence(path, line))
    )


def read_toml(path: str, text: str, out: Collector) -> dict[str, object] | None:
    try:
        data: dict[str, object] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with the position and never quotes the source.
        where = str(exc).rsplit("(", 1)[-1].rstrip(")")
        out.warnings.append(f"{path}: skipped, not valid TOML ({where})")
        return None


def read_requirements(path: str, text: str, out: Collector) -> None:
    name = PurePosixPath(path).name.lower()
    dev = any(word in name for word in ("dev", "test", "lint", "doc", "ci", "local"))
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-", "http:", "https:", "git+", ".", "/")):
            continue
        _add_requirement(line, dev, path, number, out)


def _table(data: object, dotted: str) -> dict[str, object]:
    for part in dotted.split("."):
        data = data.get(part, {}) if isinstance(data, dict) else {}
    return data if isinstance(data, dict) else {}


def _poetry(path: str, poetry: dict[str, object], lines: list[str], out: Collector) -> None:
    tables = [("dependencies", False), ("dev-dependencies", True)]
    tables += [(f"group.{g}.dependencies", True) for g in sorted(_table(poetry, "group"))]
    for table_name, dev in tables:
        for name, spec in sorted(_table(poetry, table_name).items()):
            if name.lower() == "python":
                if isinstance(spec, str):
                    evidence = Evidence(path, line_of(lines, r"^\s*python\s*="))
                    out.runtimes.append(RuntimeDecl("Python", spec, evidence))
                continue
            version = spec if isinstance(spec, str) else None
            if isinstance(spec, dict) and isinstance(spec.get("version"), str):
                version = spec["version"]
            line = line_of(lines, r"^\s*[\"']?" + re.escape(name) + r"[\"']?\s*=")
            out.dependencies.append(
                Dependency("pypi", canonicalize_name(name), version, dev, Evidence(path, line))
            )


def read_pyproject(path: str, text: str, out: Collector) -> None:
    data = read_toml(path, text, out)
    if data is None:
        return
    lines = text.splitlines()

    def quoted_line(value: str) -> int | None:
        return line_of(lines, r"""["']""" + re.escape(value) + r"""["']""")

    def requirements(reqs: object, dev: bool) -> None:
        for req in reqs if isinstance(reqs, list) else []:
            if isinstance(req, str):
                _add_requirement(req, dev, path, quoted_line(req), out)

    project = _table(data, "project")
    requirements(project.get("dependencies"), False)
    for extra, reqs in sorted(_table(project, "optional-dependencies").items()):
        requirements(reqs, bool(_DEV_EXTRAS.match(extra)))
    if isinstance(project.get("requires-python"), str):
        evidence = Evidence(path, line_of(lines, r"^\s*requires-python\s*="))
        out.runtimes.append(RuntimeDecl("Python", str(project["requires-python"]), evidence))
    for name, target in sorted(_table(project, "scripts").items()):
        if isinstance(target, str):
            out.scripts.append(Script(name, target, Evidence(path, quoted_line(target))))
    for _group, reqs in sorted(_table(data, "dependency-groups").items()):
        requirements(reqs, True)
    requirements(_table(data, "tool.uv").get("dev-dependencies"), True)
    _poetry(path, _table(data, "tool.poetry"), lines, out)
    for section in sorted(_table(data, "tool")):
        line = line_of(lines, r"^\s*\[tool\." + re.escape(section) + r"[\].]")
        out.tool_sections.append(Declared(section, Evidence(path, line)))


def read_pipfile(path: str, text: str, out: Collector) -> None:
    data = read_toml(path, text, out)
    if data is None:
        return
    lines = text.splitlines()
    for table_name, dev in (("packages", False), ("dev-packages", True)):
        for name, spec in sorted(_table(data, table_name).items()):
            version = spec if isinstance(spec, str) and spec != "*" else None
            if isinstance(spec, dict) and isinstance(spec.get("version"), str):
                version = spec["version"] if spec["version"] != "*" else None
            line = line_of(lines, r"^\s*[\"']?" + re.escape(name) + r"[\"']?\s*=")
            out.dependencies.append(
                Dependency("pypi", canonicalize_name(name), version, dev, Evidence(path, line))
            )
    requires = _table(data, "requires")
    for key in ("python_full_version", "python_version"):
        if isinstance(requires.get(key), str):
            evidence = Evidence(path, line_of(lines, rf"^\s*{key}\s*="))
            out.runtimes.append(RuntimeDecl("Python", str(requires[key]), evidence))
            break


def version_file(path: str, text: str, out: Collector) -> None:
    """``.python-version`` (``3.12``) and ``runtime.txt`` (``python-3.12.1``)."""
    value = text.strip().splitlines()[0].strip() if text.strip() else ""
    value = value.removeprefix("python-")
    if value and value[0].isdigit():
        out.runtimes.append(RuntimeDecl("Python", value, Evidence(path, 1)))
