"""Rails controllers and their concerns, read from the syntax tree: each class's base, its
public methods (the actions), its filters in order (``before_action`` with ``only:`` and
``except:``, ``skip_before_action``), the modules it includes and its ``rescue_from``s."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from archdraft.scan import treesitter as ts
from archdraft.scan.http.ruby_syntax import CallShape, call_shape, statements, strings, value


@dataclass(frozen=True)
class Filter:
    kind: str
    """``before`` (a filter that runs), ``skip`` (one removed), ``include`` (a module whose
    filters come in here) or ``macro`` (a call of a class method that may skip filters)."""
    names: tuple[str, ...]
    only: tuple[str, ...] | None
    exclude: tuple[str, ...] | None
    line: int
    forwards: bool = False
    """A skip inside a class method given ``**options``: the caller's only/except apply."""


@dataclass(frozen=True)
class RubyClass:
    name: str
    """Full name, ``Api::V1::ArticlesController``."""
    nesting: tuple[str, ...]
    """The modules it is written in, innermost first, for finding the names it mentions."""
    superclass: str | None
    line: int
    module: bool
    actions: tuple[str, ...]
    private: tuple[str, ...]
    filters: tuple[Filter, ...]
    macros: tuple[tuple[str, tuple[Filter, ...]], ...] = ()
    """Class methods (``class_methods do def skip_authentication(**options)``) and the skips
    they make."""
    halting: tuple[str, ...] = ()
    """Methods whose body can end the request (render, redirect_to, head, raise)."""
    rescues: tuple[tuple[str, str | None, int], ...] = ()
    """``rescue_from`` exception, handler method, line."""
    devise: tuple[str, ...] = ()
    """A model's ``devise :database_authenticatable, ...`` modules."""


_BEFORE = {"before_action", "prepend_before_action", "append_before_action", "before_filter"}
_SKIP = {"skip_before_action", "skip_before_filter", "skip_action_callback"}
_HALT = re.compile(
    r"^(redirect_to|redirect_back|render|head|raise|fail|request_http_\w+|"
    r"authenticate_or_request_with_http_\w+|forbidden!|unauthorized!|render_\w+|"
    r"\w*(unauthori[sz]ed|forbidden|deny|denied|not_authenticated)\w*!?)$"
)
_MAX_DEPTH = 40


@dataclass
class _Collector:
    classes: list[RubyClass] = field(default_factory=list)

    def walk(self, node: ts.Node, nesting: tuple[str, ...], depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            return
        for child in node.named_children:
            if child.type in {"class", "module"}:
                self.declaration(child, nesting, depth)
            elif child.type in {"body_statement", "begin", "then"}:
                self.walk(child, nesting, depth + 1)

    def declaration(self, node: ts.Node, nesting: tuple[str, ...], depth: int) -> None:
        written = ts.text(node.child_by_field_name("name"))
        if not written:
            return
        # nesting holds full names, innermost first
        full = f"{nesting[0]}::{written}" if nesting else written
        superclass_node = node.child_by_field_name("superclass")
        superclass = (
            ts.text(superclass_node.named_children[0])
            if superclass_node is not None and superclass_node.named_children
            else None
        )
        body = node.child_by_field_name("body")
        reading = _Body()
        reading.read(body, in_included=node.type == "class")
        self.classes.append(RubyClass(
            full, nesting, superclass, ts.line(node), node.type == "module",
            tuple(reading.actions), tuple(reading.private), tuple(reading.filters),
            tuple(reading.macros), tuple(sorted(reading.halting)), tuple(reading.rescues),
            tuple(reading.devise),
        ))  # fmt: skip
        if body is not None:
            self.walk(body, (full, *nesting), depth + 1)


@dataclass
class _Body:
    actions: list[str] = field(default_factory=list)
    private: list[str] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    macros: list[tuple[str, tuple[Filter, ...]]] = field(default_factory=list)
    halting: set[str] = field(default_factory=set)
    rescues: list[tuple[str, str | None, int]] = field(default_factory=list)
    devise: list[str] = field(default_factory=list)

    def read(self, body: ts.Node | None, in_included: bool) -> None:
        """A class body's filters run; a module's only from its ``included do`` block."""
        public = True
        for statement in statements(body):
            if statement.type == "method":
                self.method(statement, public)
                continue
            shape = call_shape(statement)
            if shape is None or shape.receiver is not None:
                continue
            if shape.name in {"private", "protected"} and statement.type == "identifier":
                public = False
            elif shape.name in {"private", "protected"} and shape.args:
                for arg in shape.args:
                    if arg.type == "method":
                        self.method(arg, False)
            elif shape.name == "public" and statement.type == "identifier":
                public = True
            elif shape.name == "included" and shape.block is not None:
                self.included(shape.block)
            elif shape.name == "class_methods" and shape.block is not None:
                self.class_methods(shape.block)
            elif in_included:
                self.macro(shape, ts.line(statement))

    def included(self, block: ts.Node) -> None:
        for statement in statements(block):
            shape = call_shape(statement)
            if shape is not None and shape.receiver is None:
                self.macro(shape, ts.line(statement))

    def class_methods(self, block: ts.Node) -> None:
        for statement in statements(block):
            if statement.type != "method":
                continue
            skips = []
            for inner in statements(statement.child_by_field_name("body") or statement):
                shape = call_shape(inner)
                if shape is not None and shape.name in _SKIP:
                    made = _filter("skip", shape, ts.line(inner))
                    if made is not None:
                        skips.append(made)
            if skips:
                self.macros.append((ts.text(statement.child_by_field_name("name")), tuple(skips)))

    def method(self, node: ts.Node, public: bool) -> None:
        name = ts.text(node.child_by_field_name("name"))
        (self.actions if public else self.private).append(name)
        if any(_HALT.match(called) for called in _called(node)):
            self.halting.add(name)

    def macro(self, shape: CallShape, line: int) -> None:
        name = shape.name
        if name in _BEFORE:
            made = _filter("before", shape, line)
        elif name in _SKIP:
            made = _filter("skip", shape, line)
        elif name == "http_basic_authenticate_with":
            made = Filter("before", (name,), strings(shape.options.get("only")),
                          strings(shape.options.get("except")), line)  # fmt: skip
        elif name == "include":
            made = Filter("include", tuple(ts.text(a) for a in shape.args if a.type in
                          {"constant", "scope_resolution"}), None, None, line)  # fmt: skip
        elif name == "devise":
            self.devise += [str(v) for v in (value(a) for a in shape.args) if isinstance(v, str)]
            return
        elif name == "rescue_from":
            handler = value(shape.options.get("with"))
            for arg in shape.args:
                if arg.type in {"constant", "scope_resolution"}:
                    self.rescues.append(
                        (ts.text(arg), handler if isinstance(handler, str) else None, line)
                    )
            return
        elif shape.args or shape.options:
            made = Filter("macro", (name,), strings(shape.options.get("only")),
                          strings(shape.options.get("except")), line)  # fmt: skip
        elif shape.block is None:
            made = Filter("macro", (name,), None, None, line)
        else:
            return
        if made is not None:
            self.filters.append(made)


def _filter(kind: str, shape: CallShape, line: int) -> Filter | None:
    names = tuple(str(v) for v in (value(a) for a in shape.args) if isinstance(v, str))
    if not names:
        return None
    return Filter(kind, names, strings(shape.options.get("only")),
                  strings(shape.options.get("except")), line, shape.splat)  # fmt: skip


def _called(node: ts.Node) -> Iterator[str]:
    """The names of the methods called anywhere in ``node``."""
    stack = [node]
    seen = 0
    while stack and seen < 5000:
        current = stack.pop()
        seen += 1
        if current.type == "call":
            method = current.child_by_field_name("method")
            if method is not None:
                yield ts.text(method)
        elif current.type == "identifier" and current.parent is not None and (
            current.parent.type in {"body_statement", "then", "else", "begin", "if_modifier",
                                    "unless_modifier", "binary", "rescue_modifier"}
        ):  # fmt: skip
            yield ts.text(current)
        stack.extend(current.named_children)


def read_classes(root: ts.Node) -> tuple[RubyClass, ...]:
    collector = _Collector()
    collector.walk(root, ())
    return tuple(collector.classes)
