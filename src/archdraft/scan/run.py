"""One pass over the repository's files: each file is read at most once and handed to
the extractors that want it; their findings are merged into the summary."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from archdraft.repo import RepoTree, TextFile, env_template_names, is_env_template, read_text
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.js_code import extract_js, is_js_or_ts
from archdraft.scan.languages import count_lines, language_of
from archdraft.scan.manifests import Declared, is_manifest, read_manifests
from archdraft.scan.python_code import extract_python
from archdraft.scan.stack import RuntimeHints, build_stack
from archdraft.scan.summary import (
    Entrypoint,
    EnvVar,
    ErrorFact,
    Evidence,
    Language,
    RepoInfo,
    RepoSummary,
)
from archdraft.scan.tests_layout import is_test_path, test_locations

_VERSION_FILES = {
    ".nvmrc": "node",
    ".node-version": "node",
    ".python-version": "python",
    "runtime.txt": "python",
}
_MAX_EVIDENCE = 10
_ENTRY_RANK = {"server": 0, "worker": 1, "function": 2, "cli": 3}
# Generated bundles are not the project's source; parsing them only costs time.
_MINIFIED_LINE = 1000


@dataclass
class _Pass:
    languages: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    manifests: list[TextFile] = field(default_factory=list)
    version_files: list[Declared] = field(default_factory=list)
    code: list[CodeFacts] = field(default_factory=list)
    env_templates: list[Found] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    first_js: str | None = None
    first_py: str | None = None


def _wanted(path: str) -> bool:
    name = PurePosixPath(path).name
    return (
        language_of(path) is not None
        or is_manifest(path)
        or name in _VERSION_FILES
        or is_env_template(path)
    )


def _looks_minified(text: TextFile) -> bool:
    return PurePosixPath(text.path).name.endswith((".min.js", ".bundle.js")) or (
        len(text.text) > 20 * _MINIFIED_LINE
        and len(text.text) / max(1, text.text.count("\n")) > _MINIFIED_LINE
    )


def _read_all(tree: RepoTree) -> _Pass:
    state = _Pass()
    for entry in tree.files:
        path = entry.path
        if not _wanted(path):
            continue
        if is_env_template(path):
            state.env_templates.extend(
                Found(name, "template", Evidence(path, line))
                for name, line in env_template_names(tree, path)
            )
            continue
        text = read_text(tree, path)
        if text is None:
            continue
        if text.warning:
            state.warnings.append(text.warning)
            if not text.text:
                continue
        language = language_of(path)
        if language:
            counts = state.languages[language]
            counts[0] += 1
            counts[1] += count_lines(text.text)
        name = PurePosixPath(path).name
        if is_manifest(path):
            state.manifests.append(text)
        elif name in _VERSION_FILES:
            value = text.text.strip().splitlines()[0].strip() if text.text.strip() else ""
            if value:
                state.version_files.append(
                    Declared(f"{_VERSION_FILES[name]}:{value}", Evidence(path, 1))
                )
        if is_test_path(path):
            continue
        if path.endswith((".py", ".pyi")) and not path.endswith(".pyi"):
            state.first_py = state.first_py or path
            state.code.append(extract_python(path, text.text))
        elif is_js_or_ts(path):
            state.first_js = state.first_js or path
            if _looks_minified(text):
                continue
            state.code.append(extract_js(path, text.text))
    return state


def _env_vars(state: _Pass) -> tuple[EnvVar, ...]:
    by_name: dict[str, set[Evidence]] = defaultdict(set)
    for facts in state.code:
        for found in facts.env_vars:
            if found.name.replace("_", "a").isalnum():
                by_name[found.name].add(found.evidence)
    for found in state.env_templates:
        by_name[found.name].add(found.evidence)
    return tuple(
        EnvVar(name, tuple(sorted(evidence, key=_ev_key))[:_MAX_EVIDENCE])
        for name, evidence in sorted(by_name.items())
    )


def _ev_key(evidence: Evidence) -> tuple[bool, str, int]:
    # Code first: a .env template only shows a name is expected, code shows it is read.
    return (is_env_template(evidence.path), evidence.path, evidence.line or 0)


def _entrypoints(state: _Pass, scripts_cli: list[Found]) -> tuple[Entrypoint, ...]:
    best: dict[str, Found] = {}
    for found in [f for facts in state.code for f in facts.entrypoints] + scripts_cli:
        path = found.evidence.path
        old = best.get(path)
        if old is None or (_ENTRY_RANK[found.kind], found.evidence.line or 0) < (
            _ENTRY_RANK[old.kind],
            old.evidence.line or 0,
        ):
            best[path] = found
    return tuple(
        Entrypoint(path, found.evidence.line, found.kind, (found.evidence,))
        for path, found in sorted(best.items())
    )


def _errors(state: _Pass) -> tuple[ErrorFact, ...]:
    merged: dict[tuple[str, str], set[Evidence]] = defaultdict(set)
    for facts in state.code:
        for found in facts.errors:
            merged[(found.kind, found.name)].add(found.evidence)
    return tuple(
        ErrorFact(name, kind, tuple(sorted(evidence, key=_ev_key))[:_MAX_EVIDENCE])
        for (kind, name), evidence in sorted(merged.items())
    )


def _module_system(state: _Pass, declared: tuple[Declared, ...]) -> str | None:
    syntaxes = {facts.module_syntax for facts in state.code if facts.module_syntax}
    if ("esm" in syntaxes and "commonjs" in syntaxes) or "both" in syntaxes:
        return "both"
    types = {d.value for d in declared}
    if "module" in types and "commonjs" in syntaxes:
        return "both"
    if syntaxes:
        return syntaxes.pop()
    if types:
        return "esm" if types == {"module"} else "commonjs" if types == {"commonjs"} else "both"
    return None


def _script_entries(tree: RepoTree, scripts: tuple[Found, ...]) -> list[Found]:
    """Python console scripts (``pkg.cli:main``) resolved to the module file they run."""
    paths = set(tree.paths())
    found = []
    for script in scripts:
        module = script.name.split(":")[0].strip()
        if not module or " " in module:
            continue
        rel = module.replace(".", "/")
        for candidate in (
            f"{rel}.py",
            f"src/{rel}.py",
            f"{rel}/__main__.py",
            f"src/{rel}/__main__.py",
        ):
            if candidate in paths:
                found.append(Found(script.name, "cli", Evidence(candidate, None)))
                break
    return found


def scan(tree: RepoTree) -> RepoSummary:
    state = _read_all(tree)
    manifests = read_manifests(state.manifests)
    hints = RuntimeHints(
        node_files=tuple(
            Declared(d.value.split(":", 1)[1], d.evidence)
            for d in state.version_files
            if d.value.startswith("node:")
        ),
        python_files=tuple(
            Declared(d.value.split(":", 1)[1], d.evidence)
            for d in state.version_files
            if d.value.startswith("python:")
        ),
        first_js=state.first_js,
        first_py=state.first_py,
        node_manifest=next(
            (m.path for m in state.manifests if m.path.endswith("package.json")), None
        ),
        python_manifest=next(
            (m.path for m in state.manifests if not m.path.endswith("package.json")), None
        ),
    )
    py_scripts = tuple(
        Found(s.command, "cli", s.evidence)
        for s in manifests.scripts
        if s.evidence.path.endswith(".toml")
    )
    listed = set(tree.paths())
    bins = [
        Found(d.value, "cli", Evidence(d.value, None))
        for d in manifests.bin_files
        if d.value in listed
    ]
    languages = sorted(
        (Language(name, counts[0], counts[1]) for name, counts in state.languages.items()),
        key=lambda lang: (-lang.lines, lang.name),
    )
    warnings = list(tree.warnings) + state.warnings + list(manifests.warnings)
    warnings += [facts.warning for facts in state.code if facts.warning]
    return RepoSummary(
        repo=RepoInfo(
            name=tree.name,
            commit=tree.commit,
            files=len(tree.files),
            bytes=sum(f.size for f in tree.files),
        ),
        languages=tuple(languages),
        module_system=_module_system(state, manifests.module_types)
        if ("JavaScript" in state.languages or "TypeScript" in state.languages)
        else None,
        stack=build_stack(manifests, tree.paths(), hints),
        entrypoints=_entrypoints(state, _script_entries(tree, py_scripts) + bins),
        env_vars=_env_vars(state),
        tests=test_locations(tree.paths()),
        errors=_errors(state),
        warnings=tuple(sorted(set(warnings))),
    )
