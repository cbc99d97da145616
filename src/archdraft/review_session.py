"""The review conversation: each section that would change is shown (its diff, the three
versions when a person has edited it, its verify findings) and answered, at a terminal or
by ``--yes``. Returns the decisions; writing is ``review.apply``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from archdraft import console
from archdraft.editor import edit
from archdraft.errors import ConfigError
from archdraft.review import HUMAN, NEW, Proposal, Unit, section_diff

ACCEPT, REJECT, EDIT, ACCEPT_REST, REJECT_REST, QUIT = "a", "r", "e", "A", "R", "q"
CHOICES = (ACCEPT, REJECT, EDIT, ACCEPT_REST, REJECT_REST, QUIT)
HELP = "a accept, r reject, e edit, A accept all remaining, R reject all remaining, q quit"


@dataclass
class Outcome:
    decisions: dict[str, str | None] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    """Section key → ``accepted``, ``edited``, ``rejected``, ``kept``, ``pending``."""
    quit: bool = False


def describe(unit: Unit, doc: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """A note on whose the section is, and the diffs that show it."""
    if unit.proposed is None:
        return (
            "The new draft leaves this section out; accepting removes it.",
            [("", section_diff(unit.current, None, f"a/{doc} (current)", "b/ (removed)"))],
        )
    if unit.owner == NEW:
        return (
            "A new section.",
            [("", section_diff(None, unit.proposed, "/dev/null", f"b/{doc} (new draft)"))],
        )
    to_new = section_diff(unit.current, unit.proposed, f"a/{doc} (current)", f"b/{doc} (new draft)")
    if unit.owner != HUMAN:
        return "As archdraft last wrote it; the new draft replaces it.", [("", to_new)]
    if unit.last is None:
        return (
            "Yours: archdraft has no record of writing it. Kept unless you accept the new draft.",
            [("the new draft against your text:", to_new)],
        )
    return (
        "Edited by hand since archdraft last wrote it. Kept unless you accept the new draft.",
        [
            (
                "your edits since archdraft's last draft:",
                section_diff(unit.last, unit.current, "last draft", "current (yours)"),
            ),
            ("the new draft against your text:", to_new),
        ],
    )


def show(unit: Unit, doc: str, position: str = "") -> None:
    note, diffs = describe(unit, doc)
    console.show_section(f"{position}{unit.heading}", note, diffs, unit.findings, unit.rejected)


def decide(
    proposal: Proposal,
    ask: Callable[[str, str], str] | None = None,
    editor: Callable[[str, str], str] = edit,
) -> Outcome:
    """Ask about each changed section. ``ask(question, default)`` returns one of CHOICES.
    "Accept all remaining" does not reach a person's own sections: those are still asked."""
    ask = ask or (lambda question, default: console.choose(question, CHOICES, default))
    outcome = Outcome()
    rest = ""
    units = proposal.changed
    for number, unit in enumerate(units, 1):
        if rest == REJECT_REST or (rest == ACCEPT_REST and unit.accepted_by_default):
            if rest == REJECT_REST:
                outcome.statuses[unit.key] = "rejected"
            else:
                outcome.decisions[unit.key] = unit.proposed
                outcome.statuses[unit.key] = "accepted"
            continue
        show(unit, proposal.shown_path, f"[{number}/{len(units)}] ")
        candidate, edited = unit.proposed, False
        while True:
            default = ACCEPT if unit.accepted_by_default else REJECT
            answer = ask(f"{unit.heading}? ({HELP})", default)
            if answer == QUIT:
                outcome.quit = True
                return outcome
            if answer == EDIT:
                try:
                    changed = editor(candidate or "", unit.key)
                except ConfigError as exc:
                    console.warn(str(exc))
                    continue
                if changed.strip() != (candidate or "").strip():
                    candidate, edited = changed, True
                console.show_section(
                    f"{unit.heading} (your edit)",
                    "Your edit against the document as it is now.",
                    [("", section_diff(unit.current, candidate, "current", "edited"))],
                    (),
                )
                continue
            if answer in (ACCEPT, ACCEPT_REST):
                outcome.decisions[unit.key] = candidate
                outcome.statuses[unit.key] = "edited" if edited else "accepted"
            else:
                outcome.statuses[unit.key] = "kept" if unit.owner == HUMAN else "rejected"
            if answer in (ACCEPT_REST, REJECT_REST):
                rest = answer
            break
    return outcome


def show_changes(proposal: Proposal) -> None:
    for unit in proposal.changed:
        show(unit, proposal.shown_path)


def decide_unattended(proposal: Proposal, force: bool) -> Outcome:
    """``--yes``: every changed section archdraft owns and whose draft has no finding is
    accepted (``--force``: with findings too); a person's sections are kept; the rest wait
    for ``archdraft review``."""
    outcome = Outcome()
    for unit in proposal.changed:
        if unit.accepted_by_default and (force or not unit.findings):
            outcome.decisions[unit.key] = unit.proposed
            outcome.statuses[unit.key] = "accepted"
        elif unit.accepted_by_default:
            outcome.statuses[unit.key] = "pending"
        else:
            outcome.statuses[unit.key] = "kept"
    return outcome
