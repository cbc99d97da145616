"""The one module that prints with rich. Messages go to stderr, so stdout carries only
what a command produces (a document, a scan, a diff)."""

from __future__ import annotations

import sys
from collections.abc import Iterable

from rich.console import Console
from rich.prompt import Confirm
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
