"""Drafting with a model: hybrid sections, facts rendered and prose by the model.

Every section is first written by the offline drafter from the facts. A section whose
fact kinds ``prompts/questions.yaml`` asks about, and that has facts, is also one request
for a few sentences of prose that go above those facts (``prose.compose``). Sections that
the facts say all of, or that have nothing found, send nothing.

The detail sections are asked at most ``jobs`` at a time, each repaired right after its
first reply; the overview is asked once every detail section has its first reply, from the
sentences that hold, so the critical path is two round-trips (and a repair). Each sentence is
held to the code on its own: one with findings goes back in one repair request per round
that quotes just the failing sentences, the rest of the prose staying as it is; what is
still failing after the last round, and filler that names nothing the scan knows, is left
out and kept as ``Rejected`` for the reviewer. A failed request keeps the document's text
for the section, or the facts alone when there is none: a failure never blanks a section.
A server that cannot be reached, a model it does not serve, or a key it refuses stops the
run with one error instead."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from archdraft.citations import CITATION
from archdraft.draft import Draft, Rejected, SectionDraft
from archdraft.draft.offline import OfflineDrafter
from archdraft.draft.prose import Block, compose, numbered, paragraphs
from archdraft.draft.replies import ReplyCache, request_key
from archdraft.errors import ConfigError, ModelError
from archdraft.llm import FATAL, Completion, ModelClient, ModelSettings, check_reply
from archdraft.plan import Message, Plan, SectionJob, prompt_facts
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
    """``sent``, ``cached``, ``failed``, ``dry-run``, ``facts`` (nothing to ask), or ``cut``
    (the reply stopped at the reply limit: its whole sentences are used, the last dropped)."""
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    estimated_tokens: int
    omitted: tuple[str, ...]
    error: str = ""
    from_cache: bool = False
    kept: int = 0
    """Sentences of the model's prose written into the section."""
    rejected: int = 0
    """Sentences left out: findings after repair, or filler."""
    flagged: int = 0
    """Sentences of the first reply with verify findings, before any repair."""


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
        return sum(
            1 for s in self.sections if s.status not in ("dry-run", "facts") and not s.from_cache
        )

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


class Judge(Protocol):
    """How a sentence of prose is held to the code (verify, behind the pipeline)."""

    def link(self, sentence: str) -> str:
        """The sentence with each citation that resolves rewritten into the link form."""
        ...

    def findings(self, sentence: str, section: str, shown: str) -> tuple[str, ...]:
        """What is wrong with the sentence, written from the request ``shown``; empty when
        nothing is."""
        ...

    def checkable(self, sentence: str, shown: str) -> bool:
        """Whether it cites a line, or names a code element the scan knows or ``shown``
        (the request) holds."""
        ...


FILLER = "filler: it cites nothing and names no code element the scan knows"


def _plain_citations(markdown: str) -> str:
    """Links turned back into ``(path:line)``: what a prompt quotes, in a few tokens."""
    return CITATION.sub(
        lambda m: f"({m.group('path')}" + (f":{m.group('line')})" if m.group("line") else ")"),
        markdown,
    )


def overview_messages(
    job: SectionJob, plan: Plan, prompts: PromptSet, drafted: list[str], budget: int
) -> tuple[Message, ...]:
    """The overview's request, quoting the other sections' prose (``heading: text``) as
    far as the budget allows, the last ones first to go."""
    sections = [_plain_citations(text) for text in drafted]
    while True:
        user = prompts.render(
            "overview",
            section_key=job.section.key,
            heading=job.section.heading,
            level=job.section.level,
            guidance=job.section.body,
            facts=prompt_facts(job.facts, plan.summary, plan.context.docs),
            sections=tuple(sections),
            questions=job.questions,
        )
        messages = (Message("system", prompts.render("system")), Message("user", user))
        if not sections or estimate_messages(tuple(m.content for m in messages)) <= budget:
            return messages
        sections.pop()


def _distinct(read: list[Block], cut: bool = False) -> list[Block]:
    """The reply without the sentences a model wrote again, and, when it was ``cut`` at the
    limit, without the sentence it was cut in."""
    seen: set[str] = set()
    out: list[Block] = []
    for index, (bulleted, sentences) in enumerate(read):
        if cut and index == len(read) - 1:
            sentences = sentences[:-1]
        fresh = []
        for sentence in sentences:
            if sentence not in seen:
                seen.add(sentence)
                fresh.append(sentence)
        if fresh:
            out.append((bulleted, fresh))
    return out


def _holding(outcome: _Prose | SectionReport | None) -> str:
    """``heading: prose`` of the sentences of a first reply that hold, or empty."""
    if not isinstance(outcome, _Prose):
        return ""
    text = " ".join(
        sentence
        for p, (_, sentences) in enumerate(outcome.blocks)
        for i, sentence in enumerate(sentences)
        if sentence and (p, i) not in outcome.failing
    )
    return f"{outcome.job.section.heading}: {text}" if text else ""


def _overview_job(plan: Plan) -> SectionJob | None:
    return next((job for job in plan.jobs if "overview" in job.facts), None)


@dataclass
class _Prose:
    """One section's prose as it goes through its first request and its repairs."""

    job: SectionJob
    messages: tuple[Message, ...]
    reply: str
    blocks: list[Block]
    failing: dict[tuple[int, int], tuple[str, ...]]
    rejected: list[Rejected]
    reports: list[SectionReport]
    flagged: int = 0


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
        judge: Judge,
        repair_rounds: int = 1,
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
        self.judge = judge
        self.repair_rounds = repair_rounds
        self.offline = OfflineDrafter(drop_empty=drop_empty)
        self.progress = progress or (lambda heading, status: None)
        self.sent: list[tuple[str, tuple[Message, ...]]] = []
        """Every first request of the run, in section order, as the gate passes it."""
        self._fatal: ModelError | None = None
        self._lock = threading.Lock()

    # One request ---------------------------------------------------------------------

    def _ask(
        self, job: SectionJob, messages: tuple[Message, ...], label: str, key: str
    ) -> tuple[Completion | None, SectionReport]:
        """Send (or answer from the cache) one request; a reply that fails its check is
        ``None``, with the reason in the report."""
        pairs = tuple((m.role, m.content) for m in messages)
        estimate = estimate_messages(tuple(c for _, c in gate(pairs)))
        cache_key = request_key(self.settings, pairs)
        start = time.monotonic()
        self.progress(label, "started")
        completion = self.cache.get(cache_key)
        from_cache = completion is not None
        status, error = "cached", ""
        if completion is None and self.client is None:
            status = "dry-run"
        elif completion is None and self._fatal is not None:
            status, error = "failed", "not sent: " + str(self._fatal)
        elif completion is None:
            assert self.client is not None
            try:
                completion = self.client.complete(pairs)
                status = "sent"
            except ModelError as exc:
                status, error = "failed", str(exc)
                if exc.kind in FATAL:
                    with self._lock:
                        self._fatal = self._fatal or exc
        usage = completion
        if completion is not None:
            try:
                check_reply(completion, self.settings)
                if status == "sent":
                    self.cache.put(cache_key, completion)
            except ModelError as exc:
                # At temperature 0 the same request gets the same cut or empty reply, so
                # it is stored too: asking again unchanged would only cost.
                if status == "sent" and self.settings.temperature == 0:
                    self.cache.put(cache_key, completion)
                if exc.kind == "truncated" and completion.text.strip():
                    status, error = "cut", str(exc)  # its whole sentences are still prose
                else:
                    status, error, completion = "failed", str(exc), None
        self.progress(label, status)
        report = SectionReport(
            key,
            label,
            status,
            usage.prompt_tokens if usage and not from_cache else 0,
            usage.completion_tokens if usage and not from_cache else 0,
            time.monotonic() - start,
            estimate,
            job.omitted if key == job.section.key else (),
            error,
            from_cache,
        )
        return completion, report

    # Judging and repairing prose -----------------------------------------------------

    def _judge(self, prose: _Prose, keys: list[tuple[int, int]]) -> None:
        """Sort the sentences at ``keys`` into fine, failing (findings) and filler."""
        heading = prose.job.section.heading
        shown = prose.messages[1].content if len(prose.messages) > 1 else ""
        for key in keys:
            sentence = prose.blocks[key[0]][1][key[1]]
            found = self.judge.findings(sentence, heading, shown)
            if found:
                prose.failing[key] = found
            elif not self.judge.checkable(sentence, shown):
                prose.rejected.append(Rejected(sentence, (FILLER,)))
                prose.blocks[key[0]][1][key[1]] = ""

    def _first(
        self, job: SectionJob, messages: tuple[Message, ...], label: str = ""
    ) -> _Prose | SectionReport:
        completion, report = self._ask(job, messages, label or job.section.heading, job.section.key)
        if completion is None:
            return report
        cut = completion.finish_reason == "length"
        read = _distinct(paragraphs(completion.text), cut)
        if cut and not read:  # cut before one whole sentence: as good as no reply
            return dataclasses.replace(report, status="failed")
        blocks: list[Block] = [
            (bulleted, [self.judge.link(s) for s in sentences]) for bulleted, sentences in read
        ]
        prose = _Prose(job, messages, completion.text, blocks, {}, [], [report])
        self._judge(prose, [(p, i) for p, (_, b) in enumerate(blocks) for i in range(len(b))])
        prose.flagged = len(prose.failing)
        return prose

    def _repair(self, prose: _Prose) -> _Prose:
        """Up to ``repair_rounds`` requests, each quoting only the sentences still failing
        and asking for each to be rewritten or dropped; then what still fails is left out."""
        job = prose.job
        for round_number in range(1, self.repair_rounds + 1):
            if not prose.failing or self.client is None:
                break
            keys = sorted(prose.failing)
            quoted = [
                (_plain_citations(prose.blocks[p][1][i]), prose.failing[(p, i)]) for p, i in keys
            ]
            follow_up = self.prompts.render(
                "repair", section_key=job.section.key, heading=job.section.heading,
                sentences=quoted,
            )  # fmt: skip
            conversation = (
                *prose.messages,
                Message("assistant", prose.reply),
                Message("user", follow_up),
            )
            suffix = "" if round_number == 1 else f" {round_number}"
            completion, report = self._ask(
                job,
                conversation,
                f"{job.section.heading} (repair{suffix})",
                f"{job.section.key}:repair{suffix.strip()}",
            )
            prose.reports.append(report)
            if completion is None:
                break
            answers = numbered(completion.text)
            if completion.finish_reason == "length" and answers:
                del answers[max(answers)]  # the answer it was cut in
            before = dict(prose.failing)
            prose.failing.clear()
            retry: list[tuple[int, int]] = []
            for number, key in enumerate(keys, 1):
                rewritten = answers.get(number, "")
                if not rewritten:
                    prose.rejected.append(Rejected(prose.blocks[key[0]][1][key[1]], before[key]))
                    prose.blocks[key[0]][1][key[1]] = ""
                    continue
                prose.blocks[key[0]][1][key[1]] = self.judge.link(rewritten)
                retry.append(key)
            self._judge(prose, retry)
            prose.messages, prose.reply = conversation, completion.text
        for (p, i), reasons in sorted(prose.failing.items()):
            prose.rejected.append(Rejected(prose.blocks[p][1][i], reasons))
            prose.blocks[p][1][i] = ""
        prose.failing.clear()
        return prose

    def _detail(
        self, job: SectionJob, holding: dict[str, str], answered: threading.Event
    ) -> _Prose | SectionReport:
        """A detail section's first request, then at once its repair: on a server that
        answers one request at a time, the repair's conversation then starts with what the
        server has just read, and only the repair's own lines are new to it."""
        try:
            outcome = self._first(job, job.messages)
            holding[job.section.key] = _holding(outcome)
        finally:
            answered.set()
        if isinstance(outcome, _Prose) and outcome.failing:
            return self._repair(outcome)
        return outcome

    # Sections ------------------------------------------------------------------------

    def _fallback(self, job: SectionJob, plan: Plan) -> SectionDraft:
        existing = self.current.get(job.section.key)
        if existing:
            return SectionDraft(
                job.section.key, job.section.heading, job.section.level, existing, False, "kept"
            )
        return self.offline.draft_section(job, plan)

    def _section(
        self, job: SectionJob, plan: Plan, outcome: _Prose | SectionReport | None
    ) -> tuple[SectionDraft, list[SectionReport]]:
        facts = self.offline.draft_section(job, plan)
        if outcome is None:  # nothing to ask: the facts say it all
            report = SectionReport(job.section.key, job.section.heading, "facts", 0, 0, 0.0, 0, ())
            return facts, [report]
        if isinstance(outcome, SectionReport):
            return (facts if outcome.status == "dry-run" else self._fallback(job, plan)), [outcome]
        # A repair can answer with a sentence the section already has, or number its
        # answers off by one: each sentence is written, and reported, once.
        kept = _distinct([(b, [s for s in sentences if s]) for b, sentences in outcome.blocks])
        kept_text = {s for _, sentences in kept for s in sentences}
        outcome.rejected[:] = [
            r
            for i, r in enumerate(outcome.rejected)
            if r.sentence not in kept_text
            and all(r.sentence != o.sentence for o in outcome.rejected[:i])
        ]
        count = sum(len(b) for _, b in kept)
        reports = list(outcome.reports)
        reports[0] = dataclasses.replace(
            reports[0], kept=count, rejected=len(outcome.rejected), flagged=outcome.flagged
        )
        draft = dataclasses.replace(
            facts,
            markdown=compose(facts.markdown, kept),
            source=self.settings.model if kept else facts.source,
            rejected=tuple(outcome.rejected),
        )
        return draft, reports

    def draft(self, plan: Plan) -> tuple[Draft, ModelReport]:
        started = time.monotonic()
        overview = _overview_job(plan)
        details = [job for job in plan.jobs if job is not overview]
        asked = [job for job in details if job.messages]
        for job in plan.jobs:
            if job.messages:
                self.sent.append((job.section.heading, job.messages))
        outcomes: dict[str, _Prose | SectionReport | None] = {}
        holding: dict[str, str] = {}
        answered = {job.section.key: threading.Event() for job in asked}
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = {
                job.section.key: pool.submit(self._detail, job, holding, answered[job.section.key])
                for job in asked
            }
            # The overview is asked once every detail section has its first reply, from the
            # sentences of those that hold, while the repairs go on.
            for event in answered.values():
                event.wait()
            if overview is not None and overview.messages and self._fatal is None:
                drafted = [holding.get(job.section.key, "") for job in details]
                messages = overview_messages(
                    overview, plan, self.prompts, [d for d in drafted if d], self.budget
                )
                self.sent[[h for h, _ in self.sent].index(overview.section.heading)] = (
                    overview.section.heading,
                    messages,
                )
                first = self._first(overview, messages)
                outcomes[overview.section.key] = (
                    self._repair(first) if isinstance(first, _Prose) else first
                )
            for key, future in futures.items():
                outcomes[key] = future.result()
        if self._fatal is not None:
            raise self._fatal
        sections: list[SectionDraft] = []
        reports: list[SectionReport] = []
        for job in plan.jobs:
            draft, job_reports = self._section(job, plan, outcomes.get(job.section.key))
            if not (self.offline.drop_empty and draft.empty):
                sections.append(draft)
            reports += job_reports
        report = ModelReport(
            self.settings.model,
            self.settings.endpoint,
            tuple(reports),
            time.monotonic() - started,
            self.price,
            self.settings.reply_tokens,
        )
        return Draft(plan.template, plan.context, tuple(sections)), report
