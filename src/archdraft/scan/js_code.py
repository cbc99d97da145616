"""Facts from JavaScript and TypeScript source, read with tree-sitter grammars (the code
is never run). Queries run inside tree-sitter; Python only filters their captures."""

from __future__ import annotations

import re
from functools import cache
from pathlib import PurePosixPath

import tree_sitter
import tree_sitter_javascript
import tree_sitter_typescript

from archdraft.scan.code_facts import CodeFacts, Found
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


@cache
def _language(kind: str) -> tree_sitter.Language:
    if kind == "tsx":
        return tree_sitter.Language(tree_sitter_typescript.language_tsx())
    if kind == "ts":
        return tree_sitter.Language(tree_sitter_typescript.language_typescript())
    return tree_sitter.Language(tree_sitter_javascript.language())


@cache
def _parser_and_query(kind: str) -> tuple[tree_sitter.Parser, tree_sitter.Query]:
    language = _language(kind)
    return tree_sitter.Parser(language), tree_sitter.Query(language, _QUERY)


def _grammar_for(path: str) -> str | None:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix == ".tsx":
        return "tsx"
    if suffix in TS_SUFFIXES:
        return "ts"
    if suffix in JS_SUFFIXES:
        return "js"
    return None


def is_js_or_ts(path: str) -> bool:
    return _grammar_for(path) is not None


def _text(node: tree_sitter.Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def _line(node: tree_sitter.Node) -> int:
    return node.start_point.row + 1


def _pattern_names(pattern: tree_sitter.Node) -> list[tree_sitter.Node]:
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


def _function_name(fn: tree_sitter.Node) -> str:
    name = fn.child_by_field_name("name")
    if name is not None:
        return _text(name)
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        declared = parent.child_by_field_name("name")
        if declared is not None:
            return _text(declared)
    return "error-handling middleware"


def extract_js(path: str, text: str) -> CodeFacts:
    kind = _grammar_for(path)
    if kind is None:
        return CodeFacts()
    parser, query = _parser_and_query(kind)
    tree = parser.parse(text.encode("utf-8", "surrogatepass"))
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    esm = cjs = False
    for _index, match in tree_sitter.QueryCursor(query).matches(tree.root_node):
        if "env.obj" in match:
            if _text(match["env.obj"][0]) != "process" or _text(match["env.prop"][0]) != "env":
                continue
            if "env.pattern" in match:
                for name in _pattern_names(match["env.pattern"][0]):
                    env.append(Found(_text(name), "read", Evidence(path, _line(name))))
            else:
                node = match["env.name"][0]
                env.append(Found(_text(node), "read", Evidence(path, _line(node))))
        elif "listen.call" in match:
            if _text(match["listen.method"][0]) in _SERVER_METHODS:
                call = match["listen.call"][0]
                callee = call.child_by_field_name("function")
                shown = _text(callee) if callee is not None else "listen"
                entries.append(Found(f"{shown}()", "server", Evidence(path, _line(call))))
        elif "error.class" in match:
            if _ERROR_HERITAGE.search(_text(match["error.heritage"][0])):
                node = match["error.class"][0]
                errors.append(Found(_text(node), "class", Evidence(path, _line(node))))
        elif "error.params" in match:
            params = match["error.params"][0]
            fn = params.parent
            if (
                fn is not None
                and fn.type
                in {"arrow_function", "function_expression", "function_declaration", "function"}
                and params.named_child_count == 4
                and _ERROR_PARAM.match(_text(params.named_children[0]))
            ):
                errors.append(Found(_function_name(fn), "handler", Evidence(path, _line(fn))))
        elif "esm" in match:
            esm = True
        elif "cjs.require" in match:
            cjs = cjs or _text(match["cjs.require"][0]) == "require"
        elif "cjs.module" in match:
            obj, prop = _text(match["cjs.module"][0]), _text(match["cjs.exports"][0])
            cjs = cjs or (obj == "module" and prop == "exports") or obj == "exports"
    syntax = "both" if esm and cjs else "esm" if esm else "commonjs" if cjs else None
    warning = (
        f"{path}: parsed with syntax errors; facts from it may be incomplete"
        if tree.root_node.has_error
        else None
    )
    return CodeFacts(
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        module_syntax=syntax,
        warning=warning,
    )
