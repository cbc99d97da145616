"""Facts from JavaScript and TypeScript source, read with tree-sitter grammars (the code
is never run). Queries run inside tree-sitter; Python only filters their captures."""

from __future__ import annotations

import re

from archdraft import pathnames
from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.domain import JS_QUERY as DOMAIN_QUERY
from archdraft.scan.domain import js_domain
from archdraft.scan.http.js import EXPORTED_CONSTANT, extract_http
from archdraft.scan.http.js import TRIGGER as HTTP_TRIGGER
from archdraft.scan.http.js import queries as http_queries
from archdraft.scan.summary import Evidence

JS_SUFFIXES = frozenset({".js", ".jsx", ".mjs", ".cjs"})
TS_SUFFIXES = frozenset({".ts", ".mts", ".cts", ".tsx"})

_QUERY = """
(member_expression
  object: (member_expression
    object: (identifier) @env.obj
    property: (property_identifier) @env.prop)
  property: (property_identifier) @env.name)
(subscript_expression
  object: (member_expression
    object: (identifier) @env.obj
    property: (property_identifier) @env.prop)
  index: (string (string_fragment) @env.name))
(variable_declarator
  name: (object_pattern) @env.pattern
  value: (member_expression
    object: (identifier) @env.obj
    property: (property_identifier) @env.prop))
(call_expression
  function: (member_expression property: (property_identifier) @listen.method)) @listen.call
(class_declaration name: (_) @error.class (class_heritage) @error.heritage)
(formal_parameters) @error.params
(decorator (call_expression function: (identifier) @catch.name)) @catch
(import_statement) @esm
(export_statement) @esm
(call_expression function: (identifier) @cjs.require)
(assignment_expression
  left: (member_expression
    object: (identifier) @cjs.module
    property: (property_identifier) @cjs.exports))
"""

_ERROR_PARAM = re.compile(r"^(err|error|e|ex|exc|exception)\b")
_ERROR_HERITAGE = re.compile(r"extends\s+[\w.]*(Error|Exception)\b")
_SERVER_METHODS = {"listen"}


def _grammar_for(path: str) -> str | None:
    suffix = pathnames.suffix(path)
    if suffix == ".tsx":
        return "tsx"
    if suffix in TS_SUFFIXES:
        return "ts"
    if suffix in JS_SUFFIXES:
        return "js"
    return None


def is_js_or_ts(path: str) -> bool:
    return _grammar_for(path) is not None


def _pattern_names(pattern: ts.Node) -> list[ts.Node]:
    names = []
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            names.append(child)
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            if key is not None:
                names.append(key)
        elif child.type == "object_assignment_pattern":
            left = child.child_by_field_name("left")
            if left is not None:
                names.append(left)
    return names


def _function_name(fn: ts.Node) -> str:
    name = fn.child_by_field_name("name")
    if name is not None:
        return ts.text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        declared = parent.child_by_field_name("name")
        if declared is not None:
            return ts.text(declared)
    return "error-handling middleware"


def _decorated_class(decorator: ts.Node) -> ts.Node | None:
    """The class a decorator belongs to (``export class`` puts it on the export)."""
    parent = decorator.parent
    if parent is not None and parent.type == "export_statement":
        parent = parent.child_by_field_name("declaration")
    return parent if parent is not None and "class" in parent.type else None


_TRIGGERS = re.compile(
    r"process\.env|\.listen\(|Error|Exception|Catch\(|\berr\b|\berror\b|"
    r"Entity|Service|Injectable|model\(|define\(|Table\(|createTable|extends Model"
)
_ESM_LINE = re.compile(r"(?m)^\s*(import\s|import\{|export\s)")
_CJS_USE = re.compile(r"\brequire\(|\bmodule\.exports\b|\bexports\.\w+\s*=")


def extract_js(path: str, text: str) -> CodeFacts:
    kind = _grammar_for(path)
    if kind is None:
        return CodeFacts()
    routing = HTTP_TRIGGER.search(text) is not None or EXPORTED_CONSTANT.search(text) is not None
    if not _TRIGGERS.search(text) and not routing:
        # Nothing to extract but the module syntax, which lines show well enough.
        esm, cjs = bool(_ESM_LINE.search(text)), bool(_CJS_USE.search(text))
        return CodeFacts(
            module_syntax="both" if esm and cjs else "esm" if esm else "commonjs" if cjs else None
        )
    parsed = ts.Parsed(kind, text, (_QUERY, DOMAIN_QUERY, *(http_queries(kind) if routing else ())))
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    esm = cjs = False
    for match in parsed.matches(_QUERY):
        if "env.obj" in match:
            if ts.text(match["env.obj"][0]) != "process" or ts.text(match["env.prop"][0]) != "env":
                continue
            if "env.pattern" in match:
                for name in _pattern_names(match["env.pattern"][0]):
                    env.append(Found(ts.text(name), "read", Evidence(path, ts.line(name))))
            else:
                node = match["env.name"][0]
                env.append(Found(ts.text(node), "read", Evidence(path, ts.line(node))))
        elif "listen.call" in match:
            if ts.text(match["listen.method"][0]) in _SERVER_METHODS:
                call = match["listen.call"][0]
                callee = call.child_by_field_name("function")
                shown = ts.text(callee) if callee is not None else "listen"
                entries.append(Found(f"{shown}()", "server", Evidence(path, ts.line(call))))
        elif "error.class" in match:
            if _ERROR_HERITAGE.search(ts.text(match["error.heritage"][0])):
                node = match["error.class"][0]
                errors.append(Found(ts.text(node), "class", Evidence(path, ts.line(node))))
        elif "error.params" in match:
            params = match["error.params"][0]
            fn = params.parent
            if (
                fn is not None
                and fn.type
                in {"arrow_function", "function_expression", "function_declaration", "function"}
                and params.named_child_count == 4
                and _ERROR_PARAM.match(ts.text(params.named_children[0]))
            ):
                errors.append(Found(_function_name(fn), "handler", Evidence(path, ts.line(fn))))
        elif "catch" in match:
            if ts.text(match["catch.name"][0]) == "Catch":
                owner = _decorated_class(match["catch"][0])
                if owner is not None:
                    label = ts.text(owner.child_by_field_name("name"))
                    errors.append(Found(label, "handler", Evidence(path, ts.line(owner))))
        elif "esm" in match:
            esm = True
        elif "cjs.require" in match:
            cjs = cjs or ts.text(match["cjs.require"][0]) == "require"
        elif "cjs.module" in match:
            obj, prop = ts.text(match["cjs.module"][0]), ts.text(match["cjs.exports"][0])
            cjs = cjs or (obj == "module" and prop == "exports") or obj == "exports"
    syntax = "both" if esm and cjs else "esm" if esm else "commonjs" if cjs else None
    warning = ts.syntax_warning(path, parsed.tree)
    models, services = js_domain(path, parsed)
    return CodeFacts(
        models=tuple(models),
        services=tuple(services),
        http=extract_http(path, text, parsed) if routing else None,
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        module_syntax=syntax,
        warning=warning,
    )
