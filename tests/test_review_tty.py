"""The section-by-section review driven through a real pseudo-terminal, as a person meets it:
accept, reject, edit with the person's editor, quit, interrupt, and `archdraft review` of a
run that a non-interactive `draft` saved."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from archdraft.cli import EXIT_DECLINED, EXIT_INTERRUPTED, EXIT_PENDING, app
from archdraft.document import split_document
from archdraft.resources import find_template
from archdraft.template import load_template

from .conftest import commit_all

DOC = Path("docs/architecture/backend.md")
STATE = Path(".archdraft/state.json")
runner = CliRunner()
AVATAR = "router.get('/:id/avatar', requireAuth, async (req, res) => { res.json({}) });\n"


def _spawn(root: Path, *args: str, editor: Path | None = None) -> pexpect.spawn:
    env = {
        "PATH": "/usr/bin:/bin",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "ARCHDRAFT_CACHE_DIR": os.environ["ARCHDRAFT_CACHE_DIR"],
    }
    if editor is not None:
        env["EDITOR"] = str(editor)
    return pexpect.spawn(
        sys.executable,
        ["-m", "archdraft", *args],
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 250),
        env=env,
        cwd=str(root),
    )


def _answer(child: pexpect.spawn, heading: str, answer: str) -> None:
    child.expect(rf"{heading}\? \(a accept")
    child.sendline(answer)


def _sections(text: str) -> dict[str | None, str]:
    template = load_template(find_template("backend", Path.cwd()))
    headings = {(s.level, s.heading.strip()): (s.key, s.heading) for s in template.sections}
    return {b.key: b.text for b in split_document(text, headings)}


@pytest.fixture
def drafted(make_repo) -> Path:
    """The Express fixture with a document archdraft wrote, then a commit adding a route:
    the redraft changes the overview, routes, middleware and authentication sections."""
    root = make_repo("express-app")
    assert runner.invoke(app, ["draft", str(root), "--yes"]).exit_code == 0
    users = root / "src" / "routes" / "users.js"
    lines = users.read_text(encoding="utf-8").splitlines(keepends=True)
    users.write_text("".join([*lines[:14], AVATAR, *lines[14:]]), encoding="utf-8")
    commit_all(root, "an avatar route")
    return root


def _editor(tmp_path: Path) -> Path:
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\nprintf "\\nA LINE FROM THE REVIEWER.\\n" >> "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_accept_reject_and_edit_one_section_each(drafted: Path, tmp_path: Path) -> None:
    before = _sections((drafted / DOC).read_text(encoding="utf-8"))
    child = _spawn(drafted, "draft", editor=_editor(tmp_path))
    child.expect(r"\[1/4\] 1\. Overview")
    child.expect(r"\+- \*\*HTTP API:\*\* 7 routes")
    _answer(child, "1. Overview", "a")
    child.expect(r"\[2/4\] 4\. Route Structure")
    _answer(child, "4. Route Structure", "e")
    child.expect(r"\+A LINE FROM THE REVIEWER\.")  # the edit is shown before it is taken
    _answer(child, "4. Route Structure", "a")
    _answer(child, "5. Middleware Architecture", "r")
    _answer(child, "6. Authentication & Authorization", "a")
    child.expect("accepted: 1. Overview; 6. Authentication & Authorization")
    child.expect("accepted as edited: 4. Route Structure")
    child.expect("rejected: 5. Middleware Architecture")
    child.expect("Wrote docs/architecture/backend.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    after = _sections((drafted / DOC).read_text(encoding="utf-8"))
    assert "7 routes" in after["overview"]
    assert "/api/users/{id}/avatar" in after["route-structure"]
    assert "A LINE FROM THE REVIEWER." in after["route-structure"]
    assert after["middleware-architecture"] == before["middleware-architecture"]
    assert "5 of 7 routes" in after["authentication-authorization"]
    untouched = set(before) - {
        "overview",
        "route-structure",
        "middleware-architecture",
        "authentication-authorization",
    }
    assert all(after[key] == before[key] for key in untouched)
    # The edit is the reviewer's now: a later --yes keeps it.
    again = runner.invoke(app, ["draft", str(drafted), "--yes"])
    assert again.exit_code == 0, again.stderr
    assert "A LINE FROM THE REVIEWER." in (drafted / DOC).read_text(encoding="utf-8")


def test_quit_writes_nothing(drafted: Path) -> None:
    document, state = (drafted / DOC).read_bytes(), (drafted / STATE).read_bytes()
    child = _spawn(drafted, "draft")
    _answer(child, "1. Overview", "a")
    _answer(child, "4. Route Structure", "q")
    child.expect("Quit; nothing written")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == EXIT_DECLINED
    assert (drafted / DOC).read_bytes() == document
    assert (drafted / STATE).read_bytes() == state


def test_ctrl_c_writes_nothing(drafted: Path) -> None:
    document = (drafted / DOC).read_bytes()
    child = _spawn(drafted, "draft")
    _answer(child, "1. Overview", "a")
    child.expect(r"4\. Route Structure\? \(a accept")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == EXIT_INTERRUPTED
    assert (drafted / DOC).read_bytes() == document
    assert not list((drafted / DOC).parent.glob(".backend.md.*"))  # no temporary file left


def test_review_applies_exactly_the_sections_accepted_from_a_saved_run(drafted: Path) -> None:
    before = (drafted / DOC).read_text(encoding="utf-8")
    saved = runner.invoke(app, ["draft", str(drafted)])  # no terminal: the run is saved
    assert saved.exit_code == EXIT_PENDING
    assert (drafted / DOC).read_text(encoding="utf-8") == before
    child = _spawn(drafted, "review")
    child.expect("Reviewing run ")
    _answer(child, "1. Overview", "r")
    _answer(child, "4. Route Structure", "a")
    _answer(child, "5. Middleware Architecture", "R")  # and the rest
    child.expect("Wrote docs/architecture/backend.md")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    old, new = _sections(before), _sections((drafted / DOC).read_text(encoding="utf-8"))
    assert [key for key in new if new[key] != old[key]] == ["route-structure"]
    assert "/api/users/{id}/avatar" in new["route-structure"]
