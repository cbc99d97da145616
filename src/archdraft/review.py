"""The review stage, section by section: what the draft would change in each section of the
document on disk, who owns each section now, the merge of the sections a reviewer accepted
into the document as it is, and the guards a result must pass before it is written.

Nothing here asks or prints; the interactive conversation is ``review_session``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archdraft.document import PREAMBLE, Block, join_blocks, split_document
from archdraft.errors import GuardError, WriteError
from archdraft.files import write_atomic
from archdraft.state import DocState, load_state, normalise, save_state
from archdraft.verify import Finding

KEEP_MARKER = re.compile(r"<!--\s*archdraft:\s*keep\s*-->", re.IGNORECASE)
Headings = Mapping[tuple[int, str], tuple[str, str]]

NEW, OURS, HUMAN, PINNED = "new", "archdraft", "human", "pinned"
"""Who a section belongs to: not in the document yet; as archdraft last wrote it; changed
by a person since (or never recorded as archdraft's); pinned with the keep marker."""


@dataclass(frozen=True)
class Unit:
    """One section (or the preamble) as the document has it, as archdraft last wrote it,
    and as the new draft proposes it."""

    key: str
    heading: str
    current: str | None
    last: str | None
    proposed: str | None
    """None when the draft leaves the section out (``--drop-empty``, another template)."""
    owner: str
    findings: tuple[str, ...]
    rejected: tuple[str, ...] = ()
    """The model's sentences left out of the draft, each with why: shown, never written."""

    @property
    def changed(self) -> bool:
        """Worth a question: the draft differs from the document, and it has news. A person's
        edit of a section whose draft is what archdraft wrote last time is not asked again."""
        if self.owner == PINNED or self.current == self.proposed:
            return False
        return not (self.owner == HUMAN and self.last is not None and self.proposed == self.last)

    @property
    def accepted_by_default(self) -> bool:
        """A person's text is never replaced without an explicit choice."""
        return self.owner in (NEW, OURS)


@dataclass(frozen=True)
class Proposal:
    path: Path
    shown_path: str
    current: str | None
    """The whole document on disk, or None when there is none yet."""
    blocks: tuple[Block, ...]
    order: tuple[str, ...]
    """Section keys in the new draft's order."""
    units: tuple[Unit, ...]
    state: DocState
    headings: Headings
    facts: Mapping[str, tuple[str, tuple[str, ...]]]
    """Section key → (fingerprint, fact lines) the new draft was made from."""

    @property
    def changed(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.changed)

    def unit(self, key: str) -> Unit:
        return next(u for u in self.units if u.key == key)


def _owner(current: str | None, last: str | None) -> str:
    if current is None:
        return NEW
    if KEEP_MARKER.search(current):
        return PINNED
    return OURS if last is not None and current == last else HUMAN


def findings_by_section(blocks: list[Block], findings: tuple[Finding, ...]) -> dict[str, list[str]]:
    """Each finding under the key of the block its line falls in."""
    found: dict[str, list[str]] = {}
    for finding in findings:
        owner = next((b for b in reversed(blocks) if b.line <= finding.line), None)
        if owner is not None and owner.key is not None:
            found.setdefault(owner.key, []).append(
                f"{finding.kind}: {finding.text!r}: {finding.reason}"
            )
    return found


def prepare(
    root: Path,
    doc_path: str,
    proposed: str,
    headings: Headings,
    findings: tuple[Finding, ...],
    facts: Mapping[str, tuple[str, tuple[str, ...]]] | None = None,
    rejected: Mapping[str, tuple[str, ...]] | None = None,
) -> Proposal:
    """Set the proposed document against the one on disk and archdraft's record of what it
    last wrote there."""
    path = root / doc_path
    if path.is_symlink():  # before reading: a link may point outside the repository
        raise WriteError(f"{doc_path} is a symlink; archdraft writes only regular files.")
    try:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise WriteError(
            f"cannot read the existing document {path} ({exc}); move it aside or pass --out."
        ) from exc
    blocks = split_document(current, headings) if current is not None else []
    new_blocks = split_document(proposed, headings)
    notes = findings_by_section(new_blocks, findings)
    state = load_state(root, doc_path)
    now = {b.key: normalise(b.text) for b in blocks if b.key is not None}
    drafted = {b.key: normalise(b.text) for b in new_blocks if b.key is not None}

    def unit(key: str, heading: str, proposed: str | None) -> Unit:
        current, last = now.get(key), state.texts.get(key)
        return Unit(
            key,
            heading,
            current,
            last,
            proposed,
            _owner(current, last),
            tuple(notes.get(key, ())),
            tuple((rejected or {}).get(key, ())) if proposed is not None else (),
        )

    units = [unit(b.key, b.heading, drafted[b.key]) for b in new_blocks if b.key is not None]
    units += [unit(b.key, b.heading, None) for b in blocks if b.key and b.key not in drafted]
    return Proposal(
        path,
        doc_path,
        current,
        tuple(blocks),
        tuple(drafted),
        tuple(units),
        state,
        headings,
        dict(facts or {}),
    )


Decisions = Mapping[str, "str | None"]
"""Section key → the text accepted for it (the draft, or the reviewer's edit of it), or None
where the reviewer accepted the draft's removal of the section. Absent keys keep the text
the document has now."""


def merge(proposal: Proposal, decisions: Decisions) -> str:
    """The document as it is, with the accepted sections put in: a replaced section stays
    where it is, a new one goes after the section the draft puts before it, and text a
    person added outside the template's sections stays where it was."""
    result: list[tuple[str | None, str]] = []
    for block in proposal.blocks:
        if block.key is not None and block.key in decisions:
            text = decisions[block.key]
            if text is not None:
                result.append((block.key, text))
        else:
            result.append((block.key, block.text))
    present = {key for key, _ in result if key is not None}
    for index, key in enumerate(proposal.order):
        text = decisions.get(key)
        if key in present or text is None:
            continue
        position = 0
        anchor = next((k for k in reversed(proposal.order[:index]) if k in present), None)
        if anchor is not None:
            position = next(i for i, (k, _) in enumerate(result) if k == anchor) + 1
            while position < len(result) and result[position][0] is None:
                position += 1
        result.insert(position, (key, text))
        present.add(key)
    return join_blocks([text for _, text in result])


def guard(proposal: Proposal, result: str) -> list[str]:
    """Why ``result`` must not replace the document without ``--force``; empty when fine."""
    if proposal.current is None:
        return []
    reasons = []
    kept = {b.key for b in split_document(result, proposal.headings)}
    dropped = [
        b.heading for b in proposal.blocks if b.key not in (None, PREAMBLE) and b.key not in kept
    ]
    if dropped:
        reasons.append(
            "it drops " + ", ".join(repr(h) for h in dropped) + f" from {proposal.shown_path}"
        )
    before, after = len(proposal.current.strip()), len(result.strip())
    if after * 2 < before:
        reasons.append(
            f"it shrinks {proposal.shown_path} from {before} to {after} characters, less than half"
        )
    return reasons


def apply(
    proposal: Proposal,
    decisions: Decisions,
    root: Path,
    force: bool,
    pending: frozenset[str] = frozenset(),
) -> tuple[str, str]:
    """Merge, check the guards, write the document atomically and record what archdraft
    wrote, and the facts each section not ``pending`` is now settled on. Returns the
    document's and the state file's new texts."""
    result = merge(proposal, decisions)
    reasons = guard(proposal, result)
    if reasons and not force:
        raise GuardError(
            f"refusing to write {proposal.shown_path}: "
            + "; ".join(reasons)
            + ". Review the sections again, or pass --force to write it anyway."
        )
    write_atomic(proposal.path, result)
    texts, facts = _recorded(proposal, decisions, pending)
    return result, save_state(root, proposal.shown_path, texts, facts)


def settle(proposal: Proposal, root: Path) -> None:
    """A document already as the draft has it: record that, so ``archdraft check`` knows
    the facts it stands on. The document itself is not touched."""
    texts, facts = _recorded(proposal, {}, frozenset())
    if texts != proposal.state.texts or facts != proposal.state.facts:
        save_state(root, proposal.shown_path, texts, facts)


def _recorded(
    proposal: Proposal, decisions: Decisions, pending: frozenset[str]
) -> tuple[dict[str, str], dict[str, tuple[str, tuple[str, ...]]]]:
    """The state after ``decisions``: what archdraft drafted in each section it now stands
    behind, and the facts each section not ``pending`` is settled on."""
    texts = dict(proposal.state.texts)
    facts = dict(proposal.state.facts)
    for unit in proposal.units:
        if unit.key in decisions:
            if unit.proposed is None:
                texts.pop(unit.key, None)
            else:  # the draft, not a reviewer's edit of it: an edit stays the reviewer's
                texts[unit.key] = unit.proposed
        elif not unit.changed and unit.proposed is not None and unit.owner != PINNED:
            texts[unit.key] = unit.proposed
        if unit.key in proposal.facts and unit.key not in pending:
            facts[unit.key] = proposal.facts[unit.key]
    return texts, facts


def section_diff(before: str | None, after: str | None, old: str, new: str) -> list[str]:
    return list(
        difflib.unified_diff(
            (before or "").splitlines(keepends=True),
            (after or "").splitlines(keepends=True),
            fromfile=old,
            tofile=new,
        )
    )
