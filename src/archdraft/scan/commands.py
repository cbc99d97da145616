"""Reading commands (npm scripts, Procfile and Dockerfile commands, CI steps) without
running them: which repository file they start, and which tools they run."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath

from archdraft import pathnames
from archdraft.scan.technologies import DEV_CATEGORIES, TECHNOLOGIES, Tech

_NODE_RUNNERS = {"node", "nodemon", "ts-node", "ts-node-dev", "tsx", "bun", "deno", "pm2",
                 "node-dev", "babel-node"}  # fmt: skip
_ASGI_WSGI = {"uvicorn", "gunicorn", "hypercorn", "daphne", "granian", "waitress-serve", "uwsgi"}
_WORKERS = {"celery", "rq", "dramatiq", "arq", "huey_consumer", "huey_consumer.py"}
_SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".py")
_MODULE = re.compile(r"^[A-Za-z_][\w.]*(:[\w.()]+)?$")
# Tool names found in CI steps, Makefiles and hooks say which linters and formatters run.
_TOOL_CATEGORIES = DEV_CATEGORIES | {"formatting"}
_TOOL_PATTERNS: tuple[tuple[re.Pattern[str], Tech], ...] = tuple(
    (
        re.compile(
            r"(?<![\w/.-])" + re.escape(cmd.replace("+", " ")).replace(r"\-", "[- ]") + r"(?![\w-])"
        ),
        tech,
    )
    for tech in TECHNOLOGIES
    if tech.category in _TOOL_CATEGORIES
    for cmd in tech.commands
)


@dataclass(frozen=True)
class Target:
    path: str
    kind: str


def module_file(module: str, base: str, paths: frozenset[str]) -> str | None:
    rel = module.split(":")[0].replace(".", "/")
    for root in (base, f"{base}/src" if base else "src"):
        prefix = f"{root}/" if root and root != "." else ""
        for candidate in (
            f"{prefix}{rel}.py",
            f"{prefix}{rel}/__init__.py",
            f"{prefix}{rel}/__main__.py",
        ):
            if candidate in paths:
                return candidate
    return None


def _file(token: str, base: str, paths: frozenset[str]) -> str | None:
    joined = str(PurePosixPath(base) / token) if base and base != "." else token
    normal = str(PurePosixPath(joined)).removeprefix("./")
    if normal in paths:
        return normal
    # a compiled output (dist/main.js) usually stands for its TypeScript source
    for out_dir in ("dist/", "build/", "lib/", "out/"):
        if normal.startswith(out_dir) or f"/{out_dir}" in normal:
            for src in ("src/", ""):
                candidate = normal.replace(out_dir, src, 1).rsplit(".", 1)[0] + ".ts"
                if candidate in paths:
                    return candidate
    return None


def targets(command: str, base: str, paths: frozenset[str], default_kind: str) -> list[Target]:
    """The repository files ``command`` starts, with the kind of entry point each is."""
    try:
        tokens = shlex.split(command, comments=True)
    except ValueError:
        tokens = command.split()
    found: list[Target] = []
    kind = default_kind
    index = 0
    while index < len(tokens):
        word = PurePosixPath(tokens[index]).name
        rest = tokens[index + 1 :]
        if word in _WORKERS or word == "worker":
            kind = "worker"
        if word in _NODE_RUNNERS:
            for token in rest:
                if token.startswith("-"):
                    continue
                path = _file(token, base, paths) if token.endswith(_SCRIPT_SUFFIXES) else None
                # ``node dist/main``: Node resolves a missing suffix to .js
                path = path or (_file(token + ".js", base, paths) if "/" in token else None)
                if path:
                    found.append(Target(path, kind))
                    break
        elif word in _ASGI_WSGI or word in _WORKERS:
            for position, token in enumerate(rest):
                if token.startswith("-"):
                    continue
                value_of = rest[position - 1] if position else ""
                app_option = value_of in {"-A", "--app"}
                # ``celery -A proj`` loads proj.celery when the package has one
                celery_app = f"{token}.celery" if app_option and word == "celery" else ""
                if celery_app and (path := module_file(celery_app, base, paths)):
                    found.append(Target(path, kind))
                    break
                if (app_option or _MODULE.match(token)) and (
                    path := module_file(token, base, paths)
                ):
                    found.append(Target(path, kind))
                    break
        elif re.fullmatch(r"python[\d.]*", word):
            if rest[:1] == ["-m"] and len(rest) > 1:
                if path := module_file(rest[1], base, paths):
                    found.append(Target(path, kind))
            elif rest and rest[0].endswith(".py") and (path := _file(rest[0], base, paths)):
                serving = "runserver" in rest or "serve" in rest
                found.append(Target(path, "server" if serving else kind))
        elif word == "go" and rest[:1] == ["run"] and len(rest) > 1:
            folder = _file(rest[1], base, paths) or str(PurePosixPath(base or ".") / rest[1])
            folder = str(PurePosixPath(folder)).removeprefix("./")
            main = f"{folder}/main.go" if not folder.endswith(".go") else folder
            if main in paths:
                found.append(Target(main, kind))
        index += 1
    return found


def tool_mentions(text: str) -> list[tuple[Tech, int]]:
    """Linters, formatters and type checkers that ``text`` (a CI file, Makefile or hook
    configuration) runs, with the 1-based line where each is first named."""
    found: dict[str, tuple[Tech, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        for pattern, tech in _TOOL_PATTERNS:
            if tech.name not in found and pattern.search(line):
                found[tech.name] = (tech, number)
    return list(found.values())


def is_tool_file(path: str) -> bool:
    name = pathnames.name(path)
    return (
        name in {"Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", "Taskfile.yml",
                 ".pre-commit-config.yaml", ".gitlab-ci.yml", "tox.ini", "noxfile.py"}
        or path.startswith(".github/workflows/")
        or path.startswith(".circleci/")
    )  # fmt: skip
