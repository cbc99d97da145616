"""Model replies stored on disk, keyed by everything that shapes a reply: endpoint, model,
messages (as sent, after the egress gate) and parameters. A rerun with nothing changed
sends nothing; a run interrupted half-way resumes from the sections that finished.

Replies live in the user's cache folder (see ``archdraft.scan.cache``), never in the
repository, and hold only what the model wrote and its token counts."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from archdraft.llm import Completion, ModelSettings
from archdraft.redact import gate
from archdraft.scan.cache import cache_root


def request_key(settings: ModelSettings, messages: Sequence[tuple[str, str]]) -> str:
    shaped = {
        "endpoint": settings.endpoint,
        "model": settings.model,
        "messages": [list(m) for m in gate(messages)],
        "temperature": settings.temperature,
        "max_tokens": settings.reply_tokens,
    }
    if settings.frequency_penalty:
        shaped["frequency_penalty"] = settings.frequency_penalty
    return hashlib.sha256(json.dumps(shaped, sort_keys=True).encode()).hexdigest()


class ReplyCache:
    def __init__(self, enabled: bool = True, folder: Path | None = None) -> None:
        root = folder or cache_root()
        self.folder = root / "replies" if enabled and root is not None else None

    def get(self, key: str) -> Completion | None:
        if self.folder is None:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            return Completion(
                text=str(data["text"]),
                prompt_tokens=int(data["prompt_tokens"]),
                completion_tokens=int(data["completion_tokens"]),
                finish_reason=str(data["finish_reason"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, completion: Completion) -> None:
        if self.folder is None:
            return
        data = {
            "text": completion.text,
            "prompt_tokens": completion.prompt_tokens,
            "completion_tokens": completion.completion_tokens,
            "finish_reason": completion.finish_reason,
        }
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written whole or not at all: concurrent sections and an interrupt mid-write
            # must never leave a half reply to be replayed.
            handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(temp, self.folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only costs a request next time
