from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from archdraft.repo import TextFile, open_repo
from archdraft.scan import scan
from archdraft.scan.manifests import read_manifests

from .conftest import assert_golden, commit_all, git


def _scan_json(root: Path) -> str:
    return scan(open_repo(root, 1 << 20)).to_json()


@pytest.mark.parametrize("fixture", ["express-app", "fastapi-app"])
def test_golden_scan(make_repo, fixture: str) -> None:
    assert_golden(f"{fixture}.scan.json", _scan_json(make_repo(fixture)))


@pytest.mark.parametrize("fixture", ["express-app", "fastapi-app"])
def test_every_evidence_points_at_a_line_that_exists(make_repo, fixture: str) -> None:
    root = make_repo(fixture)
    data = json.loads(_scan_json(root))
    evidence = [
        ev
        for key in ("stack", "entrypoints", "env_vars", "errors")
        for fact in data[key]
        for ev in fact["evidence"]
    ]
    assert evidence
    for ev in evidence:
        lines = (root / ev["path"]).read_text(encoding="utf-8").splitlines()
        assert ev["line"] is None or 1 <= ev["line"] <= len(lines), ev


def test_express_facts(make_repo) -> None:
    summary = scan(open_repo(make_repo("express-app"), 1 << 20))
    names = {(s.category, s.name) for s in summary.stack}
    assert ("framework", "Express") in names
    assert ("database", "PostgreSQL") in names
    # nodemon is a dev tool, not part of the stack; supertest is a testing tool
    assert ("testing", "Supertest") in names
    assert summary.module_system == "commonjs"
    assert [e.path for e in summary.entrypoints if e.kind == "server"] == ["src/server.js"]
    assert {v.name for v in summary.env_vars} == {
        "CORS_ORIGIN",
        "DATABASE_URL",
        "JWT_SECRET",
        "LOG_LEVEL",
        "PORT",
    }
    assert summary.repo.commit is not None and len(summary.repo.commit) == 40


def test_fastapi_facts(make_repo) -> None:
    summary = scan(open_repo(make_repo("fastapi-app"), 1 << 20))
    stack = {s.name: s for s in summary.stack}
    assert stack["FastAPI"].version == ">=0.110,<1"  # as written, not reordered
    assert stack["PostgreSQL"].version is None  # psycopg's version is not PostgreSQL's
    assert "HTTPX" not in stack  # a dev-only client used by tests
    env = {v.name for v in summary.env_vars}
    assert {"INVENTORY_DATABASE_URL", "LOG_LEVEL", "TEST_DATABASE_URL"} - env == {
        "TEST_DATABASE_URL"
    }
    kinds = {(t.path, t.kind) for t in summary.tests}
    assert ("tests/integration", "integration") in kinds
    assert {(e.kind, e.name) for e in summary.errors} >= {
        ("handler", "item_not_found"),
        ("class", "ItemNotFound"),
    }
    assert summary.module_system is None


def test_outside_git_honours_gitignore(make_repo) -> None:
    root = make_repo("express-app", use_git=False)
    (root / ".gitignore").write_text("generated/\n*.log\n", encoding="utf-8")
    (root / "generated").mkdir()
    (root / "generated" / "bundle.js").write_text("process.env.GENERATED_ONLY\n", encoding="utf-8")
    (root / "debug.log").write_text("x\n", encoding="utf-8")
    tree = open_repo(root, 1 << 20)
    assert "generated/bundle.js" not in tree.paths() and "debug.log" not in tree.paths()
    assert tree.commit is None
    assert "GENERATED_ONLY" not in scan(tree).to_json()


def test_git_listing_skips_ignored_files(make_repo) -> None:
    root = make_repo("express-app")
    (root / ".gitignore").write_text("local/\n", encoding="utf-8")
    (root / "local").mkdir()
    (root / "local" / "x.js").write_text("process.env.LOCAL_ONLY\n", encoding="utf-8")
    commit_all(root, "ignore local")
    assert "LOCAL_ONLY" not in _scan_json(root)


def test_secret_values_never_reach_the_summary(make_repo) -> None:
    root = make_repo("express-app", use_git=False)
    planted = {
        ".env": "JWT_SECRET=planted-env-secret-1\n",
        ".env.production": "DATABASE_URL=postgres://u:planted-env-secret-2@db/x\n",
        ".npmrc": "//registry.npmjs.org/:_authToken=planted-npm-token-3\n",
        "deploy/key.pem": "-----BEGIN PRIVATE KEY-----\nplanted-key-4\n-----END PRIVATE KEY-----\n",
        "src/config/keys.js": "// -----BEGIN RSA PRIVATE KEY-----\nconst k = 'planted-key-5'\n",
    }
    for name, content in planted.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    (root / ".env.example").write_text("API_TOKEN=planted-example-value-6\n", encoding="utf-8")
    output = _scan_json(root)
    for value in (
        "planted-env-secret-1",
        "planted-env-secret-2",
        "planted-npm-token-3",
        "planted-key-4",
        "planted-key-5",
        "planted-example-value-6",
    ):
        assert value not in output
    data = json.loads(output)
    assert "API_TOKEN" in {v["name"] for v in data["env_vars"]}  # the name, from the template
    assert any(w.startswith(".env:") for w in data["warnings"])


def test_hostile_files_are_skipped_with_warnings(make_repo, tmp_path: Path) -> None:
    root = make_repo("express-app", use_git=False)
    outside = tmp_path / "outside.js"
    outside.write_text("process.env.OUTSIDE_SECRET_NAME\n", encoding="utf-8")
    (root / "src" / "link.js").symlink_to(outside)
    os.mkfifo(root / "src" / "pipe.js")
    (root / "src" / "latin1.js").write_bytes(b"// caf\xe9\nprocess.env.LATIN_VAR\n")
    (root / "src" / "blob.js").write_bytes(b"\x00\x01binary")
    (root / "src" / "huge.js").write_bytes(b"//" + b"x" * (2 << 20))
    (root / "sub").mkdir()
    (root / "sub" / "package.json").write_text('{"dependencies": {"express": ', encoding="utf-8")
    data = json.loads(_scan_json(root))
    text = "\n".join(data["warnings"])
    assert "src/link.js: skipped, symbolic link to a path outside the repository" in text
    assert "src/pipe.js: skipped, not a regular file" in text
    assert "src/latin1.js: not valid UTF-8" in text
    assert "src/blob.js: skipped, binary content" in text
    assert "src/huge.js: skipped, larger than" in text
    assert "sub/package.json: skipped, not valid JSON" in text
    assert "OUTSIDE_SECRET_NAME" not in json.dumps(data)
    assert "LATIN_VAR" in {v["name"] for v in data["env_vars"]}


def test_package_json_with_bom_and_requirement_markers() -> None:
    files = [
        TextFile("package.json", '{"dependencies": {"fastify": "~4.26.0"}}'),
        TextFile(
            "requirements.txt", "flask[async]>=3.0 ; python_version >= '3.10'  # web\n-r base.txt\n"
        ),
    ]
    manifests = read_manifests(files)
    deps = {(d.ecosystem, d.name): d for d in manifests.dependencies}
    assert deps[("npm", "fastify")].version == "~4.26.0"
    assert deps[("pypi", "flask")].version == ">=3.0"
    assert deps[("pypi", "flask")].evidence.line == 1


def test_scan_is_byte_identical_across_runs(make_repo) -> None:
    root = make_repo("fastapi-app")
    assert _scan_json(root) == _scan_json(root)


def test_parse_errors_never_quote_source(make_repo) -> None:
    root = make_repo("fastapi-app", use_git=False)
    (root / "app" / "broken.py").write_text("PASSWORD = 'hunter2-planted' +\n", encoding="utf-8")
    output = _scan_json(root)
    assert "app/broken.py: not parsed as Python" in output
    assert "hunter2-planted" not in output


def test_subfolder_of_a_git_repository_is_scanned_alone(make_repo) -> None:
    root = make_repo("express-app")
    data = json.loads(_scan_json(root / "src"))
    assert data["repo"]["name"] == "src"
    assert all(not ev["path"].startswith("src/") for v in data["env_vars"] for ev in v["evidence"])
    assert git(root, "status", "--porcelain") == ""
