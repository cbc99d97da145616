"""Rust syntax the route reader needs: paths and string literals, module paths from file
paths, ``use`` declarations, route attributes and the auth a handler's extractors show."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http.paths import normalize

VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "trace", "connect"}
"""axum's method-router functions and actix-web's ``web::get()`` family, upper-cased."""
ROUTE_ATTRIBUTES = VERBS | {"route"}
# What actix-web's ``web`` module exports that the route reader reads.
_WEB_EXPORTS = ("scope", "resource", "route", "method", *sorted(VERBS))
_SNAKE = re.compile(r"[a-z_][a-z0-9_]*")
# An extractor a handler cannot run without unless the caller is signed in: the type names
# an authenticated caller (AuthUser, CurrentUser, Claims, Identity, BearerAuth, a JWT) or
# the Authorization header itself (TypedHeader<Authorization<Bearer>>).
_AUTH_TYPE = re.compile(
    r"^(\w*Auth(?!or)\w*|\w*Claims|Current\w*(User|Account|Member)|\w*Identity|\w*Jwt\w*|\w*JWT\w*|"
    r"Logged\w*|Signed\w*|\w*Bearer|Authenticated\w*|\w*Principal)$"
)
_NOT_AUTH = re.compile(r"no_?auth|unauth|anonymous|guest", re.I)
# Optional extraction: the handler also runs for anonymous callers.
_OPTIONAL = re.compile(r"^(Maybe|Optional|Opt)[A-Z]")


def string(node: ts.Node | None) -> str | None:
    """A string literal's value (``"x"``, ``r"x"``, ``r#"x"#``), else None."""
    if node is None or node.type not in {"string_literal", "raw_string_literal"}:
        return None
    content = [c for c in node.named_children if c.type == "string_content"]
    return "".join(ts.text(c) for c in content)


def arguments(node: ts.Node | None) -> list[ts.Node]:
    """A call's arguments; a comment among them (``.service(// why\n scope(..))``) is none."""
    if node is None:
        return []
    return [c for c in node.named_children if c.type not in {"line_comment", "block_comment"}]


def route_path(value: str) -> str:
    """axum 0.8 ``{*rest}`` and ``/*rest``, axum 0.7 ``:id``, actix ``{id:\\d+}`` and
    ``{tail}*`` -> ``{x}``."""
    value = re.sub(r"\{\*(\w+)\}", r"{\1}", value)
    return normalize(re.sub(r"\{(\w+)\}\*", r"{\1}", value))


def path_segments(node: ts.Node | None) -> list[str]:
    """``crate::users::routes`` -> its segments; generic arguments dropped; [] for other
    expressions."""
    if node is None:
        return []
    if node.type in {"identifier", "type_identifier", "crate", "self", "super"}:
        return [ts.text(node)]
    if node.type == "generic_type":
        return path_segments(node.child_by_field_name("type"))
    if node.type in {"scoped_identifier", "scoped_type_identifier"}:
        return [
            *path_segments(node.child_by_field_name("path")),
            ts.text(node.child_by_field_name("name")),
        ]
    if node.type == "generic_function":
        return path_segments(node.child_by_field_name("function"))
    return []


def is_function_path(segments: list[str]) -> bool:
    """Modules and functions are snake_case, types CamelCase: ``users::routes`` names a
    function, ``ServiceBuilder::new`` a type's constructor."""
    return bool(segments) and all(_SNAKE.fullmatch(s) or s in {"crate"} for s in segments)


def module_of(path: str) -> tuple[str, tuple[str, ...]]:
    """A file's crate folder and module path: ``api/src/http/users.rs`` ->
    (``api/src``, (``http``, ``users``)); ``main.rs``, ``lib.rs`` and ``mod.rs`` name their
    folder's module; a binary in ``src/bin`` shares the crate folder."""
    parts = path.split("/")
    at = max((i for i, p in enumerate(parts[:-1]) if p == "src"), default=-1)
    crate = "/".join(parts[: at + 1]) if at >= 0 else "/".join(parts[:-1])
    rest = parts[at + 1 :]
    if rest and rest[0] == "bin":
        rest = rest[2:] if len(rest) > 2 else []
    stem = rest[-1].removesuffix(".rs") if rest else ""
    module = rest[:-1] + ([] if stem in {"main", "lib", "mod"} else [stem])
    return crate, tuple(module)


def uses_of(root: ts.Node) -> dict[str, list[str]]:
    """The file's ``use`` declarations: local name -> the path it stands for."""
    found: dict[str, list[str]] = {}

    def visit(node: ts.Node, prefix: list[str]) -> None:
        kind = node.type
        if kind in {"scoped_identifier", "identifier", "crate", "self", "super"}:
            segments = prefix + path_segments(node)
            if segments and segments[-1] != "self":
                found[segments[-1]] = segments
            elif len(segments) > 1:
                found[segments[-2]] = segments[:-1]
        elif kind == "use_as_clause":
            target = prefix + path_segments(node.child_by_field_name("path"))
            alias = ts.text(node.child_by_field_name("alias"))
            if target and alias:
                found[alias] = target
        elif kind == "scoped_use_list":
            base = prefix + path_segments(node.child_by_field_name("path"))
            for child in (node.child_by_field_name("list") or node).named_children:
                visit(child, base)
        elif kind == "use_list":
            for child in node.named_children:
                visit(child, prefix)
        elif kind == "use_wildcard":
            base = prefix + path_segments(node.named_children[0] if node.named_children else None)
            if base[-1:] == ["web"]:  # ``use actix_web::web::*``: bare scope(..), get()...
                for name in _WEB_EXPORTS:
                    glob.setdefault(name, [*base, name])

    glob: dict[str, list[str]] = {}
    for child in root.named_children:
        if child.type == "use_declaration" and (argument := child.child_by_field_name("argument")):
            visit(argument, [])
    return {**glob, **found}  # a name imported by name wins over one a glob brings


def candidates(
    segments: list[str], module: tuple[str, ...], uses: dict[str, list[str]]
) -> list[str]:
    """Where a path written in ``module`` may point, as ``crate::...`` strings, nearest first:
    through a ``use``, as a child of the module, from the crate root, or through the crate's
    own name (a binary calling its library)."""
    if not segments:
        return []
    head, rest = segments[0], segments[1:]
    if head in uses:
        return candidates(uses[head] + rest, module, {})
    if head == "crate":
        return ["::".join(["crate", *rest])]
    if head in {"self", "super"}:
        base = list(module)
        while segments and segments[0] in {"self", "super"}:
            if segments[0] == "super" and base:
                base.pop()
            segments = segments[1:]
        return ["::".join(["crate", *base, *segments])]
    found = ["::".join(["crate", *module, *segments]), "::".join(["crate", *segments])]
    if rest:
        found.append("::".join(["crate", *rest]))
    return list(dict.fromkeys(found))


# Extractors that hand on a value something else put there or parsed from a header: the
# type inside them is what the handler asks for. A body, query or path extractor
# (Json<LoginForm>) holds the request's data, which says nothing of who sent it.
_PASS_THROUGH = {"Option", "Extension", "TypedHeader", "ReqData", "Authorization", "Result"}


def type_names(node: ts.Node | None, optional: bool = False) -> list[tuple[str, bool]]:
    """The extractor types a parameter's type asks for, each with whether it sits in an
    ``Option``: the type itself and what pass-through extractors hold."""
    if node is None:
        return []
    if node.type in {"type_identifier", "scoped_type_identifier"}:
        return [(ts.text(node).rpartition("::")[2], optional)]
    if node.type == "generic_type":
        name = ts.text(node.child_by_field_name("type")).rpartition("::")[2]
        found = [(name, optional)]
        if name in _PASS_THROUGH:
            inner = optional or name in {"Option", "Result"}  # a rejection it handles itself
            for arg in (node.child_by_field_name("type_arguments") or node).named_children:
                found += type_names(arg, inner)
        return found
    if node.type in {"reference_type", "tuple_type"}:
        found = []
        for child in node.named_children:
            found += type_names(child, optional)
        return found
    return []


PENDING = "rs-ext:"
"""A handler's auth still to be decided once the workspace's guard extractors are known:
``rs-ext:``, what its auth-named extractors say (``public``/``unknown``), ``:`` and the
other extractor types it takes, ``?`` before one it takes only optionally. ``settle``
decides it."""
# Extractors that hold the request's data or the app's state: no project type of that
# name can be a guard (orphan rules keep a project from implementing the trait for them).
_DATA_EXTRACTORS = {"Json", "Path", "Query", "Form", "Data", "State", "HttpRequest", "Request",
                    "Payload", "Bytes", "Multipart", "Body", "Parts", "HeaderMap", "Method",
                    "Uri", "String", "ConnectInfo", "WebSocketUpgrade", "Host"}  # fmt: skip


def handler_auth(function: ts.Node) -> str:
    """``required`` when a parameter is an authenticated-caller extractor (axum
    ``FromRequestParts``/actix ``FromRequest`` rejects the request without one), ``public``
    when such an extractor is only optional (``Option<AuthUser>``, ``MaybeAuthUser``),
    ``unknown`` otherwise. Extractors named like an authenticated caller are decided here;
    when the handler takes other project types, it is ``PENDING`` on whether one of them is
    a guard extractor declared elsewhere in the workspace (``guard_extractor``)."""
    params = function.child_by_field_name("parameters")
    seen = set()
    others = set()
    for param in params.named_children if params else []:
        for name, optional in type_names(param.child_by_field_name("type")):
            if _AUTH_TYPE.match(name) and not _NOT_AUTH.search(name):
                seen.add("public" if optional or _OPTIONAL.match(name) else "required")
            elif name[:1].isupper() and name not in _PASS_THROUGH | _DATA_EXTRACTORS:
                others.add(("?" if optional else "") + name)
    decided = "required" if "required" in seen else "public" if seen else "unknown"
    if decided == "required" or not others:
        return decided
    return f"{PENDING}{decided}:{','.join(sorted(others))}"


def settle(auth: str, guards: frozenset[str]) -> str:
    """A ``PENDING`` handler auth decided with the workspace's guard extractor types: a
    parameter of one is ``required``, an optional one (or a ``Maybe…`` guard) ``public``;
    any other auth is returned as it is."""
    if not auth.startswith(PENDING):
        return auth
    decided, _, names = auth.removeprefix(PENDING).partition(":")
    seen = {decided} - {"unknown"}
    for name in names.split(","):
        bare = name.removeprefix("?")
        if bare in guards:
            seen.add("public" if name != bare or _OPTIONAL.match(bare) else "required")
    return "required" if "required" in seen else "public" if seen else "unknown"


IMPLS = "(impl_item trait: (_) @trait type: (_) @type body: (declaration_list) @body) @impl"
# The request-extractor traits: actix-web's FromRequest, axum's FromRequest<S> and
# FromRequestParts<S>. axum 0.8's OptionalFromRequestParts lets the request through.
_EXTRACTOR_TRAITS = {"FromRequest", "FromRequestParts"}
# The impl refuses the request: an error it returns or raises, or an unauthorized status.
_REJECTS = re.compile(
    r"\bErr\s*\(|\bok_or(_else)?\s*\(|UNAUTHORIZED|FORBIDDEN|ErrorUnauthorized|ErrorForbidden|"
    r"\bUnauthorized\b|\bForbidden\b|\w+Rejection\s*::|\bbail!"
)
# The refusal is about who the caller is: the extractor names or reads an identity, a login,
# a session, a token or credentials, the Authorization header or a cookie.
_IDENTITY = re.compile(
    r"auth|login|user|session|token|jwt|bearer|claims|credential|identity|forbidden|cookie|"
    r"principal|account",
    re.I,
)
# Words that look like an identity and are none: the User-Agent header, a CSRF token.
_NOT_IDENTITY = re.compile(r"user[-_]?agent|csrf\w*", re.I)
_NEVER_REJECTS = re.compile(r"\btype\s+(Rejection|Error)\s*=\s*([\w:]*::)?Infallible\b")


def guard_extractor(impl: ts.Node) -> str | None:
    """The type an ``impl FromRequest for T`` / ``impl<S> FromRequestParts<S> for T`` makes an
    authenticated-caller extractor: its methods reject the request (``Err(..)``, ``?``,
    ``ok_or``, an unauthorized status) and the type's name or the methods carry an identity
    (a user, a session, a token, the Authorization header). A validating or connection
    extractor rejects too, but names no caller. None for any other impl."""
    trait = path_segments(impl.child_by_field_name("trait"))
    target = path_segments(impl.child_by_field_name("type"))
    body = impl.child_by_field_name("body")
    if not trait or trait[-1] not in _EXTRACTOR_TRAITS or not target or body is None:
        return None
    if _NEVER_REJECTS.search(_code(body)):
        return None
    methods = [c for c in body.named_children if c.type == "function_item"]
    code = " ".join(_code(m.child_by_field_name("body")) for m in methods)
    tries = any(True for m in methods for _ in ts.matches("rust", "(try_expression) @t", m))
    if not (tries or _REJECTS.search(code)):
        return None
    if not _IDENTITY.search(_NOT_IDENTITY.sub(" ", f"{target[-1]} {code}")):
        return None
    return target[-1]


def _code(node: ts.Node | None) -> str:
    """A node's text without its comments: a comment is no evidence of what the code does."""
    if node is None:
        return ""
    if node.type in {"line_comment", "block_comment"}:
        return " "
    if not node.children:
        return ts.text(node)
    return " ".join(_code(c) for c in node.children)


def path_constant(node: ts.Node) -> str:
    """What a non-literal path argument names for the constants to answer: the last
    segment of a path (``uri::V1_AUTH_VALID`` -> ``V1_AUTH_VALID``), else its text, which
    names no constant, so that the route is left out with a warning."""
    if node.type in {"identifier", "scoped_identifier"}:
        segments = path_segments(node)
        return segments[-1] if segments else ts.text(node)
    return ts.text(node)[:80]


def route_attributes(function: ts.Node) -> list[tuple[list[str], str, int]]:
    """actix-web ``#[get("/x")]``, ``#[route("/x", method = "GET", method = "POST")]``
    above a function: each as (methods, path, line)."""
    found = []
    sibling = function.prev_named_sibling
    while sibling is not None and sibling.type in {"attribute_item", "line_comment"}:
        attribute = sibling.named_children[0] if sibling.named_children else None
        if attribute is not None and attribute.type == "attribute":
            name = path_segments(attribute.named_children[0] if attribute.named_children else None)
            args = attribute.child_by_field_name("arguments")
            literals = (
                [c for c in args.named_children if c.type == "string_literal"] if args else []
            )
            if name and name[-1] in ROUTE_ATTRIBUTES and literals:
                value = string(literals[0]) or ""
                methods = (
                    [name[-1].upper()]
                    if name[-1] != "route"
                    else [(string(s) or "").upper() for s in literals[1:]] or ["ANY"]
                )
                found.append((methods, value, ts.line(sibling)))
        sibling = sibling.prev_named_sibling
    return found


def middleware_name(node: ts.Node) -> str:
    """What a layer is called in the summary: the function given to ``from_fn``, the type of
    ``TraceLayer::new_for_http()``, the name a layer value is bound to."""
    if node.type == "call_expression":
        callee = node.child_by_field_name("function")
        segments = path_segments(callee)
        args = node.child_by_field_name("arguments")
        named = list(args.named_children) if args else []
        if (segments and segments[-1].startswith("from_fn")) or segments[-1:] == ["from_extractor"]:
            if named:
                return ts.text(named[-1])
            if callee is not None and callee.type == "generic_function":
                return ts.text(callee.child_by_field_name("type_arguments")).strip("<>")
        types = [s for s in segments if s[:1].isupper()]
        if types:
            return types[-1]
        if segments:
            return "::".join(segments)
        if callee is not None and callee.type == "field_expression":
            return middleware_name(callee.child_by_field_name("value") or callee)
    return ts.text(node).split("(")[0].strip()[:80]


def _attribute_texts(node: ts.Node) -> list[str]:
    found = []
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in {"attribute_item", "line_comment"}:
        found.append(ts.text(sibling))
        sibling = sibling.prev_named_sibling
    return found


_TEST_ATTRIBUTE = re.compile(r"^#\[(\w+::)*test\b|^#\[cfg\(test\)\]")


def is_test(function: ts.Node) -> bool:
    """A test function, or one inside a ``#[cfg(test)]`` module: its routers are the test's."""
    node: ts.Node | None = function
    while node is not None:
        if node.type in {"function_item", "mod_item"} and any(
            _TEST_ATTRIBUTE.match(a) for a in _attribute_texts(node)
        ):
            return True
        node = node.parent
    return False


def inline_modules(function: ts.Node) -> list[str]:
    """The ``mod x { ... }`` blocks around a function, outermost first."""
    names: list[str] = []
    node = function.parent
    while node is not None:
        if node.type == "mod_item":
            names.insert(0, text_of_name(node))
        node = node.parent
    return names


def text_of_name(node: ts.Node) -> str:
    return ts.text(node.child_by_field_name("name"))
