"""Registration-looking lines: the whole-text search finds exactly the lines a search of
each line on its own finds, in every fixture and in the shapes that straddle lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from archdraft.scan import reach

FIXTURES = Path(__file__).parent / "fixtures"


def _line_by_line(path: str, text: str) -> list[tuple[int, str]]:
    """The definition: each line of the text judged on its own by its language's pattern."""
    language = reach._EXTENSIONS.get(path[path.rfind(".") :], "")
    pattern, only_in = reach._PATTERNS.get(language), reach._ONLY_IN.get(language)
    if pattern is None or (only_in is not None and not only_in.search(path)):
        return []
    found = []
    for index, line in enumerate(text.split("\n")):
        line = line.removesuffix("\r")
        stripped = line.lstrip()
        if len(line) > reach._LONG_LINE or (
            stripped.startswith(("//", "#", "*")) and not stripped.startswith("#[")
        ):
            continue
        if pattern.search(line) and not reach._CLIENTS.search(line):
            found.append((index + 1, line))
    return found


def _found(path: str, text: str) -> list[tuple[int, str]]:
    lines = text.split("\n")
    return [
        (s.evidence.line or 0, lines[(s.evidence.line or 1) - 1].removesuffix("\r"))
        for s in reach.registrations(path, text)
    ]


@pytest.mark.parametrize(
    "source",
    sorted(
        str(p.relative_to(FIXTURES))
        for p in FIXTURES.rglob("*")
        if p.is_file() and p.suffix in reach._EXTENSIONS
    ),
)
def test_every_fixture_source_gives_the_lines_a_line_by_line_search_gives(source: str) -> None:
    text = (FIXTURES / source).read_text("utf-8", "replace")
    path = source.split("/", 1)[1] if "/" in source else source
    assert _found(path, text) == _line_by_line(path, text)


@pytest.mark.parametrize(
    ("path", "text", "lines"),
    [
        # a helper's arguments spread over lines: only its first line registers
        ("routes.js", "setup(\n  apiRouter,\n  '/users', handler);\napp.get('/x', h)\n", [4]),
        # a candidate on a line the exact pattern rejects, a real one below it (CRLF), and
        # one whose path is on the next line, which a line alone does not show
        ("a.js", "foo.get(key)\nrouter.get('/a', h)\r\nrouter.post(\n  '/b', h)\n", [2]),
        ("svc.py", "@cache\ndef f(): ...\n\n@app.get('/items')\ndef items(): ...\n", [4]),
        ("Web.cs", 'app.Map(x);\n[HttpGet("{id}")]\napp.MapPost("/a", h);\n', [2, 3]),
        ("main.rs", '#[derive(Debug)]\nstruct A;\n#[get("/x")]\nasync fn x() {}\n', [3]),
        ("api.php", "$x->get('k');\n    ->get('/users', [A::class, 'i']);\n", [2]),
        ("A.java", '@RequestMapping("/a")\nclass A {\n  @GetMapping("/b")\n', [3]),
        # a client's call is no registration, nor is a commented-out one
        ("c.js", "axios.get('/api/x')\n// router.get('/old', h)\nrouter.get('/new', h)\n", [3]),
    ],
)
def test_registrations_straddling_lines(path: str, text: str, lines: list[int]) -> None:
    assert [line for line, _text in _found(path, text)] == lines
    assert _found(path, text) == _line_by_line(path, text)
