"""Dependency manifests, read with real parsers. Declared versions are kept exactly as
written; a manifest that cannot be parsed becomes a warning that never quotes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from archdraft import pathnames
from archdraft.repo import TextFile
from archdraft.scan.manifests import dotnet, go, jvm, node, php, python, ruby, rust
from archdraft.scan.manifests.model import (
    Collector,
    Declared,
    Dependency,
    Manifests,
    RuntimeDecl,
    Script,
    fill_versions,
)

__all__ = ["Declared", "Dependency", "Manifests", "RuntimeDecl", "Script", "declares_backend",
           "is_manifest", "read_manifests"]  # fmt: skip

_Reader = Callable[[str, str, Collector], None]
_BY_NAME: dict[str, _Reader] = {
    "package.json": node.read_package_json,
    "pnpm-workspace.yaml": node.read_pnpm_workspace,
    ".nvmrc": node.version_file,
    ".node-version": node.version_file,
    "pyproject.toml": python.read_pyproject,
    "Pipfile": python.read_pipfile,
    ".python-version": python.version_file,
    "runtime.txt": python.version_file,
    "go.mod": go.read_go_mod,
    "pom.xml": jvm.read_pom,
    "build.gradle": jvm.read_gradle,
    "build.gradle.kts": jvm.read_gradle,
    "Gemfile": ruby.read_gemfile,
    "gems.rb": ruby.read_gemfile,
    "Gemfile.lock": ruby.read_gemfile_lock,
    "gems.locked": ruby.read_gemfile_lock,
    ".ruby-version": ruby.version_file,
    "composer.json": php.read_composer_json,
    "composer.lock": php.read_composer_lock,
    "Directory.Build.props": dotnet.read_build_props,
    "Directory.Packages.props": dotnet.read_packages_props,
    "packages.lock.json": dotnet.read_packages_lock,
    "Cargo.toml": rust.read_cargo_toml,
    "Cargo.lock": rust.read_cargo_lock,
    "rust-toolchain.toml": rust.read_toolchain,
    "rust-toolchain": rust.read_toolchain,
}


def _reader_for(path: str) -> _Reader | None:
    name = pathnames.name(path)
    if name in _BY_NAME:
        return _BY_NAME[name]
    in_folder = "/requirements/" in f"/{path}"
    if (name.startswith("requirements") or in_folder) and name.endswith((".txt", ".in")):
        return python.read_requirements
    if jvm.is_gradle_catalog(path):
        return jvm.read_version_catalog
    if name.endswith((".csproj", ".fsproj")):
        return dotnet.read_project
    return None


def is_manifest(path: str) -> bool:
    return _reader_for(path) is not None


def declares_backend(path: str) -> bool:
    """A manifest that makes its folder a package of a backend language (pom.xml, go.mod,
    pyproject.toml, composer.json, Cargo.toml...), as a version file, a lock file or a
    version catalog does not. A package.json, a Gemfile or a *.csproj (Blazor WebAssembly
    runs in the browser) can be either side's: ``Manifests`` tells which."""
    reader = _reader_for(path)
    return reader is not None and reader not in {
        node.read_package_json, node.read_pnpm_workspace, node.version_file,
        python.version_file, jvm.read_version_catalog, ruby.read_gemfile,
        ruby.read_gemfile_lock, ruby.version_file, php.read_composer_lock,
        dotnet.read_project, dotnet.read_build_props, dotnet.read_packages_props,
        dotnet.read_packages_lock, rust.read_cargo_lock, rust.read_toolchain,
    }  # fmt: skip


def read_manifests(files: Iterable[TextFile]) -> Manifests:
    """Parse the manifests among ``files``, shallowest first, so that a root manifest's
    declaration is the one whose version is reported."""
    out = Collector()
    for file in sorted(files, key=lambda f: (f.path.count("/"), f.path)):
        reader = _reader_for(file.path)
        if reader is None:
            continue
        one = Collector()
        try:
            reader(file.path, file.text, one)
        except Exception as exc:  # JSON nested 100,000 deep, say: one file never fails a scan
            # The type only: a parser's message can quote the text.
            name = type(exc).__name__
            out.warnings.append(f"{file.path}: skipped, it could not be read ({name})")
            continue
        out.extend(one)
    return Manifests(
        dependencies=tuple(fill_versions(out.dependencies, out.pins)),
        scripts=tuple(out.scripts),
        bin_files=tuple(out.bin_files),
        runtimes=tuple(out.runtimes),
        module_types=tuple(out.module_types),
        tool_sections=tuple(out.tool_sections),
        workspaces=tuple(out.workspaces),
        frontend_folders=tuple(out.frontend_folders),
        backend_package_folders=tuple(out.backend_package_folders),
        crates=tuple(out.crates),
        warnings=tuple(out.warnings),
    )
