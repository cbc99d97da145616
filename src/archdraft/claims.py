"""Claims against the facts: what the scan knows, indexed once per document, and the checks
of one claim (a paragraph, list item, table row, or a sentence of a model's prose) against
it. Citations in every form must name files that exist and lines inside them, and the cited
line must share something with the claim; technologies, routes, environment variables and
files named must be ones the scan found; a claim may not deny what the scan found."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote

from archdraft.citations import bare_citations, looks_like_file
from archdraft.repo import RepoTree, read_text
from archdraft.scan.http.paths import normalize
from archdraft.scan.schemas import DRIVER_NAMES
from archdraft.scan.signals import INTEGRATION_ALIASES
from archdraft.scan.summary import Evidence, RepoSummary, StackItem
from archdraft.scan.technologies import TECHNOLOGIES

# A bracket right after a name or a closing bracket indexes code (controllers['404']): a
# template's placeholder ([Project Name]) stands on its own.
PLACEHOLDER = re.compile(r"(?<![\w\])])\[[^\[\]\n]{2,}\]")
_INSTRUCTIONS = re.compile(r"^\W*template instructions\W*$", re.I)
_ROUTE = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD|ANY)\s+(/[^\s`|),;]*)")
_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "ANY"}
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*_[A-Z0-9_]+$")
_PATH_LIKE = re.compile(r"^(?!/)[\w.@-]+(/[\w.@-]+)*(\.\w{1,8}|/)(:\d+)?$")
_LINE_ANCHOR = re.compile(r"#L(\d+)")
_EXCERPT_LABEL = re.compile(r"^From (\S+?):?(\d+)? \(lines (\d+)[–-](\d+)\):?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
# snake_case names, kept whole too: ``not_found`` is a name though ``not`` and ``found``
# are stop words
_SNAKE = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
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


@dataclass
class Unit:
    """One claim: a paragraph, list item, table row or heading."""

    kind: str
    line: int
    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    strong: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _tokens(text: str) -> set[str]:
    """Lower-cased words and their camelCase, snake_case and letter/digit parts."""
    words: set[str] = set()
    for word in _WORD.findall(text):
        parts = [*re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", word), word]
        words.update(p.lower() for p in parts if len(p) >= 2)
    words.update(name.lower() for name in _SNAKE.findall(text))
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


def cell(text: str) -> str:
    """A table cell's value without code ticks or bold marks around it."""
    value = text.strip().strip("`").strip()
    return value[2:-2].strip("`") if value.startswith("**") and value.endswith("**") else value


def _related(claim: set[str], cited: set[str]) -> bool:
    """A shared word, or one a prefix of the other (``oauth`` and ``oauthlib``)."""
    if claim & cited:
        return True
    long_claim = [c for c in claim if len(c) >= 4]
    return any(w.startswith(c) or c.startswith(w) for c in long_claim for w in cited if len(w) >= 4)


class Checker:
    def __init__(self, summary: RepoSummary, tree: RepoTree, doc_path: str) -> None:
        self.summary = summary
        self.tree = tree
        self.doc_dir = posixpath.dirname(doc_path)
        self.paths = set(tree.paths())
        self.folders = {posixpath.dirname(p) for p in self.paths} | {
            "/".join(p.split("/")[:i]) for p in self.paths for i in range(1, p.count("/") + 1)
        }
        self.basenames = {posixpath.basename(p) for p in self.paths}
        self.stems = {b.split(".")[0] for b in self.basenames if looks_like_file(b)} - {""}
        self._elements: frozenset[str] | None = None
        self._evidence: dict[str, Evidence] | None = None
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
            # laravel/framework, Microsoft.EntityFrameworkCore, sqlx/postgres: their parts
            others = tech.rubygems + tech.packagist + tech.nuget + tech.crates
            words |= {w for p in others for w in _tokens(re.sub(r"[/.]", " ", p))}
            self.aliases[tech.name.lower()] = words
        for driver, name in DRIVER_NAMES.items():  # 'pgsql' in a config names PostgreSQL
            self.aliases.setdefault(name.lower(), set()).add(driver)
        for tech in TECHNOLOGIES:
            # Sidekiq brings Redis: a Redis claim may cite the Sidekiq line that revealed it
            for implied in tech.implies:
                self.aliases.setdefault(implied.lower(), set()).update(
                    self.aliases[tech.name.lower()]
                )
        self.tech_patterns = [
            (tech.name, re.compile(r"(?<![\w./-])" + re.escape(tech.name) + r"(?![\w-])"))
            for tech in sorted(TECHNOLOGIES, key=lambda t: -len(t.name))
            if tech.name not in _AMBIGUOUS and len(tech.name) > 3
        ]

    @property
    def evidence(self) -> dict[str, Evidence]:
        """The code elements the scan knows, by the name a sentence may write them with, each
        with the evidence that cites it best (a line of code over a manifest or sample)."""
        if self._evidence is None:
            s = self.summary
            found: dict[str, Evidence] = {}

            def add(name: str | None, evidence: tuple[Evidence, ...]) -> None:
                usable = [e for e in evidence if not posixpath.basename(e.path).startswith(".env")]
                if name and len(name) >= 3 and usable and name not in found:
                    found[name] = next((e for e in usable if e.line), usable[0])

            for route in s.routes:
                add(f"{route.method} {route.path}", route.evidence)
            for name, evidence in (
                *((m.name, m.evidence) for m in s.middleware),
                *((x.name, x.evidence) for x in s.services),
                *((x.name, x.evidence) for x in s.models),
                *((x.name, x.evidence) for x in s.errors),
            ):
                add(name, evidence)
            for route in s.routes:
                if route.handler:
                    add(route.handler, route.evidence)
                    add(route.handler.rsplit(".", 1)[-1], route.evidence)
            for variable in s.env_vars:
                add(variable.name, variable.evidence)
            for entry in s.entrypoints:
                add(entry.path, (Evidence(entry.path, entry.line),))
            paths = Counter(r.path for r in s.routes)
            for route in s.routes:
                if route.path != "/" and paths[route.path] == 1:
                    add(route.path, route.evidence)
            for path in sorted(self.paths):
                if "/" in path or looks_like_file(path):
                    add(path, (Evidence(path),))
            self._evidence = found
        return self._evidence

    @property
    def elements(self) -> frozenset[str]:
        """Names of the code elements and technologies the scan knows."""
        if self._elements is None:
            names = set(self.evidence) | {r.path for r in self.summary.routes if r.path != "/"}
            names |= {f for f in self.folders if f}
            names |= {b for b in self.basenames if looks_like_file(b)}
            self._elements = frozenset(names)
        return self._elements

    def _named(self, text: str) -> list[str]:
        """The known names a sentence writes, in the order it writes them."""
        plain = text.replace("`", " ")
        found: list[tuple[int, str]] = []
        for match in _ROUTE.finditer(plain):
            found.append((match.start(), f"{match.group(1)} {match.group(2).rstrip('.,:;')}"))
        for match in re.finditer(r"[\w./{}:<>@-]+", plain):
            word = match.group(0).rstrip(".,:;")
            found.append((match.start(), word))
        return [name for _, name in sorted(found)]

    def named_evidence(self, text: str, most: int = 2) -> list[Evidence]:
        """The evidence of the code elements a sentence names (at most ``most``, distinct),
        to cite it by: a sentence about ``requireAuth`` cites where ``requireAuth`` is."""
        cited: list[Evidence] = []
        for name in self._named(text):
            evidence = self.evidence.get(name)
            if evidence is not None and evidence not in cited:
                cited.append(evidence)
            if len(cited) >= most:
                break
        if not cited:
            for item in self.technologies_named(text):
                line = next((e for e in item.evidence if e.line), None)
                if line is not None:
                    return [line]
        return cited

    def technologies_named(self, text: str) -> list[StackItem]:
        """The stack items a text names, as whole words."""
        lowered = text.lower()
        return [
            item
            for item in self.summary.stack
            if len(item.name) > 2
            and re.search(r"(?<![\w.-])" + re.escape(item.name.lower()) + r"(?![\w-])", lowered)
        ]

    def names_known(self, text: str) -> bool:
        """Whether a text cites a line, or names a code element or technology the scan knows."""
        if "](" in text or bare_citations(text):
            return True
        words = set(self._named(text))
        words |= {w.rstrip("/") for w in words}
        return bool(words & self.elements) or bool(self.technologies_named(text))

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

    def claim_words(self, unit: Unit) -> set[str]:
        words = _tokens(unit.text) | _tokens(" ".join(unit.cells + unit.strong + unit.code))
        for name, aliases in self.aliases.items():
            if name in unit.text.lower() or any(name == cell(c).lower() for c in unit.cells):
                words |= aliases
        for integration in self.summary.integrations:
            if integration.name.lower() in unit.text.lower():
                words |= INTEGRATION_ALIASES.get(integration.name, set())
        for key, aliases in _AUTH_ALIASES.items():
            if key in words:
                words |= aliases
        return words


def _cited(
    checker: Checker,
    section: str,
    unit: Unit,
    text: str,
    path: str,
    line: int | None,
    last: int | None = None,
) -> Finding | None:
    """The finding for one citation of ``path`` (at ``line``) written as ``text``, if any."""
    if path in checker.folders or path == ".":
        return None
    if path not in checker.paths:
        reason = f"{path} is not a file of the repository"
        return Finding(section, "citation_missing_file", text, reason, unit.line)
    if line is None:
        return None
    lines = checker.lines(path)
    if lines is None:
        return None
    if not 1 <= line <= (last or line) <= len(lines):
        reason = f"{path} has {len(lines)} lines"
        return Finding(section, "citation_line_out_of_range", text, reason, unit.line)
    if _EXCERPT_LABEL.match(unit.text.strip() + " " + text) or unit.text.strip().startswith(
        "From "
    ):
        return None  # an excerpt label: the excerpt itself is compared by verify
    window = lines[line - 1 : last] if last and last > line else _statement(lines, line, path)
    cited_words = _tokens(" ".join(window))
    # A code span of the claim written on the line (a version `11` at
    # `sourceCompatibility = '11'`) ties them as surely as a shared name.
    spelled = any(len(code) >= 2 and code in " ".join(window) for code in unit.code)
    if cited_words and not spelled and not _related(checker.claim_words(unit), cited_words):
        reason = f"line {line} of {path} shares no name with the claim"
        return Finding(section, "citation_unrelated", text, reason, unit.line)
    return None


def check_citations(checker: Checker, section: str, unit: Unit, out: list[Finding]) -> None:
    """Links, and citations in every other form (``path:line``, ``(path:12-20)``,
    ``path#L12``...), each resolved against the repository; then file names the claim
    mentions in code spans, which must be files of the repository too."""
    for text, href in unit.links:
        resolved = checker.resolve(href)
        if resolved is None:
            continue
        path, line = resolved
        cited = re.match(r"^`?([^`:\s]+)(?::(\d+)(?:-(\d+))?)?`?$", text.strip())
        last = None
        if cited and cited.group(2):
            line = int(cited.group(2))
            last = int(cited.group(3)) if cited.group(3) else None
        finding = _cited(checker, section, unit, text, path, line, last)
        if finding:
            out.append(finding)
    bare = bare_citations(unit.text)
    # The claim is what the unit says besides its citations: a path shares its own words.
    masked = unit.text
    for found in reversed(bare):
        masked = masked[: found.start] + masked[found.end :]
    claim = dataclasses.replace(unit, text=masked)
    for found in bare:
        written = found.text(unit.text)
        finding = _cited(checker, section, claim, written, found.path, found.line, found.last)
        if finding:
            out.append(finding)
    cited_paths = {found.path for found in bare}
    for code in unit.code:
        path = code.split(":")[0].strip().rstrip("/")
        if path in cited_paths or not _PATH_LIKE.match(code):
            continue
        if "/" in path:
            known = path in checker.paths or path in checker.folders
        else:
            # A name with no folder is a file only by a file's suffix (`express.json` is a
            # call); it is known when some file of the repository has that name.
            if not looks_like_file(path) or path.endswith(".json") or path.startswith(".env"):
                continue
            if path in checker.evidence and path not in checker.basenames:
                continue  # a handler the scan knows (controllers.topics.lock), not a file
            known = path in checker.basenames
        if not known:
            reason = f"{path} is not in the repository"
            out.append(Finding(section, "citation_missing_file", code, reason, unit.line))


# A claim that the backend has none of something the scan found: what a model says when a
# comment in the code tells it to, or when it guesses.
_DENIALS: tuple[tuple[str, str], ...] = (
    ("auth", r"auth(?:entication|enticated|orization)?|log ?in|sign[- ]?in|access control"),
    ("database", r"database|persistence|data ?store"),
    ("tests", r"tests?|test suites?|testing"),
    ("middleware", r"middlewares?"),
    ("routes", r"routes?|endpoints?|http api"),
)
_DENY = (
    r"(?:\b(?:has|have|uses?|requires?|needs?|provides?|implements?|performs?|with|"
    r"there (?:is|are)|offers?)\s+no\s+(?:\w+\s+){{0,2}}(?:{topic})\b"
    r"|\bno\s+(?:\w+\s+)?(?:{topic})\s+(?:is|are|at all|whatsoever|of any kind)\b"
    r"|\b(?:does|do|is|are)\s*(?:not|n't)\s+(?:use|have|require|need|implement|perform|"
    r"provide|enforce|check|protected by|secured by|behind)\s+(?:any\s+)?(?:\w+\s+)?"
    r"(?:{topic})\b"
    r"|\bwithout\s+any\s+(?:{topic})\b|^\s*no\s+(?:{topic})\b)"
)


def _has(summary: RepoSummary, topic: str) -> bool:
    if topic == "auth":
        return bool(summary.auth) or any(r.auth == "required" for r in summary.routes)
    if topic == "database":
        return bool(summary.stack_in("database", "orm")) or bool(summary.models)
    if topic == "tests":
        return bool(summary.tests)
    if topic == "middleware":
        return bool(summary.middleware)
    return bool(summary.routes)


_DENIAL_PATTERNS = tuple(
    (topic, re.compile(_DENY.format(topic=words), re.I)) for topic, words in _DENIALS
)


_SCOPED = re.compile(
    r"(?<![\w])/[\w{:<]|\b(?:public|some|certain|specific|these|those|except|only|health)\b", re.I
)


def check_absence(checker: Checker, section: str, unit: Unit, out: list[Finding]) -> None:
    """A claim that denies what the scan found of the whole backend ("this service has no
    authentication"). A claim about some routes ("`GET /health` does not require
    authentication") is left to the route checks."""
    if _SCOPED.search(unit.text) or _ROUTE.search(unit.text):
        return
    for topic, pattern in _DENIAL_PATTERNS:
        match = pattern.search(unit.text)
        if match and _has(checker.summary, topic):
            out.append(
                Finding(
                    section,
                    "contradicts_scan",
                    match.group(0).strip(),
                    f"the scan found {topic} in this repository",
                    unit.line,
                )
            )


def check_names(checker: Checker, section: str, unit: Unit, out: list[Finding]) -> None:
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
        method = cell(unit.cells[0]).upper()
        path = cell(unit.cells[1])
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
        names.append(cell(unit.cells[0]))
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


def check_leftovers(section: str, unit: Unit, out: list[Finding]) -> None:
    for match in PLACEHOLDER.finditer(unit.text):
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
