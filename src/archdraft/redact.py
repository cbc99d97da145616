"""The one place that masks secrets in text that leaves the scanner: code excerpts in
documents and prompts. Each secret value is replaced whole; names are kept."""

from __future__ import annotations

import re
from collections.abc import Sequence

MASK = "***"

_PATTERNS = (
    # private key blocks
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.S),
    # provider token formats
    re.compile(
        r"\b(sk-[A-Za-z0-9_-]{16,}|sk_live_[A-Za-z0-9]{10,}|rk_live_[A-Za-z0-9]{10,}|"
        r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|"
        r"AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|"
        r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b"
    ),
)
# password in a connection URL: scheme://user:PASSWORD@host
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^:/@\s\"']+:)([^@\s\"'/]+)(@)", re.I)
# a string literal assigned to a secret-looking name: API_KEY = "value", password: 'value'
_SECRET_ASSIGNMENT = re.compile(
    r"""(?P<name>\b[\w.-]*(?:secret|passw(?:or)?d|pwd|token|api[_-]?key|apikey|private[_-]?key|
         access[_-]?key|client[_-]?secret|credential|auth[_-]?key)[\w.-]*["']?\s*(?:=|:|=>)\s*)
        (?P<quote>["'`])(?P<value>[^"'`\n]{3,})(?P=quote)""",
    re.I | re.X,
)


def redact(text: str) -> str:
    """``text`` with every recognisable secret value replaced by ``***``."""
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    return _SECRET_ASSIGNMENT.sub(
        lambda m: f"{m.group('name')}{m.group('quote')}{MASK}{m.group('quote')}", text
    )


def gate(messages: Sequence[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The egress gate: every message that leaves for a model, and every dry-run print of
    one, passes here, so what is shown is exactly what would be sent."""
    return tuple((role, redact(content)) for role, content in messages)
