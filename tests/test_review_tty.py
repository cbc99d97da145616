"""The review prompt driven through a real pseudo-terminal, as a person meets it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest

DOC = Path("docs/architecture/backend.md")


def _spawn(root: Path) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "archdraft", "draft", str(root)],
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 200),
        env={
            "PATH": "/usr/bin:/bin",
            "TERM": "dumb",
            "NO_COLOR": "1",
            "ARCHDRAFT_CACHE_DIR": os.environ["ARCHDRAFT_CACHE_DIR"],
        },
    )


@pytest.mark.parametrize("answer", ["n", ""])
def test_no_at_the_prompt_leaves_the_document_unchanged(make_repo, answer: str) -> None:
    root = make_repo("express-app")
    (root / DOC).parent.mkdir(parents=True)
    original = b"# Architecture\n\nWritten by hand.\n"
    (root / DOC).write_bytes(original)
    child = _spawn(root)
    child.expect(r"Write docs/architecture/backend\.md\?")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 4
    assert (root / DOC).read_bytes() == original


def test_yes_at_the_prompt_writes(make_repo) -> None:
    root = make_repo("express-app")
    child = _spawn(root)
    child.expect(r"\+## 4\. Route Structure")
    child.expect(r"Write docs/architecture/backend\.md\?")
    child.sendline("y")
    child.expect("Wrote docs/architecture/backend.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (root / DOC).read_text(encoding="utf-8").count("\n## ") == 15


def test_ctrl_c_at_the_prompt_writes_nothing(make_repo) -> None:
    root = make_repo("express-app")
    (root / DOC).parent.mkdir(parents=True)
    original = b"# Architecture\n\nWritten by hand.\n"
    (root / DOC).write_bytes(original)
    child = _spawn(root)
    child.expect(r"Write docs/architecture/backend\.md\?")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert (root / DOC).read_bytes() == original
    assert not list((root / DOC).parent.glob(".backend.md.*"))  # no temporary file left
