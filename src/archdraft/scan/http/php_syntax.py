"""Reading PHP values from tree-sitter nodes: literals, class names, lists and call chains.
Anything that is not a literal reads as None, never as a guess."""

from __future__ import annotations

from archdraft.scan import treesitter as ts

Link = tuple[str, ts.Node, ts.Node]
"""One call of a chain: the method's name, its name node (for the line), its arguments."""

_PLAIN_PARTS = {"string_content", "escape_sequence"}


def literal(node: ts.Node | None) -> str | None:
    """A string literal's value, a concatenation of literals too ('/a' . '/b')."""
    if node is None:
        return None
    if node.type == "argument":
        return literal(node.named_children[-1] if node.named_children else None)
    if node.type == "string":
        return ts.text(node)[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    if node.type == "encapsed_string":
        if any(c.type not in _PLAIN_PARTS for c in node.named_children):
            return None  # "{$x}/y": a value only known at run time
        return ts.text(node)[1:-1]
    if node.type == "binary_expression" and ts.text(node.child_by_field_name("operator")) == ".":
        left = literal(node.child_by_field_name("left"))
        right = literal(node.child_by_field_name("right"))
        return None if left is None or right is None else left + right
    return None


def class_name(node: ts.Node | None) -> str | None:
    """``PhotoController::class`` (namespaced or not) as its short name."""
    if node is not None and node.type == "argument" and node.named_children:
        node = node.named_children[-1]
    if node is None or node.type != "class_constant_access_expression":
        return None
    parts = node.named_children
    if len(parts) != 2 or ts.text(parts[1]) != "class":
        return None
    return short(ts.text(parts[0]))


def short(name: str) -> str:
    return name.rsplit("\\", 1)[-1]


def names(node: ts.Node | None) -> list[str]:
    """Strings and class names in a value: one, or each element of an array."""
    if node is None:
        return []
    if node.type == "argument" and node.named_children:
        node = node.named_children[-1]
    if node.type == "array_creation_expression":
        found: list[str] = []
        for element in node.named_children:
            if element.type == "array_element_initializer" and len(element.named_children) == 1:
                found += names(element.named_children[0])
        return found
    value = literal(node)
    if value is None:
        value = class_name(node)
    return [value] if value is not None else []


def first_name(node: ts.Node | None) -> str | None:
    found = names(node)
    return found[0] if found else None


def args(arguments: ts.Node | None) -> list[ts.Node]:
    """The argument values of a call, named arguments (``only: [...]``) included."""
    if arguments is None:
        return []
    return [a.named_children[-1] for a in arguments.named_children if a.named_children]


def named_arg(arguments: ts.Node | None, name: str) -> ts.Node | None:
    """PHP 8 ``name: value`` argument."""
    for argument in arguments.named_children if arguments is not None else ():
        label = argument.child_by_field_name("name")
        if label is not None and ts.text(label) == name and argument.named_children:
            return argument.named_children[-1]
    return None


def array_items(node: ts.Node | None) -> list[tuple[str, ts.Node]]:
    """``['prefix' => 'a', ...]``: its literal keys with their value nodes."""
    if node is None or node.type != "array_creation_expression":
        return []
    items = []
    for element in node.named_children:
        if element.type == "array_element_initializer" and len(element.named_children) == 2:
            key = literal(element.named_children[0])
            if key is not None:
                items.append((key, element.named_children[1]))
    return items


def chain(node: ts.Node, roots: frozenset[str]) -> list[Link] | None:
    """``Root::a(..)->b(..)->c(..)`` as its calls in order, when it starts at a class in
    ``roots`` (``Route``, ``\\Illuminate\\Support\\Facades\\Route``); None otherwise."""
    links: list[Link] = []
    while node.type in {"member_call_expression", "nullsafe_member_call_expression"}:
        name, arguments = node.child_by_field_name("name"), node.child_by_field_name("arguments")
        obj = node.child_by_field_name("object")
        if name is None or arguments is None or obj is None:
            return None
        links.append((ts.text(name), name, arguments))
        node = obj
    if node.type != "scoped_call_expression":
        return None
    scope, name = node.child_by_field_name("scope"), node.child_by_field_name("name")
    arguments = node.child_by_field_name("arguments")
    if scope is None or name is None or arguments is None or short(ts.text(scope)) not in roots:
        return None
    links.append((ts.text(name), name, arguments))
    links.reverse()
    return links


def member_chain(node: ts.Node) -> list[Link] | None:
    """``$x->a(..)->b(..)`` (any receiver) as its calls in order."""
    links: list[Link] = []
    while node.type == "member_call_expression":
        name, arguments = node.child_by_field_name("name"), node.child_by_field_name("arguments")
        obj = node.child_by_field_name("object")
        if name is None or arguments is None or obj is None:
            return None
        links.append((ts.text(name), name, arguments))
        node = obj
    links.reverse()
    return links or None
