"""The plan stage: per template section, the facts and code excerpts it needs.

A section's facts come from its ``<!-- archdraft: facts=... -->`` note or, in a template
without notes, from its heading. The job also carries the request a model drafter would send
for the section's prose, rendered from prompts/, so every run proves its prompts render. A
section is only sent when ``prompts/questions.yaml`` asks something of one of its fact kinds
and the scan found facts for it; everything else is rendered from the facts alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from archdraft.prompts import PromptSet
from archdraft.redact import redact
from archdraft.repo import RepoTree, read_text
from archdraft.scan.scope import is_auxiliary
from archdraft.scan.summary import Evidence, RepoSummary
from archdraft.scan.tests_layout import is_test_path
from archdraft.template import Section, Template
from archdraft.tokens import estimate_messages

DEFAULT_BUDGET = 6000
"""Prompt tokens per section: with a 1,500-token reply this fits an 8k-context model."""

FACT_KINDS = (
    "overview",
    "stack",
    "entrypoints",
    "config",
    "routes",
    "middleware",
    "auth",
    "access",
    "services",
    "data",
    "errors",
    "error_response",
    "logging",
    "integrations",
    "tests",
    "performance",
    "security",
    "quality",
    "docs",
    "sources",
)

# First match wins, so combined and specific headings come before general ones.
_ERROR_ROLES = {"handler": "error handlers", "class": "error classes", "value": "error values"}
_HEADING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"cross[- ]?ref", ("docs", "sources")),
    (r"authenticat.*authori[sz]|authori[sz].*authenticat", ("auth", "access")),
    (r"error handling", ("errors", "error_response", "logging")),
    (r"server (architecture|setup|structure)", ("entrypoints", "config")),
    (r"error (response|format)|response format", ("error_response",)),
    (r"security|hardening", ("security",)),
    (r"authori[sz]|permission|access control|\broles?\b|rbac", ("access",)),
    (r"authenticat|\blog ?in\b|sign[- ]?in|identity|\bauth\b", ("auth",)),
    (r"\btest|quality assurance", ("tests",)),
    (r"integration|external|third[- ]party", ("integrations",)),
    (r"route|endpoint|\bapi\b|\burls?\b", ("routes",)),
    (r"middleware|interceptor|request pipeline", ("middleware",)),
    (r"entry ?point|bootstrap|start[- ]?up|initiali[sz]", ("entrypoints",)),
    (r"config|environment|settings|env(ironment)? var", ("config",)),
    (r"service|business logic|domain", ("services",)),
    (r"logging|observability|monitoring|telemetry|\blogs?\b", ("logging",)),
    (r"error|exception|fault", ("errors",)),
    (r"performance|cach|scal|rate limit", ("performance",)),
    (r"quality|lint|format|style|standards|convention", ("quality",)),
    (r"data|database|persistence|storage|model|repositor|\borm\b|schema", ("data",)),
    (r"stack|technolog|dependenc", ("stack",)),
    (r"related doc|documentation|further reading|see also", ("docs",)),
    (r"source (code|files)|code references|key files", ("sources",)),
    (r"overview|introduction|summary|about", ("overview",)),
)

_EXCERPT_MAX_LINES = 25
_FENCE_LANGUAGE = {
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "jsx",
    ".ts": "typescript",
    ".tsx": "tsx",
    ".py": "python",
    ".go": "go",
    ".java": "java",
    ".rb": "ruby",
}
_DOC_NAMES = re.compile(r"^(readme|architecture|contributing|security|design|adr.*)\b", re.I)


@dataclass(frozen=True)
class Excerpt:
    path: str
    start: int
    end: int
    language: str
    text: str
    """Redacted: secret values are masked before an excerpt goes anywhere."""


@dataclass(frozen=True)
class RepoContext:
    """What the drafters need to know about the repository besides the summary."""

    name: str
    commit: str | None
    date: str | None
    doc_path: str
    """Where the document will be written, relative to the repository root."""
    docs: tuple[str, ...]
    """Other markdown documents in the repository."""
    folders: tuple[tuple[str, int], ...]
    """Source folders (two levels deep at most) with how many code files each holds."""


@dataclass(frozen=True)
class Message:
    role: str
    content: str


@dataclass(frozen=True)
class SectionJob:
    section: Section
    facts: tuple[str, ...]
    """The fact kinds this section (not its subsections) is drafted from."""
    excerpts: tuple[Excerpt, ...]
    """What the section itself quotes (the entry point, the error handler)."""
    parts: tuple[SectionJob, ...]
    messages: tuple[Message, ...]
    """The request for the section's prose; empty when no model is asked: for subsections
    (drafted with their parent), sections the facts say all of, and sections with nothing
    found."""
    omitted: tuple[str, ...] = ()
    """What was left out of ``messages`` to fit the prompt budget."""
    questions: tuple[str, ...] = ()
    """What the model is asked to explain, from ``prompts/questions.yaml``."""


@dataclass(frozen=True)
class Plan:
    template: Template
    summary: RepoSummary
    context: RepoContext
    jobs: tuple[SectionJob, ...]
    warnings: tuple[str, ...]


def facts_from_heading(title: str) -> tuple[str, ...]:
    lowered = title.lower()
    for pattern, kinds in _HEADING_RULES:
        if re.search(pattern, lowered):
            return kinds
    return ()


def section_facts(section: Section) -> tuple[str, ...]:
    if section.facts:
        return tuple(f for f in section.facts if f in FACT_KINDS)
    if section.placeholder:
        return ()
    return facts_from_heading(section.title)


def _block_end(lines: list[str], start: int) -> int:
    """The last line (1-based) of the statement or function beginning at ``start``."""
    first = lines[start - 1]
    indent = len(first) - len(first.lstrip())
    limit = min(len(lines), start + _EXCERPT_MAX_LINES - 1)
    for number in range(start + 1, limit + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        this_indent = len(line) - len(line.lstrip())
        if this_indent <= indent:
            if line.strip()[0] in "})]":
                return number
            return number - 1
    return limit


def _excerpt(
    tree: RepoTree,
    evidence: Evidence,
    whole_file_up_to: int = 0,
    around: tuple[int, int] = (12, 8),
) -> Excerpt | None:
    text = read_text(tree, evidence.path)
    if text is None or text.warning or not text.text.strip():
        return None
    lines = text.lines
    line = evidence.line or 1
    if whole_file_up_to and len(lines) <= whole_file_up_to:
        start, end = 1, len(lines)
    elif whole_file_up_to:
        start = max(1, line - around[0])
        end = min(len(lines), line + around[1])
    else:
        start, end = line, _block_end(lines, line)
    while start < end and not lines[start - 1].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    language = _FENCE_LANGUAGE.get(PurePosixPath(evidence.path).suffix.lower(), "")
    return Excerpt(evidence.path, start, end, language, redact("\n".join(lines[start - 1 : end])))


def _excerpts(kinds: tuple[str, ...], summary: RepoSummary, tree: RepoTree) -> tuple[Excerpt, ...]:
    found: list[Excerpt] = []
    if "overview" in kinds and summary.entrypoints:
        servers = [e for e in summary.entrypoints if e.kind == "server"] or list(
            summary.entrypoints
        )
        if servers[0].line:  # the line itself, quoted beside the citation
            excerpt = _excerpt(tree, Evidence(servers[0].path, servers[0].line))
            if excerpt:
                found.append(excerpt)
    if "entrypoints" in kinds:
        servers = [e for e in summary.entrypoints if e.kind == "server"] or list(
            summary.entrypoints
        )
        if servers:
            main = servers[0]
            excerpt = _excerpt(tree, Evidence(main.path, main.line), whole_file_up_to=30)
            if excerpt:
                found.append(excerpt)
        for other in summary.entrypoints:  # each other entry point's line, to quote it
            if other.line and other is not servers[0]:
                line_excerpt = _excerpt(tree, Evidence(other.path, other.line), whole_file_up_to=0)
                if line_excerpt:
                    found.append(line_excerpt)
    if "error_response" in kinds:
        handler = next((e for e in summary.errors if e.kind == "handler"), None)
        if handler:
            excerpt = _excerpt(tree, handler.evidence[0])
            if excerpt:
                found.append(excerpt)
    return tuple(found)


_SHOWN_WHOLE = 24
_SHOWN_AROUND = (4, 12)
"""Lines of code shown to a model around what it explains: on a small local model every
prompt token costs time (llama.cpp reads some 35 a second on two cores)."""


def _code_evidence(evidence: tuple[Evidence, ...]) -> Evidence | None:
    """The first evidence in a source file (not a manifest), to quote."""
    return next(
        (e for e in evidence if PurePosixPath(e.path).suffix.lower() in _FENCE_LANGUAGE), None
    )


def _shown(kinds: tuple[str, ...], summary: RepoSummary, tree: RepoTree) -> list[Excerpt]:
    """The code a model is shown to explain ``kinds``, beyond what the section quotes:
    where the thing is defined, so it can say what it does."""
    wanted: list[Evidence] = []

    def first(items: tuple[Evidence, ...]) -> None:
        found = _code_evidence(items)
        if found is not None:
            wanted.append(found)

    if "routes" in kinds:
        for route in summary.routes[:1]:
            first(route.evidence)
    if "middleware" in kinds:
        ordered = [m for m in summary.middleware if m.scope == "global"] or list(summary.middleware)
        for item in ordered[:1]:
            first(item.evidence)
    if "auth" in kinds:
        for fact in summary.auth:
            first(fact.evidence)
        guards = [m for m in summary.middleware if re.search(r"auth|jwt|token|login", m.name, re.I)]
        for guard in guards[:1]:
            first(guard.evidence)
    named: tuple[tuple[str, tuple[tuple[Evidence, ...], ...]], ...] = (
        ("services", tuple(s.evidence for s in summary.services)),
        ("data", tuple(m.evidence for m in summary.models)),
        ("integrations", tuple(i.evidence for i in summary.integrations)),
        ("errors", tuple(e.evidence for e in summary.errors if e.kind == "class")),
    )
    for kind, evidences in named:
        if kind in kinds and evidences:
            first(evidences[0])
    found: list[Excerpt] = []
    for where in wanted:
        if any(e.path == where.path and e.start <= (where.line or 1) <= e.end for e in found):
            continue
        # The whole of a short file, else the lines around the evidence: a definition is
        # explained by what surrounds it (the app.use chain, the checks in a guard).
        excerpt = _excerpt(tree, where, _SHOWN_WHOLE, _SHOWN_AROUND)
        if excerpt is not None:
            found.append(excerpt)
    return found


def _context(summary: RepoSummary, tree: RepoTree, doc_path: str) -> RepoContext:
    docs = []
    folders: Counter[str] = Counter()
    code_suffixes = set(_FENCE_LANGUAGE)
    for path in tree.paths():
        pure = PurePosixPath(path)
        if pure.suffix.lower() == ".md" and path != doc_path:
            if pure.parts[0] in {"docs", "doc", "documentation"} or (
                len(pure.parts) == 1 and _DOC_NAMES.match(pure.name)
            ):
                docs.append(path)
        elif (
            pure.suffix.lower() in code_suffixes
            and not is_test_path(path)
            and len(pure.parts) > 1
            and not is_auxiliary(path)
        ):
            folders["/".join(pure.parts[: min(2, len(pure.parts) - 1)])] += 1
    return RepoContext(
        name=summary.repo.name,
        commit=tree.commit,
        date=tree.date,
        doc_path=doc_path,
        docs=tuple(sorted(docs)),
        folders=tuple(sorted(folders.items())),
    )


def fact_lines(
    kinds: tuple[str, ...], summary: RepoSummary, docs: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The facts of ``kinds`` as compact lines for a prompt, each with its citation text."""
    lines: list[str] = []

    def ev(evidence: tuple[Evidence, ...]) -> str:
        return ", ".join(e.cite() for e in evidence[:3])

    wanted = set(kinds)
    if wanted & {
        "overview",
        "stack",
        "data",
        "logging",
        "performance",
        "security",
        "quality",
        "tests",
        "auth",
    }:
        for item in summary.stack:
            version = f" {item.version}" if item.version else ""
            lines.append(f"stack {item.category}: {item.name}{version} ({ev(item.evidence)})")
    if wanted & {"overview", "entrypoints"}:
        lines += [
            f"entry point ({e.kind}): {e.path} ({ev(e.evidence)})" for e in summary.entrypoints
        ]
    if "config" in wanted:
        lines += [f"env var: {v.name} ({ev(v.evidence)})" for v in summary.env_vars]
    if wanted & {"routes", "access"}:
        lines += [
            f"route: {r.method} {r.path} -> {r.handler or '?'} auth={r.auth} ({ev(r.evidence)})"
            for r in summary.routes
        ]
    if wanted & {"middleware", "security"}:
        lines += [
            f"middleware ({m.scope}, order {m.order}): {m.name} ({ev(m.evidence)})"
            for m in summary.middleware
        ]
    if "auth" in wanted:
        lines += [f"auth method: {a.method} ({ev(a.evidence)})" for a in summary.auth]
    if "services" in wanted:
        lines += [f"service: {s.name} ({ev(s.evidence)})" for s in summary.services]
    if "data" in wanted:
        lines += [f"model ({m.kind}): {m.name} ({ev(m.evidence)})" for m in summary.models]
    if wanted & {"errors", "error_response"}:
        lines += [f"error {e.kind}: {e.name} ({ev(e.evidence)})" for e in summary.errors]
    if "integrations" in wanted:
        lines += [
            f"integration ({i.kind}): {i.name} ({ev(i.evidence)})" for i in summary.integrations
        ]
    if "tests" in wanted:
        lines += [f"tests ({t.kind}): {t.path}" for t in summary.tests]
    if "overview" in wanted and summary.module_system:
        lines.append(f"module system: {summary.module_system}")
    if "overview" in wanted:
        lines += [f"language: {lang.name} ({lang.files} files)" for lang in summary.languages]
    if "docs" in wanted:
        lines += [f"document in the repository: {path}" for path in docs]
    if "sources" in wanted:
        lines += [
            f"source file: {path} ({', '.join(roles)})"
            for path, roles in source_roles(summary).items()
        ]
    return tuple(dict.fromkeys(lines))


# The stack rows a request about each kind is shown: the rest are rendered, not explained.
_PROMPT_STACK: dict[str, frozenset[str]] = {
    "overview": frozenset({"runtime", "framework", "database", "orm", "cache", "queue"}),
    "entrypoints": frozenset({"runtime", "framework"}),
    "routes": frozenset({"framework", "validation", "api_docs"}),
    "middleware": frozenset({"validation", "auth", "logging"}),
    "auth": frozenset({"auth"}),
    "data": frozenset({"database", "orm", "cache"}),
    "errors": frozenset({"logging"}),
    "tests": frozenset({"testing"}),
    "integrations": frozenset({"http_client", "queue"}),
    "logging": frozenset({"logging"}),
    "performance": frozenset({"cache", "queue"}),
    "security": frozenset({"validation", "auth"}),
    "quality": frozenset({"linting", "formatting", "type_checking", "ci"}),
}


def prompt_facts(
    kinds: tuple[str, ...], summary: RepoSummary, docs: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """``fact_lines`` as a request about ``kinds`` needs them: only the stack rows it is
    about, since each stack row is rendered in its own section."""
    allowed = frozenset().union(*(_PROMPT_STACK.get(k, frozenset()) for k in kinds))
    return tuple(
        line
        for line in fact_lines(kinds, summary, docs)
        if not line.startswith("stack ") or "stack" in kinds or line[6:].split(":", 1)[0] in allowed
    )


ENTRY_KIND = {
    "server": "starts the server",
    "cli": "command-line entry point",
    "worker": "starts a background worker",
    "function": "serverless function",
}


def source_roles(s: RepoSummary) -> dict[str, list[str]]:
    """The key source files, sorted, with what each one holds."""
    roles: dict[str, list[str]] = {}

    def add(path: str, role: str) -> None:
        if role not in roles.setdefault(path, []):
            roles[path].append(role)

    for e in s.entrypoints:
        add(e.path, ENTRY_KIND.get(e.kind, e.kind))
    for r in s.routes:
        add(r.evidence[0].path, "route definitions")
    for m in s.middleware:
        add(m.evidence[0].path, "middleware")
    for svc in s.services:
        add(svc.evidence[0].path, "service layer")
    for model in s.models:
        add(model.evidence[0].path, "data models")
    for err in s.errors:
        add(err.evidence[0].path, _ERROR_ROLES.get(err.kind, "error classes"))
    for v in s.env_vars:
        for ev in v.evidence:
            if not PurePosixPath(ev.path).name.startswith(".env"):
                add(ev.path, "reads configuration")
    for item in s.stack:
        for ev in item.evidence:
            if ev.line is not None:
                add(ev.path, "dependency manifest")
    return dict(sorted(roles.items()))


def _guidance_text(section: Section) -> str:
    parts = [f"{'#' * sub.level} {sub.heading}\n{sub.body}".strip() for sub in section.walk()]
    return "\n\n".join(parts)


def _fitted_messages(
    section: Section,
    facts: tuple[str, ...],
    excerpts: tuple[Excerpt, ...],
    prompts: PromptSet,
    budget: int,
    questions: tuple[str, ...],
) -> tuple[tuple[Message, ...], tuple[str, ...]]:
    """The request for ``section``'s prose within ``budget`` tokens, and what was left out.

    Facts and excerpts arrive ranked (the scan lists the most telling first: routes by
    mount order, the server entry point before the others), so the tail goes first:
    excerpts before facts, because a fact line carries its own citation in a few tokens.
    """
    system = Message("system", prompts.render("system"))
    keep_facts, keep_excerpts = list(facts), list(excerpts)
    omitted: list[str] = []

    def render() -> tuple[Message, ...]:
        user = prompts.render(
            "section",
            section_key=section.key,
            heading=section.heading,
            level=section.level,
            guidance=_guidance_text(section),
            facts=tuple(keep_facts),
            excerpts=tuple(keep_excerpts),
            omitted=tuple(omitted),
            questions=questions,
        )
        return (system, Message("user", user))

    messages = render()
    while estimate_messages(tuple(m.content for m in messages)) > budget:
        if keep_excerpts:
            dropped = keep_excerpts.pop()
            omitted.append(f"code excerpt {dropped.path}:{dropped.start}-{dropped.end}")
        elif keep_facts:
            # Drop facts in chunks so a 5,000-route repository does not render 5,000 times.
            cut = max(1, len(keep_facts) // 8)
            del keep_facts[-cut:]
            omitted[:] = [o for o in omitted if not o.endswith("fact lines")]
            omitted.append(f"{len(facts) - len(keep_facts)} of {len(facts)} fact lines")
        else:
            break  # the guidance alone is over budget; the request says so by its size
        messages = render()
    return messages, tuple(omitted)


_MOST_SHOWN = 2
"""Code excerpts per request: enough to explain from, few enough to read fast."""


def _job(
    section: Section,
    summary: RepoSummary,
    tree: RepoTree,
    prompts: PromptSet | None,
    top: bool,
    budget: int,
    docs: tuple[str, ...] = (),
) -> SectionJob:
    kinds = section_facts(section)
    parts = tuple(_job(sub, summary, tree, None, False, budget) for sub in section.subsections)
    all_kinds = tuple(dict.fromkeys(kinds + tuple(k for p in parts for k in p.facts)))
    excerpts = _excerpts(kinds, summary, tree)
    if not top or prompts is None:
        return SectionJob(section, kinds, excerpts, parts, ())
    asked = prompts.questions()
    questions = tuple(dict.fromkeys(asked[k] for k in all_kinds if k in asked))
    facts = prompt_facts(all_kinds, summary, docs)
    if not questions or not facts:  # the facts say it all, or there is nothing to explain
        return SectionJob(section, kinds, excerpts, parts, ())
    quoted = excerpts + tuple(e for p in parts for e in p.excerpts)
    shown = [*quoted, *_shown(all_kinds, summary, tree)]
    unique = list({(e.path, e.start): e for e in shown}.values())[:_MOST_SHOWN]
    messages, omitted = _fitted_messages(section, facts, tuple(unique), prompts, budget, questions)
    return SectionJob(section, kinds, excerpts, parts, messages, omitted, questions)


def plan(
    template: Template,
    summary: RepoSummary,
    tree: RepoTree,
    doc_path: str,
    prompts: PromptSet,
    budget: int = DEFAULT_BUDGET,
) -> Plan:
    warnings = []
    for section in template.all_sections():
        unknown = [f for f in section.facts if f not in FACT_KINDS]
        if unknown:
            warnings.append(
                f"template {template.name}, section {section.heading!r} (line {section.line}): "
                f"unknown fact kinds {', '.join(unknown)}; known kinds are {', '.join(FACT_KINDS)}"
            )
    prompts.render("system")  # proves the prompts render, even when no section is asked
    context = _context(summary, tree, doc_path)
    jobs = tuple(
        _job(section, summary, tree, prompts, True, budget, context.docs)
        for section in template.sections
    )
    return Plan(template, summary, context, jobs, tuple(warnings))
