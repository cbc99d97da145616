"""The stages chained for one repository: repo → scan → template → plan → draft →
document. Commands call this; it prints nothing and asks nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archdraft.config import Config
from archdraft.document import render_document
from archdraft.draft import Draft, draft
from archdraft.draft.offline import OfflineDrafter
from archdraft.errors import ConfigError, RepoError
from archdraft.plan import Plan, plan
from archdraft.prompts import PromptSet
from archdraft.repo import RepoTree, open_repo
from archdraft.resources import find_template, prompts_dir
from archdraft.scan import RepoSummary, scan
from archdraft.template import Template, load_template
from archdraft.verify import Findings, verify


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

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.summary.warnings + self.plan.warnings


def scan_repo(root: Path, config: Config) -> tuple[RepoTree, RepoSummary]:
    tree = open_repo(root, config.max_file_bytes)
    return tree, scan(tree)


def _doc_path(root: Path, out: str) -> str:
    candidate = (root / out).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise ConfigError(f"--out {out} is outside the repository; give a path inside it.")
    return candidate.relative_to(root.resolve()).as_posix()


def run_draft(
    root: Path, config: Config, cwd: Path, prompts_folder: Path | None = None
) -> DraftRun:
    template_path = find_template(config.template, cwd)
    template = load_template(template_path)
    prompts = PromptSet(prompts_folder or prompts_dir())
    tree, summary = scan_repo(root, config)
    doc_path = _doc_path(tree.root, config.out)
    the_plan = plan(template, summary, tree, doc_path, prompts)
    result = draft(
        the_plan, OfflineDrafter(drop_empty=config.drop_empty), drop_empty=config.drop_empty
    )
    document = render_document(result)
    findings = verify(document, doc_path, summary, tree, template)
    return DraftRun(
        tree, summary, template, template_path, prompts, the_plan, result, document, findings
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
