"""The one module that prints with rich. Messages go to stderr, so stdout carries only
what a command produces (a document, a scan, a diff)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.live import Live
from rich.prompt import Confirm, Prompt
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

_err = Console(stderr=True, highlight=False, soft_wrap=True)
_out = Console(highlight=False, soft_wrap=True)


def is_interactive() -> bool:
    """A person is there to answer: both ends of the conversation are terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def info(message: str) -> None:
    _err.print(Text(message))


def warn(message: str) -> None:
    _err.print(Text("warning: ", style="yellow bold") + Text(message))


def error(message: str) -> None:
    _err.print(Text("error: ", style="red bold") + Text(message))


def success(message: str) -> None:
    _err.print(Text(message, style="green"))


def raw(text: str) -> None:
    """Print ``text`` to stdout exactly, with no styling or wrapping."""
    sys.stdout.write(text)
    sys.stdout.flush()


_DIFF_STYLE = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def show_diff(lines: Iterable[str]) -> None:
    for line in lines:
        style = next((s for prefix, s in _DIFF_STYLE if line.startswith(prefix)), "")
        _out.print(Text(line.rstrip("\n"), style=style))


def show_findings(grouped: dict[str, list[tuple[int, str, str, str]]]) -> None:
    """Findings per section: (line, kind, offending text, reason)."""
    for section, items in grouped.items():
        _err.print(Text(section, style="bold"))
        for line, kind, text, reason in items:
            _err.print(
                Text(f"  line {line}: ", style="dim")
                + Text(f"{kind} ", style="yellow")
                + Text(f"{text!r}: {reason}")
            )


def confirm(question: str) -> bool:
    return Confirm.ask(Text(question), console=_err, default=False)


def show_section(
    title: str,
    note: str,
    diffs: Sequence[tuple[str, list[str]]],
    findings: Sequence[str],
    rejected: Sequence[str] = (),
) -> None:
    """One section under review: its diffs, each under a label, its verify findings, and
    the model's sentences left out of it with why."""
    _out.print(Rule(Text(title, style="bold"), align="left"))
    _out.print(Text(note, style="italic"))
    for label, lines in diffs:
        if label:
            _out.print(Text(label, style="bold"))
        show_diff(lines)
    for finding in findings:
        _out.print(Text("  finding: ", style="yellow") + Text(finding))
    if rejected:
        _out.print(Text("Left out of the model's prose (not in the draft):", style="bold"))
    for sentence in rejected:
        _out.print(Text("  rejected: ", style="magenta") + Text(sentence))


def choose(question: str, choices: Sequence[str], default: str) -> str:
    return Prompt.ask(
        Text(question), console=_err, choices=list(choices), default=default, case_sensitive=True
    )


class SectionProgress:
    """A live line per section while a model drafts; plain lines when not at a terminal.
    Called from worker threads: rich's live display is thread-safe."""

    def __init__(self) -> None:
        self._state: dict[str, str] = {}
        self._live = (
            Live(self._render(), console=_err, transient=True) if _err.is_terminal else None
        )

    def _render(self) -> Table:
        table = Table.grid(padding=(0, 2))
        for heading, status in self._state.items():
            style = {"failed": "red", "sent": "green", "cached": "cyan"}.get(status, "yellow")
            table.add_row(Text(status, style=style), Text(heading))
        return table

    def __enter__(self) -> SectionProgress:
        if self._live is not None:
            self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)

    def __call__(self, heading: str, status: str) -> None:
        self._state[heading] = "drafting" if status == "started" else status
        if self._live is not None:
            self._live.update(self._render())
        elif status != "started":
            _err.print(Text(f"  {status:<7} {heading}", style="dim"))


def show_table(title: str, columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if index < 2 else "right")
    for row in rows:
        table.add_row(*row, end_section=row[0] == "")
    _err.print(table)
