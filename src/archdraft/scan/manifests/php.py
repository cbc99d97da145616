"""Composer's composer.json (``require``, ``require-dev``, the PHP version) and composer.lock."""

from __future__ import annotations

import json
import re

from archdraft.scan.manifests.model import Collector, Dependency, Pin, RuntimeDecl, line_of
from archdraft.scan.summary import Evidence

# Platform packages: the PHP engine and its extensions, which Composer checks but does not
# install (https://getcomposer.org/doc/01-basic-usage.md#platform-packages).
_PLATFORM = re.compile(
    r"^(php(-64bit|-ipv6|-zts|-debug)?|hhvm|ext-.+|lib-.+|composer(-plugin|-runtime)?-api|composer)$"
)


def _key_line(lines: list[str], key: str, start: int = 0) -> int | None:
    return line_of(lines, r'"' + re.escape(key) + r'"\s*:', start)


def _json_object(path: str, text: str, out: Collector) -> dict[str, object] | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # The message names line and column only, never the offending text.
        out.warnings.append(
            f"{path}: skipped, not valid JSON (line {exc.lineno}, column {exc.colno})"
        )
        return None
    if not isinstance(data, dict):
        out.warnings.append(f"{path}: skipped, not a JSON object")
        return None
    return data


def read_composer_json(path: str, text: str, out: Collector) -> None:
    data = _json_object(path, text, out)
    if data is None:
        return
    lines = text.splitlines()
    for section, dev in (("require", False), ("require-dev", True)):
        requires = data.get(section)
        if not isinstance(requires, dict):
            continue
        section_line = _key_line(lines, section) or 1
        for name, constraint in sorted(requires.items()):
            line = _key_line(lines, name, section_line - 1) or section_line
            written = constraint if isinstance(constraint, str) and constraint != "*" else None
            if name.lower() == "php":
                if written and not dev:
                    out.runtimes.append(RuntimeDecl("PHP", written, Evidence(path, line)))
                continue
            if _PLATFORM.match(name.lower()):
                continue
            out.dependencies.append(
                Dependency("packagist", name.lower(), written, dev, Evidence(path, line))
            )


def read_composer_lock(path: str, text: str, out: Collector) -> None:
    """The installed version of every package, for requirements written as ``*``."""
    data = _json_object(path, text, out)
    if data is None:
        return
    folder = path.rpartition("/")[0]
    for section in ("packages", "packages-dev"):
        packages = data.get(section)
        for package in packages if isinstance(packages, list) else []:
            if not isinstance(package, dict):
                continue
            name, version = package.get("name"), package.get("version")
            if isinstance(name, str) and isinstance(version, str):
                out.pins.append(Pin("packagist", name, version, folder, resolved=True))
