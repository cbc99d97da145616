from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from archdraft.cli import EXIT_DECLINED, EXIT_PENDING, app

from .conftest import USER_TEMPLATE

runner = CliRunner()
DOC = Path("docs/architecture/backend.md")


def test_draft_yes_writes_the_document(make_repo) -> None:
    root = make_repo("express-app")
    result = runner.invoke(app, ["draft", str(root), "--yes"])
    assert result.exit_code == 0, result.output
    document = (root / DOC).read_text(encoding="utf-8")
    assert len(re.findall(r"^## ", document, re.M)) == 15
    assert "| **Framework** | Express |" in document
    assert "+## 2. Technology Stack" in result.stdout  # the diff was shown


def test_second_run_finds_nothing_to_write(make_repo) -> None:
    root = make_repo("express-app")
    assert runner.invoke(app, ["draft", str(root), "--yes"]).exit_code == 0
    first = (root / DOC).read_bytes()
    again = runner.invoke(app, ["draft", str(root), "--yes"])
    assert again.exit_code == 0
    assert "up to date" in again.stderr
    assert (root / DOC).read_bytes() == first


def test_without_a_terminal_nothing_is_written_and_the_draft_is_kept(make_repo) -> None:
    root = make_repo("fastapi-app")
    result = runner.invoke(app, ["draft", str(root)])
    assert result.exit_code == EXIT_PENDING
    assert not (root / DOC).exists()
    (run,) = (root / ".archdraft" / "runs").iterdir()
    assert (run / "document.md").read_text(encoding="utf-8").startswith("---\ntitle:")
    assert f"archdraft review {run.name}" in result.stderr
    assert "--yes" in result.stderr
    assert "+## 1. Overview" in result.stdout


def test_declining_leaves_the_existing_document_byte_for_byte(make_repo, monkeypatch) -> None:
    root = make_repo("express-app")
    (root / DOC).parent.mkdir(parents=True)
    original = b"# Our hand-written notes\n\nKeep me.\n"
    (root / DOC).write_bytes(original)
    monkeypatch.setattr("archdraft.console.is_interactive", lambda: True)
    result = runner.invoke(app, ["draft", str(root)], input="R\n")  # reject all
    assert result.exit_code == EXIT_DECLINED
    assert (root / DOC).read_bytes() == original
    assert "-Keep me." in result.stdout


def test_stdout_prints_the_document_and_writes_nothing(make_repo) -> None:
    root = make_repo("express-app")
    result = runner.invoke(app, ["draft", str(root), "--stdout", "--template", str(USER_TEMPLATE)])
    assert result.exit_code == 0
    assert result.stdout.startswith('---\ntitle: "Backend Architecture"')
    assert not (root / DOC).exists()


def test_out_and_template_options(make_repo) -> None:
    root = make_repo("express-app")
    result = runner.invoke(
        app,
        ["draft", str(root), "--yes", "--out", "ARCHITECTURE.md", "--template", str(USER_TEMPLATE)],
    )
    assert result.exit_code == 0, result.output
    document = (root / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "](package.json#L17)" in document  # links are relative to the document


def test_out_outside_the_repository_is_refused(make_repo) -> None:
    root = make_repo("express-app")
    result = runner.invoke(app, ["draft", str(root), "--yes", "--out", "../elsewhere.md"])
    assert result.exit_code == 1
    assert "outside the repository" in result.stderr


def test_unknown_template_says_what_to_do(make_repo) -> None:
    result = runner.invoke(app, ["draft", str(make_repo("express-app")), "--template", "nope"])
    assert result.exit_code == 1
    assert "pass --template with a path" in result.stderr


def test_config_file_and_environment(make_repo, monkeypatch) -> None:
    root = make_repo("fastapi-app")
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool.archdraft]\nout = "docs/ARCH.md"\ndrop-empty = true\n')
    assert runner.invoke(app, ["draft", str(root), "--yes"]).exit_code == 0
    assert "Integration Patterns" not in (root / "docs/ARCH.md").read_text(encoding="utf-8")
    monkeypatch.setenv("ARCHDRAFT_OUT", "docs/FROM_ENV.md")
    assert runner.invoke(app, ["draft", str(root), "--yes", "--keep-empty"]).exit_code == 0
    assert "Integration Patterns" in (root / "docs/FROM_ENV.md").read_text(encoding="utf-8")


def test_bad_configuration_is_reported(make_repo, monkeypatch) -> None:
    monkeypatch.setenv("ARCHDRAFT_MAX_FILE_BYTES", "lots")
    result = runner.invoke(app, ["scan", str(make_repo("express-app"))])
    assert result.exit_code == 1
    assert "ARCHDRAFT_MAX_FILE_BYTES" in result.stderr


def test_scan_json_twice_is_byte_identical(make_repo) -> None:
    root = make_repo("express-app")
    first = runner.invoke(app, ["scan", str(root), "--format", "json"])
    second = runner.invoke(app, ["scan", str(root), "--format", "json"])
    assert first.exit_code == 0
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["schema"] == "archdraft.scan/v1"


def test_scan_markdown(make_repo) -> None:
    result = runner.invoke(app, ["scan", str(make_repo("fastapi-app")), "-f", "markdown"])
    assert result.exit_code == 0
    assert "- framework: **FastAPI** >=0.110,<1 (`pyproject.toml:6`)" in result.stdout


def test_templates_lists_the_default() -> None:
    result = runner.invoke(app, ["templates"])
    assert result.stdout.splitlines() == ["backend"]


def test_missing_repository_path() -> None:
    result = runner.invoke(app, ["scan", "does/not/exist"])
    assert result.exit_code == 1
    assert "is not a folder" in result.stderr
