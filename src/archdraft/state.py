"""What archdraft last wrote into each section of a document, kept in
``.archdraft/state.json`` so a later run can tell a person's edit from its own text.

The file is meant to be committed with the document: without it, every section of an
existing document counts as a person's and is never replaced without an explicit choice.
It records the text archdraft drafted, not what the reviewer finally accepted, so a
section edited during review stays the reviewer's."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from archdraft.files import own_folder, write_atomic

STATE_FILE = Path(".archdraft") / "state.json"
_GITIGNORE = "# archdraft: saved runs are local; state.json belongs with the document.\nruns/\n"
_VERSION = 1


def digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    """Trailing blank lines and spaces are layout, not content."""
    return text.rstrip() + "\n"


def _read(root: Path) -> dict[str, object]:
    path = root / STATE_FILE
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == _VERSION else {}


def load_state(root: Path, doc_path: str) -> dict[str, str]:
    """Section key → the text archdraft last wrote there, for sections whose recorded text
    still matches its recorded hash (a hand-edited state file is not trusted)."""
    documents = _read(root).get("documents")
    entry = documents.get(doc_path) if isinstance(documents, dict) else None
    sections = entry.get("sections") if isinstance(entry, dict) else None
    if not isinstance(sections, dict):
        return {}
    found: dict[str, str] = {}
    for key, value in sections.items():
        if not isinstance(value, dict):
            continue
        text, sha = value.get("text"), value.get("sha256")
        if isinstance(text, str) and sha == digest(text):
            found[str(key)] = normalise(text)
    return found


def save_state(root: Path, doc_path: str, sections: Mapping[str, str]) -> None:
    data = _read(root)
    documents = data.get("documents")
    documents = dict(documents) if isinstance(documents, dict) else {}
    documents[doc_path] = {
        "sections": {
            key: {"sha256": digest(text), "text": normalise(text)}
            for key, text in sorted(sections.items())
        }
    }
    payload = {"version": _VERSION, "documents": dict(sorted(documents.items()))}
    folder = own_folder(root)
    write_atomic(root / STATE_FILE, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    ignore = folder / ".gitignore"
    if not ignore.exists():
        write_atomic(ignore, _GITIGNORE)
