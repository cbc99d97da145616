"""Assembling the finished document from a ``Draft``: front matter brought up to date,
the title without its TEMPLATE marker, the template's own introduction, the sections."""

from __future__ import annotations

import re

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


def current_sections(text: str, template: Template) -> dict[str, str]:
    """The markdown of each top-level template section as an existing document has it,
    by section key: what a model is asked to update, and what a failed request keeps."""
    wanted = {(s.level, s.heading.strip()): s.key for s in template.sections}
    found: dict[str, str] = {}
    key: str | None = None
    level = 0
    lines: list[str] = []
    fence = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else _HEADING_LINE.match(line)
        if match and key is not None and len(match.group(1)) <= level:
            found[key] = "\n".join(lines).rstrip() + "\n"
            key = None
        if match and key is None:
            candidate = wanted.get((len(match.group(1)), match.group(2).strip()))
            if candidate is not None:
                key, level, lines = candidate, len(match.group(1)), []
        if key is not None:
            lines.append(line)
    if key is not None:
        found[key] = "\n".join(lines).rstrip() + "\n"
    return found
