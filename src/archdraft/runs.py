"""Saved runs: every ``draft`` keeps what it drafted under ``.archdraft/runs/<id>/`` so it
can be reviewed later, on another machine or after CI made it (``archdraft review``).

A run folder holds ``document.md`` (the proposed document as drafted) and ``run.json``:
the document's path, the template's section headings (so the run can be reviewed without
the template file), verify findings, the model's sentences left out and why, hashes of the
prompt files, model usage, and what became of each section."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from archdraft.errors import RunError
from archdraft.files import own_folder, write_atomic
from archdraft.verify import Finding

RUNS = Path(".archdraft") / "runs"
_VERSION = 1


@dataclass(frozen=True)
class SavedRun:
    id: str
    folder: Path
    doc_path: str
    document: str
    headings: dict[tuple[int, str], tuple[str, str]]
    findings: tuple[Finding, ...]
    drafter: str
    sections: dict[str, str]
    """Section key → what became of it: ``accepted``, ``kept``, ``pending``, ``unchanged``."""
    facts: dict[str, tuple[str, tuple[str, ...]]]
    """Section key → (fingerprint, fact lines) of the facts the run drafted from."""
    rejected: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    """Section key → the model's sentences left out of it, each with why, as shown."""


def prompt_hashes(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.glob("*.j2"))
        if path.is_file()
    }


def save_run(
    root: Path,
    doc_path: str,
    document: str,
    headings: Mapping[tuple[int, str], tuple[str, str]],
    findings: tuple[Finding, ...],
    drafter: str,
    prompts: Mapping[str, str],
    usage: Mapping[str, Any] | None,
    facts: Mapping[str, tuple[str, tuple[str, ...]]],
    now: datetime | None = None,
    rejected: Mapping[str, tuple[str, ...]] | None = None,
) -> SavedRun:
    moment = now or datetime.now(timezone.utc)
    run_id = moment.strftime("%Y%m%d-%H%M%S-%f")
    folder = own_folder(root) / "runs" / run_id
    data = {
        "version": _VERSION,
        "id": run_id,
        "created": moment.isoformat(timespec="seconds"),
        "document": doc_path,
        "drafter": drafter,
        "headings": [
            {"level": level, "heading": text, "key": key, "title": heading}
            for (level, text), (key, heading) in headings.items()
        ],
        "findings": [asdict(f) for f in findings],
        "prompts": dict(prompts),
        "usage": dict(usage) if usage is not None else None,
        "sections": {},
        "facts": {
            key: {"fingerprint": fp, "lines": list(lines)} for key, (fp, lines) in facts.items()
        },
        "rejected": {key: list(lines) for key, lines in (rejected or {}).items()},
    }
    write_atomic(folder / "document.md", document)
    write_atomic(folder / "run.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return _parse(folder, data, document)


def record(run: SavedRun, sections: Mapping[str, str]) -> None:
    """Note what became of each section, after a review or a ``--yes``."""
    path = run.folder / "run.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sections"] = dict(sections)
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _parse(folder: Path, data: dict[str, Any], document: str) -> SavedRun:
    try:
        return SavedRun(
            id=str(data["id"]),
            folder=folder,
            doc_path=str(data["document"]),
            document=document,
            headings={
                (int(h["level"]), str(h["heading"])): (str(h["key"]), str(h["title"]))
                for h in data["headings"]
            },
            findings=tuple(Finding(**f) for f in data["findings"]),
            drafter=str(data["drafter"]),
            sections={str(k): str(v) for k, v in dict(data.get("sections") or {}).items()},
            facts={
                str(k): (str(v["fingerprint"]), tuple(str(x) for x in v["lines"]))
                for k, v in dict(data.get("facts") or {}).items()
            },
            rejected={
                str(k): tuple(str(x) for x in v)
                for k, v in dict(data.get("rejected") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RunError(
            f"the saved run in {folder} is not one archdraft can read ({exc}); "
            "draft again with `archdraft draft`."
        ) from exc


def list_runs(root: Path) -> list[str]:
    folder = root / RUNS
    if (root / RUNS.parent).is_symlink() or not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "run.json").is_file())


def load_run(root: Path, run_id: str | None) -> SavedRun:
    runs = list_runs(root)
    if not runs:
        raise RunError(
            f"no saved run in {root / RUNS}; run `archdraft draft` first (it saves every run)."
        )
    chosen = run_id or runs[-1]
    if chosen not in runs:
        raise RunError(f"no saved run {chosen!r}; the saved runs are: {', '.join(runs[-10:])}.")
    folder = root / RUNS / chosen
    try:
        data = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        document = (folder / "document.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunError(
            f"cannot read the saved run in {folder} ({exc}); draft again with `archdraft draft`."
        ) from exc
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        raise RunError(f"{folder} was saved by another archdraft version; draft again.")
    return _parse(folder, data, document)
