"""The technology stack: dependencies and marker files matched against the rules table,
plus the runtime and its declared version."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import PurePosixPath

from archdraft.scan.manifests import Declared, Manifests
from archdraft.scan.summary import Evidence, StackItem
from archdraft.scan.technologies import (
    BY_NAME,
    BY_PACKAGE,
    CATEGORIES,
    DEV_CATEGORIES,
    TECHNOLOGIES,
    Tech,
)

_MAX_EVIDENCE = 10


@dataclass(frozen=True)
class RuntimeHints:
    """What reveals a runtime besides manifests: version files and source counts."""

    node_files: tuple[Declared, ...]
    """``.nvmrc`` and ``.node-version`` contents."""
    python_files: tuple[Declared, ...]
    """``.python-version`` and ``runtime.txt`` contents."""
    first_js: str | None
    first_py: str | None
    node_manifest: str | None
    python_manifest: str | None


class _Found:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple[str | None, set[Evidence]]] = {}

    def add(self, tech: Tech, version: str | None, evidence: Evidence) -> None:
        key = (tech.category, tech.name)
        old_version, evidences = self.items.get(key, (None, set()))
        evidences.add(evidence)
        self.items[key] = (old_version if old_version is not None else version, evidences)

    def add_named(self, category: str, name: str, version: str | None, evidence: Evidence) -> None:
        self.add(Tech(name, category), version, evidence)


def _matches(pattern: str, path: str) -> bool:
    if "/" in pattern:
        return fnmatch.fnmatchcase(path, pattern)
    return fnmatch.fnmatchcase(PurePosixPath(path).name, pattern)


def _runtime(found: _Found, manifests: Manifests, hints: RuntimeHints) -> None:
    node_declared = manifests.node_versions + hints.node_files
    if node_declared or hints.node_manifest or hints.first_js:
        first = node_declared[0] if node_declared else None
        evidence = (
            first.evidence if first else Evidence(hints.node_manifest or hints.first_js or "")
        )
        found.add_named("runtime", "Node.js", first.value if first else None, evidence)
    py_declared = manifests.python_versions + hints.python_files
    if py_declared or hints.python_manifest or hints.first_py:
        first = py_declared[0] if py_declared else None
        evidence = (
            first.evidence if first else Evidence(hints.python_manifest or hints.first_py or "")
        )
        found.add_named("runtime", "Python", first.value if first else None, evidence)


def build_stack(
    manifests: Manifests, paths: tuple[str, ...], hints: RuntimeHints
) -> tuple[StackItem, ...]:
    found = _Found()
    _runtime(found, manifests, hints)
    for dep in manifests.dependencies:
        for tech in BY_PACKAGE[dep.ecosystem].get(dep.name.lower(), ()):
            if dep.dev and tech.category not in DEV_CATEGORIES:
                continue
            found.add(tech, None if tech.server else dep.version, dep.evidence)
            for implied in tech.implies:
                found.add(BY_NAME[implied], None, dep.evidence)
    for section in manifests.tool_sections:
        for tech in BY_PACKAGE["pypi"].get(section.value.lower(), ()):
            if tech.category in DEV_CATEGORIES or tech.category == "formatting":
                found.add(tech, None, section.evidence)
    marker_techs = [t for t in TECHNOLOGIES if t.files]
    for path in paths:
        for tech in marker_techs:
            if any(_matches(pattern, path) for pattern in tech.files):
                found.add(tech, None, Evidence(path, None))
    order = {category: index for index, category in enumerate(CATEGORIES)}
    items = [
        StackItem(
            category, name, version, tuple(sorted(evidence, key=_evidence_key))[:_MAX_EVIDENCE]
        )
        for (category, name), (version, evidence) in found.items.items()
    ]
    return tuple(sorted(items, key=lambda i: (order.get(i.category, 99), i.name.lower(), i.name)))


def _evidence_key(evidence: Evidence) -> tuple[int, str, int]:
    # Root manifests first: they are the most telling place to cite.
    return (evidence.path.count("/"), evidence.path, evidence.line or 0)
