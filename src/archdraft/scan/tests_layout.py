"""Test folders and files, and the kind of tests they hold, from their paths."""

from __future__ import annotations

import re

from archdraft import pathnames
from archdraft.pathnames import GlobSet
from archdraft.scan.summary import TestLocation

_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "specs", "e2e", "testing", "it"})
_TEST_FILES = GlobSet((
    "*.test.*", "*.spec.*", "*.e2e-spec.*", "test_*.py", "*_test.py", "*_test.go", "*Test.java",
    "*Tests.java", "*IT.java", "*Test.kt", "*Tests.kt", "*IT.kt", "conftest.py", "tests.py",
    "tests_*.py", "*Test.php", "*_spec.rb", "*_test.rb", "*Tests.cs", "*Test.cs",
))  # fmt: skip
_E2E = ("e2e", "end-to-end", "end_to_end", "cypress", "playwright", "acceptance")
_INTEGRATION = ("integration", "int-test", "functional", "api-test")
_CODE_SUFFIXES = frozenset({".py", ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts",
                            ".go", ".java", ".kt", ".php", ".rb", ".cs", ".rs"})  # fmt: skip
_JVM_INTEGRATION = re.compile(r"(IT|IntegrationTests?)\.(java|kt)$")


def is_test_path(path: str) -> bool:
    if pathnames.suffix(path) not in _CODE_SUFFIXES:
        return False
    folders = path.lower().split("/")[:-1]
    # caldavtests/, integrationtests/: a folder named for the tests it holds
    # it/ holds JVM integration tests; in a PHP app it is Laravel's lang/it/ (Italian)
    php = pathnames.suffix(path) == ".php"
    if any(
        (part in _TEST_DIRS and not (php and part == "it")) or part.endswith("tests")
        for part in folders
    ):
        return True
    if path.startswith("src/test/"):
        return True
    return _TEST_FILES.match(pathnames.name(path))


def _kind(path: str) -> str:
    lowered = path.lower()
    if any(word in lowered for word in _E2E):
        return "e2e"
    if any(word in lowered for word in _INTEGRATION) or _JVM_INTEGRATION.search(path):
        return "integration"
    # Cargo builds each file under a crate's tests/ as an integration test (unit tests live
    # beside the code, in #[cfg(test)] modules)
    if path.endswith(".rs") and "tests" in path.split("/")[:-1]:
        return "integration"
    # .NET names test projects UnitTests, Shop.UnitTests, Shop.Unit.Tests
    if "unit" in lowered.split("/") or ".unit." in lowered or "unittests" in lowered:
        return "unit"
    return "unknown"


def test_locations(paths: tuple[str, ...]) -> tuple[TestLocation, ...]:
    """One entry per folder and kind of tests (or per file at the repository root)."""
    found: dict[tuple[str, str], None] = {}
    for path in paths:
        if not is_test_path(path) or pathnames.name(path) == "conftest.py":
            continue
        folder = pathnames.parent(path)
        where = path if folder == "." else folder
        found[(where, _kind(path))] = None
    kept: list[TestLocation] = []
    for where, kind in sorted(found):
        # tests/ and tests/models/ of one kind are one suite: the outer folder names it
        if not any(k.kind == kind and where.startswith(k.path + "/") for k in kept):
            kept.append(TestLocation(kind=kind, path=where))
    return tuple(kept)
