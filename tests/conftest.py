from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archdraft.repo import open_repo
from archdraft.scan import scan
from archdraft.scan.summary import RepoSummary

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
USER_TEMPLATE = FIXTURES / "templates" / "user-backend-template.md"

# Fixed identity and dates, so a fixture committed in a test always has the same sha.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Fixture Author",
    "GIT_AUTHOR_EMAIL": "fixture@example.invalid",
    "GIT_COMMITTER_NAME": "Fixture Author",
    "GIT_COMMITTER_EMAIL": "fixture@example.invalid",
    "GIT_AUTHOR_DATE": "2025-03-14T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2025-03-14T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit_all(repo: Path, message: str = "fixture") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def make_repo(tmp_path: Path):
    """Copy a fixture repository into a fresh git repository with one fixed commit."""

    def make(name: str, *, use_git: bool = True) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target, symlinks=True)
        if use_git:
            git(target, "init", "-q", "-b", "main")
            commit_all(target)
        return target

    return make


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; ARCHDRAFT_UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("ARCHDRAFT_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"golden/{name}",
                tofile="actual",
            )
        )
        pytest.fail(
            f"output differs from golden/{name} (rerun with ARCHDRAFT_UPDATE_GOLDEN=1 "
            f"after checking the change):\n{diff}",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _scan_cache_in_tmp(tmp_path_factory, monkeypatch) -> None:
    """Scans in tests keep their cache in a temporary folder, never the user's."""
    monkeypatch.setenv("ARCHDRAFT_CACHE_DIR", str(tmp_path_factory.mktemp("scan-cache")))
    # A developer's own model settings must not turn offline tests into model runs.
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ARCHDRAFT_MODEL", "ARCHDRAFT_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def scan_files(root: Path, files: dict[str, str]) -> RepoSummary:
    """Write ``files`` (path -> text) under ``root`` and scan it."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return scan(open_repo(root, 1 << 20))


def route_lines(summary: RepoSummary) -> list[str]:
    """The routes as ``METHOD /path auth``, sorted."""
    return sorted(f"{r.method} {r.path} {r.auth}" for r in summary.routes)
