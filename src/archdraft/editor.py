"""The one place archdraft starts the reviewer's editor on a drafted section."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from archdraft.errors import ConfigError


def editor_command(environ: Mapping[str, str]) -> list[str]:
    """``$VISUAL``, then ``$EDITOR``, then ``vi``, split the way a shell would split it, so
    ``code --wait`` works."""
    chosen = environ.get("VISUAL") or environ.get("EDITOR") or "vi"
    try:
        parts = shlex.split(chosen)
    except ValueError as exc:
        raise ConfigError(
            f"cannot read the editor command {chosen!r} ({exc}); fix $VISUAL or $EDITOR."
        ) from exc
    if not parts:
        raise ConfigError("$VISUAL and $EDITOR are empty; set one to your editor's command.")
    return parts


def edit(text: str, name: str, environ: Mapping[str, str] | None = None) -> str:
    """Open ``text`` in the editor and return what the reviewer saved."""
    command = editor_command(os.environ if environ is None else environ)
    fd, tmp = tempfile.mkstemp(prefix=f"archdraft-{name}-", suffix=".md")
    path = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise ConfigError(
                f"cannot start the editor {command[0]!r} ({exc.strerror}); set $VISUAL or "
                "$EDITOR to an editor installed here."
            ) from exc
        if done.returncode != 0:
            raise ConfigError(
                f"the editor {command[0]!r} exited with code {done.returncode}; the section "
                "was not changed."
            )
        return path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
