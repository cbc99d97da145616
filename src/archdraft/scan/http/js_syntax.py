"""Reading JavaScript and TypeScript syntax nodes: literal strings, callees, arguments,
readable names and object fields. Shared by the Express/Koa/Fastify and NestJS readers."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http import names

AUTH_NAME = re.compile(
    r"auth|jwt|token|passport\.authenticate|protect|guard|login|session|verify|ensure|isLogged|"
    r"requireUser|currentUser|bearer|apikey|api_key|permission|role|admin", re.I)  # fmt: skip
PUBLIC_NAME = re.compile(r"\bpublic\b|allowAnonymous|skipAuth|optionalAuth", re.I)
INLINE = "inline function"
# Middleware that mentions auth without requiring it: optional sign-in, rate limits on
# sign-in routes, a result check (helpers.verify); and input validation (validators.login),
# unless it validates a credential (validateToken).
_NOT_GUARD = re.compile(
    r"optional|(maybe|soft|try)_?auth|loose|limit|rate|throttl|(^|\.)verify$", re.I
)
_VALIDATION = re.compile(r"valid|schema", re.I)
_CREDENTIAL = re.compile(r"jwt|token|session|auth|bearer|api_?key", re.I)
# What a member of an auth namespace is called when it requires a user: auth.required
_REQUIRING = re.compile(r"required?|user|basic|bearer|check\w*|ensure\w*|is[A-Z_]\w*|must\w*")
# Functions that only wrap a handler or middleware for errors: asyncHandler(auth.jwt)
_WRAPPER = re.compile(r"async|catch|wrap", re.I)
# Passport strategies sign a visitor in (passport.authenticate('google') on /auth/google,
# AuthGuard('local') on POST /login) unless they check a credential each request carries:
# the few of those are listed; sign-in providers are too many to list.
_SIGN_IN = re.compile(
    r"(authenticate|AuthGuard)\(['\"`](?![^'\"`]*(jwt|token|bearer|basic|digest|api-?key|hash|"
    r"session))|"
    r"^(?!.*Jwt)\w*(SSO|OAuth|Google|Github|GitHub|Microsoft|Facebook|Saml|Local)\w*Guard$"
)
_STRATEGY_CALLS = ("authenticate", "AuthGuard")


def guards(name: str) -> bool:
    """Whether middleware of this name requires an authenticated caller. A member's own name
    decides (auth.jwt, passport.authenticate); its namespace only with a word of requiring
    (auth.required), so that auth.featureAccess or validators.login guard nothing."""
    head, _, last = name.rpartition(".")
    if _NOT_GUARD.search(name) or _SIGN_IN.search(name):
        return False
    if _VALIDATION.search(name) and not _CREDENTIAL.search(last):
        return False
    if AUTH_NAME.search(last):
        return True
    return bool(head and AUTH_NAME.search(head) and _REQUIRING.fullmatch(last))


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
        callee = ts.text(node.child_by_field_name("function"))
        inner = args(node.child_by_field_name("arguments"))
        if (
            len(inner) == 1
            and inner[0].type in {"identifier", "member_expression"}
            and _WRAPPER.search(callee.rpartition(".")[2])
        ):
            return ts.text(inner[0])  # asyncHandler(auth.jwt) is auth.jwt
        if callee.endswith(_STRATEGY_CALLS) and inner and (strategy := strings(inner[0])):
            return f"{callee}('{strategy}')"  # the strategy tells a guard from a sign-in
        return callee
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


def object_prefix(node: ts.Node | None) -> str:
    """``{ prefix: '/api' }`` -> ``/api``."""
    return strings(object_field(node, "prefix")) or ""


def first_string(node: ts.Node | None) -> str | None:
    """``'1'`` or the first of ``['1', '2']``."""
    if node is not None and node.type == "array":
        return next((v for v in map(strings, node.named_children) if v), None)
    return strings(node)


_NAMES = frozenset({"identifier", "member_expression"})


def path_expr(node: ts.Node | None) -> str | None:
    """A value spelled through names, in the resolver's form (``names.PathExpr``): a name,
    a string, a ``+`` of them or a template whose substitutions are names; else None."""
    if node is None or node.type != "template_string":
        return names.from_syntax(node, strings, _NAMES, path_expr)
    pieces: list[str] = []
    for child in node.named_children:
        if child.type == "template_substitution":
            inner = child.named_children[0] if child.named_children else None
            piece = path_expr(inner)
            if piece is None:
                return None
            pieces.append(piece)
        elif child.type == "string_fragment":
            pieces.append(names.literal(ts.text(child)))
        else:
            return None  # an escape sequence: rare in a path, not worth guessing
    return names.join_parts(pieces) if pieces else names.literal("")
