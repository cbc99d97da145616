"""The stages chained for one repository: repo → scan → template → plan → draft →
document. Commands call this; it prints nothing and asks nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archdraft.citations import cite, garbled_citations, link_citations
from archdraft.config import Config
from archdraft.document import current_sections, render_document, section_headings, split_document
from archdraft.draft import Draft, Rejected, draft
from archdraft.draft.model import ModelDrafter, ModelReport, Progress, price_for
from archdraft.draft.offline import OfflineDrafter
from archdraft.draft.replies import ReplyCache
from archdraft.errors import ConfigError, RepoError
from archdraft.git import Head
from archdraft.impact import SectionFacts, Stale, section_facts, stale_sections
from archdraft.llm import ModelClient, ModelSettings
from archdraft.plan import Message, Plan, plan
from archdraft.prompts import PromptSet
from archdraft.repo import RepoTree, open_repo
from archdraft.resources import find_template, prompts_dir
from archdraft.review import KEEP_MARKER
from archdraft.scan import RepoSummary, scan
from archdraft.state import load_state
from archdraft.template import Template, load_template
from archdraft.verify import Findings, Verifier, verify


@dataclass(frozen=True)
class DraftRun:
    tree: RepoTree
    summary: RepoSummary
    template: Template
    template_path: Path
    prompts: PromptSet
    plan: Plan
    draft: Draft
    document: str
    findings: Findings
    drafter: str
    """One line saying who drafted and why (offline by choice, for want of a model, ...)."""
    model: ModelReport | None
    requests: tuple[tuple[str, tuple[Message, ...]], ...]
    """For a dry run: each section's request exactly as it would be sent."""
    facts: tuple[SectionFacts, ...]
    """Every section's facts, drafted or not: what the state file records as settled."""

    @property
    def rejected(self) -> dict[str, tuple[Rejected, ...]]:
        """Section key → the model's sentences left out of it, with why."""
        return {s.key: s.rejected for s in self.draft.sections if s.rejected}

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.summary.warnings + self.plan.warnings


@dataclass(frozen=True)
class Origin:
    """The repository a copy was taken from: its name and the commit it holds."""

    name: str
    head: Head


def scan_repo(
    root: Path, config: Config, origin: Origin | None = None
) -> tuple[RepoTree, RepoSummary]:
    if origin is None:
        tree = open_repo(root, config.max_file_bytes)
    else:
        tree = open_repo(root, config.max_file_bytes, origin.name, origin.head)
    return tree, scan(tree)


def _doc_path(root: Path, out: str) -> str:
    if (root / out).is_symlink():
        raise ConfigError(
            f"{out} is a symlink; archdraft reads and writes the document only as a regular "
            "file inside the repository. Replace the link with the file, or pass --out."
        )
    candidate = (root / out).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise ConfigError(f"--out {out} is outside the repository; give a path inside it.")
    return candidate.relative_to(root.resolve()).as_posix()


def model_settings(config: Config, environ: Mapping[str, str]) -> ModelSettings:
    return ModelSettings(
        model=config.model,
        base_url=config.base_url or environ.get("OPENAI_BASE_URL", ""),
        temperature=config.temperature,
        timeout=config.timeout,
        retries=config.retries,
        reply_tokens=config.reply_tokens,
        frequency_penalty=config.frequency_penalty,
    )


class _Judge:
    """Verify, one sentence at a time, as the model drafter needs it."""

    def __init__(self, summary: RepoSummary, tree: RepoTree, doc_path: str) -> None:
        self.verifier = Verifier(summary, tree, doc_path)
        self.doc_path = doc_path

    def _line_count(self, path: str) -> int | None:
        lines = self.verifier.checker.lines(path)
        return None if lines is None else len(lines)

    def link(self, sentence: str) -> str:
        """Citations in any form into the link form; a sentence that cites nothing but names
        code elements the scan knows cites where they are."""
        linked = link_citations(sentence, self.doc_path, self._line_count)
        if "](" in linked or garbled_citations(linked):
            return linked
        evidence = self.verifier.checker.named_evidence(linked)
        if not evidence:
            return linked
        cites = ", ".join(cite(e, self.doc_path) for e in evidence)
        body, end = (linked[:-1], linked[-1]) if linked[-1:] in ".!?" else (linked, ".")
        return f"{body.rstrip()} ({cites}){end}"

    def findings(self, sentence: str, section: str, shown: str) -> tuple[str, ...]:
        return tuple(
            f"{f.kind}: {f.text!r}: {f.reason}"
            for f in self.verifier.sentence(sentence, section, shown)
        )

    def checkable(self, sentence: str, shown: str) -> bool:
        return self.verifier.checkable(sentence, shown)


def rejected_lines(run: DraftRun) -> dict[str, tuple[str, ...]]:
    """Section key → each sentence the model wrote and archdraft left out, with why."""
    return {
        key: tuple(f"{r.sentence!r}: {'; '.join(r.reasons)}" for r in items)
        for key, items in run.rejected.items()
    }


def run_facts(run: DraftRun) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Section key → (fingerprint, fact lines), as the state file and saved runs keep them."""
    return {f.key: (f.fingerprint, f.facts) for f in run.facts}


@dataclass(frozen=True)
class Staged:
    """Everything before drafting: the template, the prompts, the scan and the plan."""

    template_path: Path
    template: Template
    prompts: PromptSet
    tree: RepoTree
    summary: RepoSummary
    plan: Plan
    current: dict[str, str]


def stage(
    root: Path,
    config: Config,
    cwd: Path,
    prompts_folder: Path | None = None,
    origin: Origin | None = None,
) -> Staged:
    template_path = find_template(config.template, cwd)
    template = load_template(template_path)
    prompts = PromptSet(prompts_folder or prompts_dir())
    tree, summary = scan_repo(root, config, origin)
    doc_path = _doc_path(tree.root, config.out)
    current_path = tree.root / doc_path
    current = (
        current_sections(current_path.read_text(encoding="utf-8", errors="replace"), template)
        if current_path.is_file() and not current_path.is_symlink()
        else {}
    )
    the_plan = plan(template, summary, tree, doc_path, prompts, config.budget_tokens)
    return Staged(template_path, template, prompts, tree, summary, the_plan, current)


def run_draft(
    root: Path,
    config: Config,
    cwd: Path,
    prompts_folder: Path | None = None,
    environ: Mapping[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    http_client: object = None,
    origin: Origin | None = None,
    only: frozenset[str] | None = None,
    staged: Staged | None = None,
) -> DraftRun:
    """Draft the document. ``only`` limits drafting (and model requests) to those sections;
    the document then holds just them, for merging into the one on disk."""
    environ = environ if environ is not None else {}
    staged = staged or stage(root, config, cwd, prompts_folder, origin)
    template, prompts, tree, summary = staged.template, staged.prompts, staged.tree, staged.summary
    doc_path, current = staged.plan.context.doc_path, staged.current
    facts = section_facts(staged.plan)
    the_plan = staged.plan
    if only is not None:
        the_plan = dataclasses.replace(
            the_plan, jobs=tuple(j for j in the_plan.jobs if j.section.key in only)
        )
    settings = model_settings(config, environ)
    api_key = environ.get("OPENAI_API_KEY", "")
    report: ModelReport | None = None
    requests: tuple[tuple[str, tuple[Message, ...]], ...] = ()
    if config.offline and not dry_run:
        note = "offline (--offline): drafted from the facts alone, nothing sent"
        result = draft(the_plan, OfflineDrafter(config.drop_empty), config.drop_empty)
    elif not (api_key or settings.base_url) and not dry_run:
        note = (
            "offline: no OPENAI_API_KEY and no --base-url, so drafted from the facts alone; "
            "set either to draft with a model"
        )
        result = draft(the_plan, OfflineDrafter(config.drop_empty), config.drop_empty)
    else:
        client = None if dry_run else ModelClient(settings, api_key, http_client)
        drafter = ModelDrafter(
            client,
            settings,
            prompts,
            ReplyCache(config.cache),
            config.jobs,
            config.budget_tokens,
            price_for(settings.model, config.price),
            current,
            _Judge(summary, tree, doc_path),
            config.repair_rounds,
            config.drop_empty,
            progress,
        )
        result, report = drafter.draft(the_plan)
        requests = tuple(drafter.sent)
        note = f"model {settings.model} at {settings.endpoint}" + (
            " (dry run: nothing sent)" if dry_run else ""
        )
    document = render_document(result)
    findings = verify(document, doc_path, summary, tree, template)
    return DraftRun(
        tree,
        summary,
        template,
        staged.template_path,
        prompts,
        the_plan,
        result,
        document,
        findings,
        note,
        report,
        requests,
        facts,
    )


def verify_document(
    document: Path, root: Path, config: Config, cwd: Path, template_name: str | None
) -> Findings:
    """Check any document (drafted or written by hand) against the repository at ``root``."""
    try:
        text = document.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RepoError(
            f"cannot read {document} ({exc}); pass the path of a markdown document."
        ) from exc
    tree, summary = scan_repo(root, config)
    resolved = document.resolve()
    doc_path = (
        resolved.relative_to(tree.root).as_posix()
        if resolved.is_relative_to(tree.root)
        else document.name
    )
    template = load_template(find_template(template_name, cwd)) if template_name else None
    return verify(text, doc_path, summary, tree, template)


def check_document(root: Path, config: Config, cwd: Path) -> tuple[str, bool, tuple[Stale, ...]]:
    """Whether the document at ``config.out`` stands on the facts the code has now: its path,
    whether it exists, and the sections whose facts changed since they were settled."""
    staged = stage(root, config, cwd)
    doc_path = staged.plan.context.doc_path
    path = staged.tree.root / doc_path
    if not path.is_file() or path.is_symlink():
        return doc_path, False, ()
    text = path.read_text(encoding="utf-8", errors="replace")
    blocks = split_document(text, section_headings(staged.template))
    pinned = frozenset(b.key for b in blocks if b.key and KEEP_MARKER.search(b.text))
    state = load_state(staged.tree.root, doc_path)
    return doc_path, True, stale_sections(section_facts(staged.plan), state.facts, pinned)
