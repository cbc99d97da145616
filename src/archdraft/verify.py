"""The verify stage: a drafted (or hand-written) document checked against the scan and the
files themselves, offline, before a human sees it.

Every claim unit (a paragraph, a list item, a table row) is read from markdown-it tokens
and checked by ``claims``; here are the checks of the document as a whole: excerpts that
still match their files, no template notice left, no empty section, no long section without
a citation, and every section of the template present."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from archdraft.citations import garbled_citations
from archdraft.claims import (
    PLACEHOLDER,
    Checker,
    Finding,
    Unit,
    check_absence,
    check_citations,
    check_leftovers,
    check_names,
)
from archdraft.redact import redact
from archdraft.repo import RepoTree
from archdraft.scan.summary import RepoSummary
from archdraft.template import Template

__all__ = ["Finding", "Findings", "Verifier", "verify"]

_NOTICE = re.compile(r"\btemplate\b", re.I)
_UNCITED_WORDS = 60


@dataclass(frozen=True)
class Findings:
    document: str
    items: tuple[Finding, ...]

    def by_section(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for item in self.items:
            grouped.setdefault(item.section, []).append(item)
        return grouped

    def to_json(self) -> str:
        data = {"document": self.document, "findings": [asdict(i) for i in self.items]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def inline(token: Token, unit: Unit) -> None:
    in_link: list[str] | None = None
    in_strong = False
    href = ""
    for child in token.children or []:
        if child.type == "link_open":
            in_link, href = [], str(child.attrs.get("href", ""))
        elif child.type == "link_close" and in_link is not None:
            unit.links.append(("".join(in_link), href))
            in_link = None
        elif child.type == "strong_open":
            in_strong = True
        elif child.type == "strong_close":
            in_strong = False
        elif child.type in {"text", "code_inline"}:
            if in_link is not None:
                in_link.append(child.content)
                continue
            if child.type == "code_inline":
                unit.code.append(child.content)
            elif in_strong:
                unit.strong.append(child.content)
            unit.text += child.content if child.type == "text" else f"`{child.content}`"
            unit.text += " " if child.type == "code_inline" else ""


@dataclass
class _Section:
    heading: str
    level: int
    line: int
    units: list[Unit] = field(default_factory=list)
    fences: list[tuple[int, str]] = field(default_factory=list)
    blockquotes: list[tuple[int, str]] = field(default_factory=list)


def _sections(text: str) -> list[_Section]:
    tokens = MarkdownIt("commonmark").use(front_matter_plugin).enable("table").parse(text)
    sections = [_Section("(document)", 0, 1)]
    header: list[str] = []
    row: Unit | None = None
    quote_depth = 0
    for index, token in enumerate(tokens):
        line = (token.map[0] + 1) if token.map else sections[-1].line
        if token.type == "heading_open":
            title = tokens[index + 1].content
            sections.append(_Section(title, int(token.tag[1]), line))
        elif token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "fence":
            sections[-1].fences.append((line, token.content))
        elif token.type == "thead_open":
            header = []
        elif token.type == "tr_open":
            row = Unit("row", line, header=list(header))
        elif token.type == "tr_close" and row is not None:
            if row.header is not header or tokens[index - 1].type != "th_close":
                sections[-1].units.append(row)
            row = None
        elif token.type == "inline":
            if tokens[index - 1].type == "th_open":
                header.append(token.content.strip("* "))
                continue
            if tokens[index - 1].type == "heading_open":
                continue
            unit = row if row is not None else Unit("text", line)
            inline(token, unit)
            if row is not None:
                row.cells.append(token.content)
            elif quote_depth:
                sections[-1].blockquotes.append((line, unit.text))
            else:
                sections[-1].units.append(unit)
    return sections


def _top_level(sections: list[_Section]) -> int:
    levels = [s.level for s in sections[1:]]
    if levels.count(1) == 1 and len(levels) > 1:
        levels = [lv for lv in levels if lv != 1]
    return min(levels) if levels else 2


def _check_excerpts(checker: Checker, section: _Section, out: list[Finding]) -> None:
    labels = [u for u in section.units if u.text.strip().startswith("From ") and u.links]
    for label in labels:
        fence = next((f for f in section.fences if f[0] > label.line), None)
        span = re.search(r"lines (\d+)[–-](\d+)", label.text)
        if fence is None:
            continue
        fence_line, content = fence
        resolved = checker.resolve(label.links[0][1])
        if not span or resolved is None:
            continue
        lines = checker.lines(resolved[0])
        start, end = int(span.group(1)), int(span.group(2))
        if lines is None or end > len(lines):
            continue
        expected = redact("\n".join(lines[start - 1 : end]))
        if content.rstrip("\n") != expected.rstrip("\n"):
            out.append(
                Finding(
                    section.heading,
                    "excerpt_mismatch",
                    label.links[0][0],
                    f"the excerpt is not lines {start}-{end} of the file",
                    fence_line,
                )
            )


def _document(
    checker: Checker, document: str, doc_path: str, template: Template | None
) -> Findings:
    sections = _sections(document)
    out: list[Finding] = []
    top = _top_level(sections)
    for index, section in enumerate(sections):
        name = section.heading
        if PLACEHOLDER.search(name) or re.search(r"\bTEMPLATE\b", name):
            out.append(
                Finding(
                    name, "placeholder", name, "the heading is still the template's", section.line
                )
            )
        for line, text in section.blockquotes:
            if _NOTICE.search(text):
                out.append(
                    Finding(
                        name,
                        "template_notice",
                        text[:80],
                        "the template's notice must be removed",
                        line,
                    )
                )
        for unit in section.units:
            check_citations(checker, name, unit, out)
            check_names(checker, name, unit, out)
            check_leftovers(name, unit, out)
            check_absence(checker, name, unit, out)
        _check_excerpts(checker, section, out)
        following = sections[index + 1] if index + 1 < len(sections) else None
        has_children = following is not None and following.level > section.level
        if index and not section.units and not section.fences and not has_children:
            out.append(
                Finding(name, "empty_section", name, "the section has no content", section.line)
            )
        if section.level == top:
            rest = sections[index + 1 :]
            size = next((i for i, s in enumerate(rest) if s.level <= top), len(rest))
            group = [section, *rest[:size]]
            words = sum(len(u.text.split()) for s in group for u in s.units)
            cited = any(u.links for s in group for u in s.units)
            if words > _UNCITED_WORDS and not cited:
                out.append(
                    Finding(
                        name,
                        "uncited_section",
                        name,
                        f"{words} words and no citation: say what the code shows, or "
                        "'Not found in this repository.'",
                        section.line,
                    )
                )
    if template is not None:
        present = [s.heading for s in sections if s.level == top]
        for expected in (s.heading for s in template.sections):
            if expected not in present:
                out.append(
                    Finding(
                        expected,
                        "heading_missing",
                        expected,
                        "a section of the template is missing or renamed",
                        1,
                    )
                )
    unique = list(dict.fromkeys(out))
    return Findings(doc_path, tuple(sorted(unique, key=lambda f: (f.line, f.kind, f.text))))


class Verifier:
    """What the scan knows, indexed once, for checking a whole document or one sentence of
    a model's prose at a time."""

    def __init__(self, summary: RepoSummary, tree: RepoTree, doc_path: str) -> None:
        self.doc_path = doc_path
        self.checker = Checker(summary, tree, doc_path)

    def document(self, text: str, template: Template | None = None) -> Findings:
        return _document(self.checker, text, self.doc_path, template)

    def sentence(self, text: str, section: str, shown: str = "") -> tuple[Finding, ...]:
        """The findings of one sentence of a model's prose, read as a paragraph of
        ``section``; ``shown`` is the request it answered, whose code names it may use."""
        unit = Unit("text", 1)
        for block in _sections(f"# {section}\n\n{text}\n"):
            for found in block.units:
                unit.text += found.text + " "
                unit.links += found.links
                unit.code += found.code
                unit.strong += found.strong
        out: list[Finding] = []
        check_citations(self.checker, section, unit, out)
        check_names(self.checker, section, unit, out)
        check_leftovers(section, unit, out)
        check_absence(self.checker, section, unit, out)
        out += [
            Finding(section, "unknown_name", span, "neither the scan nor the code shown has it", 1)
            for span in self._unknown_spans(text, shown)
        ]
        out += [
            Finding(section, "citation_malformed", garbled, "not a path:line of the repository", 1)
            for garbled in garbled_citations(text)
        ]
        return tuple(dict.fromkeys(out))

    @staticmethod
    def _spans(text: str) -> list[str]:
        """The code spans of a sentence, as names: ``app.listen()`` is ``app.listen``."""
        found = []
        for span in re.findall(r"`([^`\n]+)`", re.sub(r"\[[^\]]*\]\([^)]*\)", "", text)):
            name = span.strip().removesuffix("()").rstrip(".,:;")
            if len(name) >= 3:
                found.append(name)
        return found

    def _unknown_spans(self, text: str, shown: str) -> list[str]:
        """Code spans naming nothing the scan knows and nothing in the request: a model
        naming a table or module it made up."""
        return [
            span
            for span in self._spans(text)
            if span not in shown
            and span.split(".")[0] not in self.checker.stems
            and not self.checker.names_known(f"`{span}`")
        ]

    def checkable(self, text: str, shown: str = "") -> bool:
        """Whether a sentence says something the code can confirm: it cites a line, names a
        code element or technology the scan knows, or a code name the request ``shown``
        holds."""
        return self.checker.names_known(text) or any(span in shown for span in self._spans(text))


def verify(
    document: str,
    doc_path: str,
    summary: RepoSummary,
    tree: RepoTree,
    template: Template | None = None,
) -> Findings:
    return Verifier(summary, tree, doc_path).document(document, template)
