"""Every file archdraft writes goes through here: atomically, or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from archdraft.errors import WriteError


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


def own_folder(root: Path) -> Path:
    """``.archdraft/`` in the repository, refused when it is a symlink: archdraft never
    writes outside the repository it was pointed at."""
    folder = root / ".archdraft"
    if folder.is_symlink():
        raise WriteError(
            f"{folder} is a symlink; archdraft keeps its state and runs only inside the "
            "repository. Remove the link and run again."
        )
    return folder
