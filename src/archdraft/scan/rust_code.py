"""Facts from Rust source, read with the tree-sitter Rust grammar (the code is never run).

Environment variables: ``std::env::var``/``var_os``, ``dotenvy::var``, and the fields of a
struct that ``envy::from_env::<T>()`` fills or that clap reads with ``#[arg(env)]`` (a field
``database_url`` is ``DATABASE_URL``, as both crates name it). Entry points: ``fn main`` in
``src/main.rs``/``src/bin``, and each call that starts a server. Models: Diesel ``table!``,
structs deriving SQLx ``FromRow``, Diesel ``Queryable``/``Selectable`` or SeaORM's
``DeriveEntityModel`` (named by its ``table_name``). Errors: ``impl IntoResponse``/
``ResponseError`` for a type (a handler), and error types (``thiserror`` or
``impl std::error::Error``)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.http import rust as http
from archdraft.scan.http.rust_syntax import path_segments, string, uses_of
from archdraft.scan.summary import Evidence

_QUERY = """
(call_expression function: (_) @call.fn arguments: (arguments) @call.args) @call
(macro_invocation macro: (_) @macro.name (token_tree) @macro.body) @macro
(struct_item name: (type_identifier) @struct.name) @struct
(enum_item name: (type_identifier) @enum.name) @enum
(impl_item trait: (_) @impl.trait type: (_) @impl.type) @impl
(function_item name: (identifier) @main (#eq? @main "main"))
"""
_ENV_CALLS = {("env", "var"), ("env", "var_os"), ("dotenvy", "var"), ("dotenv", "var"),
              ("dotenvy", "var_os"), ("env", "remove_var"),
              # tracing-subscriber's filter, read from the variable it is given
              ("EnvFilter", "from_env"), ("EnvFilter", "try_from_env")}  # fmt: skip
# Calls that read a variable they do not name: tracing-subscriber's default filter
_IMPLICIT_ENV = {("EnvFilter", "from_default_env"): "RUST_LOG",
                 ("EnvFilter", "try_from_default_env"): "RUST_LOG"}  # fmt: skip
_SERVER_CALLS = {("axum", "serve"), ("HttpServer", "new"), ("Server", "bind"),
                 ("axum_server", "bind"), ("axum_server", "bind_rustls")}  # fmt: skip
_ORM_DERIVES = {"FromRow", "DeriveEntityModel", "Queryable", "Selectable", "Identifiable"}
_ERROR_TRAITS = {"IntoResponse": "handler", "ResponseError": "handler", "Error": "class"}
_MAY_HOLD_FACTS = re.compile(
    r"fn main|env::|dotenv|envy|env\b|HttpServer|serve|table!|FromRow|DeriveEntityModel|"
    r"Queryable|Selectable|IntoResponse|ResponseError|Error|Router|App::new|#\[(actix_web::)?"
    r"(get|post|put|patch|delete|head|options|route)\("
)
# routing, or a handler whose extractors a route in another file needs for its auth (any
# file using the framework), or an extractor that may be a guard (impl FromRequest..)
_ROUTING = re.compile(
    r"Router|Auth|Claims|Identity|Current|Bearer|Jwt|JWT|Principal|App::new|web::|ServiceConfig|"
    r"\bactix_web\b|\baxum\b|FromRequest|"
    r"#\[(actix_web::)?(get|post|put|patch|delete|head|options|route)\(|\.route\(|\.nest\(|"
    r"\.service\(|"
    # a module of path constants another module's routes name
    r"(const|static)\s+[A-Z_][A-Z0-9_]*\s*:\s*&('static\s+)?str\s*=\s*\"/|"
    # a main that only serves what another module builds: axum::serve(listener, app)
    r"\bserve\(|HttpServer::|into_make_service"
)
_TABLE_NAME = re.compile(r'table_name\s*=\s*"([^"]+)"')


_ENTRY_FILE = re.compile(r"(^|/)src/(main\.rs|bin/[^/]+\.rs|bin/[^/]+/main\.rs)$")


def _attributes(node: ts.Node) -> list[str]:
    """The text of the attributes stacked above an item."""
    found = []
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in {"attribute_item", "line_comment"}:
        if sibling.type == "attribute_item":
            found.append(ts.text(sibling))
        sibling = sibling.prev_named_sibling
    return found


def _derives(node: ts.Node) -> set[str]:
    names: set[str] = set()
    for attribute in _attributes(node):
        if "derive" in attribute:
            names |= {n.rpartition("::")[2] for n in re.findall(r"[\w:]+", attribute)}
    return names


def _field_env(struct: ts.Node, path: str, all_fields: str | None) -> list[Found]:
    """Env names of a struct's fields: all of them (``envy``, with its prefix), or those
    clap reads with ``env`` / ``env = "NAME"``."""
    found = []
    body = struct.child_by_field_name("body")
    for item in body.named_children if body else []:
        if item.type != "field_declaration":
            continue
        name = ts.text(item.child_by_field_name("name"))
        attrs = " ".join(_attributes(item) + [ts.text(c) for c in item.children
                                               if c.type == "attribute_item"])  # fmt: skip
        explicit = re.search(r'\benv\s*=\s*"([A-Za-z_][A-Za-z0-9_]*)"', attrs)
        if all_fields is not None:
            found.append(Found(all_fields + name.upper(), "read", Evidence(path, ts.line(item))))
        elif explicit:
            found.append(Found(explicit.group(1), "read", Evidence(path, ts.line(item))))
        elif re.search(r"#\[(clap|arg)\([^\]]*\benv\b", attrs):
            found.append(Found(name.upper(), "read", Evidence(path, ts.line(item))))
    return found


def extract_rust(path: str, text: str) -> CodeFacts:
    routing = _ROUTING.search(text) is not None
    if not (routing or _MAY_HOLD_FACTS.search(text)):
        return CodeFacts()
    queries = (http.QUERY, http.IMPLS, http.CONSTANTS) if routing else ()
    parsed = ts.Parsed("rust", text, (_QUERY, *queries))
    uses = uses_of(parsed.root)
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    models: list[Found] = []
    structs: dict[str, ts.Node] = {}
    envy: dict[str, str] = {}
    for match in parsed.matches(_QUERY):
        if "call" in match:
            segments = path_segments(match["call.fn"][0])
            if segments and segments[0] in uses:
                segments = uses[segments[0]] + segments[1:]
            pair = tuple(segments[-2:])
            args = match["call.args"][0].named_children
            value = string(args[0]) if args else None
            if pair in _ENV_CALLS and value:
                env.append(Found(value, "read", Evidence(path, ts.line(args[0]))))
            elif pair in _IMPLICIT_ENV:
                line = ts.line(match["call"][0])
                env.append(Found(_IMPLICIT_ENV[pair], "read", Evidence(path, line)))
            elif pair in _SERVER_CALLS:
                line = ts.line(match["call"][0])
                entries.append(Found("::".join(pair) + "()", "server", Evidence(path, line)))
            elif "envy" in ts.text(match["call.fn"][0]):
                call_text = ts.text(match["call"][0])
                prefixed = re.search(r'prefixed\(\s*"([^"]*)"', call_text)
                for name in re.findall(r"::<\s*(\w+)\s*>", call_text):
                    envy[name] = prefixed.group(1) if prefixed else ""
        elif "macro" in match:
            name = ts.text(match["macro.name"][0]).rpartition("::")[2]
            body = match["macro.body"][0]
            first = next((c for c in body.named_children if c.type == "identifier"), None)
            if name == "table" and first is not None:
                models.append(Found(ts.text(first), "table", Evidence(path, ts.line(first))))
        elif "struct" in match:
            node = match["struct"][0]
            name = ts.text(match["struct.name"][0])
            structs[name] = node
            derives = _derives(node)
            if derives & _ORM_DERIVES:
                table = _TABLE_NAME.search(" ".join(_attributes(node)))
                label = table.group(1) if table and name == "Model" else name
                models.append(Found(label, "orm_model", Evidence(path, ts.line(node))))
            if "Error" in derives:
                errors.append(Found(name, "class", Evidence(path, ts.line(node))))
            env += _field_env(node, path, None)
        elif "enum" in match:
            if "Error" in _derives(match["enum"][0]):
                line = ts.line(match["enum"][0])
                errors.append(Found(ts.text(match["enum.name"][0]), "class", Evidence(path, line)))
        elif "impl" in match:
            trait = ts.text(match["impl.trait"][0]).rpartition("::")[2].split("<")[0]
            kind = _ERROR_TRAITS.get(trait)
            if kind is not None:
                name = ts.text(match["impl.type"][0])
                errors.append(Found(name, kind, Evidence(path, ts.line(match["impl"][0]))))
        elif "main" in match and _ENTRY_FILE.search(path):
            entries.append(Found("main()", "cli", Evidence(path, ts.line(match["main"][0]))))
    for name, env_prefix in sorted(envy.items()):
        if name in structs:
            env += _field_env(structs[name], path, env_prefix)
    return CodeFacts(
        models=tuple(models),
        http=http.extract_rust_http(path, parsed) if routing else None,
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        warning=ts.syntax_warning(path, parsed.tree),
    )
