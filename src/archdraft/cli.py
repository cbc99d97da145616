"""The command line: thin Typer commands that call the stages and print. This is the one
place where errors become exit codes."""

from __future__ import annotations

import dataclasses
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from archdraft import __version__, console
from archdraft.cli_shared import (
    BaseUrlOpt,
    ModelOpt,
    OfflineOpt,
    PathArg,
    PromptsOpt,
    app,
    reported,
)
from archdraft.config import load_config
from archdraft.document import section_headings
from archdraft.draft.model import ModelReport, SectionReport
from archdraft.impact import describe
from archdraft.pipeline import (
    DraftRun,
    check_document,
    rejected_lines,
    run_draft,
    run_facts,
    scan_repo,
    verify_document,
)
from archdraft.redact import gate
from archdraft.resources import available_templates
from archdraft.review import Proposal, apply, prepare, settle
from archdraft.review_session import Outcome, decide, decide_unattended, show_changes
from archdraft.runs import SavedRun, load_run, prompt_hashes, record, save_run
from archdraft.scan.report import render_markdown
from archdraft.verify import Findings

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_PENDING = 3
"""No terminal to review at and no --yes: nothing written, the run saved for review."""
EXIT_DECLINED = 4
"""The reviewer accepted nothing, or quit: nothing written."""
EXIT_FINDINGS = 5
"""``verify --strict`` found something."""
EXIT_GUARD = 6
"""A guard refused the result (see ``errors.GuardError``)."""
EXIT_STALE = 7
"""``check``: the document no longer matches the facts of the code."""
EXIT_INTERRUPTED = 130


class ScanFormat(str, Enum):
    json = "json"
    markdown = "markdown"


class VerifyFormat(str, Enum):
    text = "text"
    json = "json"


def _report(findings: Findings) -> None:
    if not findings.items:
        console.success("Verify: no findings.")
        return
    grouped = {
        section: [(f.line, f.kind, f.text, f.reason) for f in items]
        for section, items in findings.by_section().items()
    }
    console.show_findings(grouped)
    count, sections = len(findings.items), len(grouped)
    console.warn(
        f"verify: {count} finding{'s' if count != 1 else ''} in "
        f"{sections} section{'s' if sections != 1 else ''}"
    )


def _version(value: bool) -> None:
    if value:
        console.raw(f"archdraft {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """archdraft: scan a repository, draft its architecture document, review, write."""


@app.command("scan")
def scan_command(
    path: PathArg = Path("."),
    format: Annotated[
        ScanFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ScanFormat.json,
) -> None:
    """Scan a repository and print its summary (schema archdraft.scan/v1)."""
    with reported():
        config = load_config(path, os.environ)
        _tree, summary = scan_repo(path, config)
        console.raw(summary.to_json() if format is ScanFormat.json else render_markdown(summary))


@app.command("draft")
def draft_command(
    path: PathArg = Path("."),
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            "-t",
            help="A template name (see `archdraft templates`) or a markdown file.",
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o", help="Where to write the document, relative to the repository."
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Accept every section archdraft owns whose draft has no finding; keep the rest.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write even if a section is dropped or the document halves; with --yes, "
            "accept drafts with findings too.",
        ),
    ] = False,
    stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the document instead of writing it.")
    ] = False,
    drop_empty: Annotated[
        bool | None,
        typer.Option(
            "--drop-empty/--keep-empty",
            help="Remove sections with nothing found instead of saying so.",
        ),
    ] = None,
    prompts: PromptsOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    offline: OfflineOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print each request as it would be sent, and its estimate; send nothing.",
        ),
    ] = False,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Sections drafted at the same time.")
    ] = None,
    cache: Annotated[
        bool | None, typer.Option("--cache/--no-cache", help="Reuse stored model replies.")
    ] = None,
    budget_tokens: Annotated[
        int | None, typer.Option("--budget-tokens", help="Prompt tokens per section.")
    ] = None,
    reply_tokens: Annotated[
        int | None, typer.Option("--reply-tokens", help="Most tokens a section reply may take.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Seconds to wait for one reply.")
    ] = None,
    temperature: Annotated[float | None, typer.Option("--temperature")] = None,
    frequency_penalty: Annotated[
        float | None,
        typer.Option(
            "--frequency-penalty", help="Penalise repeated tokens (helps small models that loop)."
        ),
    ] = None,
    repair_rounds: Annotated[
        int | None,
        typer.Option(
            "--repair-rounds", help="Send a section with verify findings back this many times."
        ),
    ] = None,
) -> None:
    """Draft the architecture document, show the diff, and write it once you agree."""
    with reported():
        config = load_config(
            path,
            os.environ,
            template=template,
            out=out,
            drop_empty=drop_empty,
            model=model,
            base_url=base_url,
            offline=offline,
            jobs=jobs,
            cache=cache,
            budget_tokens=budget_tokens,
            reply_tokens=reply_tokens,
            timeout=timeout,
            temperature=temperature,
            frequency_penalty=frequency_penalty,
            repair_rounds=repair_rounds,
        )
        with console.SectionProgress() as progress:
            run = run_draft(
                path, config, Path.cwd(), prompts, os.environ, dry_run=dry_run, progress=progress
            )
        for warning in run.warnings:
            console.warn(warning)
        if dry_run:
            _show_dry_run(run)
            return
        if run.model is not None:
            _show_usage(run.model, rejected_lines(run))
        else:  # the one line that says who drafted and why, in every mode
            console.info(f"Drafting {run.drafter}.")
        if stdout:
            console.raw(run.document)
            return
        root = run.tree.root
        doc_path = run.plan.context.doc_path
        headings = section_headings(run.template)
        usage = dataclasses.asdict(run.model) if run.model is not None else None
        saved = save_run(
            root,
            doc_path,
            run.document,
            headings,
            run.findings.items,
            run.drafter,
            prompt_hashes(run.prompts.folder),
            usage,
            run_facts(run),
            rejected=rejected_lines(run),
        )
        console.info(
            f"Drafted {len(run.draft.sections)} sections of {doc_path} from template "
            f"{run.template.name} ({run.template_path}) with prompts from {run.prompts.folder}; "
            f"saved as run {saved.id}."
        )
        proposal = prepare(
            root, doc_path, run.document, headings, run.findings.items, saved.facts, saved.rejected
        )
        _review(root, proposal, saved, yes, force)


def _review(root: Path, proposal: Proposal, saved: SavedRun, yes: bool, force: bool) -> None:
    """Show, ask (or apply --yes), write what was accepted, and say what became of each
    section. Shared by ``draft`` and ``review``."""
    doc = proposal.shown_path
    if not proposal.changed:
        settle(proposal, root)
        record(saved, {u.key: "unchanged" for u in proposal.units})
        console.success(f"{doc} is up to date; nothing to write.")
        return
    if yes:
        show_changes(proposal)
        outcome = decide_unattended(proposal, force)
    elif not console.is_interactive():
        show_changes(proposal)
        record(saved, {u.key: "pending" for u in proposal.changed})
        console.warn(
            f"no terminal to review at, so nothing was written to {doc}. The run is saved as "
            f"{saved.id}: run `archdraft review {saved.id}` at a terminal, or draft with --yes."
        )
        raise typer.Exit(EXIT_PENDING)
    else:
        try:
            outcome = decide(proposal)
        except (KeyboardInterrupt, EOFError):
            console.info(f"\nInterrupted; nothing written. The run is saved as {saved.id}.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        if outcome.quit:
            console.info(
                f"Quit; nothing written, {doc} is unchanged. "
                f"`archdraft review {saved.id}` picks the run up again."
            )
            raise typer.Exit(EXIT_DECLINED)
    record(saved, outcome.statuses)
    _summarise(proposal, outcome)
    if not outcome.decisions:
        console.info(f"Nothing accepted; {doc} is unchanged.")
        if not yes:
            raise typer.Exit(EXIT_DECLINED)
        return
    pending = frozenset(k for k, v in outcome.statuses.items() if v == "pending")
    apply(proposal, outcome.decisions, root, force, pending)
    console.success(f"Wrote {doc}.")


def _summarise(proposal: Proposal, outcome: Outcome) -> None:
    by_status: dict[str, list[str]] = {}
    for unit in proposal.changed:
        status = outcome.statuses.get(unit.key, "rejected")
        by_status.setdefault(status, []).append(unit.heading)
    words = {
        "accepted": "accepted",
        "edited": "accepted as edited",
        "kept": "kept as you wrote them",
        "rejected": "rejected",
        "pending": "left for `archdraft review` (verify findings; --force accepts them)",
    }
    for status, label in words.items():
        if by_status.get(status):
            console.info(f"{label}: " + "; ".join(by_status[status]))


def _money(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


def _warn_omitted(report: ModelReport) -> None:
    for section in report.sections:
        if section.omitted:
            console.warn(
                f"section {section.heading!r}: left out of the prompt to fit the budget: "
                + "; ".join(section.omitted)
            )


def _prose(section: SectionReport) -> str:
    if section.status == "facts":
        return "facts only"
    if not (section.kept or section.rejected):
        return ""
    return f"{section.kept} kept, {section.rejected} left out"


def _show_usage(report: ModelReport, rejected: dict[str, tuple[str, ...]]) -> None:
    rows = [
        (
            s.heading,
            s.status,
            _prose(s),
            str(s.prompt_tokens),
            str(s.completion_tokens),
            f"{s.seconds:.1f}",
        )
        for s in report.sections
    ]
    rows.append(
        (
            "",
            "total",
            f"{sum(s.kept for s in report.sections)} kept, "
            f"{sum(s.rejected for s in report.sections)} left out",
            str(report.prompt_tokens),
            str(report.completion_tokens),
            f"{report.wall_seconds:.1f}",
        )
    )
    console.show_table(
        f"{report.model} at {report.endpoint}",
        ("section", "status", "prose sentences", "prompt tokens", "completion tokens", "seconds"),
        rows,
    )
    headings = {s.key: s.heading for s in report.sections}
    for key, lines in rejected.items():
        for line in lines:
            console.info(f"left out of {headings.get(key, key)!r}: {line}")
    console.info(
        f"model: {report.requests} requests, {report.cached} from cache, "
        f"{len(report.failed)} failed; cost "
        f"{_money(report.cost(report.prompt_tokens, report.completion_tokens))}."
    )
    for failed in report.failed:
        console.warn(f"section {failed.heading!r} was not drafted: {failed.error}")
    _warn_omitted(report)


def _show_dry_run(run: DraftRun) -> None:
    report = run.model
    assert report is not None
    for heading, messages in run.requests:
        console.raw(f"===== {heading} =====\n")
        for role, content in gate([(m.role, m.content) for m in messages]):
            console.raw(f"----- {role} -----\n{content.rstrip()}\n")
        console.raw("\n")
    to_send = [s for s in report.sections if s.status == "dry-run"]
    estimate = sum(s.estimated_tokens for s in to_send)
    reply = len(to_send) * report.reply_limit
    console.info(
        f"dry run: {len(report.sections)} requests to {report.model} at {report.endpoint}, "
        f"{report.cached} answered from cache; about {estimate} prompt tokens and at most "
        f"{reply} reply tokens to send, estimated cost {_money(report.cost(estimate, reply))} "
        "at most. Nothing was sent. (The overview's real request quotes the model's drafts "
        "of the other sections.)"
    )
    _warn_omitted(report)


@app.command("review")
def review_command(
    run_id: Annotated[
        str | None, typer.Argument(metavar="[RUN]", help="A saved run's id; the latest if omitted.")
    ] = None,
    path: Annotated[
        Path, typer.Option("--repo", "-C", help="The repository the run belongs to.")
    ] = Path("."),
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Accept as `draft --yes` would, without asking."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write even if a section is dropped or the document halves."),
    ] = False,
) -> None:
    """Review a saved run (the latest by default) against the document as it is now."""
    with reported():
        root = path.resolve()
        saved = load_run(root, run_id)
        console.info(f"Reviewing run {saved.id} ({saved.drafter}) for {saved.doc_path}.")
        proposal = prepare(
            root,
            saved.doc_path,
            saved.document,
            saved.headings,
            saved.findings,
            saved.facts,
            saved.rejected,
        )
        _review(root, proposal, saved, yes, force)


@app.command("verify")
def verify_command(
    document: Annotated[Path, typer.Argument(help="The markdown document to check.")],
    path: PathArg = Path("."),
    format: Annotated[
        VerifyFormat, typer.Option("--format", "-f", help="Output format.")
    ] = VerifyFormat.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 5 on any finding (for CI).")
    ] = False,
    template: Annotated[
        str | None,
        typer.Option("--template", "-t", help="Also check every section of this template is kept."),
    ] = None,
) -> None:
    """Check a document against the repository: citations, names, leftovers, coverage."""
    with reported():
        config = load_config(path, os.environ)
        findings = verify_document(document, path, config, Path.cwd(), template)
        if format is VerifyFormat.json:
            console.raw(findings.to_json())
        else:
            _report(findings)
        if strict and findings.items:
            raise typer.Exit(EXIT_FINDINGS)


@app.command("check")
def check_command(
    path: PathArg = Path("."),
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="The template the document follows.")
    ] = None,
    out: Annotated[
        str | None, typer.Option("--out", "-o", help="The document, relative to the repository.")
    ] = None,
) -> None:
    """Exit with code 7 when the document is stale: facts its sections were drafted from
    have changed. Fast enough for a pre-commit hook; sends nothing, writes nothing."""
    with reported():
        config = load_config(path, os.environ, template=template, out=out)
        doc_path, exists, stale = check_document(path, config, Path.cwd())
        if not exists:
            console.warn(f"{doc_path} does not exist; run `archdraft draft` to write it.")
            raise typer.Exit(EXIT_STALE)
        if not stale:
            console.success(f"{doc_path} is current: every section's facts are as drafted.")
            return
        for section in stale:
            if not section.recorded:
                console.warn(
                    f"stale: {section.heading}: no record of the facts it was drafted from"
                )
                continue
            changes = describe(section.added, section.removed)
            console.warn(
                f"stale: {section.heading}"
                + ("" if changes else ": its draft from the facts changed (a count, quoted code)")
            )
            for change in changes[:8]:
                console.info(f"    {change}")
            if len(changes) > 8:
                console.info(f"    ... and {len(changes) - 8} more")
        console.info(
            f"{len(stale)} section{'s' if len(stale) != 1 else ''} of {doc_path} stale; "
            "run `archdraft draft` to redraft and review them."
        )
        raise typer.Exit(EXIT_STALE)


@app.command("templates")
def templates_command() -> None:
    """List the documentation templates archdraft ships."""
    with reported():
        for name in available_templates():
            console.raw(f"{name}\n")


from archdraft import cli_pr  # noqa: E402 - registers `pr` and `init` on the app

__all__ = ["app", "cli_pr", "main"]


def main() -> None:
    app()
