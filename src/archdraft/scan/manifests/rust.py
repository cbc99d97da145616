"""Cargo.toml (dependencies of every kind and target, features, workspaces, ``rust-version``),
Cargo.lock, and rustup's ``rust-toolchain.toml``/``rust-toolchain``."""

from __future__ import annotations

import re

from archdraft.scan.manifests.model import (
    Collector,
    Declared,
    Dependency,
    Pin,
    RuntimeDecl,
    line_of,
)
from archdraft.scan.manifests.python import read_toml
from archdraft.scan.summary import Evidence

_KINDS = (("dependencies", False), ("dev-dependencies", True), ("build-dependencies", True))


def _table(data: object, key: str) -> dict[str, object]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _dependency_line(lines: list[str], table: str, key: str) -> int | None:
    """The line declaring ``key`` in the ``[...table]`` section, or its own
    ``[table.key]`` header; the section's header where neither is found."""
    quoted_key = r"[\"']?" + re.escape(key) + r"[\"']?"
    own = line_of(lines, r"^\s*\[\s*" + re.escape(table) + r"\s*\.\s*" + quoted_key + r"\s*\]")
    if own:
        return own
    header = line_of(lines, r"^\s*\[\s*" + re.escape(table) + r"\s*\]") or line_of(
        lines, r"^\s*\[.*\b" + re.escape(table.rsplit(".", 1)[-1]) + r"\s*\]"
    )
    start = header or 0
    entry = line_of(lines, r"^\s*" + quoted_key + r"\s*(=|\.)", start)
    return entry or header


def _dependencies(path: str, table: str, deps: dict[str, object], dev: bool,
                  lines: list[str], out: Collector) -> None:  # fmt: skip
    for key, spec in sorted(deps.items()):
        evidence = Evidence(path, _dependency_line(lines, table, key))
        name, version, features = key, None, []
        if isinstance(spec, str):
            version = spec
        elif isinstance(spec, dict):
            # ``pg = { package = "tokio-postgres" }`` renames a crate: the package is the crate
            name = spec["package"] if isinstance(spec.get("package"), str) else key
            version = spec["version"] if isinstance(spec.get("version"), str) else None
            raw = spec.get("features")
            features = [f for f in raw if isinstance(f, str)] if isinstance(raw, list) else []
        out.dependencies.append(Dependency("crates", name, version, dev, evidence))
        # A feature can be what names the database: sqlx with "postgres", diesel with "mysql".
        for feature in features:
            out.dependencies.append(Dependency("crates", f"{name}/{feature}", None, dev, evidence))


def read_cargo_toml(path: str, text: str, out: Collector) -> None:
    data = read_toml(path, text, out)
    if data is None:
        return
    lines = text.splitlines()
    for kind, dev in _KINDS:
        _dependencies(path, kind, _table(data, kind), dev, lines, out)
    for target, tables in sorted(_table(data, "target").items()):
        for kind, dev in _KINDS:
            _dependencies(path, f"target.{target}.{kind}", _table(tables, kind), dev, lines, out)
    workspace = _table(data, "workspace")
    folder = path.rpartition("/")[0]
    # [workspace.dependencies] only offers versions to members that say ``workspace = true``.
    for key, spec in sorted(_table(workspace, "dependencies").items()):
        name = spec.get("package", key) if isinstance(spec, dict) else key
        version = spec.get("version") if isinstance(spec, dict) else spec
        if isinstance(name, str) and isinstance(version, str):
            out.pins.append(Pin("crates", name, version, folder, resolved=False))
    package, lib = _table(data, "package"), _table(data, "lib")
    crate = lib.get("name") if isinstance(lib.get("name"), str) else package.get("name")
    if isinstance(crate, str):
        evidence = Evidence(path, line_of(lines, r"^\s*name\s*="))
        out.crates.append(Declared(crate.replace("-", "_"), evidence))
    for table in (_table(data, "package"), _table(workspace, "package")):
        rust = table.get("rust-version")
        if isinstance(rust, str):
            evidence = Evidence(path, line_of(lines, r"^\s*rust-version\s*="))
            out.runtimes.append(RuntimeDecl("Rust", rust, evidence))
            break


def read_cargo_lock(path: str, text: str, out: Collector) -> None:
    """The resolved version of each crate locked at exactly one version."""
    data = read_toml(path, text, out)
    if data is None:
        return
    packages = data.get("package")
    if not isinstance(packages, list):
        out.warnings.append(f"{path}: skipped, not a Cargo lock file")
        return
    versions: dict[str, set[str]] = {}
    for package in packages:
        if isinstance(package, dict):
            name, version = package.get("name"), package.get("version")
            if isinstance(name, str) and isinstance(version, str):
                versions.setdefault(name, set()).add(version)
    folder = path.rpartition("/")[0]
    for name, found in sorted(versions.items()):
        if len(found) == 1:  # with two versions locked, which one a manifest means is unknown
            out.pins.append(Pin("crates", name, found.pop(), folder, resolved=True))


def read_toolchain(path: str, text: str, out: Collector) -> None:
    """``rust-toolchain.toml`` (``[toolchain] channel``), or the legacy ``rust-toolchain``
    file, which is either that TOML or the channel alone on its first line."""
    if path.endswith(".toml") or "[toolchain]" in text:
        data = read_toml(path, text, out)
        channel = _table(data, "toolchain").get("channel") if data is not None else None
        if isinstance(channel, str):
            evidence = Evidence(path, line_of(text.splitlines(), r"^\s*channel\s*="))
            out.runtimes.append(RuntimeDecl("Rust", channel, evidence))
        return
    value = text.strip().splitlines()[0].strip() if text.strip() else ""
    if value:
        out.runtimes.append(RuntimeDecl("Rust", value, Evidence(path, 1)))
