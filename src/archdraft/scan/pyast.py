"""Small helpers over Python ``ast`` nodes, shared by the Python extractors."""

from __future__ import annotations

import ast


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
