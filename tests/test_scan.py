from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from archdraft.repo import TextFile, open_repo
from archdraft.scan import scan
from archdraft.scan.manifests import read_manifests

from .conftest import assert_golden, commit_all, git, scan_files


def _scan_json(root: Path) -> str:
    return scan(open_repo(root, 1 << 20)).to_json()


ALL_FIXTURES = [
    "express-app", "fastapi-app", "nest-app", "gin-app", "spring-app", "django-app",
    "flask-app", "koa-app", "fastify-app", "echo-app", "chi-app", "nethttp-app", "rails-app",
    "laravel-app", "axum-app", "aspnet-app",
]  # fmt: skip


@pytest.mark.parametrize("fixture", ALL_FIXTURES)
def test_golden_scan(make_repo, fixture: str) -> None:
    assert_golden(f"{fixture}.scan.json", _scan_json(make_repo(fixture)))


@pytest.mark.parametrize("fixture", ALL_FIXTURES)
def test_every_evidence_points_at_a_line_that_exists(make_repo, fixture: str) -> None:
    root = make_repo(fixture)
    data = json.loads(_scan_json(root))
    keys = ("stack", "entrypoints", "env_vars", "errors", "routes", "middleware", "auth",
            "models", "services", "integrations")  # fmt: skip
    evidence = [ev for key in keys for fact in data[key] for ev in fact["evidence"]]
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
        "api/.env.local": "STRIPE_KEY=planted-env-secret-7\n",
        ".npmrc": "//registry.npmjs.org/:_authToken=planted-npm-token-3\n",
        ".pypirc": "[pypi]\npassword = planted-pypi-8\n",
        ".netrc": "machine example.com login me password planted-netrc-9\n",
        ".git-credentials": "https://me:planted-git-10@example.com\n",
        "deploy/key.pem": "-----BEGIN PRIVATE KEY-----\nplanted-key-4\n-----END PRIVATE KEY-----\n",
        "deploy/id_rsa": "planted-ssh-11\n",
        "src/config/keys.js": "// -----BEGIN RSA PRIVATE KEY-----\nconst k = 'planted-key-5'\n",
        ".aws/credentials": "[default]\naws_secret_access_key = planted-aws-12\n",
        "gcp/service-account-prod.json": '{"private_key": "planted-gcp-13"}\n',
        "k8s/secret.yaml": "apiVersion: v1\nkind: Secret\ndata:\n  token: planted-k8s-14\n",
        "java/keystore.jks": "planted-jks-15\n",
        "infra/terraform.tfstate": '{"secret": "planted-tfstate-16"}\n',
        "infra/prod.tfvars": 'db_password = "planted-tfvars-17"\n',
    }
    for name, content in planted.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    (root / ".env.example").write_text("API_TOKEN=planted-example-value-6\n", encoding="utf-8")
    output = _scan_json(root)
    secrets = re.findall(r"planted-[a-z0-9-]+", "".join(planted.values()))
    assert len(secrets) == 16
    for secret in [*secrets, "planted-example-value-6"]:
        assert secret not in output, secret
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
    with (root / "src" / "huge.js").open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)
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
    (root / "app" / "broken.py").write_text(
        "PASSWORD = os.environ['X'] + 'hunter2-planted' +\n", encoding="utf-8"
    )
    output = _scan_json(root)
    assert "app/broken.py: not parsed as Python" in output
    assert "hunter2-planted" not in output


def test_subfolder_of_a_git_repository_is_scanned_alone(make_repo) -> None:
    root = make_repo("express-app")
    data = json.loads(_scan_json(root / "src"))
    assert data["repo"]["name"] == "src"
    assert all(not ev["path"].startswith("src/") for v in data["env_vars"] for ev in v["evidence"])
    assert git(root, "status", "--porcelain") == ""


def _stack(summary) -> dict[str, tuple[str, str | None]]:
    return {item.name: (item.category, item.version) for item in summary.stack}


def test_typescript_nest_app_and_its_frontend_folder(make_repo) -> None:
    summary = scan(open_repo(make_repo("nest-app"), 1 << 20))
    stack = _stack(summary)
    assert stack["NestJS"] == ("framework", "^10.3.0")
    assert stack["TypeORM"] == ("orm", "^0.3.20")  # typeorm's version, not @nestjs/typeorm's
    assert stack["Node.js"] == ("runtime", "20.11.1")
    assert stack["PostgreSQL"][0] == "database" and stack["Redis"][0] == "cache"  # compose images
    # the React frontend's libraries are not the backend's
    assert not {"Axios", "Zod", "Vitest"} & stack.keys()
    assert "VITE_API_URL" not in {v.name for v in summary.env_vars}
    assert summary.module_system == "esm"
    entry = summary.entrypoints[0]
    assert (entry.path, entry.line, entry.kind) == ("src/main.ts", 12, "server")
    # "start:prod": "node dist/main" is the compiled src/main.ts
    assert any(e.path == "package.json" for e in entry.evidence)
    assert ("handler", "HttpExceptionFilter") in {(e.kind, e.name) for e in summary.errors}
    assert ("e2e", "test") in {(t.kind, t.path) for t in summary.tests}


def test_go_gin_app(make_repo) -> None:
    summary = scan(open_repo(make_repo("gin-app"), 1 << 20))
    stack = _stack(summary)
    assert stack["Go"] == ("runtime", "1.22.3")
    assert stack["Gin"] == ("framework", "v1.9.1")
    assert stack["PostgreSQL"] == ("database", None)
    assert stack["gofmt"][0] == "formatting" and stack["golangci-lint"][0] == "linting"
    assert "go-playground/validator" not in stack  # an indirect requirement
    assert {v.name for v in summary.env_vars} == {"DATABASE_URL", "JWT_SECRET", "PORT"}
    assert [(e.path, e.kind) for e in summary.entrypoints] == [("cmd/api/main.go", "server")]
    assert ("class", "NotFoundError") in {(e.kind, e.name) for e in summary.errors}


def test_java_spring_app(make_repo) -> None:
    summary = scan(open_repo(make_repo("spring-app"), 1 << 20))
    stack = _stack(summary)
    assert stack["Spring Boot"] == ("framework", "3.2.5")  # from the parent pom
    assert stack["Java"] == ("runtime", "17")
    assert stack["JJWT"] == ("auth", "0.12.5")  # a ${property} resolved
    assert stack["Testcontainers"] == ("testing", "1.19.7")  # the BOM's version
    assert {
        "Hibernate/JPA",
        "PostgreSQL",
        "Jakarta Bean Validation",
        "Spring Security",
        "JUnit",
        "Checkstyle",
    } <= stack.keys()
    env = {v.name for v in summary.env_vars}
    assert {"DATABASE_URL", "DB_USER", "JWT_SECRET", "PAYMENTS_API_URL"} <= env
    assert summary.entrypoints[0].path.endswith("OrdersApplication.java")
    assert summary.entrypoints[0].kind == "server"
    assert {(e.kind, e.name) for e in summary.errors} >= {
        ("class", "OrderNotFoundException"),
        ("handler", "GlobalExceptionHandler.notFound"),
    }
    assert "integration" in {t.kind for t in summary.tests}


def test_django_app(make_repo) -> None:
    summary = scan(open_repo(make_repo("django-app"), 1 << 20))
    stack = _stack(summary)
    assert stack["Python"] == ("runtime", "3.11.8")
    assert stack["Django"] == ("framework", "==5.0.4")
    assert stack["Celery"][0] == "queue"
    assert stack["Black"][0] == "formatting"
    assert "Heroku" not in stack  # a Procfile alone does not say where it runs
    entries = {(e.path, e.kind) for e in summary.entrypoints}
    assert entries == {
        ("manage.py", "cli"),
        ("mysite/wsgi.py", "server"),
        ("mysite/celery.py", "worker"),
    }
    env = {v.name for v in summary.env_vars}
    assert {"SECRET_KEY", "DATABASE_URL", "DEBUG"} <= env


def test_examples_and_docs_folders_are_not_the_stack(make_repo) -> None:
    root = make_repo("fastapi-app", use_git=False)
    (root / "examples" / "koa-demo").mkdir(parents=True)
    (root / "examples" / "koa-demo" / "package.json").write_text('{"dependencies": {"koa": "^2"}}')
    (root / "docs").mkdir()
    (root / "docs" / "requirements.txt").write_text("sphinx>=7\nflask>=3\n")
    names = set(_stack(scan(open_repo(root, 1 << 20))))
    assert not {"Koa", "Flask", "Node.js"} & names


def test_runtime_from_dockerfile_when_nothing_declares_it(make_repo) -> None:
    root = make_repo("express-app", use_git=False)
    package = (root / "package.json").read_text(encoding="utf-8")
    (root / "package.json").write_text(package.replace('"node": ">=18.17"', '"npm": ">=9"'))
    assert _stack(scan(open_repo(root, 1 << 20)))["Node.js"] == ("runtime", "20")


def test_gradle_build_and_catalog(tmp_path: Path) -> None:
    (tmp_path / "gradle").mkdir()
    (tmp_path / "build.gradle.kts").write_text(
        'plugins {\n    id("org.springframework.boot") version "3.3.0"\n    checkstyle\n}\n'
        "java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n"
        "dependencies {\n"
        '    implementation("org.springframework.boot:spring-boot-starter-data-jpa")\n'
        "    implementation(libs.jjwt.api)\n"
        '    testImplementation("org.testcontainers:postgresql:1.19.8")\n}\n'
    )
    (tmp_path / "gradle" / "libs.versions.toml").write_text(
        '[versions]\njjwt = "0.12.6"\n[libraries]\n'
        'jjwt-api = { module = "io.jsonwebtoken:jjwt-api", version.ref = "jjwt" }\n'
    )
    (tmp_path / "App.java").write_text("class App {}\n")
    stack = _stack(scan(open_repo(tmp_path, 1 << 20)))
    assert stack["Spring Boot"] == ("framework", "3.3.0")
    assert stack["Java"] == ("runtime", "21")
    assert stack["JJWT"] == ("auth", "0.12.6")
    assert stack["Hibernate/JPA"][0] == "orm"
    assert stack["Testcontainers"] == ("testing", "1.19.8")
    assert "Checkstyle" in stack


def test_pipfile_and_poetry(tmp_path: Path) -> None:
    (tmp_path / "Pipfile").write_text(
        '[packages]\nflask = "==3.0.2"\nsqlalchemy = "*"\n[dev-packages]\npytest = "*"\n'
        '[requires]\npython_version = "3.12"\n'
    )
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "pyproject.toml").write_text(
        '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110"\n'
        '[tool.poetry.group.dev.dependencies]\nblack = "^24"\n'
    )
    (tmp_path / "app.py").write_text("import flask\n")
    stack = _stack(scan(open_repo(tmp_path, 1 << 20)))
    assert stack["Flask"] == ("framework", "==3.0.2")
    assert stack["SQLAlchemy"] == ("orm", None)
    assert stack["FastAPI"] == ("framework", "^0.110")
    assert stack["Python"] == ("runtime", "3.12")
    assert stack["Black"] == ("formatting", "^24")


def test_malformed_manifests_warn_without_quoting(tmp_path: Path) -> None:
    (tmp_path / "pom.xml").write_text(
        "<project><dependencies>\n<dependency>secret-in-pom</project>"
    )
    (tmp_path / "go.mod").write_text("module x\ngo\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "secret-in-toml\n')
    (tmp_path / "compose.yaml").write_text("services:\n  db: [image: secret-in-yaml\n")
    (tmp_path / "bomb.xml").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pom.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><project>&lol;</project>'
    )
    output = scan(open_repo(tmp_path, 1 << 20)).to_json()
    assert "pom.xml: skipped, not valid XML (line 2)" in output
    assert "sub/pom.xml: skipped, entity declarations are not read" in output
    assert "pyproject.toml: skipped, not valid TOML" in output
    assert "compose.yaml: skipped, not valid YAML (line 3)" in output
    for secret in ("secret-in-pom", "secret-in-toml", "secret-in-yaml"):
        assert secret not in output


def test_parallel_extraction_gives_the_same_summary(make_repo, monkeypatch) -> None:
    from archdraft.scan import run

    root = make_repo("nest-app")
    sequential = _scan_json(root)
    monkeypatch.setattr(run, "PARALLEL_FROM", 1)
    # a chunk per file: the pool and the scan's own process each extract some of them
    monkeypatch.setattr(run, "_CHUNK", 1)
    assert _scan_json(root) == sequential


def test_globset_takes_any_iterable() -> None:
    from archdraft.pathnames import GlobSet

    globs = GlobSet(p for p in (".github/workflows/*.yml", "Dockerfile"))
    assert globs.match(".github/workflows/ci.yml")
    assert globs.match("services/api/Dockerfile")
    assert not globs.match("docs/workflows/ci.yml")


def test_prisma_schema_names_the_database(tmp_path: Path) -> None:
    (tmp_path / "prisma").mkdir()
    (tmp_path / "package.json").write_text('{"dependencies": {"@prisma/client": "^5.0.0"}}')
    (tmp_path / "prisma" / "schema.prisma").write_text(
        'generator client {\n  provider = "prisma-client-js"\n}\n\n'
        'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n'
    )
    stack = scan(open_repo(tmp_path, 1 << 20)).stack
    mysql = next(item for item in stack if item.name == "MySQL")
    assert mysql.evidence[0].cite() == "prisma/schema.prisma:6"


def test_requirements_folder_and_nested_test_folders(tmp_path: Path) -> None:
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "base.txt").write_text("Django==5.0\n")
    (tmp_path / "requirements" / "local.txt").write_text("-r base.txt\npytest==8.0\n")
    for folder in ("app/tests", "app/tests/models", "app/tests/integration"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "test_x.py").write_text("def test_x():\n    pass\n")
    summary = scan(open_repo(tmp_path, 1 << 20))
    stack = {(s.category, s.name, s.version) for s in summary.stack}
    assert ("framework", "Django", "==5.0") in stack
    assert [(t.kind, t.path) for t in summary.tests] == [
        ("unknown", "app/tests"),
        ("integration", "app/tests/integration"),
    ]


def test_a_kubernetes_secret_is_never_read(tmp_path: Path) -> None:
    from archdraft.repo import read_text

    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    secret = "apiVersion: v1\nkind: Secret\nstringData:\n  token: planted-k8s-token\n"
    (tmp_path / ".github" / "workflows" / "deploy.yml").write_text(secret)
    tree = open_repo(tmp_path, 1 << 20)
    text = read_text(tree, ".github/workflows/deploy.yml")
    assert text is not None and text.text == ""
    assert text.warning == ".github/workflows/deploy.yml: not read, it is a Kubernetes Secret"
    assert "planted-k8s-token" not in scan(tree).to_json()


def test_rescan_reuses_cached_facts_and_sees_changes(make_repo, monkeypatch) -> None:
    from archdraft.scan import run

    root = make_repo("express-app", use_git=False)
    first = _scan_json(root)
    calls: list[int] = []
    summaries: list[str] = []
    original, original_summarise = run._extract_all, run._summarise

    def counting(jobs):  # type: ignore[no-untyped-def]
        calls.append(len(jobs))
        return original(jobs)

    def summarising(tree, texts):  # type: ignore[no-untyped-def]
        summaries.append(tree.name)
        return original_summarise(tree, texts)

    monkeypatch.setattr(run, "_extract_all", counting)
    monkeypatch.setattr(run, "_summarise", summarising)
    assert _scan_json(root) == first
    assert (calls, summaries) == ([], [])  # the last summary, as it was: nothing parsed
    (root / "src" / "db.js").write_text("process.env.NEW_SETTING;\n", encoding="utf-8")
    changed = json.loads(_scan_json(root))
    assert calls == [1]  # only the changed file is parsed again
    assert "NEW_SETTING" in {v["name"] for v in changed["env_vars"]}
    (root / "tests" / "extra.test.js").parent.mkdir(exist_ok=True)
    (root / "tests" / "extra.test.js").write_text("// a new test file\n", encoding="utf-8")
    listed = json.loads(_scan_json(root))
    assert listed["repo"]["files"] == changed["repo"]["files"] + 1  # a new file is a new summary
    assert len(summaries) == 2


def test_a_damaged_cache_is_only_a_slower_scan(make_repo, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ARCHDRAFT_CACHE_DIR", str(tmp_path / "cache"))
    root = make_repo("fastapi-app")
    first = _scan_json(root)
    for cached in (tmp_path / "cache").glob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    assert _scan_json(root) == first
    monkeypatch.setenv("ARCHDRAFT_NO_CACHE", "1")
    assert _scan_json(root) == first


def test_python_newer_than_the_interpreter_is_read_with_tree_sitter(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi>=0.110\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(
        "import os\nfrom fastapi import FastAPI\nfrom app.users import router\n\n"
        "app = FastAPI()\napp.include_router(router, prefix='/api')\n"
    )
    (tmp_path / "app" / "users.py").write_text(
        "import os\nfrom fastapi import APIRouter, Depends\n\n"
        "router = APIRouter(prefix='/users')\n\n"
        "@router.get('/{user_id}')\n"
        "def read_user(user_id: int, user=Depends(get_current_user)):\n"
        "    try:\n        return os.environ['USERS_DB']\n"
        "    except KeyError, ValueError:\n        return None\n"
    )
    summary = scan(open_repo(tmp_path, 1 << 20))
    assert [(r.method, r.path, r.auth) for r in summary.routes] == [
        ("GET", "/api/users/{user_id}", "required")
    ]
    assert "USERS_DB" in {v.name for v in summary.env_vars}
    if sys.version_info < (3, 14):  # older interpreters cannot parse PEP 758
        assert any("read with the tree-sitter grammar" in w for w in summary.warnings)


def test_settings_classes_inherited_across_files(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("pydantic-settings>=2\n")
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "base.py").write_text(
        "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
        "class BaseAppSettings(BaseSettings):\n"
        "    model_config = SettingsConfigDict(env_prefix='SHOP_')\n"
        "    app_env: str = 'prod'\n"
    )
    (tmp_path / "settings" / "app.py").write_text(
        "from settings.base import BaseAppSettings\n\n\n"
        "class AppSettings(BaseAppSettings):\n    database_url: str\n\n\n"
        "class NotSettings:\n    name: str\n"
    )
    env = {v.name for v in scan(open_repo(tmp_path, 1 << 20)).env_vars}
    assert env == {"SHOP_APP_ENV", "SHOP_DATABASE_URL"}


def test_a_python_backend_with_frontend_tooling_beside_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "ops"\nrequires-python = ">=3.11"\n'
        'dependencies = ["fastapi", "aiohttp"]\n'
    )
    (tmp_path / ".nvmrc").write_text("20.18.0\n")
    (tmp_path / "playwright.config.ts").write_text("import { defineConfig } from 'x';\n")
    (tmp_path / "ops" / "database").mkdir(parents=True)
    (tmp_path / "ops" / "main.py").write_text("from fastapi import FastAPI\napp = FastAPI()\n")
    (tmp_path / "ops" / "database" / "manage.py").write_text("def init_database(): ...\n")
    summary = scan(open_repo(tmp_path, 1 << 20))
    stack = {(s.category, s.name) for s in summary.stack}
    assert ("framework", "FastAPI") in stack
    assert ("framework", "Django") not in stack  # a manage.py is no Django by itself
    assert ("http_client", "aiohttp") in stack  # beside FastAPI, aiohttp is the client
    assert not {name for category, name in stack if category == "runtime"} - {"Python"}
    assert summary.module_system is None  # a tool's config file is no JavaScript backend


def test_a_frontend_package_beside_a_backend_manifest_leaves_the_backend_in_scope(
    tmp_path: Path,
) -> None:
    # JHipster: the Angular app's package.json and the Spring app's pom.xml share the root
    files = {
        "package.json": '{"dependencies": {"@angular/core": "20"}, '
        '"devDependencies": {"typescript": "5"}}',
        "tsconfig.json": "{}",
        "pom.xml": "<project><dependencies><dependency>"
        "<groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-web</artifactId>"
        "</dependency></dependencies></project>",
        "src/main/java/com/acme/web/ItemResource.java": "package com.acme.web;\n"
        "@RestController\n"
        '@RequestMapping("/api")\n'
        "public class ItemResource {\n"
        '    @GetMapping("/items")\n'
        "    public List<Item> all() { return null; }\n"
        "}\n",
        "src/main/webapp/app/main.ts": "const api = process.env.NG_API_URL;\n",
        # a React app at the root and a Go service below it with its own go.mod
        "web/package.json": '{"dependencies": {"react": "19"}}',
        "web/server/go.mod": "module example.com/server\n\ngo 1.22\n",
        "web/server/main.go": 'package main\n\nimport "os"\n\n'
        'func main() { _ = os.Getenv("SERVER_PORT") }\n',
        "web/src/App.tsx": "export const url = process.env.REACT_APP_URL;\n",
    }
    summary = scan_files(tmp_path, files)
    assert [f"{r.method} {r.path}" for r in summary.routes] == ["GET /api/items"]
    stack = {(s.category, s.name) for s in summary.stack}
    assert ("framework", "Spring Boot") in stack
    assert ("runtime", "Go") in stack
    assert not {n for c, n in stack if c == "type_checking" or n in {"Angular", "React"}}
    assert {v.name for v in summary.env_vars} == {"SERVER_PORT"}


def test_scripts_served_to_browsers_are_not_the_backend(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.com/wtf\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "os"\n\nfunc main() { _ = os.Getenv("WTF_PORT") }\n',
        "http/assets/scripts/main.js": "fetch(this.dataset.url);\nconst k = process.env.X;\n",
        "static/js/details.js": "$.get('/api/' + id);\n",
        "src/main/resources/static/js/app.js": "const k = process.env.Y;\n",
        # a Node project's resources/ folder holds its REST resource modules
        "tools/src/resources/users.js": "const k = process.env.USERS_URL;\n",
    }
    summary = scan_files(tmp_path, files)
    assert {s.name for s in summary.stack if s.category == "runtime"} == {"Go"}
    assert summary.module_system is None
    assert {v.name for v in summary.env_vars} == {"USERS_URL", "WTF_PORT"}
    assert "JavaScript" in {lang.name for lang in summary.languages}  # still counted


def test_desktop_wrappers_and_maintenance_scripts_are_not_runtimes(tmp_path: Path) -> None:
    files = {
        "go.mod": "module example.com/todo\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "os"\n\nfunc main() { _ = os.Getenv("PORT") }\n',
        "contrib/clean-translations.js": "const fs = require('fs');\n",
        # an Electron wrapper that bundles a small express server for its window
        "desktop/package.json": '{"dependencies": {"electron": "30", "express": "4"}}',
        "desktop/main.js": "const express = require('express');\nexpress().listen(0);\n",
        "api/redoc.standalone.js": "var Redoc=function(e){return e.get(e,f)};\n",
    }
    summary = scan_files(tmp_path, files)
    stack = {(s.category, s.name) for s in summary.stack}
    assert {n for c, n in stack if c in {"runtime", "framework"}} == {"Go"}
    assert summary.routes == ()


def test_ui_components_beside_a_backend_are_not_read_as_the_backend(tmp_path: Path) -> None:
    summary = scan_files(
        tmp_path,
        {
            "package.json": '{"dependencies": {"koa": "2", "react": "18"}}',
            "server/main.ts": "import Koa from 'koa';\n"
            "const app = new Koa();\napp.listen(process.env.PORT);\n",
            "app/components/Avatar.tsx": "const Relative = styled.div<{ $size: number }>`\n"
            "  width: ${(p) => p.$size}px;\n`;\n"
            "export const url = process.env.REACT_APP_CDN_URL;\n",
        },
    )
    assert {v.name for v in summary.env_vars} == {"PORT"}
    assert summary.warnings == ()  # the grammar's trouble with the component is not ours


_ODD = (
    "http://[resource-path]/x",
    "'\\x00'",
    '"\\ud800"',
    "0x_ff",
    "`${`${a}`}`",
    "r'''",
    "@",
    "func (",
    "class {",
    "app.get(",
    "@app.route(",
    "router.Handle(",
    "@GetMapping(",
    # project helpers and their calls, Spring router functions
    "function h(...a) { const [r, v, n] = a; r[v](`/x${n}`, c); }",
    "setupApiRoute(router, 'get', '/x', [m.auth], c);",
    "(app, { router }) => { app.post('/y', h); router.use('/z', require('./q')()); }",
    'route().nest(path("/n"), () -> route().GET(h::x).POST(path("/p").and(x), h::y))',
    'route(GET("/a").or(GET("/b")), this::c)',
    "requests.get('http://[::1]:x/')",
    "fetch(`https://${host}/v1`)",
    "é" * 3,
    "\u202e",
    ")" * 40,
    "(" * 40,
)


def test_no_file_fails_a_scan_whatever_it_holds(tmp_path: Path) -> None:
    import random

    rng = random.Random(20261203)
    root = tmp_path / "fuzz"
    root.mkdir()
    (root / "package.json").write_text('{"dependencies": {"express": "^4"}}')
    (root / "requirements.txt").write_text("flask\nrequests\n")
    (root / "go.mod").write_text("module x\n\nrequire github.com/gin-gonic/gin v1.9.0\n")
    for number in range(40):
        for suffix in (".py", ".js", ".ts", ".go", ".java"):
            pieces = [rng.choice(_ODD) for _ in range(rng.randint(1, 30))]
            noise = bytes(rng.randrange(256) for _ in range(rng.randint(0, 60)))
            text = " ".join(pieces) + noise.decode("latin-1")
            (root / f"f{number}{suffix}").write_text(text, encoding="utf-8")
    summary = scan(open_repo(root, 1_048_576))  # nothing raised
    assert summary.schema == "archdraft.scan/v1"
    # and no reader failed on a file (that would be a warning, not a crash)
    assert not [w for w in summary.warnings if "could not be read" in w]


def test_a_reader_that_fails_on_one_file_is_a_warning_naming_it(
    tmp_path: Path, monkeypatch
) -> None:
    from archdraft.scan import run as scan_run

    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("flask\n")
    (root / "good.py").write_text("import os\nTOKEN = os.environ['GOOD_TOKEN']\n")
    (root / "bad.py").write_text("import os\nX = os.environ['BAD_VAR']\n")
    wants, reader = scan_run._EXTRACTORS[0]
    assert wants("x.py")

    def fragile(path: str, text: str):  # type: ignore[no-untyped-def]
        if path == "bad.py":
            raise RecursionError("deep")
        return reader(path, text)

    monkeypatch.setattr(scan_run, "_EXTRACTORS", ((wants, fragile), *scan_run._EXTRACTORS[1:]))
    monkeypatch.setenv("ARCHDRAFT_NO_CACHE", "1")
    summary = scan(open_repo(root, 1_048_576))
    assert [v.name for v in summary.env_vars] == ["GOOD_TOKEN"]
    assert any(w.startswith("bad.py: skipped") and "RecursionError" in w for w in summary.warnings)


def test_a_bracketed_word_in_a_url_is_text_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "forum"
    root.mkdir()
    (root / "requirements.txt").write_text("flask\nrequests\n")
    (root / "app.py").write_text(
        "import requests\nfrom flask import Flask\napp = Flask(__name__)\n\n"
        "@app.route('/topics')\ndef topics():\n"
        "    return requests.get('http://[resource-path]/topics').text\n"
    )
    summary = scan(open_repo(root, 1_048_576))
    assert [(r.method, r.path) for r in summary.routes] == [("GET", "/topics")]
    assert not any("skipped" in w for w in summary.warnings)


@pytest.mark.parametrize(
    ("folder", "dependencies"),
    [
        ("project-static", '{"bootstrap": "5.3", "htmx.org": "2"}, "devDependencies": '
         '{"esbuild": "0.24", "typescript": "5"}'),  # browser libraries
        ("static", '{"esbuild": "0.24", "sass": "1"}'),  # only build tools, in a static folder
    ],
)  # fmt: skip
def test_a_static_folder_package_is_the_frontend_of_a_python_backend(
    tmp_path: Path, folder: str, dependencies: str
) -> None:
    summary = scan_files(
        tmp_path,
        {
            "requirements.txt": "Django==5.0\n",
            "shop/settings.py": "INSTALLED_APPS = ['django.contrib.admin']\n",
            f"shop/{folder}/package.json": '{"dependencies": ' + dependencies + "}",
            f"shop/{folder}/src/forms.ts": "const port = process.env.PORT;\nexport {};\n",
        },
    )
    assert [s.name for s in summary.stack if s.category == "runtime"] == ["Python"]
    assert summary.module_system is None
    assert "PORT" not in {v.name for v in summary.env_vars}  # the browser's code, not the server's
