"""The technology stack: dependencies, marker files, container images, tool commands and
environment prefixes matched against the rules table, plus runtimes and their versions."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass

from archdraft import pathnames
from archdraft.pathnames import GlobSet
from archdraft.scan.deploy import Image
from archdraft.scan.languages import language_of
from archdraft.scan.manifests import Manifests
from archdraft.scan.summary import EnvVar, Evidence, StackItem
from archdraft.scan.technologies import (
    BY_NAME,
    CATEGORIES,
    DEV_CATEGORIES,
    TECHNOLOGIES,
    Tech,
    crate_key,
    lookup,
    lookup_image,
)

_MAX_EVIDENCE = 10
# Which source languages mean which runtime, and the manifests that name it.
_RUNTIMES = {
    "Node.js": (("JavaScript", "TypeScript"), ("package.json",)),
    "Python": (("Python",), ("pyproject.toml", "requirements.txt", "Pipfile", "setup.py")),
    "Go": (("Go",), ("go.mod",)),
    "Java": (("Java", "Kotlin"), ("pom.xml", "build.gradle", "build.gradle.kts")),
    "Ruby": (("Ruby",), ("Gemfile", "gems.rb")),
    "PHP": (("PHP",), ("composer.json",)),
    ".NET": (("C#", "F#"), ("*.csproj", "*.fsproj")),
    ".NET Framework": (("C#", "F#"), ()),
    "Rust": (("Rust",), ("Cargo.toml",)),
}
_MANIFEST_NAMES = {runtime: GlobSet(names) for runtime, (_langs, names) in _RUNTIMES.items()}
# Runtimes of languages no code reader covers yet: their sources are seen by path. Each needs
# a backend source file of its language, even when declared: a React Native app's Gemfile
# declares the Ruby of CocoaPods, not of a backend.
_BY_PATH = frozenset({"Ruby", "PHP", ".NET", ".NET Framework", "Rust"})
# Only a project that targets it (net48) names the old framework; .NET is the default, but
# not beside a declared .NET Framework and no declared .NET.
_DECLARED_ONLY = frozenset({".NET Framework"})
_DEFAULT_UNLESS = {".NET": ".NET Framework"}
_RUNTIME_IMAGES = (
    (re.compile(r"^(?:.*/)?node$"), "Node.js"),
    (re.compile(r"^(?:.*/)?(?:python|pypy)$"), "Python"),
    (re.compile(r"^(?:.*/)?golang$"), "Go"),
    (re.compile(r"^(?:.*/)?(?:eclipse-temurin|openjdk|amazoncorretto|ibmjava|ibm-semeru-runtimes|"
                r"sapmachine|azul/zulu-openjdk.*|bellsoft/liberica.*|maven|gradle)$"), "Java"),
    (re.compile(r"^(?:.*/)?(?:ruby|jruby)$"), "Ruby"),
    (re.compile(r"^(?:.*/)?php(?:-fpm)?$"), "PHP"),
    (re.compile(r"^mcr\.microsoft\.com/dotnet/(?:core/)?(?:aspnet|sdk|runtime(?:-deps)?)$"),
     ".NET"),
    (re.compile(r"^(?:.*/)?rust$"), "Rust"),
)  # fmt: skip
_VERSION_FILES = frozenset({".nvmrc", ".node-version", ".python-version", "runtime.txt",
                            ".ruby-version", "rust-toolchain", "rust-toolchain.toml"})  # fmt: skip
_JAVA_TAG = re.compile(r"(?:jdk|jre|temurin|openjdk|corretto|java)-?(\d+)")


@dataclass(frozen=True)
class StackInputs:
    manifests: Manifests
    paths: tuple[str, ...]
    """Every listed file of the repository."""
    images: tuple[Image, ...]
    """Service images (compose) and base images of non-runtime Dockerfiles."""
    base_images: tuple[Image, ...]
    mentions: tuple[tuple[Tech, Evidence], ...]
    """Technologies named outright: tools run by CI or hooks, a Prisma schema's database."""
    env_vars: tuple[EnvVar, ...]
    languages: frozenset[str]
    """Languages with source files in the backend part of the repository."""
    first_source: tuple[tuple[str, str], ...]
    """(language, first backend source file) pairs, for runtime evidence."""
    is_backend: Callable[[str], bool]


class _Found:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], tuple[str | None, set[Evidence]]] = {}

    def add(self, tech: Tech, version: str | None, evidence: Evidence) -> None:
        key = (tech.category, tech.name)
        old_version, evidences = self.items.get(key, (None, set()))
        evidences.add(evidence)
        self.items[key] = (old_version if old_version is not None else version, evidences)


_MARKERS = tuple((tech, GlobSet(tech.files)) for tech in TECHNOLOGIES if tech.files)
_ANY_MARKER = GlobSet(pattern for tech in TECHNOLOGIES for pattern in tech.files)
_BY_ENV_PREFIX: dict[str, list[Tech]] = {}
for _tech in TECHNOLOGIES:
    for _prefix in _tech.env:
        _BY_ENV_PREFIX.setdefault(_prefix, []).append(_tech)
_ENV_PREFIXES = re.compile(
    "|".join(re.escape(p) for p in sorted(_BY_ENV_PREFIX, key=len, reverse=True))
)
_NEEDS = {tech.name: GlobSet(tech.needs) for tech in TECHNOLOGIES if tech.needs}


# Packages that are a web framework or an HTTP client: beside another framework, the client.
_DUAL_USE = {"aiohttp": "http_client"}


def _client_when_served_otherwise(found: _Found) -> None:
    frameworks = {name for category, name in found.items if category == "framework"}
    for name, category in _DUAL_USE.items():
        if name in frameworks and frameworks - set(_DUAL_USE):
            found.items[(category, name)] = found.items.pop(("framework", name))


def runtime_of_image(reference: str) -> tuple[str, str | None] | None:
    """``node:20-alpine`` -> (Node.js, 20): the tag's variant suffix is dropped."""
    ref = reference.split("@")[0]
    name, tag = ref.rsplit(":", 1) if ":" in ref.rsplit("/", 1)[-1] else (ref, "")
    name = name.lower().removeprefix("docker.io/").removeprefix("library/")
    for pattern, runtime in _RUNTIME_IMAGES:
        if not pattern.match(name):
            continue
        if runtime == "Java":
            # maven:3.9-eclipse-temurin-21 names Maven's version first, Java's after
            java = _JAVA_TAG.search(tag)
            if java is None and name.rsplit("/", 1)[-1] not in {"maven", "gradle"}:
                java = re.match(r"(\d+)", tag)
            return runtime, java.group(1) if java else None
        version = re.match(r"v?(\d+(?:\.\d+)*)", tag)
        return runtime, version.group(1) if version else None
    return None


def _sources_by_path(inputs: StackInputs) -> dict[str, str]:
    """The shallowest backend source file of each language of the ``_BY_PATH`` runtimes."""
    wanted = {lang for runtime in _BY_PATH for lang in _RUNTIMES[runtime][0]}
    candidates: dict[str, list[str]] = {}
    for path in inputs.paths:
        language = language_of(path)
        if language in wanted:
            candidates.setdefault(language, []).append(path)
    first: dict[str, str] = {}
    for language, paths in candidates.items():
        source = next((p for p in sorted(paths, key=_depth) if inputs.is_backend(p)), None)
        if source is not None:
            first[language] = source
    return first


def _runtimes(found: _Found, inputs: StackInputs) -> None:
    images = [(runtime_of_image(i.reference), i) for i in inputs.base_images]
    by_path = _sources_by_path(inputs)
    first_source = {**by_path, **dict(inputs.first_source)}
    for runtime, (languages, _names) in _RUNTIMES.items():
        declared = sorted(
            (d for d in inputs.manifests.runtimes
             if d.runtime == runtime and inputs.is_backend(d.evidence.path)),
            # A manifest's declaration is the contract; version files pin one developer's choice.
            key=lambda d: pathnames.name(d.evidence.path) in _VERSION_FILES,
        )  # fmt: skip
        from_images = [(r[1], i.evidence) for r, i in images if r and r[0] == runtime]
        present = [lang for lang in languages if lang in inputs.languages]
        if runtime in _BY_PATH:
            present = [lang for lang in languages if lang in inputs.languages or lang in by_path]
            other = _DEFAULT_UNLESS.get(runtime)
            other_declared = any(
                d.runtime == other and inputs.is_backend(d.evidence.path)
                for d in inputs.manifests.runtimes
            )
            if (
                not present
                or (runtime in _DECLARED_ONLY and not declared)
                or (not declared and other_declared)
            ):
                continue
        if not present:
            # .nvmrc beside a Python backend pins the frontend's build tools, not the backend
            declared = [
                d for d in declared if pathnames.name(d.evidence.path) not in _VERSION_FILES
            ]
        if not (declared or present):
            continue
        if declared:
            found.add(Tech(runtime, "runtime"), declared[0].version, declared[0].evidence)
        elif from_images:
            found.add(Tech(runtime, "runtime"), from_images[0][0], from_images[0][1])
        elif manifests := [
            p for p in inputs.paths
            if _MANIFEST_NAMES[runtime].match(p) and inputs.is_backend(p)
        ]:  # fmt: skip
            found.add(Tech(runtime, "runtime"), None, Evidence(sorted(manifests, key=_depth)[0]))
        else:
            found.add(Tech(runtime, "runtime"), None, Evidence(first_source[present[0]]))


def _is_primary(tech: Tech, ecosystem: str, package: str) -> bool:
    """Whether ``package`` is the technology itself rather than a plugin or wrapper of it."""
    packages: tuple[str, ...] = getattr(tech, ecosystem)
    if not packages:
        return False
    first = packages[0].lower()
    if ecosystem in {"maven", "nuget"}:
        return fnmatch.fnmatchcase(package.lower(), first)
    if ecosystem == "go":
        return True  # Go rows list the module's own paths (old and new), not wrappers
    if ecosystem == "crates":
        return crate_key(package) == crate_key(first)
    return package.lower() == first


def _depth(path: str) -> tuple[int, str]:
    return (path.count("/"), path)


def build_stack(inputs: StackInputs) -> tuple[StackItem, ...]:
    found = _Found()
    _runtimes(found, inputs)
    present_paths = inputs.paths
    for dep in inputs.manifests.dependencies:
        if not inputs.is_backend(dep.evidence.path):
            continue
        for tech in lookup(dep.ecosystem, dep.name):
            if dep.dev and tech.category not in DEV_CATEGORIES:
                continue
            if tech.needs and not any(_NEEDS[tech.name].match(path) for path in present_paths):
                continue
            # A wrapper's version (@nestjs/typeorm) is not the technology's (typeorm).
            primary = _is_primary(tech, dep.ecosystem, dep.name)
            version = dep.version if primary and not tech.server else None
            found.add(tech, version, dep.evidence)
            for implied in tech.implies:
                found.add(BY_NAME[implied], None, dep.evidence)
    for section in inputs.manifests.tool_sections:
        for tech in lookup("pypi", section.value):
            if tech.category in DEV_CATEGORIES or tech.category == "formatting":
                found.add(tech, None, section.evidence)
    for image in inputs.images:
        for tech in lookup_image(image.reference):
            found.add(tech, None, image.evidence)
    for tech, evidence in inputs.mentions:
        found.add(tech, None, evidence)
    for var in inputs.env_vars:
        prefix = _ENV_PREFIXES.match(var.name)
        code = [e for e in var.evidence if inputs.is_backend(e.path)] if prefix else []
        if prefix and code:
            for tech in _BY_ENV_PREFIX[prefix.group(0)]:
                found.add(tech, None, code[0])
    for path in present_paths:
        if _ANY_MARKER.match(path) and inputs.is_backend(path):
            for tech, markers in _MARKERS:
                if markers.match(path):
                    found.add(tech, None, Evidence(path, None))
    _client_when_served_otherwise(found)
    order = {category: index for index, category in enumerate(CATEGORIES)}
    items = [
        StackItem(
            category, name, version, tuple(sorted(evidence, key=_evidence_key))[:_MAX_EVIDENCE]
        )
        for (category, name), (version, evidence) in found.items.items()
    ]
    return tuple(sorted(items, key=lambda i: (order.get(i.category, 99), i.name.lower(), i.name)))


def _evidence_key(evidence: Evidence) -> tuple[int, int, str, int]:
    # Declarations with a line in root manifests first: they are the most telling to cite.
    return (evidence.line is None, evidence.path.count("/"), evidence.path, evidence.line or 0)
