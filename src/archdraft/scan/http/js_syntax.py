"""Reading JavaScript and TypeScript syntax nodes: literal strings, callees, arguments,
readable names and object fields. Shared by the Express/Koa/Fastify and NestJS readers."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts

AUTH_NAME = re.compile(
    r"auth|jwt|token|passport\.authenticate|protect|guard|login|session|verify|ensure|isLogged|"
    r"requireUser|currentUser|bearer|apikey|api_key|permission|role|admin", re.I)  # fmt: skip
PUBLIC_NAME = re.compile(r"\bpublic\b|allowAnonymous|skipAuth|optionalAuth", re.I)
INLINE = "inline function"


def strings(node: ts.Node | None) -> str | None:
    """A literal string's value (plain or template without substitutions), else None."""
    if node is None:
        return None
    if node.type == "string":
        return ts.unquote(node)
    if node.type == "template_string" and not any(
        c.type == "template_substitution" for c in node.named_children
    ):
        return ts.unquote(node)
    return None


def callee(node: ts.Node) -> str:
    """``express.Router`` for ``express.Router()``, ``Router`` for ``new Router()``."""
    while node.type == "await_expression" and node.named_children:
        node = node.named_children[0]
    if node.type in {"call_expression", "new_expression"}:
        inner = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        return ts.text(inner)
    return ""


def args(node: ts.Node | None) -> list[ts.Node]:
    return [c for c in node.named_children if c.type != "comment"] if node is not None else []


def name_of(node: ts.Node) -> str:
    """A readable name for a handler or middleware argument."""
    if node.type in {"identifier", "member_expression"}:
        return ts.text(node)
    if node.type == "call_expression":
        return ts.text(node.child_by_field_name("function"))
    if node.type in {"arrow_function", "function_expression", "function"}:
        return INLINE
    if node.type == "new_expression":
        return ts.text(node.child_by_field_name("constructor"))
    return ts.text(node)[:40]


def object_field(node: ts.Node | None, name: str) -> ts.Node | None:
    for pair in node.named_children if node is not None and node.type == "object" else []:
        if pair.type == "pair" and ts.text(pair.child_by_field_name("key")).strip("'\"") == name:
            return pair.child_by_field_name("value")
    return None


def first_string(node: ts.Node | None) -> str | None:
    """``'1'`` or the first of ``['1', '2']``."""
    if node is not None and node.type == "array":
        return next((v for v in map(strings, node.named_children) if v), None)
    return strings(node)
