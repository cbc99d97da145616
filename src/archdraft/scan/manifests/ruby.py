"""Bundler's Gemfile and Gemfile.lock, and .ruby-version.

A Gemfile is Ruby code; it is read, never run, by a small parser of the statements Bundler
documents (``gem``, ``group``, ``ruby``) and of the blocks around them, so that a gem in a
``group :development, :test`` block is known to be a development one."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from archdraft.scan.manifests.model import Collector, Dependency, Pin, RuntimeDecl
from archdraft.scan.summary import Evidence

# Groups whose gems serve development only; a gem in any other group (production, a
# platform's) may run in the deployed app.
_DEV_GROUPS = frozenset({
    "development", "test", "dev", "lint", "linters", "linting", "ci", "tools", "debug",
    "rubocop", "docs", "documentation", "guard", "benchmark", "profiling",
})  # fmt: skip
# Gems that serve HTTP: a Gemfile naming one makes its folder a backend package. A Gemfile
# alone is not one: mobile apps keep a Gemfile for CocoaPods and fastlane.
_SERVER_GEMS = frozenset({
    "rails", "railties", "sinatra", "hanami", "grape", "roda", "rack", "puma", "unicorn",
    "falcon", "thin", "passenger", "padrino", "iodine", "agoo",
})  # fmt: skip
_STATEMENT = re.compile(r"^(?P<word>[a-z_]+)\b\s*\(?\s*(?P<rest>.*)$")
# Statements that open a block ending at ``end`` when they start a line.
_OPENERS = frozenset({"if", "unless", "case", "begin", "while", "until", "def", "class",
                      "module", "for"})  # fmt: skip
_DO = re.compile(r"\bdo\s*(\|[^|]*\|)?\s*$")
_SYMBOL = re.compile(r":(\w+)")


class _Unterminated(ValueError):
    pass


def _code(line: str) -> str:
    """The line without its comment; raises ``_Unterminated`` for an unclosed string."""
    quote = ""
    escaped = False
    for index, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index].rstrip()
    if quote:
        raise _Unterminated()
    return line.rstrip()


def _arguments(rest: str) -> list[str]:
    """Top-level, comma-separated arguments, with a trailing ``if``/``unless`` modifier and
    the closing parenthesis dropped."""
    parts: list[str] = []
    depth = 0
    quote = ""
    escaped = False
    current = ""
    for char in rest:
        if quote:
            current += char
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:  # the call's own closing parenthesis
                break
        elif char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += char
    parts.append(current.strip())
    last = re.split(r"\s+(?:if|unless)\s", parts[-1], maxsplit=1)
    parts[-1] = last[0].strip()
    return [p for p in parts if p]


def _string(argument: str) -> str | None:
    match = re.fullmatch(r"""(["'])(.*)\1""", argument)
    return match.group(2) if match else None


def _option(argument: str) -> tuple[str, str] | None:
    """``group: :test`` or ``:group => :test`` as (``group``, ``:test``)."""
    match = re.fullmatch(r"(?::(\w+)\s*=>|(\w+):)\s*(.*)", argument, re.S)
    return (match.group(1) or match.group(2), match.group(3)) if match else None


def _is_dev(groups: list[str]) -> bool:
    return bool(groups) and all(g in _DEV_GROUPS for g in groups)


def read_gemfile(path: str, text: str, out: Collector) -> None:
    # Each open block: the groups it names (empty for any other block).
    blocks: list[list[str]] = []
    names: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        try:
            line = _code(raw).strip()
        except _Unterminated:
            out.warnings.append(f"{path}:{number}: a statement could not be read; skipped it")
            continue
        if line in {"end", "end)"} or line.startswith(("end.", "end ")):
            if blocks:
                blocks.pop()
            continue
        statement = _STATEMENT.match(line)
        word = statement.group("word") if statement else ""
        rest = statement.group("rest") if statement else ""
        if word == "group" and _DO.search(line):
            blocks.append(_SYMBOL.findall(_DO.sub("", rest)))
            continue
        if (word in _OPENERS and not re.search(r"\bend$", line)) or _DO.search(line):
            blocks.append([])  # a one-line ``if x then y end`` opens nothing
            continue
        if word == "ruby":
            args = _arguments(rest)
            version = _string(args[0]) if args else None
            if version:
                out.runtimes.append(RuntimeDecl("Ruby", version, Evidence(path, number)))
        if word != "gem":
            continue
        args = _arguments(rest)
        name = _string(args[0]) if args else None
        if not name:
            continue  # a gem named by an expression (a loop's variable) cannot be read
        versions: list[str] = []
        groups: list[str] = []
        for argument in args[1:]:
            option = _option(argument)
            if option is None:
                version = _string(argument)
                if version is not None:
                    versions.append(version)
            elif option[0] in {"group", "groups"}:
                groups = _SYMBOL.findall(option[1])
        dev = _is_dev(groups) or any(_is_dev(block) for block in blocks)
        out.dependencies.append(
            Dependency("rubygems", name, ", ".join(versions) or None, dev, Evidence(path, number))
        )
        names.add(name)
    if names & _SERVER_GEMS:
        out.backend_package_folders.append(str(PurePosixPath(path).parent))


_LOCK_SECTIONS = frozenset({
    "GEM", "GIT", "PATH", "PLUGIN SOURCE", "PLATFORMS", "DEPENDENCIES", "RUBY VERSION",
    "BUNDLED WITH", "CHECKSUMS",
})  # fmt: skip
_LOCK_SPEC = re.compile(r"^    ([A-Za-z0-9][\w.\-]*) \(([^()\s]+)\)$")


def read_gemfile_lock(path: str, text: str, out: Collector) -> None:
    """The resolved version of every gem (``specs:`` entries at four spaces), for the
    Gemfile's gems declared without one. Anything else at that depth is a broken lock."""
    folder = path.rpartition("/")[0]
    pins: list[Pin] = []
    section = ""
    in_specs = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if not line.startswith(" "):
            section = line.strip()
            if section not in _LOCK_SECTIONS:
                out.warnings.append(f"{path}: skipped, not a valid Gemfile.lock (line {number})")
                return
            in_specs = False
            continue
        if not section:
            out.warnings.append(f"{path}: skipped, not a valid Gemfile.lock (line {number})")
            return
        if section in {"GEM", "GIT", "PATH", "PLUGIN SOURCE"}:
            if line.startswith("  ") and not line.startswith("   "):
                in_specs = line.strip() == "specs:"
            elif in_specs and not line.startswith("     "):
                spec = _LOCK_SPEC.match(line)
                if spec is None:
                    out.warnings.append(
                        f"{path}: skipped, not a valid Gemfile.lock (line {number})"
                    )
                    return
                # a platform build (nokogiri 1.16.0-x86_64-linux) is its version's
                version = spec.group(2).split("-", 1)[0]
                pins.append(Pin("rubygems", spec.group(1), version, folder, resolved=True))
    if not section:
        out.warnings.append(f"{path}: skipped, not a valid Gemfile.lock (no sections)")
        return
    out.pins.extend(pins)


def version_file(path: str, text: str, out: Collector) -> None:
    """``.ruby-version``: ``3.3.0`` or ``ruby-3.3.0`` (rbenv, rvm, chruby, asdf)."""
    value = text.strip().splitlines()[0].strip() if text.strip() else ""
    value = value.removeprefix("ruby-").split("@", 1)[0]
    if value[:1].isdigit():
        out.runtimes.append(RuntimeDecl("Ruby", value, Evidence(path, 1)))
