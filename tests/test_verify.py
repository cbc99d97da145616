"""verify: planted errors are caught, clean drafts pass, the untouched template fails."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archdraft.cli import EXIT_FINDINGS, app
from archdraft.config import Config
from archdraft.pipeline import run_draft
from archdraft.verify import verify

from .conftest import USER_TEMPLATE

FIXTURES = [
    "express-app",
    "fastapi-app",
    "nest-app",
    "gin-app",
    "spring-app",
    "django-app",
    "flask-app",
    "koa-app",
    "fastify-app",
    "echo-app",
    "chi-app",
    "nethttp-app",
    "rails-app",
    "laravel-app",
    "axum-app",
    "aspnet-app",
]


@pytest.mark.parametrize("template", ["backend", str(USER_TEMPLATE)], ids=["default", "user"])
@pytest.mark.parametrize("fixture", FIXTURES)
def test_offline_drafts_verify_with_no_findings(make_repo, fixture: str, template: str) -> None:
    run = run_draft(make_repo(fixture), Config(template=template), Path.cwd())
    assert run.findings.items == ()


def _plant(document: str, kind: str, run) -> str:  # type: ignore[no-untyped-def]
    """One error of ``kind`` planted into the offline draft of ``run``."""
    entries, routes = run.summary.entrypoints, run.summary.routes
    source = entries[0].path if entries else routes[0].evidence[0].path
    stack = {s.name for s in run.summary.stack}
    unused = next(t for t in ("Fastify", "Django", "Spring Boot", "Sequelize") if t not in stack)

    def into(heading: str, text: str) -> str:
        return document.replace(f"## {heading}\n", f"## {heading}\n\n{text}\n", 1)

    if kind == "citation_missing_file":
        return into("7. Service Layer", "See [src/ghost.js:3](../../src/ghost.js#L3).")
    if kind == "citation_line_out_of_range":
        return re.sub(
            r"\[([^\]\s]+):\d+\]\(([^)#]+)#L\d+\)", r"[\1:99999](\2#L99999)", document, count=1
        )
    if kind == "citation_unrelated":
        return into(
            "12. Performance Considerations",
            f"Responses are cached in memory ([{source}:1](../../{source}#L1)).",
        )
    if kind == "unknown_technology":
        return into("12. Performance Considerations", f"Hot paths are served by {unused}.")
    if kind == "unknown_route":
        return into("4. Route Structure", "Invoices are listed by `GET /api/invoices`.")
    if kind == "unknown_env_var":
        return into("13. Security", "Payments are signed with `STRIPE_SECRET_KEY`.")
    if kind == "placeholder":
        return into("12. Performance Considerations", "[Describe the caching strategy]")
    raise AssertionError(kind)


PLANTED = [
    "citation_missing_file",
    "citation_line_out_of_range",
    "citation_unrelated",
    "unknown_technology",
    "unknown_route",
    "unknown_env_var",
    "placeholder",
]


def test_planted_errors_are_caught_and_clean_drafts_are_not_flagged(make_repo) -> None:
    caught, planted, false_alarms = 0, 0, 0
    for fixture in FIXTURES:
        run = run_draft(make_repo(fixture), Config(), Path.cwd())
        doc_path = run.plan.context.doc_path
        clean = verify(run.document, doc_path, run.summary, run.tree, run.template)
        false_alarms += len(clean.items)
        for kind in PLANTED:
            broken = _plant(run.document, kind, run)
            assert broken != run.document, (fixture, kind)
            planted += 1
            found = verify(broken, doc_path, run.summary, run.tree, run.template)
            caught += any(f.kind == kind for f in found.items)
    assert false_alarms == 0
    assert caught / planted >= 0.95, f"caught {caught} of {planted}"


def test_untouched_user_template_reports_placeholders_notice_and_instructions(make_repo) -> None:
    root = make_repo("express-app")
    document = USER_TEMPLATE.read_text(encoding="utf-8")
    run = run_draft(root, Config(), Path.cwd())
    findings = verify(document, "docs/architecture/backend.md", run.summary, run.tree)
    kinds = {f.kind for f in findings.items}
    assert {"placeholder", "template_notice", "template_instructions"} <= kinds
    assert sum(f.kind == "placeholder" for f in findings.items) > 30


def test_renamed_or_dropped_sections_and_empty_ones(make_repo) -> None:
    run = run_draft(make_repo("express-app"), Config(), Path.cwd())
    document = run.document.replace("## 7. Service Layer", "## 7. Services")
    document = re.sub(
        r"## 10\. Integration Patterns\n\nNot found in this repository\.\n",
        "## 10. Integration Patterns\n",
        document,
    )
    findings = verify(document, run.plan.context.doc_path, run.summary, run.tree, run.template)
    kinds = {(f.kind, f.section) for f in findings.items}
    assert ("heading_missing", "7. Service Layer") in kinds
    assert ("empty_section", "10. Integration Patterns") in kinds


def test_verify_command(make_repo) -> None:
    runner = CliRunner()
    root = make_repo("express-app")
    assert runner.invoke(app, ["draft", str(root), "--yes"]).exit_code == 0
    document = root / "docs" / "architecture" / "backend.md"
    clean = runner.invoke(app, ["verify", str(document), str(root), "--strict"])
    assert clean.exit_code == 0, clean.output
    assert "no findings" in clean.stderr
    template = runner.invoke(
        app, ["verify", str(USER_TEMPLATE), str(root), "--format", "json", "--strict"]
    )
    assert template.exit_code == EXIT_FINDINGS
    data = json.loads(template.stdout)
    assert {"placeholder", "template_notice"} <= {f["kind"] for f in data["findings"]}
    shown = runner.invoke(app, ["verify", str(USER_TEMPLATE), str(root)])
    assert shown.exit_code == 0
    assert "template_notice" in shown.stderr


def _findings_of(run, paragraph: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    document = run.document.replace(
        "## 5. Middleware Architecture\n", f"## 5. Middleware Architecture\n\n{paragraph}\n", 1
    )
    found = verify(document, run.plan.context.doc_path, run.summary, run.tree)
    return [(f.kind, f.text) for f in found.items]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("The server listens at `src/server.js:9999`.", "citation_line_out_of_range"),
        ("The server listens at src/server.js:9999.", "citation_line_out_of_range"),
        ("Helmet is set up in (src/nowhere.js:3).", "citation_missing_file"),
        ("Helmet is set up in src/nowhere.js#L3.", "citation_missing_file"),
        ("Helmet is set up at src/app.js:10-9999.", "citation_line_out_of_range"),
        ("Payments are settled nightly (src/app.js:10).", "citation_unrelated"),
        ("The schema lives in `models.py`.", "citation_missing_file"),
        ("This service has no authentication.", "contradicts_scan"),
        ("There is no authentication at all.", "contradicts_scan"),
        ("The API does not use any middleware.", "contradicts_scan"),
    ],
)
def test_every_citation_form_and_denial_is_checked(make_repo, written: str, kind: str) -> None:
    run = run_draft(make_repo("express-app"), Config(), Path.cwd())
    assert kind in {k for k, _ in _findings_of(run, written)}


@pytest.mark.parametrize(
    "written",
    [
        "The `helmet` middleware sets security headers (src/app.js:10).",
        "`helmet` is registered at `src/app.js:10` and `cors` at src/app.js#L11.",
        "The helmet, cors and JSON parsing chain is src/app.js:10-12.",
        "`GET /health` does not require authentication.",
        "The server reads `process.env.PORT` on db.example.com:5432 and 127.0.0.1:8080.",
    ],
)
def test_citations_that_hold_are_not_flagged(make_repo, written: str) -> None:
    run = run_draft(make_repo("express-app"), Config(), Path.cwd())
    assert _findings_of(run, written) == []


def test_citations_that_resolve_become_links_and_the_rest_stay_for_verify() -> None:
    from archdraft.citations import link_citations

    lines = {"src/app.js": 20}
    text = "Set up in `src/app.js:10`, (src/app.js:3-5) and src/app.js#L12; not src/gone.js:1."
    assert link_citations(text, "docs/architecture/backend.md", lines.get) == (
        "Set up in [src/app.js:10](../../src/app.js#L10), "
        "[src/app.js:3-5](../../src/app.js#L3-L5) and "
        "[src/app.js:12](../../src/app.js#L12); not src/gone.js:1."
    )


def test_a_snake_case_name_of_stop_words_is_a_shared_name() -> None:
    from archdraft.claims import _related, _tokens

    claim = _tokens("`Api::V1::BaseController.not_found` (app/controllers/base_controller.rb:6)")
    cited = _tokens("  rescue_from ActiveRecord::RecordNotFound, with: :not_found")
    assert _related(claim, cited)
    assert not _related(_tokens("Nothing was found here"), cited)


def test_a_version_cited_at_the_line_that_spells_it_is_related(tmp_path: Path) -> None:
    root = tmp_path / "gradle-app"
    (root / "src" / "main" / "java" / "app").mkdir(parents=True)
    (root / "build.gradle").write_text(
        "plugins {\n    id 'org.springframework.boot' version '2.6.3'\n}\n\n"
        "sourceCompatibility = '11'\n\ndependencies {\n"
        "    implementation 'org.springframework.boot:spring-boot-starter-web'\n}\n"
    )
    (root / "src" / "main" / "java" / "app" / "App.java").write_text(
        "package app;\n@SpringBootApplication\npublic class App {\n"
        "  public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n"
    )
    run = run_draft(root, Config(), Path.cwd())
    assert "Java `11` ([build.gradle:5](../../build.gradle#L5))" in run.document
    assert run.findings.items == ()


def test_a_handler_named_like_a_file_is_a_name_not_a_missing_file(tmp_path: Path) -> None:
    """``controllers.topics.lock`` ends in a file suffix (yarn.lock) but is a handler the
    scan found; a file of that name that does not exist is still flagged."""
    (tmp_path / "package.json").write_text('{"dependencies": {"express": "^4"}}')
    (tmp_path / "app.js").write_text(
        "const express = require('express');\n"
        "const app = express();\n"
        "app.put('/topics/:tid/lock', requireAuth, controllers.topics.lock);\n"
        "app.listen(3000);\n"
    )
    run = run_draft(tmp_path, Config(template="backend"), Path.cwd())
    assert "`controllers.topics.lock`" in run.document
    assert run.findings.items == ()
    planted = run.document.replace(
        "`controllers.topics.lock` |", "`controllers.topics.lock` and `Gemfile.lock` |", 1
    )
    findings = verify(planted, "docs/architecture/backend.md", run.summary, run.tree, run.template)
    assert [(f.kind, f.text) for f in findings.items] == [("citation_missing_file", "Gemfile.lock")]


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("Runs **controllers['404'].handle404** last.", []),
        ("The [Project Name] service, see handlers[0].", ["[Project Name]"]),
        ("Owner: [Team], reached at (x)[0].", ["[Team]"]),
    ],
)
def test_code_indexing_is_not_a_template_placeholder(text: str, left: list[str]) -> None:
    from archdraft.claims import Unit, check_leftovers

    found: list = []  # type: ignore[type-arg]
    check_leftovers("Middleware", Unit("text", 1, text=text), found)
    assert [f.text for f in found] == left


ECOSYSTEM_APPS = {
    "laravel": {
        "composer.json": '{"require": {"php": "^8.3", "laravel/framework": "^11.0",'
        ' "predis/predis": "^2.0"}, "require-dev": {"phpunit/phpunit": "^11.0"}}',
        "routes/api.php": "<?php\nuse App\\Http\\Controllers\\UserController;\n"
        "Route::get('/users', [UserController::class, 'index'])->middleware('auth:sanctum');\n",
        "app/Http/Controllers/UserController.php": "<?php\nnamespace App\\Http\\Controllers;\n"
        "class UserController extends Controller {\n"
        "    public function index() { return []; }\n}\n",
        "public/index.php": "<?php\nrequire __DIR__.'/../vendor/autoload.php';\n",
    },
    "rails": {
        "Gemfile": "source 'https://rubygems.org'\nruby '3.3.0'\ngem 'rails', '~> 7.1'\n"
        # Sidekiq brings Redis, which is cited at its line
        "gem 'pg'\ngem 'devise'\ngem 'sidekiq'\n",
        "config/routes.rb": "Rails.application.routes.draw do\n"
        "  resources :articles, only: [:index, :show]\nend\n",
        "app/controllers/articles_controller.rb": "class ArticlesController"
        " < ApplicationController\n  before_action :authenticate_user!\n"
        "  def index; end\n  def show; end\nend\n",
        "config.ru": "require_relative 'config/environment'\nrun Rails.application\n",
    },
    "aspnet": {
        "Shop.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup>'
        "<TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>\n",
        "Program.cs": "var builder = WebApplication.CreateBuilder(args);\n"
        "var app = builder.Build();\napp.UseAuthentication();\n"
        'app.MapGet("/health", () => "ok");\napp.Run();\n',
    },
}


@pytest.mark.parametrize("ecosystem", sorted(ECOSYSTEM_APPS))
def test_offline_drafts_of_the_other_ecosystems_verify(tmp_path: Path, ecosystem: str) -> None:
    """Stack rows cite manifest lines such as "laravel/framework": the technology's package
    names relate them (Eloquent at laravel/framework)."""
    for name, text in ECOSYSTEM_APPS[ecosystem].items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    run = run_draft(tmp_path, Config(template="backend"), Path.cwd())
    assert run.summary.routes
    assert run.findings.items == ()
