"""The one module that runs git. It only reads: listing, HEAD, dates."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Head:
    commit: str
    date: str
    """Committer date of HEAD as YYYY-MM-DD."""


def _run(root: Path, *args: str) -> bytes | None:
    if shutil.which("git") is None:
        return None
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # Never let a scanned repository's config run anything or prompt.
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def is_work_tree(root: Path) -> bool:
    out = _run(root, "rev-parse", "--is-inside-work-tree")
    return out is not None and out.strip() == b"true"


def list_files(root: Path) -> list[str] | None:
    """Paths below ``root`` (relative to it) that git tracks or would track, or None."""
    # Run from ``root``, ls-files limits itself to that folder and prints paths relative
    # to it, which is what a scan of a monorepo package wants.
    out = _run(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if out is None:
        return None
    return sorted({raw.decode("utf-8", "surrogateescape") for raw in out.split(b"\0") if raw})


def head(root: Path) -> Head | None:
    out = _run(root, "log", "-1", "--format=%H%x00%cs")
    if not out:
        return None
    commit, _, date = out.decode("ascii", "replace").strip().partition("\0")
    return Head(commit=commit, date=date) if commit and date else None
