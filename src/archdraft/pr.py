"""``archdraft pr``: what a change does to the document. The merge base and the head are
read from git into temporary folders (the working tree is never used), both are scanned,
the sections whose facts changed are redrafted through the normal pipeline, and the rest
of the document stays byte for byte as it is. The result carries a pull request's title
and body; committing, pushing and opening are the caller's choice."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archdraft import __version__, git
from archdraft.config import Config
from archdraft.document import PREAMBLE, section_headings, split_document
from archdraft.draft.model import ModelReport, Progress
from archdraft.impact import Impact, SectionImpact, assess, describe, section_facts
from archdraft.pipeline import Origin, rejected_lines, run_draft, run_facts, stage
from archdraft.review import HUMAN, PINNED, Proposal, apply, findings_by_section, prepare
from archdraft.state import STATE_FILE
from archdraft.verify import verify

_OWN_FILES = (STATE_FILE.as_posix(), (STATE_FILE.parent / ".gitignore").as_posix())


@dataclass(frozen=True)
class PrDraft:
    base: str
    """The merge base's commit."""
    head: str
    doc_path: str
    impact: Impact
    redrafted: tuple[str, ...]
    """Headings of the sections whose text changed."""
    held: tuple[tuple[str, str], ...]
    """(heading, why) of affected sections left as they are."""
    same: tuple[str, ...]
    """Affected sections whose redraft is the text they already have."""
    findings: tuple[str, ...]
    rejected: tuple[str, ...]
    """``heading: sentence: why`` of the model's prose left out of redrafted sections."""
    files: dict[str, str]
    """Files to commit (path relative to the repository → new text); empty when none."""
    drafter: str
    model: ModelReport | None
    created: bool = False
    """There was no document at head: it was drafted whole."""

    @property
    def needed(self) -> bool:
        return bool(self.files)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def draft_pr(
    root: Path,
    config: Config,
    cwd: Path,
    base_ref: str,
    head_ref: str,
    prompts_folder: Path | None = None,
    environ: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    http_client: object = None,
) -> PrDraft:
    root = root.resolve()
    head = git.resolve(root, head_ref)
    base = git.merge_base(root, git.resolve(root, base_ref), head)
    changes = git.diff(root, base, head)
    commits = git.commits(root, base, head)
    with tempfile.TemporaryDirectory(prefix="archdraft-pr-") as tmp:
        base_dir, head_dir = Path(tmp) / "base", Path(tmp) / "head"
        git.archive(root, base, base_dir)
        git.archive(root, head, head_dir)
        base_origin = Origin(root.name, git.Head(base, git.commit_date(root, base)))
        head_origin = Origin(root.name, git.Head(head, git.commit_date(root, head)))
        base_staged = stage(base_dir, config, cwd, prompts_folder, base_origin)
        head_staged = stage(head_dir, config, cwd, prompts_folder, head_origin)
        doc_path = head_staged.plan.context.doc_path
        head_facts = section_facts(head_staged.plan)
        ignored = (doc_path, *_OWN_FILES)
        impact = assess(section_facts(base_staged.plan), head_facts, changes, commits, ignored)
        doc = head_dir / doc_path
        if not doc.is_file():
            # No document yet at head: every section is drafted.
            every = tuple(
                SectionImpact(s.key, s.heading, s.facts, (), (), True, (), ()) for s in head_facts
            )
            impact = Impact(impact.changes, impact.commits, every, impact.unaffected)
        if not impact.sections:
            return PrDraft(
                base, head, doc_path, impact, (), (), (), (), (), {}, "not drafted", None
            )
        run = run_draft(
            head_dir,
            config,
            cwd,
            prompts_folder,
            environ,
            progress=progress,
            http_client=http_client,
            origin=head_origin,
            only=impact.keys,
            staged=head_staged,
        )
        headings = section_headings(run.template)
        proposal = prepare(
            head_dir, doc_path, run.document, headings, run.findings.items, run_facts(run)
        )
        decisions, held, same, pending = _choose(impact, proposal)
        before = {path: _read(head_dir / path) for path in (doc_path, *_OWN_FILES)}
        files: dict[str, str] = {}
        findings: list[str] = []
        rejected: list[str] = []
        redrafted = tuple(
            proposal.unit(k).heading for k in proposal.order if k in decisions and k != PREAMBLE
        )
        if redrafted:
            document, _state = apply(proposal, decisions, head_dir, False, pending)
            for path, old in before.items():
                new = _read(head_dir / path)
                if new is not None and new != old:
                    files[path] = new
            checked = verify(document, doc_path, run.summary, run.tree, run.template)
            by_key = findings_by_section(split_document(document, headings), checked.items)
            findings = [
                f"{proposal.unit(key).heading}: {finding}"
                for key in proposal.order
                if key in decisions and key != PREAMBLE
                for finding in by_key.get(key, ())
            ]
            left_out = rejected_lines(run)
            rejected = [
                f"{proposal.unit(key).heading}: {line}"
                for key in proposal.order
                if key in decisions
                for line in left_out.get(key, ())
            ]
        return PrDraft(
            base,
            head,
            doc_path,
            impact,
            redrafted,
            tuple(held),
            tuple(same),
            tuple(findings),
            tuple(rejected),
            files,
            run.drafter,
            run.model,
            before[doc_path] is None,
        )


def _choose(
    impact: Impact, proposal: Proposal
) -> tuple[dict[str, str | None], list[tuple[str, str]], list[str], frozenset[str]]:
    """Which affected sections take their redraft: (decisions, held back with why, redrafted
    to the same text, keys not settled on the new facts)."""
    decisions: dict[str, str | None] = {}
    held: list[tuple[str, str]] = []
    same: list[str] = []
    pending: set[str] = set()
    for section in impact.sections:
        unit = next((u for u in proposal.units if u.key == section.key), None)
        if unit is None or unit.proposed is None:
            continue  # --drop-empty left it out: a pull request never drops a section
        why = ""
        if unit.owner == PINNED:
            why = "pinned with <!-- archdraft: keep -->"
        elif unit.owner == HUMAN and unit.changed and unit.last is None:
            why = (
                "archdraft has no record of writing it (is .archdraft/state.json committed?), "
                "so it counts as written by hand"
            )
        elif unit.owner == HUMAN and unit.changed:
            why = "edited by hand since archdraft last wrote it"
        if why:  # not settled on the new facts: `archdraft check` keeps naming it
            held.append((unit.heading, why))
            pending.add(unit.key)
        elif unit.changed:
            decisions[unit.key] = unit.proposed
        else:
            same.append(unit.heading)
    # The preamble (its date) moves only with a section that does.
    preamble = next((u for u in proposal.units if u.key == PREAMBLE), None)
    if decisions and preamble and preamble.changed and preamble.accepted_by_default:
        decisions[PREAMBLE] = preamble.proposed
    return decisions, held, same, frozenset(pending)


def title(result: PrDraft) -> str:
    names = result.redrafted
    what = ", ".join(names) if len(names) <= 2 else f"{len(names)} sections"
    return f"docs: update {what} of {result.doc_path} for {result.head[:7]}"


def _code_changes(impact: Impact) -> list[str]:
    lines = [f"- `{c.sha}` {c.subject}" for c in impact.commits]
    word = {"A": "added", "D": "deleted", "M": "modified", "R": "renamed", "C": "copied"}
    for change in impact.changes:
        renamed = f" (from `{change.old_path}`)" if change.old_path != change.path else ""
        lines.append(f"  - `{change.path}`{renamed}: {word.get(change.status, 'changed')}")
    return lines or ["- no file changed"]


def body(result: PrDraft) -> str:
    """The pull request's markdown: what changed in the code, which sections changed and
    why, verify findings, tokens and cost."""
    impact = result.impact
    out = [f"## archdraft: `{result.doc_path}`", ""]
    if not result.needed:
        out += ["**No documentation change needed.**", ""]
        if impact.sections:
            out.append("The change touches the facts of these sections, but none is redrafted:")
            out += [f"- {heading}: {why}" for heading, why in result.held]
            out.append("")
        out += [f"Changes from `{result.base[:7]}` to `{result.head[:7]}`:", ""]
        out += _code_changes(impact)
        if impact.unaffected:
            out += ["", "Why they touch no section:", ""]
            out += [f"- {line}" for line in impact.unaffected]
        return "\n".join(out) + "\n"
    if result.created:
        out += [
            f"There was no `{result.doc_path}` at `{result.head[:7]}`: it is drafted whole, "
            f"{len(result.redrafted)} sections.",
            "",
            "### What changed in the code",
            "",
            *_code_changes(impact),
            "",
        ]
        return "\n".join(out + _closing(result)) + "\n"
    out += [
        f"{len(result.redrafted)} section{'s' if len(result.redrafted) != 1 else ''} redrafted "
        f"for the changes from `{result.base[:7]}` (merge base) to `{result.head[:7]}`; every "
        "other section is unchanged.",
        "",
        "### What changed in the code",
        "",
        *_code_changes(impact),
        "",
        "### Sections redrafted, and why",
        "",
    ]
    for section in impact.sections:
        if section.heading not in result.redrafted:
            continue
        out.append(f"#### {section.heading}")
        out += [f"- fact {line}" for line in describe(section.added, section.removed)[:12]]
        out += [f"- evidence changed: `{t}`" for t in section.touched[:8]]
        if section.rewritten:
            out.append("- what the facts say changed (a count, or code the section quotes)")
        if section.files:
            out.append("- files: " + ", ".join(f"`{f}`" for f in section.files))
        if section.commits:
            out.append("- commits: " + ", ".join(f"`{c.sha}`" for c in section.commits))
        out.append("")
    if result.same:
        out += ["Also affected, and redrafted to the text they already have: "]
        out[-1] += "; ".join(result.same) + "."
        out.append("")
    if result.held:
        out += ["### Affected but left as they are", ""]
        out += [f"- {heading}: {why}; please review it by hand" for heading, why in result.held]
        out.append("")
    return "\n".join(out + _closing(result)) + "\n"


def _closing(result: PrDraft) -> list[str]:
    """Verify findings, who drafted, tokens and cost."""
    out = ["### Verify", ""]
    out += [f"- {f}" for f in result.findings] or ["No findings in the redrafted sections."]
    if result.rejected:
        out += [
            "",
            "Left out of the model's prose, for failing verify or saying nothing checkable:",
        ]
        out += ["", *(f"- {line}" for line in result.rejected)]
    out += ["", "### Drafting", "", f"- {result.drafter}"]
    if result.model is not None:
        report = result.model
        cost = report.cost(report.prompt_tokens, report.completion_tokens)
        out.append(
            f"- {report.prompt_tokens} prompt tokens, {report.completion_tokens} completion "
            f"tokens, {report.requests} requests ({report.cached} from cache), cost "
            + ("unknown for this model" if cost is None else f"${cost:.4f}")
        )
    else:
        out.append("- no model: no tokens, no cost")
    out += ["", f"<sub>Drafted by archdraft {__version__}; review it like any change.</sub>"]
    return out


def commit_message(result: PrDraft) -> str:
    lines = [title(result), ""]
    lines += [f"Redrafted: {h}." for h in result.redrafted]
    lines += [f"Left as it is: {h} ({why})." for h, why in result.held]
    lines += ["", f"Drafted by archdraft {__version__} ({result.drafter})."]
    return "\n".join(lines) + "\n"
