"""package.json (BOM tolerated) and pnpm-workspace.yaml."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

import yaml

from archdraft.scan.manifests.model import (
    Collector,
    Declared,
    Dependency,
    RuntimeDecl,
    Script,
    line_of,
)
from archdraft.scan.summary import Evidence

_SECTIONS = (
    ("dependencies", False),
    ("peerDependencies", False),
    ("optionalDependencies", False),
    ("devDependencies", True),
)
# A package.json with one of these and no backend framework is a frontend's.
FRONTEND_PACKAGES = frozenset({
    "react", "react-dom", "vue", "@angular/core", "svelte", "@sveltejs/kit", "solid-js",
    "preact", "nuxt", "@remix-run/react", "astro", "@docusaurus/core", "vitepress", "gatsby",
    # libraries that only run in a browser: a server-rendered app's asset package
    "bootstrap", "htmx.org", "jquery", "alpinejs", "@hotwired/turbo", "@hotwired/stimulus",
    "@tabler/core", "bulma", "tailwindcss",
})  # fmt: skip
# The folder a server serves files from (Django's static/ or project-static/, Rails'
# assets/, ASP.NET's wwwroot/): a package.json there builds what browsers load.
_ASSET_FOLDER = re.compile(r"(^|[-_.])(static|assets|wwwroot|public)([-_.]|$)", re.I)
_DESKTOP_PACKAGES = frozenset({"electron", "@electron-forge/cli", "electron-builder"})
BACKEND_PACKAGES = frozenset({
    "express", "fastify", "koa", "@nestjs/core", "hono", "@hapi/hapi", "restify",
    "@adonisjs/core", "@feathersjs/feathers", "@loopback/core", "sails", "elysia",
    "apollo-server", "@apollo/server", "@trpc/server",
})  # fmt: skip


def _key_line(lines: list[str], key: str, start: int = 0) -> int | None:
    return line_of(lines, r'"' + re.escape(key) + r'"\s*:', start)


def read_package_json(path: str, text: str, out: Collector) -> None:
    try:
        data = json.loads(text.removeprefix("\ufeff"))
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
    names: set[str] = set()
    for section, dev in _SECTIONS:
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        section_line = _key_line(lines, section) or 1
        for name, version in sorted(deps.items()):
            names.add(name)
            line = _key_line(lines, name, section_line - 1) or section_line
            written = version if isinstance(version, str) else None
            out.dependencies.append(Dependency("npm", name, written, dev, Evidence(path, line)))
    folder = PurePosixPath(path).parent
    if names & _DESKTOP_PACKAGES:
        # an Electron app serves its own window, whatever server library it bundles
        out.frontend_folders.append(str(folder))
    elif names & BACKEND_PACKAGES:
        out.backend_package_folders.append(str(folder))
    elif names & FRONTEND_PACKAGES or _ASSET_FOLDER.search(folder.name):
        out.frontend_folders.append(str(folder))
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        base = _key_line(lines, "scripts") or 1
        for name, command in sorted(scripts.items()):
            if isinstance(command, str):
                line = _key_line(lines, name, base - 1) or base
                out.scripts.append(Script(name, command, Evidence(path, line)))
    bins = data.get("bin")
    targets = bins.values() if isinstance(bins, dict) else [bins] if bins else []
    for target in targets:
        if isinstance(target, str):
            out.bin_files.append(
                Declared(str(folder / target), Evidence(path, _key_line(lines, "bin")))
            )
    engines = data.get("engines")
    if isinstance(engines, dict) and isinstance(engines.get("node"), str):
        base = _key_line(lines, "engines") or 1
        evidence = Evidence(path, _key_line(lines, "node", base - 1))
        out.runtimes.append(RuntimeDecl("Node.js", engines["node"], evidence))
    if isinstance(data.get("type"), str):
        out.module_types.append(Declared(data["type"], Evidence(path, _key_line(lines, "type"))))
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):  # yarn's {"packages": [...]}
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        workspaces_line = _key_line(lines, "workspaces")
        for glob in workspaces:
            if isinstance(glob, str):
                out.workspaces.append(Declared(glob, Evidence(path, workspaces_line)))


def read_pnpm_workspace(path: str, text: str, out: Collector) -> None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # YAML errors quote the source; report the position only.
        where = f" (line {mark.line + 1})" if mark is not None else ""
        out.warnings.append(f"{path}: skipped, not valid YAML{where}")
        return
    packages = data.get("packages") if isinstance(data, dict) else None
    lines = text.splitlines()
    for glob in packages if isinstance(packages, list) else []:
        if isinstance(glob, str):
            out.workspaces.append(Declared(glob, Evidence(path, line_of(lines, re.escape(glob)))))


def version_file(path: str, text: str, out: Collector) -> None:
    """``.nvmrc`` and ``.node-version``: the first line is the version."""
    value = text.strip().splitlines()[0].strip() if text.strip() else ""
    if value:
        out.runtimes.append(RuntimeDecl("Node.js", value, Evidence(path, 1)))
