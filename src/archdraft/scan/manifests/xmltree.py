"""A small XML element tree with source lines, for manifests (pom.xml, *.csproj). Parsed by
expat with entity declarations refused: no XML bomb expands and no external entity is read."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

ExpatError = expat.ExpatError


@dataclass
class Element:
    tag: str
    """The local name: a namespace prefix is dropped."""
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def __iter__(self) -> Iterator[Element]:
        return iter(self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.iter()


def _refuse_entities(*_args: object) -> None:
    # Entity declarations are how XML bombs and external-entity reads start; a manifest needs none.
    raise ValueError("entity declarations are not read")


def parse_xml(text: str) -> Element:
    """The root element. Raises ``ExpatError`` (with ``lineno``) for XML that is not well
    formed and ``ValueError`` for entity declarations or an empty document."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = Element("", 0)
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = Element(tag.rsplit(":", 1)[-1], parser.CurrentLineNumber, dict(attrs))
        stack[-1].children.append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.EntityDeclHandler = _refuse_entities
    parser.Parse(text, True)
    if not root.children:
        raise ValueError("no root element")
    return root.children[0]
