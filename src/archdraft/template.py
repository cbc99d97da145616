"""The template stage: any markdown template becomes a ``Template`` of ``Section``s.

Structure comes from markdown-it-py's block tokens (their source line maps), never from
regexes over the document. What a template says must go from the finished document (a
"this is a template" notice, a trailing instructions list) is recognised and dropped here,
so no later stage ever sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from archdraft.errors import TemplateError

_FACTS_NOTE = re.compile(r"<!--\s*archdraft:\s*facts\s*=\s*([\w,\s-]*?)\s*-->", re.IGNORECASE)
_BRACKETED = re.compile(r"\[([^\[\]\n]+)\](?!\()")
_TEMPLATE_WORD = re.compile(r"\[\s*template\s*\]|\btemplate\b", re.IGNORECASE)
_MARKER = re.compile(r"\s*\[\s*TEMPLATE\s*\]\s*|\s*\bTEMPLATE\b\s*")
_NOTICE = re.compile(
    r"this (file|document|page) is (a|an example) template|this is a template|"
    r"\bnot (actual|real) (project )?documentation\b|remove this (notice|note|section)",
    re.IGNORECASE,
)
_INSTRUCTIONS_TITLE = re.compile(r"^\W*template instructions\W*$", re.IGNORECASE)
_NUMBERING = re.compile(r"^\s*(\d+(\.\d+)*\.?|[IVXLC]+\.)\s+")


@dataclass(frozen=True)
class Example:
    language: str
    code: str


@dataclass(frozen=True)
class Guidance:
    instructions: tuple[str, ...] = ()
    """Bracketed instructions (``[Describe ...]``) and plain guidance sentences."""
    bullets: tuple[str, ...] = ()
    """Items the template asks to cover."""
    examples: tuple[Example, ...] = ()
    table_columns: tuple[str, ...] = ()
    """Header of a table the template asks for, when it asks for one."""


@dataclass(frozen=True)
class Section:
    heading: str
    """The heading text as the finished document keeps it, e.g. ``2. Technology Stack``."""
    level: int
    guidance: Guidance
    body: str
    """The template's own markdown under the heading, before any subsection."""
    facts: tuple[str, ...]
    """Fact kinds named by an ``<!-- archdraft: facts=... -->`` note; empty when none."""
    placeholder: bool
    """The heading itself is a placeholder (``### [Service Name]``), to be repeated per item."""
    line: int
    subsections: tuple[Section, ...] = ()

    @property
    def title(self) -> str:
        """The heading without its numbering: ``Technology Stack``."""
        return _NUMBERING.sub("", self.heading).strip()

    @property
    def key(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "section"

    def walk(self) -> tuple[Section, ...]:
        return (self, *(s for sub in self.subsections for s in sub.walk()))


@dataclass(frozen=True)
class Template:
    name: str
    front_matter: str | None
    """The raw YAML between the ``---`` fences, if the template has front matter."""
    title: str | None
    """The document title (its single H1), with any TEMPLATE marker removed."""
    intro: str
    """Markdown between the title and the first section, notices removed."""
    sections: tuple[Section, ...]
    removed: tuple[str, ...]
    """What was dropped because the template says it must go, with its line."""

    def all_sections(self) -> tuple[Section, ...]:
        return tuple(s for top in self.sections for s in top.walk())


@dataclass(frozen=True)
class _Block:
    kind: str
    start: int
    end: int
    tokens: tuple[Token, ...]

    @property
    def inline(self) -> str:
        return " ".join(t.content for t in self.tokens if t.type == "inline")


def strip_template_marker(text: str) -> str:
    """``Backend Architecture [TEMPLATE]`` and ``Backend Architecture - TEMPLATE`` both
    become ``Backend Architecture``."""
    cleaned = _MARKER.sub(" ", text)
    return re.sub(r"\s+", " ", cleaned).strip(" -–—:|").strip()


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).enable("table")


def _blocks(tokens: list[Token]) -> list[_Block]:
    """Group the token stream into top-level blocks with their source line ranges."""
    blocks: list[_Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.level != 0 or token.map is None:
            index += 1
            continue
        if token.nesting == 1:
            close = token.type.replace("_open", "_close")
            depth, end = 0, index
            for end in range(index, len(tokens)):
                if tokens[end].type == token.type:
                    depth += 1
                elif tokens[end].type == close:
                    depth -= 1
                    if depth == 0:
                        break
            kind = token.type.removesuffix("_open")
            blocks.append(_Block(kind, token.map[0], token.map[1], tuple(tokens[index : end + 1])))
            index = end + 1
        else:
            blocks.append(_Block(token.type, token.map[0], token.map[1], (token,)))
            index += 1
    return blocks


def _plain(markdown_inline: str) -> str:
    return re.sub(r"[*_`]+", "", markdown_inline).strip()


def _guidance(blocks: list[_Block]) -> Guidance:
    instructions: list[str] = []
    bullets: list[str] = []
    examples: list[Example] = []
    columns: tuple[str, ...] = ()
    for block in blocks:
        if block.kind == "paragraph":
            text = block.inline
            found = [m.group(1).strip() for m in _BRACKETED.finditer(text)]
            instructions.extend(found)
            if not found and _plain(text) and not _plain(text).endswith(":"):
                instructions.append(_plain(text))
        elif block.kind in {"bullet_list", "ordered_list"}:
            bullets.extend(
                _plain(t.content) for t in block.tokens if t.type == "inline" and t.level == 3
            )
        elif block.kind == "fence":
            token = block.tokens[0]
            examples.append(Example(token.info.strip(), token.content))
        elif block.kind == "table" and not columns:
            head: list[str] = []
            in_head = False
            for token in block.tokens:
                if token.type == "thead_open":
                    in_head = True
                elif token.type == "thead_close":
                    break
                elif in_head and token.type == "inline":
                    head.append(_plain(token.content))
            columns = tuple(head)
    return Guidance(tuple(instructions), tuple(bullets), tuple(examples), columns)


def _is_notice(block: _Block) -> bool:
    if block.kind == "blockquote":
        return bool(_TEMPLATE_WORD.search(block.inline))
    if block.kind == "paragraph":
        return bool(_NOTICE.search(block.inline))
    return False


def _drop_template_only(blocks: list[_Block], removed: list[str]) -> list[_Block]:
    """Remove notices and an instructions list (with the rule or heading that leads it)."""
    kept: list[_Block] = []
    skip_list = False
    for block in blocks:
        if skip_list and block.kind in {"ordered_list", "bullet_list"}:
            skip_list = False
            continue
        skip_list = False
        if _is_notice(block):
            removed.append(f"template notice (line {block.start + 1})")
            continue
        if block.kind == "paragraph" and _INSTRUCTIONS_TITLE.match(_plain(block.inline)):
            removed.append(f"template instructions (line {block.start + 1})")
            if kept and kept[-1].kind == "hr":
                kept.pop()
            skip_list = True
            continue
        kept.append(block)
    while kept and kept[-1].kind == "hr":
        kept.pop()
    return kept


def _heading_text(block: _Block) -> str:
    return strip_template_marker(block.inline)


def _build_sections(
    blocks: list[_Block], lines: list[str], removed: list[str]
) -> tuple[Section, ...]:
    """Nest headings: each heading owns the blocks and deeper headings up to the next
    heading of its level or higher."""
    sections: list[Section] = []
    index = 0
    while index < len(blocks):
        head = blocks[index]
        level = int(head.tokens[0].tag[1])
        end = index + 1
        while end < len(blocks) and not (
            blocks[end].kind == "heading" and int(blocks[end].tokens[0].tag[1]) <= level
        ):
            end += 1
        inner = blocks[index + 1 : end]
        first_sub = next((i for i, b in enumerate(inner) if b.kind == "heading"), len(inner))
        own = inner[:first_sub]
        text = _heading_text(head)
        if _INSTRUCTIONS_TITLE.match(_plain(text)):
            removed.append(f"template instructions section (line {head.start + 1})")
            index = end
            continue
        facts: list[str] = []
        for block in own:
            if block.kind == "html_block":
                match = _FACTS_NOTE.search(block.tokens[0].content)
                if match:
                    facts.extend(f.strip() for f in match.group(1).split(",") if f.strip())
        body_blocks = [
            b
            for b in own
            if not (b.kind == "html_block" and _FACTS_NOTE.search(b.tokens[0].content))
        ]
        body = "\n".join("\n".join(lines[b.start : b.end]).rstrip() for b in body_blocks).strip()
        sections.append(
            Section(
                heading=text,
                level=level,
                guidance=_guidance(body_blocks),
                body=body,
                facts=tuple(facts),
                placeholder=bool(re.fullmatch(r"\[[^\]]+\]", text)),
                line=head.start + 1,
                subsections=_build_sections(inner[first_sub:], lines, removed),
            )
        )
        index = end
    return tuple(sections)


def parse_template(text: str, name: str) -> Template:
    """Parse markdown ``text`` into a ``Template``. Never fails on odd markdown; fails
    only when there is no heading at all to draft under."""
    tokens = _parser().parse(text)
    lines = text.splitlines()
    front = next((t.content for t in tokens if t.type == "front_matter"), None)
    removed: list[str] = []
    blocks = _drop_template_only([b for b in _blocks(tokens) if b.kind != "front_matter"], removed)
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    if not headings:
        raise TemplateError(
            f"template {name!r} has no markdown headings, so it has no sections to draft; "
            "give each section a heading (## Overview, ## Routes, ...)."
        )
    title: str | None = None
    first = headings[0]
    h1s = [i for i in headings if blocks[i].tokens[0].tag == "h1"]
    if len(h1s) == 1 and h1s[0] == first:
        title = _heading_text(blocks[first])
        rest = blocks[first + 1 :]
    else:
        rest = blocks[first:]
    sub_first = next((i for i, b in enumerate(rest) if b.kind == "heading"), len(rest))
    intro = "\n".join("\n".join(lines[b.start : b.end]).rstrip() for b in rest[:sub_first]).strip()
    return Template(
        name=name,
        front_matter=front,
        title=title,
        intro=intro,
        sections=_build_sections(rest[sub_first:], lines, removed),
        removed=tuple(removed),
    )


def load_template(path: Path) -> Template:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(
            f"cannot read template {path} ({exc}); check the path and encoding."
        ) from exc
    return parse_template(text, path.stem)
