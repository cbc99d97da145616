"""Two per-repository caches: the last summary, keyed by everything the scan read, so a
rescan of an unchanged tree only reads and hashes; and what each source file said, keyed
by the file's content, so a rescan after a change parses only the files that changed.

The cache lives in the user's cache folder (``ARCHDRAFT_CACHE_DIR``, else
``$XDG_CACHE_HOME/archdraft``, else ``~/.cache/archdraft``), never in the scanned
repository: a repository could otherwise ship a crafted cache file. Its key includes a
fingerprint of archdraft's own code, so a changed extractor never reuses old facts.
``ARCHDRAFT_NO_CACHE=1`` turns it off."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from archdraft.repo import RepoTree, TextFile
from archdraft.scan.code_facts import CodeFacts
from archdraft.scan.summary import RepoSummary

Texts = dict[str, TextFile | None]
"""What the scan read, by path; None where a file was not to be read at all."""
_DAMAGED = (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError)

# The whole package, not only scan/: the reader (repo.py) and path rules (pathnames.py) shape
# a summary as much as the extractors do.
_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def _fingerprint() -> str:
    digest = hashlib.sha256()
    for source in sorted(_PACKAGE.rglob("*.py")):
        digest.update(source.relative_to(_PACKAGE).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def cache_root() -> Path | None:
    if os.environ.get("ARCHDRAFT_NO_CACHE", "").lower() in {"1", "true", "yes"}:
        return None
    if os.environ.get("ARCHDRAFT_CACHE_DIR"):
        return Path(os.environ["ARCHDRAFT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "archdraft"


def _cache_file(root: Path, kind: str) -> Path | None:
    folder = cache_root()
    name = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return folder / f"{kind}-{name}-{_fingerprint()}.pickle" if folder else None


def _load(file: Path | None) -> object:
    if file is None or not file.is_file():
        return None
    try:
        with file.open("rb") as handle:
            return pickle.load(handle)
    except _DAMAGED:
        return None  # a damaged or foreign cache is only a slower scan


def _store(file: Path | None, value: object) -> None:
    """Write atomically, and drop this repository's entries from older scanner versions."""
    if file is None:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        for stale in file.parent.glob(f"{file.name.rsplit('-', 1)[0]}-*.pickle"):
            if stale != file:
                stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, file)
    except OSError:
        pass  # no cache is a slower scan, never a failed one


def inputs_key(tree: RepoTree, texts: Texts) -> str:
    """A hash of all a summary is made of: the listing (paths, sizes, what was skipped, the
    commit) and every text the scan read, with the reader's warnings."""
    digest = hashlib.sha256()
    digest.update(repr((tree.name, tree.commit, tree.date, tree.max_file_bytes)).encode())
    digest.update(repr(tree.warnings).encode("utf-8", "surrogatepass"))
    for entry in tree.files:
        digest.update(f"{entry.path}\0{entry.size}\n".encode("utf-8", "surrogatepass"))
    for path, text in texts.items():
        digest.update(
            f"{path}\0{text.warning if text else None}\0".encode("utf-8", "surrogatepass")
        )
        if text is not None:
            digest.update(text.text.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
    return digest.hexdigest()


def load_summary(root: Path, key: str) -> RepoSummary | None:
    loaded = _load(_cache_file(root, "summary"))
    if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == key:
        return loaded[1] if isinstance(loaded[1], RepoSummary) else None
    return None


def save_summary(root: Path, key: str, summary: RepoSummary) -> None:
    _store(_cache_file(root, "summary"), (key, summary))


def content_key(path: str, text: str) -> str:
    return hashlib.sha1(f"{path}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


class FactsCache:
    """Facts by content key for one repository; ``save`` keeps only what was used."""

    def __init__(self, root: Path) -> None:
        self.file = _cache_file(root, "scan")
        loaded = _load(self.file)
        self.entries: dict[str, CodeFacts] = loaded if isinstance(loaded, dict) else {}
        self.used: dict[str, CodeFacts] = {}

    def get(self, key: str) -> CodeFacts | None:
        found = self.entries.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, facts: CodeFacts) -> None:
        self.used[key] = facts

    def save(self) -> None:
        if self.used != self.entries:
            _store(self.file, self.used)
