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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class DocState:
    texts: dict[str, str]
    """Section key → the text archdraft last drafted there."""
    facts: dict[str, tuple[str, tuple[str, ...]]]
    """Section key → (fingerprint, fact lines) of the facts the section was settled on: by
    an accepted draft, or by a reviewer who saw a new draft and kept their text."""


def load_state(root: Path, doc_path: str) -> DocState:
    """What archdraft recorded for ``doc_path``. A section whose recorded text does not
    match its recorded hash (a hand-edited state file) is not trusted."""
    documents = _read(root).get("documents")
    entry = documents.get(doc_path) if isinstance(documents, dict) else None
    sections = entry.get("sections") if isinstance(entry, dict) else None
    state = DocState({}, {})
    if not isinstance(sections, dict):
        return state
    for key, value in sections.items():
        if not isinstance(value, dict):
            continue
        text, sha = value.get("text"), value.get("sha256")
        if isinstance(text, str) and sha == digest(text):
            state.texts[str(key)] = normalise(text)
        facts = value.get("facts")
        if isinstance(facts, dict) and isinstance(facts.get("fingerprint"), str):
            lines = facts.get("lines")
            kept = tuple(str(x) for x in lines) if isinstance(lines, list) else ()
            state.facts[str(key)] = (facts["fingerprint"], kept)
    return state


def save_state(
    root: Path,
    doc_path: str,
    texts: Mapping[str, str],
    facts: Mapping[str, tuple[str, tuple[str, ...]]] | None = None,
) -> str:
    """Record the state and return the state file's new text."""
    facts = facts or {}
    data = _read(root)
    documents = data.get("documents")
    documents = dict(documents) if isinstance(documents, dict) else {}
    sections: dict[str, dict[str, object]] = {}
    for key in sorted(set(texts) | set(facts)):
        entry: dict[str, object] = {}
        if key in texts:
            entry.update({"sha256": digest(texts[key]), "text": normalise(texts[key])})
        if key in facts:
            entry["facts"] = {"fingerprint": facts[key][0], "lines": list(facts[key][1])}
        sections[key] = entry
    documents[doc_path] = {"sections": sections}
    payload = {"version": _VERSION, "documents": dict(sorted(documents.items()))}
    folder = own_folder(root)
    text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    write_atomic(root / STATE_FILE, text)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        write_atomic(ignore, _GITIGNORE)
    return text
