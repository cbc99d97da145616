"""What the commands of ``cli`` and ``cli_pr`` share: the Typer app they register on, the
options both take, and the one place errors become exit codes. Both import this module and
neither imports the other's options, so the import graph has no circle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from archdraft import console
from archdraft.errors import ArchdraftError

app = typer.Typer(
    name="archdraft",
    help="Draft a repository's architecture documentation from its code, with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@contextmanager
def reported() -> Iterator[None]:
    try:
        yield
    except ArchdraftError as exc:
        console.error(str(exc))
        raise typer.Exit(exc.exit_code) from None


PathArg = Annotated[Path, typer.Argument(help="The repository to document.", show_default=True)]
PromptsOpt = Annotated[
    Path | None,
    typer.Option("--prompts", help="A folder of prompt files to use instead of archdraft's own."),
]
ModelOpt = Annotated[str | None, typer.Option("--model", help="Chat model (env ARCHDRAFT_MODEL).")]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--base-url",
        help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (env OPENAI_BASE_URL).",
    ),
]
OfflineOpt = Annotated[
    bool | None,
    typer.Option("--offline", help="Draft from the facts alone even if a model is set."),
]
