"""``archdraft scan --format markdown``: the summary as a readable report."""

from __future__ import annotations

from archdraft.scan.summary import Evidence, RepoSummary


def _ev(evidence: tuple[Evidence, ...]) -> str:
    return ", ".join(f"`{e.cite()}`" for e in evidence[:3])


def _reach(s: RepoSummary) -> list[str]:
    if not s.reach.registrations:
        return []
    shown = ", ".join(
        f"`{call}` at `{e.cite()}`" for e, call in zip(s.reach.examples, s.reach.calls, strict=True)
    )
    more = ", ..." if s.reach.unrouted > len(s.reach.examples) else ""
    return [
        f"- {s.reach.unrouted} of {s.reach.registrations} registration-looking lines gave no "
        "route" + (f" ({shown}{more})" if shown else "")
    ]


def render_markdown(summary: RepoSummary) -> str:
    s = summary
    lines = [
        f"# Scan of {s.repo.name}",
        "",
        f"- Commit: `{s.repo.commit}`" if s.repo.commit else "- Commit: not a git repository",
        f"- Files: {s.repo.files} ({s.repo.bytes} bytes)",
    ]
    if s.module_system:
        lines.append(f"- Module system: {s.module_system}")
    sections: list[tuple[str, list[str]]] = [
        (
            "Languages",
            [f"- {lang.name}: {lang.files} files, {lang.lines} lines" for lang in s.languages],
        ),
        (
            "Stack",
            [
                f"- {i.category}: **{i.name}** {i.version or ''} ({_ev(i.evidence)})".replace(
                    "  ", " "
                )
                for i in s.stack
            ],
        ),
        ("Entry points", [f"- {e.kind}: `{e.path}` ({_ev(e.evidence)})" for e in s.entrypoints]),
        ("Environment variables", [f"- `{v.name}` ({_ev(v.evidence)})" for v in s.env_vars]),
        (
            "Routes",
            [
                f"- `{r.method} {r.path}` → {r.handler or '?'}, auth {r.auth} ({_ev(r.evidence)})"
                for r in s.routes
            ],
        ),
        ("Route reach", _reach(s)),
        (
            "Middleware",
            [f"- {m.name} ({m.scope}, order {m.order}) ({_ev(m.evidence)})" for m in s.middleware],
        ),
        ("Auth", [f"- {a.method} ({_ev(a.evidence)})" for a in s.auth]),
        ("Models", [f"- {m.name} ({m.kind}) ({_ev(m.evidence)})" for m in s.models]),
        ("Services", [f"- {x.name} ({_ev(x.evidence)})" for x in s.services]),
        ("Integrations", [f"- {i.name} ({i.kind}) ({_ev(i.evidence)})" for i in s.integrations]),
        ("Errors", [f"- {e.kind}: {e.name} ({_ev(e.evidence)})" for e in s.errors]),
        ("Tests", [f"- {t.kind}: `{t.path}`" for t in s.tests]),
        ("Warnings", [f"- {w}" for w in s.warnings]),
    ]
    for title, items in sections:
        lines += ["", f"## {title}", ""] + (items or ["None found."])
    return "\n".join(lines) + "\n"
