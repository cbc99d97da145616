"""A per-repository cache of what each source file said, keyed by the file's content, so
a rescan parses only the files that changed.

The cache lives in the user's cache folder (``ARCHDRAFT_CACHE_DIR``, else
``$XDG_CACHE_HOME/archdraft``, else ``~/.cache/archdraft``), never in the scanned
repository: a repository could otherwise ship a crafted cache file. Its key includes a
fingerprint of archdraft's own scanner code, so a changed extractor never reuses old
facts. ``ARCHDRAFT_NO_CACHE=1`` turns it off."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from archdraft.scan.code_facts import CodeFacts

_SCAN_PACKAGE = Path(__file__).resolve().parent


@cache
def _fingerprint() -> str:
    digest = hashlib.sha256()
    for source in sorted(_SCAN_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_SCAN_PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cache_root() -> Path | None:
    if os.environ.get("ARCHDRAFT_NO_CACHE", "").lower() in {"1", "true", "yes"}:
        return None
    if os.environ.get("ARCHDRAFT_CACHE_DIR"):
        return Path(os.environ["ARCHDRAFT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archdraft"


def content_key(path: str, text: str) -> str:
    return hashlib.sha1(f"{path}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


class FactsCache:
    """Facts by content key for one repository; ``save`` keeps only what was used."""

    def __init__(self, root: Path) -> None:
        folder = cache_root()
        name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self.file = folder / f"scan-{name}-{_fingerprint()}.pickle" if folder else None
        self.entries: dict[str, CodeFacts] = {}
        self.used: dict[str, CodeFacts] = {}
        if self.file is not None and self.file.is_file():
            try:
                with self.file.open("rb") as handle:
                    loaded = pickle.load(handle)
                if isinstance(loaded, dict):
                    self.entries = loaded
            except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
                self.entries = {}  # a damaged or foreign cache is only a slower scan

    def get(self, key: str) -> CodeFacts | None:
        found = self.entries.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, facts: CodeFacts) -> None:
        self.used[key] = facts

    def save(self) -> None:
        if self.file is None or self.used == self.entries:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            for stale in self.file.parent.glob(f"{self.file.name.rsplit('-', 1)[0]}-*.pickle"):
                if stale != self.file:
                    stale.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.file)
        except OSError:
            pass  # no cache is a slower scan, never a failed one
