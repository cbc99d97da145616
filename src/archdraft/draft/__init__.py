"""The draft stage: ``SectionJob``s in, a ``Draft`` out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from archdraft.plan import Plan, RepoContext, SectionJob
from archdraft.template import Template

NOT_FOUND = "Not found in this repository."


@dataclass(frozen=True)
class Rejected:
    """A sentence of a model's prose that was not written into the section, and why."""

    sentence: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SectionDraft:
    key: str
    heading: str
    level: int
    markdown: str
    """The whole section: heading line, body and subsections."""
    empty: bool
    """Nothing was found for any fact the section needs."""
    source: str
    """``offline``, ``kept`` (the document's text, after a failed request) or the model
    that wrote the section's prose."""
    rejected: tuple[Rejected, ...] = ()
    """The model's sentences left out, with their findings, for the reviewer to see."""


@dataclass(frozen=True)
class Draft:
    template: Template
    context: RepoContext
    sections: tuple[SectionDraft, ...]


class Drafter(Protocol):
    name: str

    def draft_section(self, job: SectionJob, plan: Plan) -> SectionDraft: ...


def draft(plan: Plan, drafter: Drafter, drop_empty: bool = False) -> Draft:
    sections = tuple(drafter.draft_section(job, plan) for job in plan.jobs)
    if drop_empty:
        sections = tuple(s for s in sections if not s.empty)
    return Draft(plan.template, plan.context, sections)
