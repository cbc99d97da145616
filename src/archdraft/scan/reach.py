"""What the route readers may have missed: lines that look like a route registration and
gave no route.

The readers understand the registrations they can follow to a full path. This module
knows nothing of that: it looks at each source line for the shapes registrations take in
each ecosystem (a verb method called with a path literal, a mapping annotation, a URL
pattern entry, a project helper handed a router and a path), then counts the ones no route
cites as its evidence. The count tells a reader what the document may be missing, and it
is a recall measure on any repository."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from archdraft.scan.summary import Evidence, Reach, Route


@dataclass(frozen=True)
class Seen:
    """A registration-looking line. A decorator or annotation registers the declaration it
    stands on, which a route may cite instead: ``declared`` is that line."""

    evidence: Evidence
    declared: int
    first: int
    """The first line of the decorators above the declaration (a route may cite it)."""
    call: str
    """What the line calls or applies (``helpers.setupApiRoute``, ``@GetMapping``): a name
    of the code, never a value."""


_EXAMPLES = 5
_VERBS = "get|post|put|patch|delete|head|options|all"
_QUOTE = "['\"`]"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "js": re.compile(
        rf"(\.|\[\w+\])({_VERBS})\(\s*{_QUOTE}/|"  # router.get('/x', ...)
        # a router's path need not start with a slash (koa-router RPC names, "documents.list")
        rf"\b\w*([Rr]outer|[Rr]outes)\.({_VERBS})\(\s*{_QUOTE}|"
        r"^\s*@(Get|Post|Put|Patch|Delete|Head|Options|All)\(|"  # NestJS handlers
        # a project helper given a router (and maybe a verb) and a path
        rf"\w\(\s*\w*([Rr]outer|[Aa]pp|api|server)\w*\s*,\s*({_QUOTE}\w+{_QUOTE}\s*,\s*)?"
        rf"{_QUOTE}/",
        re.M,
    ),
    "py": re.compile(
        rf"^\s*@[\w.]+\.({_VERBS}|route|api_route|websocket)\(|"  # FastAPI, Flask
        r"^\s*(re_)?path\(\s*r?['\"]|^\s*url\(\s*r?['\"]\^|"  # Django urlpatterns
        r"\.(register|add_url_rule|add_api_route|add_resource)\(\s*r?['\"]",
        re.M,
    ),
    "go": re.compile(
        r"\.(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|Get|Post|Put|Patch|Delete|Head|"
        r"Options|Handle|HandleFunc|Path|PathPrefix|Method|MethodFunc|Match)\(\s*"
        r"\"((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) )?/"
    ),
    "java": re.compile(
        # an indented @RequestMapping is a method's; a class's, at the margin, is a prefix
        r"^\s*@(Get|Post|Put|Patch|Delete)Mapping\b|^\s+@RequestMapping\b|"
        r"^\s*\.?(GET|POST|PUT|PATCH|DELETE)\(\s*\"/|\b(GET|POST|PUT|PATCH|DELETE)\(\s*\"/",
        re.M,
    ),
    # Laravel's Route facade, and a chain continued on the next line
    "php": re.compile(
        r"\bRoute::(get|post|put|patch|delete|options|any|match|view|redirect|"
        r"permanentRedirect|resource|apiResource)\(|"
        # an HTTP client's call has a URL (Http::asForm()\n->post('https://...'))
        r"^\s*->(get|post|put|patch|delete|options|any|match|resource|apiResource)\(\s*['\"]"
        r"(?!https?:)|"
        r"^\s+#\[Route\(",  # Symfony: an indented attribute is a method's
        re.M,
    ),
    # the Rails routing DSL: a verb, root, resources or mount at the start of a statement
    "rb": re.compile(
        r"^\s*(get|post|put|patch|delete|match|root|resources?|mount|devise_for)\b\s*\(?\s*"
        r"[:'\"\w]",
        re.M,
    ),
    "cs": re.compile(
        # ASP.NET Core action attributes and minimal API / conventional registrations
        r"^\s*\[(Http(Get|Post|Put|Patch|Delete|Head|Options))\b|"
        r"\.(Map(Get|Post|Put|Patch|Delete|Methods|ControllerRoute|AreaControllerRoute))\(",
        re.M,
    ),
    # axum/actix .route("/x", ...) (the path may be on the next line), actix route macros
    "rs": re.compile(
        r"\.route(_service)?\(\s*(\"|web::|$)|web::resource\(\s*\"[^\"]*\"\s*\)\s*\.to\(|"
        r"^\s*#\[(actix_web::)?(get|post|put|patch|delete|head|options|route)\(\s*\"",
        re.M,
    ),
}
# A cheaper pattern per language that finds, in the whole text, a match starting on every
# line its exact pattern matches (and on some more). Every alternative starts with a literal
# character, which lets `re` skip ahead to candidate positions: the exact patterns' leading
# \w, \b and ^\s* make it try every position of every file.
_CANDIDATES: dict[str, re.Pattern[str]] = {
    "js": re.compile(
        rf"\.({_VERBS})\(|\]({_VERBS})\(|Router\.|router\.|Routes\.|routes\.|"
        r"@(Get|Post|Put|Patch|Delete|Head|Options|All)\(|"
        r"\(\s*\w*([Rr]outer|[Aa]pp|api|server)\w*\s*,"
    ),
    "py": re.compile(r"@|path\(|url\(|\.(register|add_url_rule|add_api_route|add_resource)\("),
    "java": re.compile(
        r"@(Get|Post|Put|Patch|Delete)Mapping|@RequestMapping|GET\(|POST\(|PUT\(|PATCH\(|"
        r"DELETE\("
    ),
    "php": re.compile(
        r"Route::|->(get|post|put|patch|delete|options|any|match|resource|apiResource)\(|"
        r"#\[Route\("
    ),
    "cs": re.compile(r"\[Http|\.Map"),
    "rs": re.compile(r"\.route|web::resource\(|#\["),
}
# Patterns that mean a registration only in some files: the Rails DSL's verbs are plain
# method names elsewhere (a model's put or match)
_ONLY_IN = {"rb": re.compile(r"(^|/)config/routes(\.rb$|/)")}
_EXTENSIONS = {
    ".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js", ".ts": "js", ".tsx": "js",
    ".mts": "js", ".cts": "js", ".py": "py", ".go": "go", ".java": "java", ".kt": "java",
    ".php": "php", ".rb": "rb", ".cs": "cs", ".rs": "rs",
}  # fmt: skip
# Lines with those shapes that are not registrations: HTTP clients and test requests, and
# mounts of another module's registrations: Django's include(), Go's http.StripPrefix
_CLIENTS = re.compile(
    r"\binclude\(|StripPrefix\(|"
    r"\b(axios|fetch|request|supertest|agent|client|http|api|\$http|ky|got|superagent|"
    r"httpClient|restTemplate|webClient|cy|page|mock\w*)\.(get|post|put|patch|delete|head)\(",
    re.I,
)
_LONG_LINE = 400
_CALLEE = re.compile(r"@?[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?=\s*\()")


def registrations(path: str, text: str) -> tuple[Seen, ...]:
    """The lines of ``text`` that look like a route registration."""
    suffix = path[path.rfind(".") :] if "." in path else ""
    language = _EXTENSIONS.get(suffix, "")
    pattern = _PATTERNS.get(language)
    only_in = _ONLY_IN.get(language)
    if only_in is not None and not only_in.search(path):
        return ()
    if pattern is None:
        return ()
    finder = _CANDIDATES.get(language, pattern)
    found = []
    lines: list[str] | None = None
    # One search of the whole text finds each candidate line; the line is then judged on
    # its own, as if the text were split, at a fraction of the cost of searching every line
    at, index, counted = 0, 0, 0
    while (hit := finder.search(text, at)) is not None:
        begin = text.rfind("\n", 0, hit.start()) + 1
        end = text.find("\n", hit.start())
        end = len(text) if end == -1 else end
        at = end + 1
        index += text.count("\n", counted, begin)
        counted = begin
        line = text[begin:end].removesuffix("\r")
        stripped = line.lstrip()
        # a Rust or PHP attribute (#[get("/x")], #[Route(...)]) is no comment
        if len(line) > _LONG_LINE or (
            stripped.startswith(("//", "#", "*")) and not stripped.startswith("#[")
        ):
            continue
        if (match := pattern.search(line)) and not _CLIENTS.search(line):
            declared = first = index
            if stripped.startswith("@"):
                lines = text.split("\n") if lines is None else lines
                declared, first = _declared(lines, index), _first(lines, index)
            callees = _CALLEE.findall(line[: match.end()])
            call = callees[-1] if callees else match.group().strip(" .([")
            found.append(Seen(Evidence(path, index + 1), declared + 1, first + 1, call))
    return tuple(found)


def _declared(lines: list[str], index: int) -> int:
    """The declaration a decorator starting at ``index`` stands on: the first line after it
    and the decorators below it, with their arguments' parentheses closed."""
    depth = 0
    for at in range(index, min(len(lines), index + 40)):
        stripped = lines[at].strip()
        if depth == 0 and at > index and stripped and not stripped.startswith(("@", "#", "//")):
            return at
        depth = max(0, depth + stripped.count("(") - stripped.count(")"))
    return index


def _first(lines: list[str], index: int) -> int:
    """The first line of the decorators stacked above ``index``, arguments spread over
    lines included (``@ApiImplicitParam(name = "status",\n   dataType = "int")``)."""
    first = index
    while first > 0:
        if lines[first - 1].lstrip().startswith("@"):
            first -= 1
            continue
        start = next(
            (at for at in range(first - 1, max(-1, first - 8), -1)
             if lines[at].lstrip().startswith("@")),
            None,
        )  # fmt: skip
        block = "\n".join(lines[start:first]) if start is not None else ""
        if start is None or block.count("(") != block.count(")") or "(" not in block:
            break
        first = start
    return first


def reach(seen: Iterable[Seen], routes: Iterable[Route]) -> Reach:
    """How many registration-looking lines were seen, and which gave no route."""
    routed: dict[str, set[int]] = {}
    for route in routes:
        for e in route.evidence:
            routed.setdefault(e.path, set()).add(e.line or 0)
    found = sorted(set(seen), key=lambda s: (s.evidence.path, s.evidence.line or 0))
    missed = [
        s
        for s in found
        if not any(
            at in routed.get(s.evidence.path, ())
            for at in range(min(s.first, s.evidence.line or 0), s.declared + 1)
        )
    ]
    shown = missed[:_EXAMPLES]
    return Reach(
        len(found), len(missed), tuple(s.evidence for s in shown), tuple(s.call for s in shown)
    )
