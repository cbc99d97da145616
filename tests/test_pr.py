"""archdraft pr and check on real temporary git repositories: only the affected sections are
redrafted, an unrelated change gets an explicit "no documentation change needed", the update
is committed on a branch without touching the user's, and a draft pull request is opened
against a stand-in for the GitHub API."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from typer.testing import CliRunner

from archdraft.cli import EXIT_STALE, app
from archdraft.document import section_headings, split_document
from archdraft.resources import find_template
from archdraft.template import load_template

from .conftest import commit_all, git

runner = CliRunner()
DOC = Path("docs/architecture/backend.md")
REPO_ROOT = Path(__file__).parent.parent
TOKEN = "ghp_" + "x1y2z3" * 6


@pytest.fixture(autouse=True)
def _outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "GITHUB_BASE_REF",
        "GITHUB_HEAD_REF",
        "GITHUB_REPOSITORY",
        "GITHUB_TOKEN",
        "GITHUB_API_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def documented(make_repo) -> Path:
    """The Express fixture with its document drafted and committed on main, and a
    feature branch checked out."""
    root = make_repo("express-app")
    assert runner.invoke(app, ["draft", str(root), "--yes"]).exit_code == 0
    commit_all(root, "architecture document")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def _sections(text: str) -> dict[str | None, str]:
    template = load_template(find_template("backend", Path.cwd()))
    return {b.heading: b.text for b in split_document(text, section_headings(template))}


def _add_route_at_the_end(root: Path) -> None:
    users = root / "src" / "routes" / "users.js"
    text = users.read_text(encoding="utf-8")
    route = "router.delete('/:id', requireAuth, async (req, res) => { res.status(204).end(); });\n"
    users.write_text(text.replace("module.exports", route + "\nmodule.exports"), encoding="utf-8")
    commit_all(root, "delete a user")


def _doc_on(root: Path, ref: str) -> str:
    return git(root, "show", f"{ref}:{DOC.as_posix()}")


def test_a_new_route_redrafts_the_sections_that_use_routes_and_nothing_else(
    documented: Path,
) -> None:
    _add_route_at_the_end(documented)
    result = runner.invoke(app, ["pr", str(documented), "--base", "main", "--commit"])
    assert result.exit_code == 0, result.stderr
    body = result.stdout
    assert "### Sections redrafted, and why" in body
    assert "#### 4. Route Structure" in body
    assert "fact + route: DELETE /api/users/{id}" in body
    branch = "archdraft/docs-" + git(documented, "rev-parse", "--short=7", "HEAD").strip()
    before, after = _sections(_doc_on(documented, "HEAD")), _sections(_doc_on(documented, branch))
    changed = {heading for heading in after if after[heading] != before[heading]}
    # The route table, the count in the overview, who needs auth, and requireAuth's list of
    # routes: the sections whose facts name routes. The preamble's date does not move here
    # (the fixture's commits share one date).
    assert changed == {
        "1. Overview",
        "4. Route Structure",
        "5. Middleware Architecture",
        "6. Authentication & Authorization",
    }
    assert "`DELETE` | `/api/users/{id}`" in after["4. Route Structure"]
    for heading in set(before) - changed:  # byte for byte
        assert after[heading] == before[heading]


def test_a_readme_change_needs_no_documentation_change(documented: Path) -> None:
    (documented / "README.md").write_text("# Express app\n\nHow to run it.\n", encoding="utf-8")
    commit_all(documented, "readme")
    result = runner.invoke(app, ["pr", str(documented), "--base", "main", "--commit"])
    assert result.exit_code == 0, result.stderr
    assert "**No documentation change needed.**" in result.stdout
    assert "README.md: no section's facts come from it" in result.stdout
    assert "No documentation change needed" in result.stderr
    assert "archdraft/docs-" not in git(documented, "branch", "--list")


def test_swapping_the_logging_library_changes_the_stack_and_logging_facts(
    documented: Path,
) -> None:
    manifest = documented / "package.json"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"winston": "^3.11.0"', '"pino": "^9.0.0"'),
        encoding="utf-8",
    )
    logger = documented / "src" / "logger.js"
    logger.write_text(
        "const pino = require('pino');\n\nmodule.exports = pino({ level: 'info' });\n",
        encoding="utf-8",
    )
    commit_all(documented, "pino instead of winston")
    result = runner.invoke(app, ["pr", str(documented), "--base", "main", "--commit"])
    assert result.exit_code == 0, result.stderr
    assert "fact + stack logging: pino ^9.0.0" in result.stdout
    assert "fact - stack logging: winston ^3.11.0" in result.stdout
    branch = "archdraft/docs-" + git(documented, "rev-parse", "--short=7", "HEAD").strip()
    before, after = _sections(_doc_on(documented, "HEAD")), _sections(_doc_on(documented, branch))
    assert "pino" in after["2. Technology Stack"] and "winston" not in after["2. Technology Stack"]
    assert "pino" in after["9. Error Handling"]  # its logging part
    assert after["4. Route Structure"] == before["4. Route Structure"]
    assert after["7. Service Layer"] == before["7. Service Layer"]


def test_commit_leaves_the_users_branch_index_and_working_tree_alone(documented: Path) -> None:
    _add_route_at_the_end(documented)
    (documented / "notes.txt").write_text("work in progress\n", encoding="utf-8")  # untracked
    status, head = git(documented, "status", "--porcelain"), git(documented, "rev-parse", "HEAD")
    result = runner.invoke(
        app, ["pr", str(documented), "--base", "main", "--commit", "--branch", "docs-update"]
    )
    assert result.exit_code == 0, result.stderr
    assert git(documented, "status", "--porcelain") == status
    assert git(documented, "branch", "--show-current").strip() == "feature"
    assert git(documented, "rev-parse", "HEAD") == head
    assert git(documented, "rev-list", "--count", f"{head.strip()}..docs-update").strip() == "1"
    assert git(documented, "rev-parse", "docs-update~1") == head
    files = git(documented, "diff", "--name-only", head.strip(), "docs-update").split()
    assert files == [".archdraft/state.json", DOC.as_posix()]
    message = git(documented, "log", "-1", "--format=%B", "docs-update")
    assert message.startswith("docs: update 4 sections of docs/architecture/backend.md")
    assert "Redrafted: 4. Route Structure." in message


class _StandInGitHub(BaseHTTPRequestHandler):
    """Stands in for the GitHub REST API's "create a pull request" endpoint, and checks the
    request as GitHub documents it."""

    received: ClassVar[list[dict[str, object]]] = []
    status = 201

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.received.append(
            {
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "json": json.loads(self.rfile.read(length)),
            }
        )
        payload = (
            {"html_url": "https://github.example/o/r/pull/7", "number": 7, "draft": True}
            if self.status == 201
            else {"message": "Validation Failed", "errors": [{"message": "No commits between"}]}
        )
        data = json.dumps(payload).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def github_api():
    _StandInGitHub.received = []
    _StandInGitHub.status = 201
    server = HTTPServer(("127.0.0.1", 0), _StandInGitHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _StandInGitHub
    server.shutdown()
    server.server_close()


def test_open_pushes_and_opens_a_draft_pull_request(
    documented: Path, tmp_path: Path, github_api, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, handler = github_api
    remote = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(documented, "remote", "add", "origin", "git@github.com:acme/shop.git")
    git(documented, "remote", "set-url", "--push", "origin", str(remote))
    _add_route_at_the_end(documented)
    monkeypatch.setenv("GITHUB_API_URL", url)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = runner.invoke(app, ["pr", str(documented), "--base", "main", "--open"])
    assert result.exit_code == 0, result.stderr
    branch = "archdraft/docs-" + git(documented, "rev-parse", "--short=7", "HEAD").strip()
    assert git(remote, "rev-parse", branch)  # pushed
    (request,) = handler.received
    assert request["path"] == "/repos/acme/shop/pulls"
    headers = request["headers"]
    assert isinstance(headers, dict)
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    sent = request["json"]
    assert isinstance(sent, dict)
    assert sent["draft"] is True
    assert sent["head"] == branch and sent["base"] == "feature"
    assert str(sent["title"]).startswith("docs: update 4 sections")
    assert "#### 4. Route Structure" in str(sent["body"])
    assert "Opened a draft pull request: https://github.example/o/r/pull/7" in result.stderr
    assert TOKEN not in result.stdout + result.stderr
    # Refused by GitHub: the reason is shown, the token is not.
    handler.status = 422
    git(documented, "branch", "-D", "-q", branch)
    git(remote, "branch", "-D", "-q", branch)
    refused = runner.invoke(app, ["pr", str(documented), "--base", "main", "--open"])
    assert refused.exit_code == 1
    assert "GitHub refused to open the pull request (422 Validation Failed" in refused.stderr
    assert TOKEN not in refused.stdout + refused.stderr


def test_check_passes_on_a_fresh_document_and_names_the_stale_route_section(
    documented: Path,
) -> None:
    fresh = runner.invoke(app, ["check", str(documented)])
    assert fresh.exit_code == 0, fresh.stderr
    assert "is current" in fresh.stderr
    _add_route_at_the_end(documented)
    stale = runner.invoke(app, ["check", str(documented)])
    assert stale.exit_code == EXIT_STALE
    assert "stale: 4. Route Structure" in stale.stderr
    assert "+ route: DELETE /api/users/{id}" in stale.stderr
    assert "stale: 2. Technology Stack" not in stale.stderr


def test_check_without_a_document_says_how_to_write_one(make_repo) -> None:
    result = runner.invoke(app, ["check", str(make_repo("express-app"))])
    assert result.exit_code == EXIT_STALE
    assert "run `archdraft draft`" in result.stderr


def test_init_github_action_writes_a_ready_workflow(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "github-action", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    workflow = yaml.safe_load((tmp_path / ".github/workflows/archdraft.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the bare key `on` as True
    job = workflow["jobs"]["architecture-docs"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert any("archdraft pr --open" in str(step.get("run", "")) for step in job["steps"])
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    again = runner.invoke(app, ["init", "github-action", str(tmp_path)])
    assert again.exit_code == 1 and "--force" in again.stderr


def test_the_action_and_the_pre_commit_hook_run_archdraft_commands() -> None:
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert any("archdraft pr" in str(step.get("run", "")) for step in action["runs"]["steps"])
    (hook,) = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "archdraft check" and hook["pass_filenames"] is False


def test_a_package_in_a_subfolder_without_a_document_gets_one_drafted_whole(
    make_repo, tmp_path: Path
) -> None:
    repo = tmp_path / "mono"
    (repo / "services").mkdir(parents=True)
    (make_repo("express-app") / ".git").rename(tmp_path / "unused.git")
    (tmp_path / "express-app").rename(repo / "services" / "api")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "monorepo")
    git(repo, "checkout", "-q", "-b", "feature")
    _add_route_at_the_end(repo / "services" / "api")
    api = repo / "services" / "api"
    result = runner.invoke(app, ["pr", str(api), "--base", "main", "--commit", "--branch", "d"])
    assert result.exit_code == 0, result.stderr
    assert "it is drafted whole, 15 sections" in result.stdout
    files = git(repo, "diff", "--name-only", "feature", "d").split()
    assert "services/api/docs/architecture/backend.md" in files
    assert not (api / DOC).exists()  # the working tree is untouched


def test_with_a_model_only_the_affected_sections_are_requested(documented: Path) -> None:
    from archdraft.config import load_config
    from archdraft.pr import draft_pr

    from .test_model import FakeServer, httpx2

    _add_route_at_the_end(documented)
    server = FakeServer()
    config = load_config(
        documented, {}, base_url="http://fake.invalid/v1", model="fake-model", repair_rounds=0
    )
    client = httpx2.Client(transport=httpx2.MockTransport(server))
    result = draft_pr(documented, config, documented, "main", "HEAD", http_client=client)
    asked = sorted(
        re.search(r"Draft the section `#+ ([^`]+)`", str(r["messages"][1]["content"])).group(1)
        for r in server.requests
    )
    # Affected sections with something to explain are asked; the rest are rendered.
    assert set(asked) <= {s.heading for s in result.impact.sections}
    assert "4. Route Structure" in asked and "2. Technology Stack" not in asked
    assert result.model is not None and result.model.requests == len(asked)
    document = result.files[DOC.as_posix()]
    assert "## 4. Route Structure\n\nThe `requireAuth` middleware checks" in document
    assert "## 2. Technology Stack\n\n| Category" in document  # untouched, still offline text


def test_a_section_edited_by_hand_is_not_redrafted_but_named(documented: Path) -> None:
    doc = documented / DOC
    doc.write_text(
        doc.read_text(encoding="utf-8").replace(
            "## 4. Route Structure\n", "## 4. Route Structure\n\nOur routes, by hand.\n", 1
        ),
        encoding="utf-8",
    )
    commit_all(documented, "a hand edit")
    _add_route_at_the_end(documented)
    result = runner.invoke(app, ["pr", str(documented), "--base", "main", "--commit"])
    assert result.exit_code == 0, result.stderr
    assert "### Affected but left as they are" in result.stdout
    assert "- 4. Route Structure: edited by hand since archdraft last wrote it" in result.stdout
    branch = "archdraft/docs-" + git(documented, "rev-parse", "--short=7", "HEAD").strip()
    after = _sections(_doc_on(documented, branch))
    assert "Our routes, by hand." in after["4. Route Structure"]
    assert "`DELETE` | `/api/users/{id}`" not in after["4. Route Structure"]
    git(documented, "checkout", "-q", branch)
    stale = runner.invoke(app, ["check", str(documented)])  # still to be looked at
    assert stale.exit_code == EXIT_STALE
    assert "stale: 4. Route Structure" in stale.stderr
    assert "stale: 6. Authentication" not in stale.stderr


def test_inside_github_actions_the_refs_come_from_the_event(
    documented: Path, tmp_path: Path, github_api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As actions/checkout leaves a pull request: a clone with origin/* refs and a detached
    HEAD; base and head come from GITHUB_BASE_REF and GITHUB_HEAD_REF."""
    url, handler = github_api
    _add_route_at_the_end(documented)
    clone = tmp_path / "runner"
    git(tmp_path, "clone", "-q", str(documented), str(clone))
    git(clone, "checkout", "-q", "--detach", "origin/feature")
    for name, value in {
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "feature",
        "GITHUB_REPOSITORY": "acme/shop",
        "GITHUB_API_URL": url,
        "GITHUB_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["pr", str(clone), "--open"])
    assert result.exit_code == 0, result.stderr
    (request,) = handler.received
    sent = request["json"]
    assert isinstance(sent, dict) and sent["base"] == "feature" and sent["draft"] is True
    assert str(sent["head"]).startswith("archdraft/docs-")
    assert git(documented, "rev-parse", "--verify", str(sent["head"]))  # pushed to origin
    assert TOKEN not in result.stdout + result.stderr
