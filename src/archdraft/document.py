"""Assembling the finished document from a ``Draft``: front matter brought up to date,
the title without its TEMPLATE marker, the template's own introduction, the sections."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from archdraft.draft import Draft
from archdraft.template import Template

_KEY_LINE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_TEMPLATE_WORD = re.compile(r"\[\s*template\s*\]|\btemplate\b", re.IGNORECASE)
DRAFT_STATUS = "draft"


def _untemplate(value: str) -> str:
    cleaned = _TEMPLATE_WORD.sub(" ", value)
    cleaned = re.sub(r"\b(NOT REAL DOCUMENTATION|not real documentation)\b", " ", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip(" -–—:|,").strip()


def _scalar(value: str) -> str:
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=1000).strip()


def _flow_list(raw: str) -> str | None:
    try:
        items = yaml.safe_load(raw)
    except yaml.YAMLError:
        return None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return None
    kept = [i for i in items if not _TEMPLATE_WORD.fullmatch(i.strip())]
    return "[" + ", ".join(kept) + "]"


def finished_front_matter(raw: str, date: str | None) -> str:
    """The template's front matter with ``title``/``description`` rid of TEMPLATE marks,
    ``status`` set to draft and ``last_updated`` set to the repository's date. Lines
    archdraft has no business with are kept as they are."""
    try:
        parsed = yaml.safe_load(raw)
    except yaml.YAMLError:
        return raw
    if not isinstance(parsed, dict):
        return raw
    out = []
    for line in raw.splitlines():
        match = _KEY_LINE.match(line)
        if not match:
            out.append(line)
            continue
        key, value = match.group("key"), match.group("value")
        plain = parsed.get(key)
        if key == "last_updated" and date:
            out.append(f"{key}: {_scalar(date)}")
        elif key == "status":
            out.append(f"{key}: {_scalar(DRAFT_STATUS)}")
        elif isinstance(plain, str) and _TEMPLATE_WORD.search(plain):
            out.append(f"{key}: {_scalar(_untemplate(plain))}")
        elif isinstance(plain, list) and value.startswith("["):
            out.append(f"{key}: {_flow_list(value) or value}")
        else:
            out.append(line)
    return "\n".join(out)


def render_document(result: Draft) -> str:
    template = result.template
    parts: list[str] = []
    if template.front_matter is not None:
        parts.append(
            "---\n"
            + finished_front_matter(template.front_matter, result.context.date).rstrip()
            + "\n---"
        )
    if template.title:
        parts.append(f"# {template.title}")
    if template.intro:
        parts.append(template.intro)
    parts += [section.markdown.rstrip() for section in result.sections]
    return "\n\n".join(parts) + "\n"


_HEADING_LINE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
PREAMBLE = "front-matter"
"""The key of what comes before the first section: front matter, title, introduction."""
PREAMBLE_HEADING = "(front matter and title)"


@dataclass(frozen=True)
class Block:
    """A run of a document's lines: one template section (``key``), the preamble, or text
    a person added outside the template's sections (``key`` is None)."""

    key: str | None
    heading: str
    text: str
    line: int
    """1-based line where the block starts."""


def section_headings(template: Template) -> dict[tuple[int, str], tuple[str, str]]:
    """(level, heading text) → (key, heading) for each top-level template section."""
    return {(s.level, s.heading.strip()): (s.key, s.heading) for s in template.sections}


def split_document(text: str, headings: Mapping[tuple[int, str], tuple[str, str]]) -> list[Block]:
    """Cut a document into blocks whose texts, concatenated, give ``text`` back exactly.
    A template section runs from its heading to the next heading at its level or above;
    any other heading at that level starts a block of the person's own."""
    lines = text.splitlines(keepends=True)
    starts: list[tuple[int, str | None, str, int]] = []  # line index, key, heading, level
    seen: set[str] = set()
    level = 0
    fence = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        match = None if fence else _HEADING_LINE.match(line.rstrip("\n"))
        if not match:
            continue
        depth, title = len(match.group(1)), match.group(2).strip()
        wanted = headings.get((depth, title))
        if wanted is not None and wanted[0] not in seen:
            seen.add(wanted[0])
            starts.append((index, wanted[0], wanted[1], depth))
            level = depth
        elif starts and depth <= level:
            starts.append((index, None, title, depth))
            level = depth
    blocks: list[Block] = []
    first = starts[0][0] if starts else len(lines)
    if first > 0:
        blocks.append(Block(PREAMBLE, PREAMBLE_HEADING, "".join(lines[:first]), 1))
    for number, (index, key, heading, _depth) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        blocks.append(Block(key, heading, "".join(lines[index:end]), index + 1))
    return blocks


def join_blocks(texts: list[str]) -> str:
    """Blocks put back together one blank line apart, ending with one newline."""
    kept = [t.rstrip() for t in texts if t.strip()]
    return "\n\n".join(kept) + "\n" if kept else ""


def current_sections(text: str, template: Template) -> dict[str, str]:
    """The markdown of each top-level template section as an existing document has it,
    by section key: what a model is asked to update, and what a failed request keeps."""
    return {
        block.key: block.text.rstrip() + "\n"
        for block in split_document(text, section_headings(template))
        if block.key is not None and block.key != PREAMBLE
    }
