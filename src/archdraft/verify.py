"""The verify stage: a drafted (or hand-written) document checked against the scan and the
files themselves, offline, before a human sees it.

Every claim unit (a paragraph, a list item, a table row) is read from markdown-it tokens.
Citations must name files that exist and lines inside them, and the cited line must share
something with the claim; technologies, routes and environment variables the document names
must be ones the scan found; no template placeholder, notice or instruction may be left; a
long section must cite something."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import asdict, dataclass, field
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from archdraft.redact import redact
from archdraft.repo import RepoTree, read_text
from archdraft.scan.http.paths import normalize
from archdraft.scan.signals import INTEGRATION_ALIASES
from archdraft.scan.summary import RepoSummary
from archdraft.scan.technologies import TECHNOLOGIES
from archdraft.template import Template

_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{2,}\]")
_NOTICE = re.compile(r"\btemplate\b", re.I)
_INSTRUCTIONS = re.compile(r"^\W*template instructions\W*$", re.I)
_ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD|ANY)\s+(/[^\s`|),;]*)")
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "ANY"}
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*_[A-Z0-9_]+$")
_PATH_LIKE = re.compile(r"^(?!/)[\w.@-]+(/[\w.@-]+)*(\.\w{1,8}|/)(:\d+)?$")
_LINE_ANCHOR = re.compile(r"#L(\d+)")
_EXCERPT_LABEL = re.compile(r"^From (\S+?):?(\d+)? \(lines (\d+)[–-](\d+)\):?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "from",
        "with",
        "that",
        "this",
        "are",
        "was",
        "were",
        "has",
        "have",
        "its",
        "into",
        "uses",
        "used",
        "use",
        "at",
        "on",
        "in",
        "of",
        "to",
        "by",
        "or",
        "is",
        "be",
        "as",
        "an",
        "a",
        "it",
        "not",
        "found",
        "repository",
        "section",
        "lines",
        "line",
        "read",
        "reads",
        "runs",
        "run",
        "every",
        "request",
        "single",
        "routes",
        "route",
        "one",
        "router",
        "path",
        "file",
        "files",
    ]
)
_UNCITED_WORDS = 60
# Technology names that are also ordinary words, left out of the name check.
_AMBIGUOUS = frozenset(
    {
        "ent",
        "got",
        "tap",
        "Requests",
        "attrs",
        "Bun",
        "Faker",
        "Helm",
        "Agenda",
        "Bull",
        "Drone",
        "Bottle",
        "Falcon",
        "Pyramid",
        "Tornado",
        "Quart",
        "Sanic",
        "Echo",
        "Chi",
        "Fiber",
        "Gin",
        "Koa",
        "Hono",
        "Heroku",
        "Vercel",
        "OpenAPI",
        "unittest",
        "Go testing",
    }
)
_AUTH_ALIASES = {
    "jwt": {"jsonwebtoken", "jose", "token", "bearer"},
    "session": {"cookie", "login"},
    "oauth": {"oauth2", "openid", "passport"},
    "basic": {"http"},
    "key": {"apikey", "api"},
}


@dataclass(frozen=True)
class Finding:
    section: str
    kind: str
    text: str
    reason: str
    line: int
    """1-based line in the document."""


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


@dataclass
class _Unit:
    """One claim: a paragraph, list item, table row or heading."""

    kind: str
    line: int
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    strong: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _inline(token: Token, unit: _Unit) -> None:
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
    units: list[_Unit] = field(default_factory=list)
    fences: list[tuple[int, str]] = field(default_factory=list)
    blockquotes: list[tuple[int, str]] = field(default_factory=list)


def _sections(text: str) -> list[_Section]:
    tokens = MarkdownIt("commonmark").use(front_matter_plugin).enable("table").parse(text)
    sections = [_Section("(document)", 0, 1)]
    header: list[str] = []
    row: _Unit | None = None
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
            row = _Unit("row", line, header=list(header))
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
            unit = row if row is not None else _Unit("text", line)
            _inline(token, unit)
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


def _tokens(text: str) -> set[str]:
    """Lower-cased words and their camelCase, snake_case and letter/digit parts."""
    words: set[str] = set()
    for word in _WORD.findall(text):
        parts = [*re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", word), word]
        words.update(p.lower() for p in parts if len(p) >= 2)
    return words - _STOP


_CONTINUES = ("(", "{", "[", ",", "=>", "=", "\\")


def _statement(lines: list[str], line: int, path: str) -> list[str]:
    """The cited line and, when it opens a statement that goes on (``router.get(``), the
    next lines of it; in XML the neighbouring lines (a dependency's groupId and artifactId)."""
    if path.endswith(".xml"):
        return lines[max(0, line - 2) : line + 1]
    window = [lines[line - 1]]
    while (
        window[-1].rstrip().endswith(_CONTINUES)
        and len(window) < 4
        and line + len(window) <= len(lines)
    ):
        window.append(lines[line - 1 + len(window)])
    return window


def _cell(text: str) -> str:
    """A table cell's value without code ticks or bold marks around it."""
    value = text.strip().strip("`").strip()
    return value[2:-2].strip("`") if value.startswith("**") and value.endswith("**") else value


def _related(claim: set[str], cited: set[str]) -> bool:
    """A shared word, or one a prefix of the other (``oauth`` and ``oauthlib``)."""
    if claim & cited:
        return True
    long_claim = [c for c in claim if len(c) >= 4]
    return any(w.startswith(c) or c.startswith(w) for c in long_claim for w in cited if len(w) >= 4)


class _Checker:
    def __init__(self, summary: RepoSummary, tree: RepoTree, doc_path: str) -> None:
        self.summary = summary
        self.tree = tree
        self.doc_dir = posixpath.dirname(doc_path)
        self.paths = set(tree.paths())
        self.folders = {posixpath.dirname(p) for p in self.paths} | {
            "/".join(p.split("/")[:i]) for p in self.paths for i in range(1, p.count("/") + 1)
        }
        self._lines: dict[str, list[str] | None] = {}
        self.stack_names = {s.name.lower() for s in summary.stack}
        self.routes = {(r.method, r.path) for r in summary.routes}
        self.env = {v.name for v in summary.env_vars}
        self.aliases: dict[str, set[str]] = {}
        for tech in TECHNOLOGIES:
            words = _tokens(tech.name) | {p.lower().split("/")[-1] for p in tech.npm + tech.pypi}
            words |= {p.lower().rsplit("/", 1)[-1] for p in tech.go} | {
                i.split("/")[-1] for i in tech.images
            }
            words |= {w for p in tech.maven for w in _tokens(p.replace("*", " "))}
            self.aliases[tech.name.lower()] = words
        self.tech_patterns = [
            (tech.name, re.compile(r"(?<![\w./-])" + re.escape(tech.name) + r"(?![\w-])"))
            for tech in sorted(TECHNOLOGIES, key=lambda t: -len(t.name))
            if tech.name not in _AMBIGUOUS and len(tech.name) > 3
        ]

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            text = read_text(self.tree, path) if path in self.paths else None
            self._lines[path] = text.lines if text is not None and not text.warning else None
        return self._lines[path]

    def resolve(self, href: str) -> tuple[str, int | None] | None:
        """A link target as (repository path, line), or None for a link outside the repo."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("#"):
            return None
        target, _, anchor = href.partition("#")
        path = posixpath.normpath(posixpath.join(self.doc_dir, unquote(target)))
        line = _LINE_ANCHOR.match("#" + anchor)
        return path, int(line.group(1)) if line else None

    def claim_words(self, unit: _Unit) -> set[str]:
        words = _tokens(unit.text) | _tokens(" ".join(unit.cells + unit.strong + unit.code))
        for name, aliases in self.aliases.items():
            if name in unit.text.lower() or any(name == _cell(c).lower() for c in unit.cells):
                words |= aliases
        for integration in self.summary.integrations:
            if integration.name.lower() in unit.text.lower():
                words |= INTEGRATION_ALIASES.get(integration.name, set())
        for key, aliases in _AUTH_ALIASES.items():
            if key in words:
                words |= aliases
        return words


def _check_citations(checker: _Checker, section: str, unit: _Unit, out: list[Finding]) -> None:
    for text, href in unit.links:
        resolved = checker.resolve(href)
        if resolved is None:
            continue
        path, line = resolved
        cited = re.match(r"^`?([^`:\s]+)(?::(\d+))?`?$", text.strip())
        if cited and cited.group(2):
            line = int(cited.group(2))
        if path in checker.folders or path == ".":
            continue
        if path not in checker.paths:
            out.append(
                Finding(
                    section,
                    "citation_missing_file",
                    text,
                    f"{path} is not a file of the repository",
                    unit.line,
                )
            )
            continue
        if line is None:
            continue
        lines = checker.lines(path)
        if lines is None:
            continue
        if not 1 <= line <= len(lines):
            out.append(
                Finding(
                    section,
                    "citation_line_out_of_range",
                    text,
                    f"{path} has {len(lines)} lines",
                    unit.line,
                )
            )
            continue
        if _EXCERPT_LABEL.match(unit.text.strip() + " " + text) or unit.text.strip().startswith(
            "From "
        ):
            continue  # an excerpt label: the excerpt itself is compared below
        window = _statement(lines, line, path)
        cited_words = _tokens(" ".join(window))
        if cited_words and not _related(checker.claim_words(unit), cited_words):
            out.append(
                Finding(
                    section,
                    "citation_unrelated",
                    text,
                    f"line {line} of {path} shares no name with the claim",
                    unit.line,
                )
            )
    for code in unit.code:
        # Only spans with a folder in them: `express.json` is a name, `src/app.js` a path.
        path = code.split(":")[0].rstrip("/")
        if _PATH_LIKE.match(code) and "/" in path and path not in checker.paths | checker.folders:
            out.append(
                Finding(
                    section,
                    "citation_missing_file",
                    code,
                    f"{path} is not in the repository",
                    unit.line,
                )
            )


def _check_names(checker: _Checker, section: str, unit: _Unit, out: list[Finding]) -> None:
    plain = unit.text + " " + " ".join(unit.cells)
    masked = plain
    # Longest names first, each match blanked, so "Docker" is not found in "Docker Compose".
    for name, pattern in checker.tech_patterns:
        if pattern.search(masked):
            if name.lower() not in checker.stack_names:
                out.append(
                    Finding(
                        section,
                        "unknown_technology",
                        name,
                        "the scan found no such technology in this repository",
                        unit.line,
                    )
                )
            masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
    claims = [(m.group(1), m.group(2)) for m in _ROUTE.finditer(plain)]
    if unit.kind == "row" and len(unit.cells) >= 2:
        method = _cell(unit.cells[0]).upper()
        path = _cell(unit.cells[1])
        if method in _METHODS and path.startswith("/"):
            claims.append((method, path))
    for method, path in dict.fromkeys(claims):
        wanted = normalize(path.rstrip(".,:;") or "/")
        wanted = wanted.rstrip("/") or "/"
        if (
            (method, wanted) not in checker.routes
            and ("ANY", wanted) not in checker.routes
            and not (method == "ANY" and any(p == wanted for _m, p in checker.routes))
        ):
            out.append(
                Finding(
                    section,
                    "unknown_route",
                    f"{method} {path}",
                    "the scan found no such route",
                    unit.line,
                )
            )
    names = [c for c in unit.code if _ENV_NAME.match(c)]
    if (
        unit.kind == "row"
        and unit.header
        and unit.header[0].lower().startswith(("variable", "env"))
    ):
        names.append(_cell(unit.cells[0]))
    for name in dict.fromkeys(names):
        if name not in checker.env:
            out.append(
                Finding(
                    section,
                    "unknown_env_var",
                    name,
                    "the scan found no code reading this variable",
                    unit.line,
                )
            )


def _check_leftovers(section: str, unit: _Unit, out: list[Finding]) -> None:
    for match in _PLACEHOLDER.finditer(unit.text):
        out.append(
            Finding(
                section, "placeholder", match.group(0), "a template placeholder is left", unit.line
            )
        )
    if _INSTRUCTIONS.match(unit.text.strip("* ")):
        out.append(
            Finding(
                section,
                "template_instructions",
                unit.text.strip(),
                "the template's instructions must be removed",
                unit.line,
            )
        )


def _check_excerpts(checker: _Checker, section: _Section, out: list[Finding]) -> None:
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


def verify(
    document: str,
    doc_path: str,
    summary: RepoSummary,
    tree: RepoTree,
    template: Template | None = None,
) -> Findings:
    sections = _sections(document)
    checker = _Checker(summary, tree, doc_path)
    out: list[Finding] = []
    top = _top_level(sections)
    for index, section in enumerate(sections):
        name = section.heading
        if _PLACEHOLDER.search(name) or re.search(r"\bTEMPLATE\b", name):
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
            _check_citations(checker, name, unit, out)
            _check_names(checker, name, unit, out)
            _check_leftovers(name, unit, out)
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
