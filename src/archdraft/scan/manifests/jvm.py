"""Maven pom.xml (with parent, properties and dependencyManagement versions) and Gradle
build scripts (best effort) and version catalogs."""

from __future__ import annotations

import re
import sys

from archdraft.scan.manifests.model import Collector, Dependency, RuntimeDecl, line_of
from archdraft.scan.manifests.xmltree import Element as _Element
from archdraft.scan.manifests.xmltree import ExpatError
from archdraft.scan.manifests.xmltree import parse_xml as _parse_xml
from archdraft.scan.summary import Evidence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_JAVA_PROPERTIES = ("maven.compiler.release", "java.version", "maven.compiler.source",
                    "maven.compiler.target")  # fmt: skip
_PROPERTY = re.compile(r"\$\{([^}]+)\}")


def _child(element: _Element | None, name: str) -> _Element | None:
    if element is None:
        return None
    return next((c for c in element.children if c.tag == name), None)


def _text(element: _Element, name: str) -> str | None:
    child = _child(element, name)
    return child.text.strip() if child is not None and child.text.strip() else None


def read_pom(path: str, text: str, out: Collector) -> None:
    try:
        root = _parse_xml(text)
    except ExpatError as exc:
        # Only the position: never the offending text.
        out.warnings.append(f"{path}: skipped, not valid XML (line {exc.lineno})")
        return
    except ValueError as exc:
        out.warnings.append(f"{path}: skipped, {exc}")
        return

    def line(element: _Element) -> int | None:
        return element.line

    properties: dict[str, str] = {}
    props = _child(root, "properties")
    for prop in props if props is not None else []:
        if prop.text.strip():
            properties[prop.tag] = prop.text.strip()

    def resolve(value: str | None) -> str | None:
        if value is None:
            return None
        return _PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), value)

    parent = _child(root, "parent")
    if parent is not None and _text(parent, "groupId") and _text(parent, "artifactId"):
        name = f"{_text(parent, 'groupId')}:{_text(parent, 'artifactId')}"
        parent_line = line(_child(parent, "artifactId") or parent)
        out.dependencies.append(
            Dependency("maven", name, _text(parent, "version"), False, Evidence(path, parent_line))
        )
    managed: dict[str, str] = {}
    deps_block = _child(_child(root, "dependencyManagement"), "dependencies")
    managed_elements = list(deps_block) if deps_block is not None else []
    for dep in managed_elements:
        name = f"{_text(dep, 'groupId')}:{_text(dep, 'artifactId')}"
        version = resolve(_text(dep, "version"))
        if version:
            managed[name] = version
        if _text(dep, "scope") == "import":  # a BOM names the platform the project builds on
            bom_line = line(_child(dep, "artifactId") or dep)
            out.dependencies.append(
                Dependency("maven", name, version, False, Evidence(path, bom_line))
            )
    for dep in root.iter():
        if dep.tag not in {"dependency", "plugin"} or any(dep is m for m in managed_elements):
            continue
        artifact = _text(dep, "artifactId")
        if not artifact:
            continue
        default_group = "org.apache.maven.plugins" if dep.tag == "plugin" else ""
        name = f"{_text(dep, 'groupId') or default_group}:{artifact}"
        version = resolve(_text(dep, "version")) or managed.get(name)
        dev = _text(dep, "scope") == "test"
        # The artifactId line names the dependency; the <dependency> line names nothing.
        artifact_line = line(_child(dep, "artifactId") or dep)
        out.dependencies.append(
            Dependency("maven", name, version, dev, Evidence(path, artifact_line))
        )
        if artifact == "maven-compiler-plugin":
            for element in dep.iter():
                if element.tag in {"release", "source"} and element.text.strip():
                    version = resolve(element.text.strip())
                    if version and not version.startswith("${"):
                        evidence = Evidence(path, line(element))
                        out.runtimes.append(RuntimeDecl("Java", version, evidence))
                        break
    for key in _JAVA_PROPERTIES:
        java = _child(props, key)
        if java is not None and java.text.strip():
            value = resolve(java.text.strip())
            if value and not value.startswith("${"):
                out.runtimes.append(RuntimeDecl("Java", value, Evidence(path, line(java))))
                break


_GRADLE_DEPENDENCY = re.compile(
    r"""^\s*(?P<conf>\w+)\s*\(?\s*(?:platform\s*\(\s*)?["'](?P<group>[\w.\-]+):(?P<artifact>[\w.\-]+)(?::(?P<version>[^"':@]+))?"""
)
_GRADLE_PLUGIN = re.compile(
    r"""^\s*(?:id\s*\(?\s*["'](?P<id>[\w.\-]+)["']\s*\)?|(?P<kotlin>kotlin)\s*\(\s*["'][\w.\-]+["']\s*\)|(?P<core>java|checkstyle|pmd|jacoco)\b)(?:\s*version\s*\(?\s*["'](?P<version>[^"']+)["'])?"""
)
_GRADLE_JAVA = re.compile(
    r"""JavaLanguageVersion\.of\(\s*["']?(\d+)|JavaVersion\.VERSION_(\d+(?:_\d+)?)|(?:source|target)Compatibility\s*=\s*["']?(\d+(?:\.\d+)?)"""
)
_CORE_PLUGINS = {
    "checkstyle": "com.puppycrawl.tools:checkstyle",
    "pmd": "org.apache.maven.plugins:maven-pmd-plugin",
}
_DEPENDENCY_CONFIGURATIONS = re.compile(
    r"^(implementation|api|compile|compileOnly|runtimeOnly|annotationProcessor|kapt|developmentOnly|"
    r"test\w*|integrationTest\w*)$"
)


def read_gradle(path: str, text: str, out: Collector) -> None:
    """Best effort: literal ``group:artifact:version`` strings, plugin ids (as their plugin
    marker coordinates ``id:id.gradle.plugin``) and the Java toolchain version."""
    java_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        dependency = _GRADLE_DEPENDENCY.match(raw)
        if dependency and _DEPENDENCY_CONFIGURATIONS.match(dependency.group("conf")):
            name = f"{dependency.group('group')}:{dependency.group('artifact')}"
            dev = dependency.group("conf").lower().startswith(("test", "integrationtest"))
            out.dependencies.append(
                Dependency("maven", name, dependency.group("version"), dev, Evidence(path, number))
            )
            continue
        plugin = _GRADLE_PLUGIN.match(raw)
        if plugin and (plugin.group("id") or plugin.group("core") in _CORE_PLUGINS):
            plugin_id = plugin.group("id")
            name = (
                f"{plugin_id}:{plugin_id}.gradle.plugin"
                if plugin_id
                else _CORE_PLUGINS[plugin.group("core")]
            )
            out.dependencies.append(
                Dependency("maven", name, plugin.group("version"), False, Evidence(path, number))
            )
            continue
        java = _GRADLE_JAVA.search(raw)
        if java and not java_seen:
            version = next(g for g in java.groups() if g).replace("_", ".")
            out.runtimes.append(RuntimeDecl("Java", version, Evidence(path, number)))
            java_seen = True


def read_version_catalog(path: str, text: str, out: Collector) -> None:
    """``gradle/libs.versions.toml``: the libraries and plugins a Gradle build may use."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = str(exc).rsplit("(", 1)[-1].rstrip(")")
        out.warnings.append(f"{path}: skipped, not valid TOML ({where})")
        return
    lines = text.splitlines()
    versions = data.get("versions", {}) if isinstance(data.get("versions"), dict) else {}

    def version_of(spec: dict[str, object]) -> str | None:
        version = spec.get("version")
        if isinstance(version, str):
            return version
        if isinstance(version, dict) and isinstance(version.get("ref"), str):
            value = versions.get(version["ref"])
            return value if isinstance(value, str) else None
        ref = spec.get("version.ref")
        value = versions.get(ref) if isinstance(ref, str) else None
        return value if isinstance(value, str) else None

    for alias, spec in sorted((data.get("libraries") or {}).items()):
        if isinstance(spec, str):
            parts = spec.split(":")
            name, version = ":".join(parts[:2]), (parts[2] if len(parts) > 2 else None)
        elif isinstance(spec, dict):
            module = spec.get("module")
            if isinstance(module, str):
                name = module
            elif isinstance(spec.get("group"), str) and isinstance(spec.get("name"), str):
                name = f"{spec['group']}:{spec['name']}"
            else:
                continue
            version = version_of(spec)
        else:
            continue
        evidence = Evidence(path, line_of(lines, r"^\s*" + re.escape(alias) + r"\s*="))
        out.dependencies.append(Dependency("maven", name, version, False, evidence))
    for alias, spec in sorted((data.get("plugins") or {}).items()):
        plugin_id = (
            spec.get("id")
            if isinstance(spec, dict)
            else spec.split(":")[0]
            if isinstance(spec, str)
            else None
        )
        if isinstance(plugin_id, str):
            evidence = Evidence(path, line_of(lines, r"^\s*" + re.escape(alias) + r"\s*="))
            version = version_of(spec) if isinstance(spec, dict) else None
            out.dependencies.append(
                Dependency(
                    "maven", f"{plugin_id}:{plugin_id}.gradle.plugin", version, False, evidence
                )
            )


def is_gradle_catalog(path: str) -> bool:
    return path.endswith(".versions.toml")
