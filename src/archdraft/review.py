"""The review stage: the proposed document against what is on disk, and an atomic write.
Nothing reaches the document unless the caller has a yes for this diff."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from archdraft.errors import WriteError


@dataclass(frozen=True)
class Review:
    path: Path
    shown_path: str
    """The document's path relative to the repository, as shown in the diff."""
    current: str | None
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed

    def diff(self) -> list[str]:
        before = self.current.splitlines(keepends=True) if self.current is not None else []
        return list(
            difflib.unified_diff(
                before,
                self.proposed.splitlines(keepends=True),
                fromfile=f"a/{self.shown_path}" if self.current is not None else "/dev/null",
                tofile=f"b/{self.shown_path}",
            )
        )


def prepare(root: Path, doc_path: str, proposed: str) -> Review:
    path = root / doc_path
    try:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        raise WriteError(
            f"cannot read the existing document {path} ({exc}); move it aside or pass --out."
        ) from exc
    return Review(path=path, shown_path=doc_path, current=current, proposed=proposed)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new one,
    never half of either: a temporary file in the same folder, then a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise WriteError(
            f"cannot write {path} ({exc.strerror}); check the folder's permissions or pass --out."
        ) from exc


def save_pending(root: Path, template_name: str, text: str) -> Path:
    """Keep a draft that could not be reviewed now under ``.archdraft/drafts/``."""
    path = root / ".archdraft" / "drafts" / f"{template_name}.md"
    write_atomic(path, text)
    return path
