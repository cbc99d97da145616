"""Which sections of the document a code change affects, and why.

A section's facts are the fact lines its prompt is built from (each with its `path:line`
evidence) and the offline draft written from them, which also carries what the lines do
not say (counts, quoted code). A section is affected when those differ between the two
scans, or when the change touches a line that is evidence of one of its facts. The same
fingerprint, recorded in the state file when a section is settled, tells ``archdraft check``
which sections have gone stale."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from archdraft.draft.offline import OfflineDrafter
from archdraft.git import Commit, FileChange
from archdraft.plan import Plan, fact_lines

_CITE = re.compile(r"([\w./@+~-]+):(\d+)")


@dataclass(frozen=True)
class SectionFacts:
    key: str
    heading: str
    facts: tuple[str, ...]
    draft: str
    """The offline draft of the section from those facts."""

    @property
    def fingerprint(self) -> str:
        data = "\n".join(self.facts) + "\n\0\n" + self.draft
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def section_facts(plan: Plan) -> tuple[SectionFacts, ...]:
    offline = OfflineDrafter(drop_empty=False)
    return tuple(
        SectionFacts(
            job.section.key,
            job.section.heading,
            fact_lines(job.facts, plan.summary, plan.context.docs),
            offline.draft_section(job, plan).markdown,
        )
        for job in plan.jobs
    )


def _without_cites(fact: str) -> str:
    return re.sub(r"\s*\([^()]*\)$", "", fact)


_EVIDENCE = re.compile(r"\(([^()]*)\)$")


def evidence(fact: str) -> list[tuple[str, int | None]]:
    """The evidence a fact line ends with, ``(path:line, path, ...)``: a path alone stands
    for the whole file."""
    match = _EVIDENCE.search(fact)
    if match is None:
        return []
    found: list[tuple[str, int | None]] = []
    for item in match.group(1).split(", "):
        cited = _CITE.fullmatch(item.strip())
        if cited:
            found.append((cited.group(1), int(cited.group(2))))
        elif item.strip():
            found.append((item.strip(), None))
    return found


def cites(fact: str) -> list[tuple[str, int]]:
    return [(path, line) for path, line in evidence(fact) if line is not None]


@dataclass(frozen=True)
class SectionImpact:
    key: str
    heading: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    touched: tuple[str, ...]
    """Evidence lines the change touched, with the fact each one backs."""
    rewritten: bool
    """The draft from the facts differs although the fact lines do not (counts, code)."""
    files: tuple[str, ...]
    commits: tuple[Commit, ...]


@dataclass(frozen=True)
class Impact:
    changes: tuple[FileChange, ...]
    commits: tuple[Commit, ...]
    sections: tuple[SectionImpact, ...]
    """Affected sections only, in the document's order."""
    unaffected: tuple[str, ...]
    """For each changed file that affects no section, why not."""

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(s.key for s in self.sections)


def _within(line: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= line <= last for first, last in ranges)


def _touched(
    facts: tuple[str, ...], changes: dict[str, FileChange], old: bool
) -> list[tuple[str, str]]:
    found = []
    for fact in facts:
        for path, line in cites(fact):
            change = changes.get(path)
            if change is None:
                continue
            hit = change.status == "D" if old else change.status == "A"
            hit = hit or _within(line, change.old_lines if old else change.new_lines)
            if hit:
                found.append((f"{path}:{line}", fact))
    return found


def assess(
    base: tuple[SectionFacts, ...],
    head: tuple[SectionFacts, ...],
    changes: tuple[FileChange, ...],
    commits: tuple[Commit, ...],
    ignored: tuple[str, ...] = (),
) -> Impact:
    """Set the two scans' section facts side by side with the change. ``ignored`` are the
    document's own files (the document, archdraft's state), which are never evidence."""
    before = {s.key: s for s in base}
    by_old = {c.old_path: c for c in changes}
    by_new = {c.path: c for c in changes}
    affected = []
    cited_by: dict[str, set[str]] = {}
    for section in head:
        old = before.get(section.key)
        old_facts = old.facts if old is not None else ()
        for fact in (*old_facts, *section.facts):
            for path, _line in evidence(fact):
                cited_by.setdefault(path, set()).add(section.heading)
        added = tuple(f for f in section.facts if f not in set(old_facts))
        removed = tuple(f for f in old_facts if f not in set(section.facts))
        touched = dict(_touched(old_facts, by_old, True) + _touched(section.facts, by_new, False))
        rewritten = old is None or old.draft != section.draft
        if not (added or removed or touched or rewritten):
            continue
        files = {
            p for f in (*added, *removed) for p, _ in evidence(f) if p in by_new or p in by_old
        }
        files |= {cite.rsplit(":", 1)[0] for cite in touched}
        if not files:  # the facts moved without a cited file changing: name every change
            files = {c.path for c in changes if c.path not in ignored}
        behind = tuple(c for c in commits if files & set(c.files))
        affected.append(
            SectionImpact(
                section.key,
                section.heading,
                added,
                removed,
                tuple(f"{cite}: {_without_cites(fact)}" for cite, fact in sorted(touched.items())),
                rewritten and not (added or removed or touched),
                tuple(sorted(files)),
                behind,
            )
        )
    unaffected = []
    touched_files = {f for s in affected for f in s.files}
    for change in changes:
        if change.path in touched_files:
            continue
        if change.path in ignored:
            unaffected.append(f"{change.path}: the document's own file")
        elif change.path in cited_by:
            names = ", ".join(sorted(cited_by[change.path]))
            unaffected.append(
                f"{change.path}: evidence for {names}, but no fact of theirs changed with it"
            )
        else:
            unaffected.append(f"{change.path}: no section's facts come from it")
    return Impact(changes, commits, tuple(affected), tuple(unaffected))


@dataclass(frozen=True)
class Stale:
    heading: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    recorded: bool
    """False when the state file has no record of the facts this section stands on."""


def stale_sections(
    facts: tuple[SectionFacts, ...],
    recorded: dict[str, tuple[str, tuple[str, ...]]],
    pinned: frozenset[str] = frozenset(),
) -> tuple[Stale, ...]:
    """Sections whose facts differ from those recorded when they were last settled."""
    found = []
    for section in facts:
        if section.key in pinned:
            continue
        record = recorded.get(section.key)
        if record is not None and record[0] == section.fingerprint:
            continue
        old = record[1] if record is not None else ()
        found.append(
            Stale(
                section.heading,
                tuple(f for f in section.facts if f not in set(old)),
                tuple(f for f in old if f not in set(section.facts)),
                record is not None,
            )
        )
    return tuple(found)


def describe(added: tuple[str, ...], removed: tuple[str, ...], listed: int = 3) -> list[str]:
    """Changed facts as lines for a person: ``+`` new, ``-`` gone, ``~`` the same fact whose
    evidence moved (a line inserted above it, say); more than ``listed`` moves are counted
    rather than listed."""
    unpaired: dict[str, list[str]] = {}
    for fact in removed:
        unpaired.setdefault(_CITE.sub("", fact), []).append(fact)
    moved: dict[str, str] = {}
    for fact in added:
        candidates = unpaired.get(_CITE.sub("", fact))
        if candidates:
            moved[fact] = candidates.pop(0)
    lines = [f"+ {f}" for f in added if f not in moved]
    lines += [f"- {f}" for f in removed if f not in moved.values()]
    if len(moved) > listed:
        files = sorted(
            {p for new, old in moved.items() for p, _ in set(cites(new)) ^ set(cites(old))}
        )
        lines.append(
            f"~ {len(moved)} facts kept, their evidence moved to other lines of " + ", ".join(files)
        )
        return lines
    for new, old in moved.items():
        before = ", ".join(f"{p}:{n}" for p, n in cites(old))
        lines.append(f"~ {new} (was at {before})")
    return lines
