"""Which files are the backend's: not examples, docs or vendored code, and not a frontend
package's sources. Decided by path and by the manifests found, never by reading code."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Folders that hold examples, documentation sites, fixtures or vendored code: what they
# use is not what the project's backend uses.
_AUXILIARY = frozenset({
    "example", "examples", "sample", "samples", "fixture", "fixtures", "__fixtures__",
    "testdata", "test-data", "docs", "doc", "website", "site", "benchmark", "benchmarks",
    "bench", "playground", "demo", "demos", "vendor", "third_party", "third-party",
    "node_modules", ".devcontainer", "dist", "coverage", ".next", ".nuxt", "e2e", "cypress",
    "storybook", ".storybook",
})  # fmt: skip
_SINGULAR_AUXILIARY = frozenset({"example", "sample", "demo"})
# What a JavaScript package is made of: a frontend package's files of these kinds are the
# frontend's, whatever else shares its folder.
_PACKAGE_FILE = re.compile(
    r"\.(js|jsx|mjs|cjs|ts|tsx|mts|cts|vue|svelte|astro|css|scss|sass|less|html)$|"
    r"(^|/)(package\.json|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|\.nvmrc|\.node-version|"
    r"tsconfig[\w.-]*\.json)$"
)
# Sources no JavaScript package is made of: in a frontend's folder they are still the backend's
# (gotify keeps ui/serve.go, which serves the built React app, beside ui/package.json).
_BACKEND_SOURCE = re.compile(r"\.(go|py|java|kt|scala|rb|php|rs|cs|ex|exs)$")
# JSX is how React and its kin write user interfaces; a backend package's .tsx files are its
# pages and components (outline's app/), which the backend's facts do not come from.
_UI_COMPONENT = re.compile(r"\.(jsx|tsx)$")
# Scripts a server hands to browsers (Express's public/, Spring's resources/static/, Rails'
# app/javascript/): they run in the browser, so they say nothing of the backend's runtime,
# configuration or calls. A folder named resources/ holds REST resource modules in some Node
# projects, so only the Maven layout's main/resources/ counts.
_BROWSER_ASSET = re.compile(
    r"(^|/)(static|public|assets|wwwroot|main/resources|app/javascript)/(.+/)?[^/]+\."
    r"(js|mjs|cjs|jsx|ts|tsx)$"
)


# Other projects' code copied in: never the backend's, so never read but for manifests
_VENDORED = frozenset({"vendor", "third_party", "third-party", "node_modules"})


def is_vendored(path: str) -> bool:
    """Whether ``path`` lies in a folder of vendored, third-party code."""
    return any(part in _VENDORED for part in path.split("/")[:-1])


def is_auxiliary(path: str) -> bool:
    """Whether ``path`` lies in an examples, documentation, fixtures or vendored folder."""
    parts = path.lower().split("/")[:-1]
    # Below a source root, folder names are package names (Java's com/example/...).
    if "src" in parts:
        parts = parts[: parts.index("src")]
    # A singular name deep in the code is a module (server/router/example/); at the top, or
    # in the plural anywhere, it holds examples.
    return any(
        part in _AUXILIARY and (index == 0 or part not in _SINGULAR_AUXILIARY)
        for index, part in enumerate(parts)
    )


def _folder(path: str) -> str:
    # Repository paths are already normal POSIX paths; a Path per lookup cost more than
    # the rest of the scope test on a large tree.
    return path.rpartition("/")[0]


class Scope:
    """Which paths belong to the backend.

    A folder whose package.json names a frontend library and no backend one is a frontend
    package, down to the next folder that is a backend package (pom.xml, go.mod,
    pyproject.toml, a package.json naming a backend library...); sources in a backend
    language stay the backend's even there. When a backend's manifest shares the frontend's
    folder, as in JHipster or a Django project bundling its JavaScript, only the JavaScript
    package's own files are the frontend's.
    """

    def __init__(self, frontend_folders: Iterable[str], backend_folders: Iterable[str]) -> None:
        self.frontends = {"" if f == "." else f for f in frontend_folders}
        self.backends = {"" if f == "." else f for f in backend_folders}

    def _owner(self, path: str) -> str | None:
        """The deepest folder holding ``path`` that has a manifest judged above."""
        folder = _folder(path)
        while True:
            if folder in self.frontends or folder in self.backends:
                return folder
            if not folder:
                return None
            folder = _folder(folder)

    def __call__(self, path: str) -> bool:
        if is_auxiliary(path) or _BROWSER_ASSET.search(path) or _UI_COMPONENT.search(path):
            return False
        owner = self._owner(path)
        if owner is None or owner not in self.frontends:
            return True
        if owner in self.backends:
            return not _PACKAGE_FILE.search(path)
        return bool(_BACKEND_SOURCE.search(path))
