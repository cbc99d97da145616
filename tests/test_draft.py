from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from archdraft.config import Config
from archdraft.pipeline import run_draft
from archdraft.repo import open_repo
from archdraft.scan import scan

from .conftest import USER_TEMPLATE, assert_golden

HEADINGS = re.compile(r"^## (.+)$", re.M)
# A bracketed placeholder: brackets that are not the text of a markdown link.
PLACEHOLDER = re.compile(r"(?<!\])\[(?!`)[^\]\n]+\](?!\()")
LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)#]+)(?:#L(?P<line>\d+))?\)")


def _draft(root: Path, template: str = "backend", **settings: object) -> str:
    return run_draft(root, Config(template=template, **settings), Path.cwd()).document  # type: ignore[arg-type]


def _prose(document: str) -> str:
    """The document without its front matter and fenced code (real code has brackets)."""
    body = document.split("---\n", 2)[2] if document.startswith("---\n") else document
    return re.sub(r"^```.*?^```$", "", body, flags=re.S | re.M)


def _assert_finished(document: str) -> None:
    assert len(HEADINGS.findall(document)) == 15
    assert not PLACEHOLDER.findall(_prose(document)), PLACEHOLDER.findall(_prose(document))
    lowered = document.lower()
    assert "template" not in lowered
    assert "not real documentation" not in lowered


def _assert_links_resolve(
    root: Path, document: str, doc_path: str = "docs/architecture/backend.md"
) -> None:
    doc_dir = (root / doc_path).parent
    links = list(LINK.finditer(document))
    assert links
    for link in links:
        target = (doc_dir / link.group("target")).resolve()
        assert target.exists(), link.group(0)
        if link.group("line"):
            assert int(link.group("line")) <= len(target.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("fixture", ["express-app", "fastapi-app"])
@pytest.mark.parametrize("which", ["default", "user"])
def test_golden_offline_draft(make_repo, fixture: str, which: str) -> None:
    root = make_repo(fixture)
    template = "backend" if which == "default" else str(USER_TEMPLATE)
    document = _draft(root, template)
    _assert_finished(document)
    _assert_links_resolve(root, document)
    assert_golden(f"{fixture}.{which}-template.md", document)


def test_express_stack_table_names_express_with_a_real_citation(make_repo) -> None:
    root = make_repo("express-app")
    document = _draft(root, str(USER_TEMPLATE))
    row = next(line for line in document.splitlines() if line.startswith("| **Framework** |"))
    assert "| Express |" in row
    link = LINK.search(row)
    assert link and link.group("text") == "package.json:17"
    line = (root / "package.json").read_text(encoding="utf-8").splitlines()[16]
    assert '"express"' in line


def test_front_matter_is_finished_with_the_commit_date(make_repo) -> None:
    document = _draft(make_repo("express-app"), str(USER_TEMPLATE))
    front = document.split("---\n")[1]
    assert 'title: "Backend Architecture"' in front
    assert 'last_updated: "2025-03-14"' in front  # the fixture commit's date, not today
    assert 'status: "draft"' in front
    assert "keywords: [backend, architecture]" in front


def test_sections_without_facts_say_so_or_are_dropped(make_repo) -> None:
    root = make_repo("fastapi-app")
    kept = _draft(root)
    assert "## 10. Integration Patterns\n\nNot found in this repository.\n" in kept
    dropped = _draft(root, drop_empty=True)
    assert "Integration Patterns" not in dropped
    assert "Not found in this repository." not in dropped
    assert "## 2. Technology Stack" in dropped


def test_bootstrap_and_error_response_quote_real_code(make_repo) -> None:
    document = _draft(make_repo("express-app"))
    assert "app.listen(port, () => {" in document
    assert "res.status(status).json({" in document


def test_cross_references_list_documents_that_exist(make_repo) -> None:
    document = _draft(make_repo("express-app"), str(USER_TEMPLATE))
    related = document.split("### Related Documentation")[1].split("###")[0]
    assert "[`docs/security.md`](../security.md)" in related
    assert "frontend.md" not in document and "system-overview.md" not in document


def test_offline_draft_is_deterministic_and_ignores_its_own_output(make_repo) -> None:
    root = make_repo("express-app")
    first = _draft(root)
    (root / "docs" / "architecture").mkdir(parents=True)
    (root / "docs" / "architecture" / "backend.md").write_text(first, encoding="utf-8")
    assert _draft(root) == first


def test_excerpts_mask_secret_values(make_repo) -> None:
    root = make_repo("express-app", use_git=False)
    server = root / "src" / "server.js"
    server.write_text(
        "const API_KEY = 'planted-excerpt-secret';\n" + server.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    document = _draft(root)
    assert "const API_KEY = '***';" in document
    assert "planted-excerpt-secret" not in document


def test_overview_names_the_backend_language_not_the_largest(make_repo) -> None:
    root = make_repo("fastapi-app", use_git=False)
    (root / "frontend").mkdir()
    (root / "frontend" / "package.json").write_text('{"dependencies": {"react": "^18"}}\n')
    (root / "frontend" / "app.ts").write_text("export const x = 1;\n" * 500, encoding="utf-8")
    assert "is a Python backend built on FastAPI." in _draft(root)


def test_code_organisation_names_the_backend_folders_only(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    for folder in ("docs/scripts", "examples/demo"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "build.py").write_text("print('x')\n")
    document = _draft(tmp_path)
    line = next(x for x in document.splitlines() if "**Code organisation:**" in x)
    assert line == "- **Code organisation:** source folders `app/`"


def test_route_structure_says_which_registrations_gave_no_route(tmp_path: Path) -> None:
    """The reach line: registration-looking lines the scan could not turn into routes are
    counted and cited, in the JSON summary and in the offline draft's Route Structure."""
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "^4"}}')
    (tmp_path / "app.js").write_text(
        "const express = require('express');\n"
        "const app = express();\n"
        "app.get('/health', (req, res) => res.send('ok'));\n"
        "plugins.forEach((p) => p.router.get('/plugins/' + p.name, p.handler));\n"
        "app.listen(3000);\n"
    )
    summary = scan(open_repo(tmp_path, 1 << 20))
    reach = json.loads(summary.to_json())["reach"]
    assert reach == {
        "registrations": 2, "unrouted": 1, "examples": [{"path": "app.js", "line": 4}],
        "calls": ["p.router.get"],
    }  # fmt: skip
    document = _draft(tmp_path)
    section = re.search(r"^## [^\n]*Route[^\n]*\n(.*?)(?=^## )", document, re.S | re.M)
    assert section is not None
    line = next(x for x in section.group(1).splitlines() if "registration-looking" in x)
    assert line.startswith("1 of 2 registration-looking lines in the code gave no route")
    assert "`p.router.get` at [app.js:4](" in line


def test_a_route_path_with_a_pipe_stays_in_its_table_cell(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "^4"}}')
    (tmp_path / "app.js").write_text(
        "const express = require('express');\n"
        "const app = express();\n"
        "app.all('(/+api|/+api/*?)', prepareApi);\n"
        "app.listen(3000);\n"
    )
    run = run_draft(tmp_path, Config(template="backend"), Path.cwd())
    assert "| `ANY` | `/(/+api\\|/+api/*?)` | `prepareApi` |" in run.document
    assert [f for f in run.findings.items if "Route" in f.section] == []
