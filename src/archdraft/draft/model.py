"""Drafting with a model: each detail section one request, at most ``jobs`` at a time,
then the overview from their drafts, so the critical path is two round-trips.

A section whose request fails keeps the existing document's text for it, or the offline
draft when there is none, and is reported as failed: a failure never blanks a section."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from archdraft.draft import Draft, SectionDraft
from archdraft.draft.offline import OfflineDrafter
from archdraft.draft.replies import ReplyCache, request_key
from archdraft.errors import ConfigError, ModelError
from archdraft.llm import Completion, ModelClient, ModelSettings, check_reply
from archdraft.plan import Message, Plan, SectionJob, fact_lines
from archdraft.prompts import PromptSet
from archdraft.redact import gate
from archdraft.tokens import estimate_messages

# US dollars per million prompt and completion tokens, for models whose price is public.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
}


@dataclass(frozen=True)
class SectionReport:
    key: str
    heading: str
    status: str
    """``sent``, ``cached``, ``failed`` or ``dry-run``."""
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    estimated_tokens: int
    omitted: tuple[str, ...]
    error: str = ""
    from_cache: bool = False


@dataclass(frozen=True)
class ModelReport:
    model: str
    endpoint: str
    sections: tuple[SectionReport, ...]
    wall_seconds: float
    price: tuple[float, float] | None
    reply_limit: int

    @property
    def requests(self) -> int:
        return sum(1 for s in self.sections if s.status != "dry-run" and not s.from_cache)

    @property
    def cached(self) -> int:
        return sum(1 for s in self.sections if s.from_cache)

    @property
    def failed(self) -> tuple[SectionReport, ...]:
        return tuple(s for s in self.sections if s.status == "failed")

    @property
    def prompt_tokens(self) -> int:
        return sum(s.prompt_tokens for s in self.sections)

    @property
    def completion_tokens(self) -> int:
        return sum(s.completion_tokens for s in self.sections)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float | None:
        if self.price is None:
            return None
        return (prompt_tokens * self.price[0] + completion_tokens * self.price[1]) / 1_000_000


def price_for(model: str, override: str) -> tuple[float, float] | None:
    if override:
        first, _, second = override.partition(",")
        try:
            return float(first), float(second or first)
        except ValueError:
            raise ConfigError(
                f"price {override!r} is not two numbers; give it as input,output US dollars "
                "per million tokens, e.g. 0.15,0.60."
            ) from None
    return PRICES.get(model)


Progress = Callable[[str, str], None]
"""Called with a section heading and ``started``, ``sent``, ``cached`` or ``failed``."""

_FENCED = re.compile(r"^```[a-z]*\n(.*)\n```$", re.S)
_ANY_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def section_markdown(reply: str, level: int, heading: str) -> str:
    """The reply as the section: unwrapped from a code fence, under exactly its heading."""
    text = reply.strip()
    fenced = _FENCED.match(text)
    if fenced:
        text = fenced.group(1).strip()
    lines = text.splitlines()
    if lines:
        first = _ANY_HEADING.match(lines[0])
        if first and first.group(1).strip().strip("*`").lower().endswith(
            heading.split(". ", 1)[-1].strip().lower()
        ):
            lines = lines[1:]
    body = "\n".join(_contained(lines, level)).strip()
    return f"{'#' * level} {heading}\n\n{body}\n"


def _contained(lines: list[str], level: int) -> list[str]:
    """The reply's lines kept inside their section: a heading at the section's level or
    above becomes a subsection, and a code fence left open is closed, so a reply can
    neither start another section nor swallow the ones after it."""
    out: list[str] = []
    fence = ""
    for line in lines:
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        else:
            heading = re.match(r"^(#{1,6})(\s.*)$", line)
            if heading and len(heading.group(1)) <= level:
                line = "#" * min(6, level + 1) + heading.group(2)
        out.append(line)
    if fence:
        out.append(fence)
    return out


def _overview_job(plan: Plan) -> SectionJob | None:
    return next((job for job in plan.jobs if "overview" in job.facts), None)


def overview_messages(
    job: SectionJob, plan: Plan, prompts: PromptSet, drafted: list[str], budget: int
) -> tuple[Message, ...]:
    sections = list(drafted)
    while True:
        user = prompts.render(
            "overview",
            section_key=job.section.key,
            heading=job.section.heading,
            level=job.section.level,
            guidance=job.section.body,
            facts=fact_lines(job.facts, plan.summary, plan.context.docs),
            sections=tuple(sections),
        )
        messages = (Message("system", prompts.render("system")), Message("user", user))
        if not sections or estimate_messages(tuple(m.content for m in messages)) <= budget:
            return messages
        sections.pop()


class ModelDrafter:
    name = "model"

    def __init__(
        self,
        client: ModelClient | None,
        settings: ModelSettings,
        prompts: PromptSet,
        cache: ReplyCache,
        jobs: int,
        budget: int,
        price: tuple[float, float] | None,
        current: dict[str, str],
        drop_empty: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.client = client
        """``None`` for a dry run: nothing is sent."""
        self.settings = settings
        self.prompts = prompts
        self.cache = cache
        self.jobs = jobs
        self.budget = budget
        self.price = price
        self.current = current
        self.offline = OfflineDrafter(drop_empty=drop_empty)
        self.progress = progress or (lambda heading, status: None)
        self.replies: dict[str, tuple[tuple[Message, ...], str]] = {}
        """Each model-drafted section's request and reply, by key, for a repair round."""
        self.sent: list[tuple[str, tuple[Message, ...]]] = []
        """Every request of the run, in section order, as the gate passes it."""

    def _fallback(self, job: SectionJob, plan: Plan) -> SectionDraft:
        existing = self.current.get(job.section.key)
        if existing:
            return SectionDraft(
                job.section.key, job.section.heading, job.section.level, existing, False, "kept"
            )
        return self.offline.draft_section(job, plan)

    def _wrote(self, reply: Completion, job: SectionJob, plan: Plan) -> bool:
        """Whether the document's text for ``job`` is what ``reply`` made of it: the reply
        itself, or, for a reply that failed its check, the offline fallback."""
        section = job.section
        try:
            check_reply(reply, self.settings)
            written = section_markdown(reply.text, section.level, section.heading)
        except ModelError:
            written = self.offline.draft_section(job, plan).markdown
        return written.rstrip() == job.current.rstrip()

    def _one(
        self,
        job: SectionJob,
        plan: Plan,
        messages: tuple[Message, ...],
        omitted: tuple[str, ...],
        label: str = "",
    ) -> tuple[SectionDraft, SectionReport]:
        section = job.section
        label = label or section.heading
        pairs = tuple((m.role, m.content) for m in messages)
        estimate = estimate_messages(tuple(c for _, c in gate(pairs)))
        key = request_key(self.settings, pairs)
        start = time.monotonic()
        self.progress(label, "started")
        completion = self.cache.get(key)
        if completion is None and job.current and messages == job.messages:
            # The document as archdraft last wrote it: the reply it was written from stands.
            first = tuple((m.role, m.content) for m in job.first_messages)
            earlier = self.cache.get(request_key(self.settings, first))
            if earlier is not None and self._wrote(earlier, job, plan):
                completion, messages = earlier, job.first_messages
        from_cache = completion is not None
        status, error = "cached", ""
        if completion is None and self.client is None:
            status = "dry-run"
        elif completion is None:
            assert self.client is not None
            try:
                completion = self.client.complete(pairs)
                status = "sent"
            except ModelError as exc:
                status, error = "failed", str(exc)
        usage = completion
        if completion is not None:
            try:
                check_reply(completion, self.settings)
                if status == "sent":
                    self.cache.put(key, completion)
            except ModelError as exc:
                # At temperature 0 the same request gets the same cut or empty reply, so
                # it is stored too: asking again unchanged would only cost.
                if status == "sent" and self.settings.temperature == 0:
                    self.cache.put(key, completion)
                status, error, completion = "failed", str(exc), None
        seconds = time.monotonic() - start
        self.progress(label, status)
        report = SectionReport(
            section.key,
            section.heading,
            status,
            usage.prompt_tokens if usage and not from_cache else 0,
            usage.completion_tokens if usage and not from_cache else 0,
            seconds,
            estimate,
            omitted,
            error,
            from_cache,
        )
        if completion is None:
            return self._fallback(job, plan), report
        self.replies[section.key] = (messages, completion.text)
        offline = self.offline.draft_section(job, plan)
        markdown = section_markdown(completion.text, section.level, section.heading)
        return (
            SectionDraft(
                section.key,
                section.heading,
                section.level,
                markdown,
                offline.empty,
                self.settings.model,
            ),
            report,
        )

    def draft(self, plan: Plan) -> tuple[Draft, ModelReport]:
        started = time.monotonic()
        overview = _overview_job(plan)
        details = [job for job in plan.jobs if job is not overview]
        for job in plan.jobs:
            self.sent.append((job.section.heading, job.messages))
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = {
                job.section.key: pool.submit(self._one, job, plan, job.messages, job.omitted)
                for job in details
            }
            results = {key: future.result() for key, future in futures.items()}
        if overview is not None:
            drafted = [results[job.section.key][0].markdown for job in details]
            messages = overview_messages(overview, plan, self.prompts, drafted, self.budget)
            self.sent[plan.jobs.index(overview)] = (overview.section.heading, messages)
            results[overview.section.key] = self._one(overview, plan, messages, ())
        ordered = [results[job.section.key] for job in plan.jobs]
        sections = tuple(d for d, _ in ordered if not (self.offline.drop_empty and d.empty))
        report = ModelReport(
            self.settings.model,
            self.settings.endpoint,
            tuple(r for _, r in ordered),
            time.monotonic() - started,
            self.price,
            self.settings.reply_tokens,
        )
        return Draft(plan.template, plan.context, sections), report

    def repair(
        self, job: SectionJob, plan: Plan, findings: list[str]
    ) -> tuple[SectionDraft, SectionReport] | None:
        """One more request for a model-drafted section: its own request and reply, then
        the findings to fix. ``None`` when the section was not drafted by the model."""
        if job.section.key not in self.replies:
            return None
        messages, reply = self.replies.pop(job.section.key)
        follow_up = self.prompts.render("repair", heading=job.section.heading, findings=findings)
        conversation = (*messages, Message("assistant", reply), Message("user", follow_up))
        label = f"{job.section.heading} (repair)"
        draft, report = self._one(job, plan, conversation, (), label)
        return draft, dataclasses.replace(report, key=f"{report.key}:repair", heading=label)
