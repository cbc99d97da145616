"""The scan: two passes over the repository's files, each file read at most once.

The first pass reads the manifests, which say which folders are a frontend's. The second
reads everything else that tells something (sources, container and CI files, Spring
configuration) and hands each file to the extractors that want it."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from archdraft.repo import RepoTree, TextFile, env_template_names, is_env_template, read_text
from archdraft.scan import commands, deploy
from archdraft.scan.cache import (
    FactsCache,
    Texts,
    content_key,
    inputs_key,
    load_summary,
    save_summary,
)
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.csharp_code import extract_csharp
from archdraft.scan.domain import prisma_models
from archdraft.scan.go_code import extract_go
from archdraft.scan.http.aspnet_join import (
    apply_policies,
    conventional,
    fast_endpoints,
    inherit,
    modules,
    wrapped,
)
from archdraft.scan.http.django_resolve import resolve_django
from archdraft.scan.http.golink import link_go
from archdraft.scan.http.java import ant_match
from archdraft.scan.http.laravel_link import link_laravel
from archdraft.scan.http.model import FileHttp
from archdraft.scan.http.rails_resolve import resolve_rails
from archdraft.scan.http.resolve import HttpFacts, js_modules, python_modules, resolve
from archdraft.scan.http.rustlink import crate_folders, link_rust
from archdraft.scan.http.symfony import extract_routes_yaml, is_routes_yaml
from archdraft.scan.java_code import extract_java, extract_spring_config, is_spring_config
from archdraft.scan.js_code import extract_js, is_js_or_ts
from archdraft.scan.languages import count_lines, language_of
from archdraft.scan.manifests import Manifests, declares_backend, is_manifest, read_manifests
from archdraft.scan.php_code import extract_php, is_php
from archdraft.scan.python_code import extract_python, settings_env_vars
from archdraft.scan.reach import reach, registrations
from archdraft.scan.ruby_code import extract_rails_yaml, extract_ruby, is_rails_yaml, wants_ruby
from archdraft.scan.rust_code import extract_rust
from archdraft.scan.schemas import is_laravel_database_config, laravel_databases, prisma_databases
from archdraft.scan.scope import Scope, is_vendored
from archdraft.scan.signals import auth_facts, code_signals, integration_facts
from archdraft.scan.stack import StackInputs, build_stack
from archdraft.scan.summary import (
    Entrypoint,
    EnvVar,
    ErrorFact,
    Evidence,
    Evidences,
    Language,
    Model,
    RepoInfo,
    RepoSummary,
    Route,
    Service,
)
from archdraft.scan.technologies import Tech
from archdraft.scan.tests_layout import is_test_path, test_locations

_MAX_EVIDENCE = 10
_ENTRY_RANK = {"server": 0, "worker": 1, "function": 2, "cli": 3}
_MINIFIED_LINE = 1000
# Sources that do not make their language one the backend runs on: a tool's settings
# (playwright.config.ts, .eslintrc.js), and maintenance scripts, which are still read for
# their facts (contrib/clean-translations.js in a Go project)
_NOT_RUNTIME = re.compile(
    r"(^|/)(\.[^/]*|[^/]*\.config\.[cm]?[jt]s|[Gg]ulpfile\.[jt]s|Gruntfile\.js)$|"
    r"^(scripts|contrib|hack|tools|build|bin|ci)/"
)
# Below this many sources, starting worker processes costs more than it saves.
PARALLEL_FROM = 1500
_CHUNK = 64
_START_SCRIPTS = {"start", "serve", "server", "start:prod", "start:server", "dev", "worker"}
_EXTRACTORS: tuple[tuple[Callable[[str], bool], Callable[[str, str], CodeFacts]], ...] = (
    (lambda p: p.endswith(".py"), extract_python),
    (is_js_or_ts, extract_js),
    (lambda p: p.endswith(".go"), extract_go),
    (lambda p: p.endswith(".java"), extract_java),
    (lambda p: p.endswith(".rs"), extract_rust),
    (is_spring_config, extract_spring_config),
    (is_php, extract_php),
    (is_routes_yaml, extract_routes_yaml),
    (wants_ruby, extract_ruby),
    (is_rails_yaml, extract_rails_yaml),
    (lambda p: p.endswith(".cs"), extract_csharp),
)


@dataclass
class _Pass:
    languages: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    first_source: dict[str, str] = field(default_factory=dict)
    code: list[CodeFacts] = field(default_factory=list)
    env_templates: list[Found] = field(default_factory=list)
    deploy: deploy.Deploy = field(default_factory=deploy.Deploy)
    mentions: list[tuple[Tech, Evidence]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _wanted(path: str) -> bool:
    """Whether either pass reads this file; decided by its path alone. Vendored code is
    another project's: of it, only manifests are read (most of a large Go service's files
    can be its vendor/ tree)."""
    if is_manifest(path):
        return True
    if is_vendored(path):
        return False
    return bool(
        is_env_template(path)
        or language_of(path)
        or deploy.kind_of(path)
        or commands.is_tool_file(path)
        or any(wants(path) for wants, _extract in _EXTRACTORS)
    )


def _read(texts: Texts, path: str, state: _Pass) -> TextFile | None:
    text = texts.get(path)
    if text is None:
        return None
    if text.warning:
        state.warnings.append(text.warning)
        if not text.text:
            return None
    return text


def _looks_minified(path: str, text: str) -> bool:
    return path.endswith((".min.js", ".bundle.js", ".standalone.js", ".umd.js")) or (
        len(text) > 20 * _MINIFIED_LINE and len(text) / max(1, text.count("\n")) > _MINIFIED_LINE
    )


def _second_pass(tree: RepoTree, texts: Texts, in_scope: Scope, state: _Pass) -> None:
    jobs: list[tuple[int, str, str]] = []
    for entry in tree.files:
        path = entry.path
        if is_manifest(path):
            continue
        if is_env_template(path):
            state.env_templates += [
                Found(name, "template", Evidence(path, line))
                for name, line in env_template_names(texts.get(path))
            ]
            continue
        language = language_of(path)
        deploy_kind = deploy.kind_of(path)
        tool_file = commands.is_tool_file(path)
        extractor = next((i for i, (wants, _fn) in enumerate(_EXTRACTORS) if wants(path)), None)
        if not (language or deploy_kind or tool_file or extractor):
            continue
        text = _read(texts, path, state)
        if text is None:
            continue
        if language:
            counts = state.languages[language]
            counts[0] += 1
            counts[1] += count_lines(text.text)
        backend = in_scope(path)
        if deploy_kind and backend:
            deploy.read_deploy(path, text.text, state.deploy)
        if path.endswith(".prisma") and backend:
            state.mentions += prisma_databases(path, text.text)
            state.code.append(CodeFacts(models=tuple(prisma_models(path, text.text))))
        if is_laravel_database_config(path) and backend:
            state.mentions += laravel_databases(path, text.text)
        if tool_file and backend:
            state.mentions += [
                (tech, Evidence(path, line)) for tech, line in commands.tool_mentions(text.text)
            ]
        if (
            extractor is None
            or not backend
            or is_test_path(path)
            or _looks_minified(path, text.text)
        ):
            continue
        if language and not _NOT_RUNTIME.search(path):
            state.first_source.setdefault(language, path)
        jobs.append((extractor, path, text.text))
    state.code += _extract_cached(tree, jobs)


def _extract_cached(tree: RepoTree, jobs: list[tuple[int, str, str]]) -> list[CodeFacts]:
    """Facts for every job in order, parsing only files the cache has not seen as they are."""
    facts_cache = FactsCache(tree.root)
    keys = [content_key(path, text) for _index, path, text in jobs]
    results: list[CodeFacts | None] = [facts_cache.get(key) for key in keys]
    missing = [i for i, found in enumerate(results) if found is None]
    for i, facts in zip(missing, _extract_all([jobs[i] for i in missing]), strict=True):
        results[i] = facts
        facts_cache.put(keys[i], facts)
    facts_cache.save()
    return [facts for facts in results if facts is not None]


def _extract(job: tuple[int, str, str]) -> CodeFacts:
    """One file's facts. A file a reader cannot cope with is skipped with a warning that
    names it: one file never fails a whole scan."""
    index, path, text = job
    try:
        facts = _EXTRACTORS[index][1](path, text)
        if language_of(path) is None:
            return facts
        auth, integrations = code_signals(path, text)
        seen = tuple(s for s in registrations(path, text) if s.evidence.line not in facts.wrapping)
    except Exception as exc:  # a reader's defect on any input must not end the scan
        return CodeFacts(
            warning=f"{path}: skipped, its facts could not be read ({type(exc).__name__}); "
            "please report it with the file"
        )
    return replace(
        facts,
        auth_signals=tuple(auth),
        integration_signals=tuple(integrations),
        registrations=seen,
    )


def _extract_all(jobs: list[tuple[int, str, str]]) -> list[CodeFacts]:
    """Parse the sources, on every core for a large repository. Results keep the jobs'
    order, so the summary is the same whichever way it ran."""
    processes = min(4, os.cpu_count() or 1)
    if len(jobs) < PARALLEL_FROM or processes < 2:
        return [_extract(job) for job in jobs]
    chunks = [jobs[at : at + _CHUNK] for at in range(0, len(jobs), _CHUNK)]
    done: dict[int, list[CodeFacts]] = {}
    try:
        # fork shares the loaded grammars and needs no importable __main__; the scan starts
        # no threads, so forking is safe here. Elsewhere, spawn.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=processes - 1, mp_context=context) as pool:
            futures = [pool.submit(_extract_chunk, chunk) for chunk in chunks]
            # The scan's own process works too, taking chunks from the back while the pool
            # takes them from the front: what it extracts is never sent between processes,
            # and sending facts back costs the receiver as much as a fifth of extracting
            for index in reversed(range(len(chunks))):
                if not futures[index].cancel():
                    break  # the pool has reached this chunk: the rest are its own
                done[index] = _extract_chunk(chunks[index])
            return [
                facts
                for index, future in enumerate(futures)
                for facts in (done[index] if index in done else future.result())
            ]
    except (OSError, BrokenProcessPool):
        return [_extract(job) for job in jobs]


def _extract_chunk(jobs: list[tuple[int, str, str]]) -> list[CodeFacts]:
    return [_extract(job) for job in jobs]


def _ev_key(evidence: Evidence) -> tuple[bool, str, int]:
    # Code first: a .env template only shows a name is expected, code shows it is read.
    return (is_env_template(evidence.path), evidence.path, evidence.line or 0)


def _env_vars(state: _Pass) -> tuple[EnvVar, ...]:
    by_name: dict[str, set[Evidence]] = defaultdict(set)
    for facts in state.code:
        for found in facts.env_vars:
            if found.name.replace("_", "a").isalnum() and not found.name[0].isdigit():
                by_name[found.name].add(found.evidence)
    for found in state.env_templates:
        by_name[found.name].add(found.evidence)
    for found in settings_env_vars([c for facts in state.code for c in facts.field_classes]):
        by_name[found.name].add(found.evidence)
    return tuple(
        EnvVar(name, tuple(sorted(evidence, key=_ev_key))[:_MAX_EVIDENCE])
        for name, evidence in sorted(by_name.items())
    )


def _command_entries(tree: RepoTree, manifests: Manifests, state: _Pass) -> list[Found]:
    paths = frozenset(tree.paths())
    found: list[Found] = []
    for script in manifests.scripts:
        folder = str(PurePosixPath(script.evidence.path).parent)
        if script.evidence.path.endswith("package.json"):
            if script.name in _START_SCRIPTS or "worker" in script.name:
                kind = "worker" if "worker" in script.name else "server"
                found += [
                    Found(t.path, t.kind, script.evidence)
                    for t in commands.targets(script.command, folder, paths, kind)
                ]
        elif script.evidence.path.endswith(".toml"):
            module = script.command.split(":")[0].strip()
            target = commands.module_file(module, folder, paths)
            if target:
                found.append(Found(target, "cli", script.evidence))
    for command in state.deploy.commands:
        role = command.role.lower()
        kind = (
            "worker" if "worker" in role else "cli" if role in {"release", "migrate"} else "server"
        )
        found += [
            Found(t.path, t.kind, command.evidence)
            for t in commands.targets(command.command, command.folder, paths, kind)
        ]
    found += [Found(d.value, "cli", d.evidence) for d in manifests.bin_files if d.value in paths]
    return found


def _entrypoints(
    state: _Pass, from_commands: list[Found], in_scope: Scope
) -> tuple[Entrypoint, ...]:
    """One entry point per file: the strongest kind seen in its code, with the commands
    that start it as further evidence."""
    best: dict[str, tuple[str, int | None, set[Evidence]]] = {}
    code_entries = [f for facts in state.code for f in facts.entrypoints]
    for found in code_entries:
        path = found.evidence.path
        kind, line, evidence = best.get(path, ("cli", None, set()))
        rank = (_ENTRY_RANK[found.kind], found.evidence.line or 0)
        if path not in best or rank < (_ENTRY_RANK[kind], line or 0):
            kind, line = found.kind, found.evidence.line
        evidence.add(found.evidence)
        best[path] = (kind, line, evidence)
    for found in from_commands:
        path = found.name
        if not in_scope(path):
            continue
        kind, line, evidence = best.get(path, (found.kind, None, set()))
        if _ENTRY_RANK[found.kind] < _ENTRY_RANK[kind]:
            kind = found.kind
        evidence.add(found.evidence)
        best[path] = (kind, line, evidence)
    return tuple(
        Entrypoint(path, line, kind, tuple(sorted(evidence, key=_ev_key))[:_MAX_EVIDENCE])
        for path, (kind, line, evidence) in sorted(best.items())
    )


def _merged(
    found: Iterable[Found], key: Callable[[Found], tuple[str, ...]]
) -> list[tuple[tuple[str, ...], Evidences]]:
    """Findings of one kind from all files, one per key, with their evidence sorted."""
    merged: dict[tuple[str, ...], set[Evidence]] = defaultdict(set)
    for item in found:
        merged[key(item)].add(item.evidence)
    return [
        (name, tuple(sorted(evidence, key=_ev_key))[:_MAX_EVIDENCE])
        for name, evidence in sorted(merged.items())
    ]


def _models(state: _Pass) -> tuple[Model, ...]:
    found = [f for facts in state.code for f in facts.models]
    return tuple(Model(n, k, ev) for (n, k), ev in _merged(found, lambda f: (f.name, f.kind)))


def _services(state: _Pass) -> tuple[Service, ...]:
    found = [f for facts in state.code for f in facts.services]
    return tuple(Service(n, ev) for (n,), ev in _merged(found, lambda f: (f.name,)))


def _errors(state: _Pass) -> tuple[ErrorFact, ...]:
    found = [f for facts in state.code for f in facts.errors]
    return tuple(ErrorFact(n, k, ev) for (k, n), ev in _merged(found, lambda f: (f.kind, f.name)))


def _module_system(state: _Pass, manifests: Manifests, in_scope: Scope) -> str | None:
    if not ({"JavaScript", "TypeScript"} & state.first_source.keys()):
        return None
    syntaxes = {facts.module_syntax for facts in state.code if facts.module_syntax}
    types = {d.value for d in manifests.module_types if in_scope(d.evidence.path)}
    if (
        "both" in syntaxes
        or {"esm", "commonjs"} <= syntaxes
        or ("module" in types and "commonjs" in syntaxes)
    ):
        return "both"
    if syntaxes:
        return syntaxes.pop()
    if types:
        return "esm" if types == {"module"} else "commonjs"
    return None


def _http(tree: RepoTree, state: _Pass, crates: dict[str, str]) -> HttpFacts:
    paths = frozenset(tree.paths())
    found = [f.http for f in state.code if f.http is not None]
    js = resolve({f.path: f for f in found if f.framework == "js"}, js_modules(paths))
    go = resolve(
        link_go({f.path: f for f in found if f.framework == "go"}), lambda _path, _source: None
    )
    java = _apply_access_rules(
        resolve({f.path: f for f in found if f.framework == "java"}, lambda _p, _s: None),
        [f for f in found if f.framework == "java"],
    )
    rs = resolve(
        link_rust({f.path: f for f in found if f.framework == "rust"}, crates), lambda _p, _s: None
    )
    python = python_modules(paths)
    py = resolve({f.path: f for f in found if f.framework == "python"}, python)
    php = resolve(
        link_laravel({f.path: f for f in found if f.framework == "php"}), lambda _p, _s: None
    )
    cs_files = [f for f in found if f.framework == "csharp"]
    cs = apply_policies(
        resolve(
            modules(conventional(wrapped(inherit(fast_endpoints({f.path: f for f in cs_files}))))),
            lambda _p, _s: None,
        ),
        cs_files,
    )
    django_files = {f.django.path: f.django for f in state.code if f.django is not None}
    django_routes, django_warnings = resolve_django(django_files, python)
    rails_files = {f.rails.path: f.rails for f in state.code if f.rails is not None}
    rails_routes, rails_middleware = resolve_rails(rails_files)
    return HttpFacts(
        routes=tuple(
            sorted(
                js.routes
                + py.routes
                + go.routes
                + java.routes
                + php.routes
                + cs.routes
                + rs.routes
                + tuple(django_routes)
                + tuple(rails_routes),
                key=_route_key,
            )
        ),
        middleware=js.middleware
        + py.middleware
        + go.middleware
        + java.middleware
        + php.middleware
        + cs.middleware
        + rs.middleware
        + tuple(rails_middleware),
        warnings=js.warnings
        + py.warnings
        + go.warnings
        + java.warnings
        + php.warnings
        + cs.warnings
        + rs.warnings
        + tuple(django_warnings),
    )


def _apply_access_rules(facts: HttpFacts, files: list[FileHttp]) -> HttpFacts:
    """Spring Security matchers decide routes no annotation decided; first match wins."""
    rules = [rule for f in sorted(files, key=lambda f: f.path) for rule in f.access_rules]
    prefix = next((f.global_prefix for f in files if f.global_prefix), "") or ""
    if not rules:
        return facts
    routes = []
    for route in facts.routes:
        if route.auth == "unknown":
            relative = route.path.removeprefix(prefix) or "/"
            decided = next(
                (state for rule, state in rules if _rule_applies(rule, route.method, relative)),
                None,
            )
            route = replace(route, auth=decided or route.auth)
        routes.append(route)
    return replace(facts, routes=tuple(routes))


def _rule_applies(rule: str, method: str, path: str) -> bool:
    """``GET /articles/**`` decides GET requests below /articles; ``/tags`` any method."""
    verb, _, pattern = rule.rpartition(" ")
    return (not verb or verb == method) and ant_match(pattern, path)


def _route_key(route: Route) -> tuple[str, str, str, int]:
    return (route.path, route.method, route.evidence[0].path, route.evidence[0].line or 0)


def scan(tree: RepoTree) -> RepoSummary:
    """The summary of the tree. Every file the scan wants is read once, up front; when the
    tree and all it read are as they were at the last scan, that scan's summary is reused."""
    texts = {path: read_text(tree, path) for path in tree.paths() if _wanted(path)}
    key = inputs_key(tree, texts)
    summary = load_summary(tree.root, key)
    if summary is None:
        summary = _summarise(tree, texts)
        save_summary(tree.root, key, summary)
    return summary


def _summarise(tree: RepoTree, texts: Texts) -> RepoSummary:
    state = _Pass()
    manifest_files = [t for p in tree.paths() if is_manifest(p) and (t := _read(texts, p, state))]
    manifests = read_manifests(manifest_files)
    backends = [str(PurePosixPath(p).parent) for p in tree.paths() if declares_backend(p)]
    in_scope = Scope(manifests.frontend_folders, backends + list(manifests.backend_package_folders))
    _second_pass(tree, texts, in_scope, state)
    env_vars = _env_vars(state)
    languages = sorted(
        (Language(name, counts[0], counts[1]) for name, counts in state.languages.items()),
        key=lambda lang: (-lang.lines, lang.name),
    )
    stack = build_stack(StackInputs(
        manifests=manifests,
        paths=tree.paths(),
        images=tuple(state.deploy.images) + tuple(state.deploy.base_images),
        base_images=tuple(state.deploy.base_images),
        mentions=tuple(state.mentions),
        env_vars=env_vars,
        languages=frozenset(state.first_source),
        first_source=tuple(sorted(state.first_source.items())),
        is_backend=in_scope,
    ))  # fmt: skip
    http = _http(tree, state, crate_folders(manifests.crates))
    warnings = list(tree.warnings) + state.warnings + list(manifests.warnings) + list(http.warnings)
    warnings += state.deploy.warnings + [facts.warning for facts in state.code if facts.warning]
    return RepoSummary(
        repo=RepoInfo(tree.name, tree.commit, len(tree.files), sum(f.size for f in tree.files)),
        languages=tuple(languages),
        module_system=_module_system(state, manifests, in_scope),
        stack=stack,
        entrypoints=_entrypoints(state, _command_entries(tree, manifests, state), in_scope),
        routes=http.routes,
        middleware=http.middleware,
        auth=auth_facts([s for f in state.code for s in f.auth_signals], stack),
        integrations=integration_facts([s for f in state.code for s in f.integration_signals]),
        models=_models(state),
        services=_services(state),
        env_vars=env_vars,
        tests=test_locations(tree.paths()),
        errors=_errors(state),
        reach=reach([e for f in state.code for e in f.registrations], http.routes),
        warnings=tuple(sorted(set(warnings))),
    )
