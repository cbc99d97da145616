"""The offline drafter: every section written from the facts alone, deterministically.

Each fact kind has one renderer. A renderer returns markdown lines, or nothing when the
repository holds no such facts; a section with nothing at all says so plainly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from archdraft.citations import cite, cite_file
from archdraft.draft import NOT_FOUND, SectionDraft
from archdraft.plan import ENTRY_KIND, Excerpt, Plan, RepoContext, SectionJob, source_roles
from archdraft.scan.summary import Evidence, RepoSummary, StackItem

_CATEGORY = {
    "runtime": ("Runtime", "Runs the server code"),
    "framework": ("Framework", "HTTP server, routing and request handling"),
    "database": ("Database", "Stores the application's data"),
    "orm": ("ORM/Query Builder", "Database access from code"),
    "validation": ("Validation", "Validates input and data shapes"),
    "logging": ("Logging", "Application logs and error reporting"),
    "testing": ("Testing", "Automated tests"),
    "linting": ("Linting", "Static analysis of the code"),
    "formatting": ("Formatting", "Consistent code formatting"),
    "type_checking": ("Type Checking", "Static type checks"),
    "cache": ("Cache", "Caching and fast key-value storage"),
    "queue": ("Queue", "Background jobs and messaging"),
    "auth": ("Authentication", "Identity, tokens and credentials"),
    "http_client": ("HTTP Client", "Calls to other services"),
    "api_docs": ("API Docs", "API description and documentation"),
    "container": ("Container", "Packaging and deployment"),
    "ci": ("CI", "Continuous integration"),
}
_AUTH_METHOD = {"jwt": "JWT", "session": "Session", "oauth": "OAuth", "api_key": "API key",
                "basic": "HTTP Basic", "other": "Other"}  # fmt: skip
_MODULE_SYSTEM = {
    "esm": "ES modules",
    "commonjs": "CommonJS",
    "both": "both ES modules and CommonJS",
}


@dataclass(frozen=True)
class _Ctx:
    summary: RepoSummary
    repo: RepoContext
    job: SectionJob

    def cite(self, evidence: Evidence) -> str:
        return cite(evidence, self.repo.doc_path)

    def cites(self, evidence: Iterable[Evidence], most: int = 3) -> str:
        return ", ".join(self.cite(e) for e in list(evidence)[:most])

    def file(self, path: str) -> str:
        return cite_file(path, self.repo.doc_path)


def _tech(ctx: _Ctx, item: StackItem) -> str:
    version = f" `{item.version}`" if item.version else ""
    return f"{item.name}{version} ({ctx.cites(item.evidence, 2)})"


def _tech_bullets(ctx: _Ctx, categories: tuple[str, ...]) -> list[str]:
    return [
        f"- **{_CATEGORY[item.category][0]}:** {_tech(ctx, item)}"
        for item in ctx.summary.stack_in(*categories)
    ]


def _excerpt_block(ctx: _Ctx, excerpt: Excerpt) -> list[str]:
    where = ctx.cite(Evidence(excerpt.path, excerpt.start))
    return [
        f"From {where} (lines {excerpt.start}–{excerpt.end}):",
        "",
        f"```{excerpt.language}",
        excerpt.text,
        "```",
    ]


_ECOSYSTEM_LANGUAGES = {
    "package.json": ("TypeScript", "JavaScript"),
    "pyproject.toml": ("Python",),
    "go.mod": ("Go",),
    "pom.xml": ("Java", "Kotlin"),
}


def _main_language(summary: RepoSummary) -> str | None:
    """The language the backend is written in: that of the framework's manifest when there
    is one (a repository's frontend may hold more lines), else the largest."""
    lines = {lang.name: lang.lines for lang in summary.languages}
    for item in summary.stack_in("framework"):
        name = PurePosixPath(item.evidence[0].path).name if item.evidence else ""
        candidates = _ECOSYSTEM_LANGUAGES.get(
            name, ("Python",) if name.startswith("requirements") else ()
        )
        present = [c for c in candidates if lines.get(c)]
        if present:
            return max(present, key=lambda c: lines[c])
    return summary.languages[0].name if summary.languages else None


def _overview(ctx: _Ctx) -> list[str]:
    s = ctx.summary
    frameworks = s.stack_in("framework")
    language = _main_language(s)
    if not frameworks and not language:
        return []
    built = " and ".join(f.name for f in frameworks) if frameworks else None
    opening = f"**{ctx.repo.name}** is a {language + ' ' if language else ''}backend"
    opening += f" built on {built}." if built else "."
    lines = [opening, "", "**Key characteristics:**", ""]
    for item in frameworks:
        lines.append(f"- **Framework:** {_tech(ctx, item)}")
    for item in s.stack_in("runtime"):
        lines.append(f"- **Runtime:** {_tech(ctx, item)}")
    for item in s.stack_in("database", "orm", "cache"):
        lines.append(f"- **{_CATEGORY[item.category][0]}:** {_tech(ctx, item)}")
    servers = [e for e in s.entrypoints if e.kind == "server"]
    if servers:
        main = servers[0]
        quoted = _quoted_line(ctx, main.path, main.line)
        lines.append(
            f"- **Server entry point:** {ctx.cite(Evidence(main.path, main.line))}"
            + (f" (`{quoted}`)" if quoted else "")
        )
    if s.module_system:
        lines.append(
            f"- **Module system:** {_MODULE_SYSTEM[s.module_system]}, from the package "
            "manifest and the import syntax of the sources"
        )
    if ctx.repo.folders:
        shown = ", ".join(f"`{folder}/`" for folder, _count in ctx.repo.folders[:8])
        lines.append(f"- **Code organisation:** source folders {shown}")
    if s.routes:
        lines.append(f"- **HTTP API:** {len(s.routes)} routes")
    return lines


def _stack(ctx: _Ctx) -> list[str]:
    if not ctx.summary.stack:
        return []
    lines = [
        "| Category | Technology | Version | Purpose | Evidence |",
        "|----------|------------|---------|---------|----------|",
    ]
    for item in ctx.summary.stack:
        label, purpose = _CATEGORY[item.category]
        version = f"`{item.version}`" if item.version else "—"
        lines.append(
            f"| **{label}** | {item.name} | {version} | {purpose} | {ctx.cites(item.evidence, 2)} |"
        )
    return lines


def _quoted_line(ctx: _Ctx, path: str, line: int | None) -> str | None:
    """The cited line's code, from an excerpt the plan read, for quoting beside the citation."""
    for excerpt in ctx.job.excerpts:
        if line and excerpt.path == path and excerpt.start <= line <= excerpt.end:
            code = excerpt.text.splitlines()[line - excerpt.start].strip().replace("`", "'")
            return code if len(code) <= 80 else code[:77] + "..."
    return None


def _entrypoints(ctx: _Ctx) -> list[str]:
    entries = ctx.summary.entrypoints
    if not entries:
        return []
    servers = [e for e in entries if e.kind == "server"] or list(entries)
    main = servers[0]
    what = "server" if main.kind == "server" else "program"
    quoted = _quoted_line(ctx, main.path, main.line)
    lines = [
        f"**File:** {ctx.file(main.path)}",
        "",
        f"The {what} starts at {ctx.cite(Evidence(main.path, main.line))}"
        + (f": `{quoted}`" if quoted else "."),
    ]
    for excerpt in ctx.job.excerpts:
        if excerpt.path == main.path:
            lines += ["", *_excerpt_block(ctx, excerpt)]
    others = [e for e in entries if e is not main]
    if others:
        lines += ["", "Other entry points:", ""]
        for e in others:
            quoted = _quoted_line(ctx, e.path, e.line)
            code = f", `{quoted}`" if quoted else ""
            lines.append(
                f"- {ctx.file(e.path)}: {ENTRY_KIND.get(e.kind, e.kind)} "
                f"({ctx.cite(Evidence(e.path, e.line))}{code})"
            )
    return lines


def _config(ctx: _Ctx) -> list[str]:
    env = ctx.summary.env_vars
    if not env:
        return []
    lines = [
        f"Configuration is read from {len(env)} environment variable"
        f"{'s' if len(env) != 1 else ''} (names only; values are never recorded):",
        "",
        "| Variable | Read at |",
        "|----------|---------|",
    ]
    lines += [f"| `{v.name}` | {ctx.cites(v.evidence)} |" for v in env]
    return lines


PIPE = "\\|"
"""A pipe inside a table cell, escaped as GitHub's tables read it."""


def _reach(ctx: _Ctx) -> list[str]:
    """What the route list may be missing: registration-looking lines no route came from."""
    reach = ctx.summary.reach
    if not reach.registrations:
        return []
    if not reach.unrouted:
        return [
            f"Each of the {reach.registrations} registration-looking lines in the code gave "
            "a route listed here."
        ]
    shown = ", ".join(
        f"`{call}` at {ctx.cite(e)}" for e, call in zip(reach.examples, reach.calls, strict=True)
    )
    return [
        f"{reach.unrouted} of {reach.registrations} registration-looking lines in the code "
        f"gave no route listed here, so the list may be missing routes (for example {shown})."
    ]


def _routes(ctx: _Ctx) -> list[str]:
    routes = ctx.summary.routes
    if not routes:
        return _reach(ctx)
    groups: dict[str, list[str]] = {}
    for route in routes:
        parts = [p for p in route.path.split("/") if p and not p.startswith("{")]
        base = "/" + "/".join(parts[:2]) if parts else "/"
        # a pipe in a regex route ((/+api|/+api/*?)) would end the table cell
        path = route.path.replace("|", PIPE)
        handler = f"`{route.handler.replace('|', PIPE)}`" if route.handler else "—"
        groups.setdefault(base, []).append(
            f"| `{route.method}` | `{path}` | {handler} | {route.auth} "
            f"| {ctx.cites(route.evidence, 1)} |"
        )
    lines: list[str] = []
    level = "#" * (ctx.job.section.level + 1)
    for base, rows in sorted(groups.items()):
        lines += [
            f"{level} `{base}`",
            "",
            "| Method | Path | Handler | Auth | Evidence |",
            "|--------|------|---------|------|----------|",
            *rows,
            "",
        ]
    return lines + _reach(ctx) if ctx.summary.reach.registrations else lines[:-1]


def _middleware(ctx: _Ctx) -> list[str]:
    scopes = {"global": "runs on every request",
              "group": "runs on the routes of one router or path",
              "route": "runs on single routes"}  # fmt: skip
    grouped: dict[tuple[str, str], list[Evidence]] = {}
    order: dict[tuple[str, str], tuple[bool, int]] = {}
    for m in ctx.summary.middleware:
        key = (m.scope, m.name)
        grouped.setdefault(key, []).extend(m.evidence)
        order.setdefault(key, (m.order is None, m.order or 0))
    keys = sorted(grouped, key=lambda k: (order[k], k[0] != "group", k[1]))
    return [
        f"{index}. **{name}** — {scopes.get(scope, scope)} ({ctx.cites(grouped[(scope, name)], 3)})"
        for index, (scope, name) in enumerate(keys, start=1)
    ]


def _auth(ctx: _Ctx) -> list[str]:
    lines = []
    for fact in ctx.summary.auth:
        # name the libraries whose declaration is cited, so the citation shows what it claims
        libraries = [
            i.name for i in ctx.summary.stack_in("auth") if set(i.evidence) & set(fact.evidence)
        ]
        via = f", with {', '.join(libraries)}" if libraries else ""
        method = _AUTH_METHOD.get(fact.method, fact.method)
        lines.append(f"- **Method:** {method}{via} ({ctx.cites(fact.evidence)})")
    lines += [f"- **Library:** {_tech(ctx, item)}" for item in ctx.summary.stack_in("auth")]
    return lines


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _access(ctx: _Ctx) -> list[str]:
    routes = ctx.summary.routes
    if not routes:
        return []
    required = [r for r in routes if r.auth == "required"]
    public = [r for r in routes if r.auth == "public"]
    unknown = len(routes) - len(required) - len(public)
    lines = [
        f"- **Authentication required:** {len(required)} of {_plural(len(routes), 'route')}",
        f"- **Marked public:** {_plural(len(public), 'route')}",
        f"- **Not determined statically:** {_plural(unknown, 'route')}",
    ]
    if public:
        lines.append(
            "- **Public routes:** "
            + ", ".join(f"`{r.method} {r.path}` ({ctx.cites(r.evidence, 1)})" for r in public[:10])
        )
    return lines


def _services(ctx: _Ctx) -> list[str]:
    return [f"- **{s.name}** ({ctx.cites(s.evidence, 2)})" for s in ctx.summary.services]


def _data(ctx: _Ctx) -> list[str]:
    lines = _tech_bullets(ctx, ("database", "orm", "cache"))
    models = ctx.summary.models
    if models:
        lines += [""] if lines else []
        lines += ["| Model | Kind | Defined at |", "|-------|------|------------|"]
        lines += [f"| `{m.name}` | {m.kind} | {ctx.cites(m.evidence, 1)} |" for m in models]
    connection = [
        v
        for v in ctx.summary.env_vars
        if any(
            word in v.name.upper()
            for word in ("DATABASE", "DB_", "_DB", "MONGO", "POSTGRES", "MYSQL", "REDIS")
        )
    ]
    if connection and lines:
        lines += [
            "",
            "Connection settings come from "
            + ", ".join(f"`{v.name}` ({ctx.cites(v.evidence, 1)})" for v in connection)
            + ".",
        ]
    return lines


def _errors(ctx: _Ctx) -> list[str]:
    classes = [e for e in ctx.summary.errors if e.kind == "class"]
    values = [e for e in ctx.summary.errors if e.kind == "value"]
    handlers = [e for e in ctx.summary.errors if e.kind == "handler"]
    lines = []
    if classes:
        lines += ["Error classes:", ""] + [
            f"- `{e.name}` ({ctx.cites(e.evidence, 1)})" for e in classes
        ]
    if values:
        lines += ([""] if lines else []) + ["Error values:", ""]
        lines += [f"- `{e.name}` ({ctx.cites(e.evidence, 1)})" for e in values]
    if handlers:
        lines += ([""] if lines else []) + ["Error handlers:", ""]
        lines += [f"- `{e.name}` ({ctx.cites(e.evidence, 1)})" for e in handlers]
    return lines


def _error_response(ctx: _Ctx) -> list[str]:
    lines: list[str] = []
    for excerpt in ctx.job.excerpts:
        handler = next(
            (
                e
                for e in ctx.summary.errors
                if e.kind == "handler" and e.evidence[0].path == excerpt.path
            ),
            None,
        )
        if handler:
            intro = f"Error responses are built by `{handler.name}`:"
            lines += [intro, "", *_excerpt_block(ctx, excerpt)]
    return lines


def _logging(ctx: _Ctx) -> list[str]:
    return _tech_bullets(ctx, ("logging",))


def _integrations(ctx: _Ctx) -> list[str]:
    return [
        f"- **{i.name}** ({i.kind}) — {ctx.cites(i.evidence, 2)}" for i in ctx.summary.integrations
    ]


def _tests(ctx: _Ctx) -> list[str]:
    tests = ctx.summary.tests
    tools = ctx.summary.stack_in("testing")
    if not tests and not tools:
        return []
    labels = {
        "unit": "Unit tests",
        "integration": "Integration tests",
        "e2e": "E2E tests",
        "unknown": "Tests (kind not stated by their path)",
    }
    lines = []
    for kind in ("unit", "integration", "e2e", "unknown"):
        where = [t.path for t in tests if t.kind == kind]
        if where:
            lines.append(f"- **{labels[kind]}:** " + ", ".join(ctx.file(p) for p in where))
    if tools:
        lines.append("- **Tools:** " + ", ".join(_tech(ctx, t) for t in tools))
    return lines


def _performance(ctx: _Ctx) -> list[str]:
    return _tech_bullets(ctx, ("cache", "queue"))


def _security(ctx: _Ctx) -> list[str]:
    lines = _tech_bullets(ctx, ("validation", "auth"))
    lines += [
        f"- **Middleware:** {m.name} ({ctx.cites(m.evidence, 1)})"
        for m in ctx.summary.middleware
        if any(
            word in m.name.lower()
            for word in ("helmet", "cors", "csrf", "rate", "secure", "https", "hsts", "antiforgery")
        )
    ]
    return lines


def _quality(ctx: _Ctx) -> list[str]:
    lines = _tech_bullets(ctx, ("linting", "formatting", "type_checking", "ci"))
    if ctx.repo.folders:
        lines.append(
            "- **File organisation:** "
            + ", ".join(
                f"`{folder}/` ({count} file{'s' if count != 1 else ''})"
                for folder, count in ctx.repo.folders
            )
        )
    return lines


def _docs(ctx: _Ctx) -> list[str]:
    return [f"- {ctx.file(path)}" for path in ctx.repo.docs]


def _sources(ctx: _Ctx) -> list[str]:
    return [
        f"- {ctx.file(path)} — {', '.join(role_list)}"
        for path, role_list in source_roles(ctx.summary).items()
    ]


RENDERERS: dict[str, Callable[[_Ctx], list[str]]] = {
    "overview": _overview,
    "stack": _stack,
    "entrypoints": _entrypoints,
    "config": _config,
    "routes": _routes,
    "middleware": _middleware,
    "auth": _auth,
    "access": _access,
    "services": _services,
    "data": _data,
    "errors": _errors,
    "error_response": _error_response,
    "logging": _logging,
    "integrations": _integrations,
    "tests": _tests,
    "performance": _performance,
    "security": _security,
    "quality": _quality,
    "docs": _docs,
    "sources": _sources,
}


class OfflineDrafter:
    """Writes sections from the facts alone. Same plan, same bytes."""

    name = "offline"

    def __init__(self, drop_empty: bool = False) -> None:
        self.drop_empty = drop_empty

    def _body(self, job: SectionJob, plan: Plan) -> tuple[list[str], bool]:
        """The section's lines below its heading, and whether it found nothing at all."""
        covered = {kind for part in job.parts for kind in part.facts}
        ctx = _Ctx(plan.summary, plan.context, job)
        own: list[str] = []
        for kind in job.facts:
            if kind in covered:
                continue
            rendered = RENDERERS[kind](ctx)
            if rendered:
                own += ([""] if own else []) + rendered
        parts: list[str] = []
        parts_empty = True
        for part in job.parts:
            if part.section.placeholder:
                continue
            body, empty = self._body(part, plan)
            if empty and self.drop_empty:
                continue
            parts_empty = parts_empty and empty
            parts += [f"{'#' * part.section.level} {part.section.heading}", "", *body, ""]
        empty = not own and parts_empty
        if not own and (not parts or set(job.facts) - covered):
            own = [NOT_FOUND]
        if own and parts:
            own.append("")
        return own + parts, empty

    def draft_section(self, job: SectionJob, plan: Plan) -> SectionDraft:
        body, empty = self._body(job, plan)
        heading = f"{'#' * job.section.level} {job.section.heading}"
        markdown = "\n".join([heading, "", *body]).rstrip() + "\n"
        return SectionDraft(
            job.section.key, job.section.heading, job.section.level, markdown, empty, self.name
        )
