from __future__ import annotations

import pytest

from archdraft.redact import redact


@pytest.mark.parametrize(
    ("source", "secret"),
    [
        ("const API_KEY = 'abc123secretvalue';", "abc123secretvalue"),
        ('password: "hunter22"', "hunter22"),
        ("DB = 'postgres://app:s3cr3t-pass@db:5432/x'", "s3cr3t-pass"),
        ("token = 'sk-" + "a" * 30 + "'", "sk-" + "a" * 30),
        ("key = ghp_" + "b" * 36, "ghp_" + "b" * 36),
        ("-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----", "MIIEv"),
        ("aws = 'AKIAABCDEFGHIJKLMNOP'", "AKIAABCDEFGHIJKLMNOP"),
    ],
)
def test_secret_values_are_masked_and_names_kept(source: str, secret: str) -> None:
    masked = redact(source)
    assert secret not in masked
    assert "***" in masked


def test_ordinary_code_is_left_alone() -> None:
    code = "const port = Number(process.env.PORT || 3000);\nres.json({ error: err.message });"
    assert redact(code) == code
