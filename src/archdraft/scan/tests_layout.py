"""Test folders and files, and the kind of tests they hold, from their paths."""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePosixPath

from archdraft.scan.summary import TestLocation

_TEST_DIRS = {"test", "tests", "__tests__", "spec", "specs", "e2e", "testing", "it"}
_TEST_FILES = (
    "*.test.*",
    "*.spec.*",
    "*.e2e-spec.*",
    "test_*.py",
    "*_test.py",
    "*_test.go",
    "*Test.java",
    "*Tests.java",
    "*IT.java",
    "conftest.py",
    "tests.py",
    "tests_*.py",
)
_E2E = ("e2e", "end-to-end", "end_to_end", "cypress", "playwright", "acceptance")
_INTEGRATION = ("integration", "int-test", "functional", "api-test")
_CODE_SUFFIXES = {
    ".py",
    ".js",
    ".jsx",
    ".mjs",
    ".cjs",
    ".ts",
    ".tsx",
    ".mts",
    ".cts",
    ".go",
    ".java",
    ".kt",
}


def is_test_path(path: str) -> bool:
    pure = PurePosixPath(path)
    if pure.suffix.lower() not in _CODE_SUFFIXES:
        return False
    if any(part.lower() in _TEST_DIRS for part in pure.parts[:-1]):
        return True
    if path.startswith("src/test/"):
        return True
    return any(fnmatch.fnmatchcase(pure.name, pattern) for pattern in _TEST_FILES)


def _kind(path: str) -> str:
    lowered = path.lower()
    if any(word in lowered for word in _E2E):
        return "e2e"
    if any(word in lowered for word in _INTEGRATION):
        return "integration"
    name = PurePosixPath(path).name
    if re.search(r"(IT|IntegrationTests?)\.(java|kt)$", name):
        return "integration"
    if "unit" in PurePosixPath(lowered).parts or ".unit." in lowered:
        return "unit"
    return "unknown"


def test_locations(paths: tuple[str, ...]) -> tuple[TestLocation, ...]:
    """One entry per folder holding tests (or per file at the repository root)."""
    found: dict[tuple[str, str], None] = {}
    for path in paths:
        if not is_test_path(path):
            continue
        if PurePosixPath(path).name == "conftest.py":
            continue
        folder = str(PurePosixPath(path).parent)
        where = path if folder == "." else folder
        found[(where, _kind(path))] = None
    return tuple(TestLocation(kind=kind, path=where) for where, kind in sorted(found))
