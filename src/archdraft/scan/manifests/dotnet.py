"""MSBuild projects (``*.csproj``, ``*.fsproj``, ``Directory.Build.props``), central package
versions (``Directory.Packages.props``) and NuGet lock files (``packages.lock.json``).

Only what the files say literally is read: ``$(Property)`` references are resolved from the
same file's properties, and no import, SDK or restore is ever followed."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from archdraft.scan.manifests.model import Collector, Dependency, Pin, RuntimeDecl
from archdraft.scan.manifests.xmltree import Element, ExpatError, parse_xml
from archdraft.scan.summary import Evidence

_PROPERTY = re.compile(r"\$\(([\w.]+)\)")
# Packages only test projects reference: every package of such a project is for its tests.
_TEST_PACKAGES = frozenset({"microsoft.net.test.sdk", "xunit", "xunit.v3", "nunit", "mstest",
                            "mstest.testframework"})  # fmt: skip
_NET = re.compile(r"^net(?:coreapp)?(\d+\.\d+)")
_NET_FRAMEWORK = re.compile(r"^net(\d)(\d)(\d?)$")
_BROWSER_SDKS = frozenset({"microsoft.net.sdk.blazorwebassembly"})


def _parse(path: str, text: str, out: Collector) -> Element | None:
    try:
        root = parse_xml(text)
    except ExpatError as exc:
        # Only the position: never the offending text.
        out.warnings.append(f"{path}: skipped, not valid XML (line {exc.lineno})")
        return None
    except ValueError as exc:
        out.warnings.append(f"{path}: skipped, {exc}")
        return None
    if root.tag != "Project":
        out.warnings.append(f"{path}: skipped, not an MSBuild project")
        return None
    return root


def _value(element: Element, name: str) -> str | None:
    """An item's metadata, as an attribute (``Version="1.0"``) or a child element."""
    if name in element.attrs:
        return element.attrs[name].strip() or None
    child = next((c for c in element.children if c.tag == name), None)
    return child.text.strip() or None if child is not None else None


def _runtime(framework: str) -> tuple[str, str] | None:
    """``net8.0`` -> (.NET, 8.0); ``netcoreapp3.1`` -> (.NET, 3.1); ``net48`` -> (.NET
    Framework, 4.8). ``netstandard2.0`` is a library contract, not a runtime."""
    framework = framework.strip().lower()
    if match := _NET.match(framework):
        return ".NET", match.group(1)
    if match := _NET_FRAMEWORK.match(framework):
        return ".NET Framework", ".".join(g for g in match.groups() if g)
    if framework.startswith("v4"):  # <TargetFrameworkVersion>v4.7.2 of old-style projects
        return ".NET Framework", framework[1:]
    return None


def _sdks(root: Element) -> list[tuple[str, str | None, int]]:
    """(name, version, line) of the project's SDKs: ``<Project Sdk="...">``, ``<Sdk
    Name=...>`` and ``<Import Sdk=...>``. A versioned one is written ``Name/1.2.3``."""
    found: list[tuple[str, str | None, int]] = []
    for element in root.iter():
        if element is root or element.tag == "Import":
            spec = element.attrs.get("Sdk", "")
        elif element.tag == "Sdk":
            name = element.attrs.get("Name", "")
            version = element.attrs.get("Version")
            spec = f"{name}/{version}" if name and version else name
        else:
            continue
        for entry in spec.split(";"):
            name, _, version = entry.strip().partition("/")
            if name:
                found.append((name, version or None, element.line))
    return found


class _Properties:
    """A file's ``<PropertyGroup>`` values (the first of each), for ``$(Name)`` references."""

    def __init__(self, root: Element) -> None:
        self.values: dict[str, tuple[str, int]] = {}
        for group in root:
            if group.tag == "PropertyGroup":
                for prop in group:
                    if prop.text.strip():
                        self.values.setdefault(prop.tag, (prop.text.strip(), prop.line))

    def resolve(self, value: str | None) -> str | None:
        """``value`` with its references replaced; None where one is not defined here."""
        if value is None:
            return None
        value = _PROPERTY.sub(lambda m: self.values.get(m.group(1), (m.group(0), 0))[0], value)
        return None if "$(" in value else value

    def runtimes(self, path: str, out: Collector) -> None:
        for key in ("TargetFramework", "TargetFrameworks", "TargetFrameworkVersion"):
            if key not in self.values:
                continue
            value, line = self.values[key]
            # net48;net8.0 targets both runtimes: the first version of each
            first: dict[str, str] = {}
            for framework in (self.resolve(value) or "").split(";"):
                if runtime := _runtime(framework):
                    first.setdefault(*runtime)
            for name, version in first.items():
                out.runtimes.append(RuntimeDecl(name, version, Evidence(path, line)))
            if first:
                return


def read_project(path: str, text: str, out: Collector) -> None:
    _read_project(path, text, out, own_folder=True)


def _read_project(path: str, text: str, out: Collector, *, own_folder: bool) -> None:
    root = _parse(path, text, out)
    if root is None:
        return
    properties = _Properties(root)
    resolve = properties.resolve
    references: list[tuple[str, str | None, bool, int]] = []
    for item in root.iter():
        name = item.attrs.get("Include", "").strip()
        if item.tag not in {"PackageReference", "FrameworkReference"} or not name:
            continue
        version = resolve(_value(item, "Version") or _value(item, "VersionOverride"))
        # PrivateAssets="all": an analyzer or build tool, not shipped with the app
        private = (_value(item, "PrivateAssets") or "").lower() == "all"
        references.append((name, version, private, item.line))
    is_test = (properties.values.get("IsTestProject", ("",))[0].lower() == "true") or any(
        name.lower() in _TEST_PACKAGES for name, _v, _p, _l in references
    )
    sdks = _sdks(root)
    if own_folder:
        # A Blazor WebAssembly project runs in the browser: its folder is a frontend's.
        browser = any(name.lower() in _BROWSER_SDKS for name, _v, _l in sdks)
        folder = str(PurePosixPath(path).parent)
        (out.frontend_folders if browser else out.backend_package_folders).append(folder)
    for name, version, line in sdks:
        # An MSBuild SDK is resolved like a package, and Microsoft.NET.Sdk.Web is how an
        # ASP.NET Core app says what it is.
        out.dependencies.append(Dependency("nuget", name, version, is_test, Evidence(path, line)))
    for name, version, private, line in references:
        out.dependencies.append(
            Dependency("nuget", name, version, is_test or private, Evidence(path, line))
        )
    properties.runtimes(path, out)


def read_packages_props(path: str, text: str, out: Collector) -> None:
    """Central package management: ``PackageVersion`` gives versions to the projects below,
    and a ``GlobalPackageReference`` (an analyzer, as a rule) is referenced by all of them."""
    root = _parse(path, text, out)
    if root is None:
        return
    folder = path.rpartition("/")[0]
    properties = _Properties(root)
    properties.runtimes(path, out)  # imported by every project, as Directory.Build.props is
    for item in root.iter():
        name = item.attrs.get("Include", "").strip()
        version = properties.resolve(_value(item, "Version"))
        if item.tag == "PackageVersion" and name and version:
            out.pins.append(Pin("nuget", name, version, folder, resolved=False))
        elif item.tag == "GlobalPackageReference" and name:
            out.dependencies.append(
                Dependency("nuget", name, version, True, Evidence(path, item.line))
            )


def read_build_props(path: str, text: str, out: Collector) -> None:
    """``Directory.Build.props``: properties and package references every project below
    shares. Read as a project, but it makes no folder a project of its own."""
    _read_project(path, text, out, own_folder=False)


def read_packages_lock(path: str, text: str, out: Collector) -> None:
    """``packages.lock.json``: the resolved version of each package, per target framework."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        out.warnings.append(
            f"{path}: skipped, not valid JSON (line {exc.lineno}, column {exc.colno})"
        )
        return
    frameworks = data.get("dependencies") if isinstance(data, dict) else None
    if not isinstance(frameworks, dict):
        out.warnings.append(f"{path}: skipped, not a NuGet lock file")
        return
    folder = path.rpartition("/")[0]
    for _framework, packages in sorted(frameworks.items()):
        for name, entry in sorted(packages.items()) if isinstance(packages, dict) else []:
            resolved = entry.get("resolved") if isinstance(entry, dict) else None
            if isinstance(resolved, str):
                out.pins.append(Pin("nuget", name, resolved, folder, resolved=True))
