"""How the project is run: Dockerfiles, docker-compose files and Procfiles. Images reveal
runtimes and backing services; commands reveal entry points."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

from archdraft import pathnames
from archdraft.pathnames import GlobSet
from archdraft.scan.summary import Evidence

_DOCKERFILE = ("Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile")
_COMPOSE = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml",
            "docker-compose.*.yml", "docker-compose.*.yaml")  # fmt: skip


@dataclass(frozen=True)
class Image:
    reference: str
    evidence: Evidence


@dataclass(frozen=True)
class Command:
    role: str
    """``web``/``worker``/... for a Procfile; ``container`` for Dockerfile and compose."""
    command: str
    evidence: Evidence
    folder: str
    """The folder the command runs from (the Dockerfile's or Procfile's)."""


@dataclass
class Deploy:
    images: list[Image] = field(default_factory=list)
    """Base images (Dockerfile ``FROM``) and service images (compose)."""
    base_images: list[Image] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_DOCKERFILES = GlobSet(_DOCKERFILE)
_COMPOSE_FILES = GlobSet(_COMPOSE)


def kind_of(path: str) -> str | None:
    if _DOCKERFILES.match(path):
        return "dockerfile"
    if _COMPOSE_FILES.match(path):
        return "compose"
    if pathnames.name(path) == "Procfile":
        return "procfile"
    return None


def _instructions(text: str) -> list[tuple[int, str, str]]:
    """(line, INSTRUCTION, arguments) with continuation lines joined."""
    found: list[tuple[int, str, str]] = []
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        found.append((start, word.upper(), rest.strip()))
    return found


def _exec_form(arguments: str) -> str:
    if arguments.startswith("["):
        try:
            parts = json.loads(arguments)
        except json.JSONDecodeError:
            return arguments
        if isinstance(parts, list):
            return " ".join(str(p) for p in parts)
    return arguments


def read_dockerfile(path: str, text: str, out: Deploy) -> None:
    stages: set[str] = set()
    folder = str(PurePosixPath(path).parent)
    # The last ENTRYPOINT and CMD of the file are what the final image runs.
    last: dict[str, tuple[str, int]] = {}
    for line, instruction, arguments in _instructions(text):
        if instruction == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--")]
            if not words:
                continue
            image = words[0]
            if len(words) >= 3 and words[1].lower() == "as":
                stages.add(words[2].lower())
            if image.lower() not in stages and image.lower() != "scratch" and "$" not in image:
                out.base_images.append(Image(image, Evidence(path, line)))
        elif instruction in {"CMD", "ENTRYPOINT"}:
            last[instruction] = (_exec_form(arguments), line)
    if last:
        command = " ".join(last[i][0] for i in ("ENTRYPOINT", "CMD") if i in last)
        line = last.get("ENTRYPOINT", last.get("CMD", ("", 0)))[1]
        out.commands.append(Command("container", command, Evidence(path, line), folder))


def _yaml_error(path: str, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    # YAML errors quote the source; only the position is reported.
    where = f" (line {mark.line + 1})" if mark is not None else ""
    return f"{path}: skipped, not valid YAML{where}"


def read_compose(path: str, text: str, out: Deploy) -> None:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        out.warnings.append(_yaml_error(path, exc))
        return
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return
    lines = text.splitlines()
    folder = str(PurePosixPath(path).parent)
    for _name, service in sorted(services.items(), key=lambda kv: str(kv[0])):
        if not isinstance(service, dict):
            continue
        image = service.get("image")
        if isinstance(image, str) and "$" not in image:
            pattern = re.compile(r"^\s*image:\s*[\"']?" + re.escape(image))
            line = next(
                (i + 1 for i, text_line in enumerate(lines) if pattern.search(text_line)), None
            )
            out.images.append(Image(image, Evidence(path, line)))
        command = service.get("command")
        if isinstance(command, list):
            command = " ".join(str(c) for c in command)
        if isinstance(command, str) and service.get("build") is not None:
            line = next(
                (
                    i + 1
                    for i, text_line in enumerate(lines)
                    if text_line.strip().startswith("command:") and command.split()[0] in text_line
                ),
                None,
            )
            out.commands.append(Command("container", command, Evidence(path, line), folder))


def read_procfile(path: str, text: str, out: Deploy) -> None:
    folder = str(PurePosixPath(path).parent)
    for number, raw in enumerate(text.splitlines(), start=1):
        role, sep, command = raw.partition(":")
        if sep and role.strip() and not raw.startswith("#") and command.strip():
            out.commands.append(
                Command(role.strip(), command.strip(), Evidence(path, number), folder)
            )


def read_deploy(path: str, text: str, out: Deploy) -> None:
    kind = kind_of(path)
    if kind == "dockerfile":
        read_dockerfile(path, text, out)
    elif kind == "compose":
        read_compose(path, text, out)
    elif kind == "procfile":
        read_procfile(path, text, out)
