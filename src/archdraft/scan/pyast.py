"""Small helpers over Python ``ast`` nodes, shared by the Python extractors."""

from __future__ import annotations

import ast


def walk(tree: ast.AST) -> list[ast.AST]:
    """Every node below ``tree``, in ``ast.walk``'s order, at half its cost: extraction
    walks every node of every Python file, and ``ast.walk``'s generators dominate it."""
    nodes = [tree]
    for node in nodes:  # the list grows as it is read: breadth first, like ast.walk
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                nodes.append(value)
            elif type(value) is list:
                nodes += [item for item in value if isinstance(item, ast.AST)]
    return nodes


def dotted(node: ast.AST | None) -> str:
    """``os.environ.get`` for the expression ``os.environ.get(...)``; ``""`` otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Call):
        return dotted(node.func)
    return ""


def string(node: ast.AST | None) -> str | None:
    """A string literal's value, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None
