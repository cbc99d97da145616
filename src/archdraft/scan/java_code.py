"""Facts from Java source, read with the tree-sitter Java grammar, and from Spring
``application*.properties|yml`` files (the code is never run)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.domain import JAVA_QUERY as DOMAIN_QUERY
from archdraft.scan.domain import java_domain
from archdraft.scan.http import java as http
from archdraft.scan.http.java import context_path
from archdraft.scan.summary import Evidence

_QUERY = """
(method_invocation
  object: (identifier) @call.object
  name: (identifier) @call.name
  arguments: (argument_list) @call.args) @call
(annotation name: (identifier) @ann.name arguments: (annotation_argument_list) @ann.args) @ann
(marker_annotation name: (identifier) @marker.name) @marker
(class_declaration name: (identifier) @class.name superclass: (superclass (_) @class.super))
(method_declaration name: (identifier) @method.name) @method
"""
_SERVER_ANNOTATIONS = {"SpringBootApplication", "QuarkusMain", "MicronautApplication"}
_ADVICE = {"ControllerAdvice", "RestControllerAdvice"}
_PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::[^}]*)?\}")
_EXCEPTION = re.compile(r"(Exception|Error)$")


def _enclosing(node: ts.Node, *types: str) -> ts.Node | None:
    current = node.parent
    while current is not None and current.type not in types:
        current = current.parent
    return current


def _name(node: ts.Node | None) -> str:
    return ts.text(node.child_by_field_name("name")) if node is not None else ""


def extract_java(path: str, text: str) -> CodeFacts:
    routing = http.wanted(text)
    parsed = ts.Parsed("java", text, (_QUERY, DOMAIN_QUERY, *(http.QUERIES if routing else ())))
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    for match in parsed.matches(_QUERY):
        if "call" in match:
            target = f"{ts.text(match['call.object'][0])}.{ts.text(match['call.name'][0])}"
            args = match["call.args"][0].named_children
            if target == "System.getenv" and args and args[0].type == "string_literal":
                env.append(Found(ts.unquote(args[0]), "read", Evidence(path, ts.line(args[0]))))
            elif target in {"SpringApplication.run", "Micronaut.run", "Quarkus.run"}:
                entries.append(
                    Found(f"{target}()", "server", Evidence(path, ts.line(match["call"][0])))
                )
        elif "ann" in match:
            name = ts.text(match["ann.name"][0])
            if name == "Value":
                value = match["ann.args"][0]
                env += [
                    Found(m.group(1), "read", Evidence(path, ts.line(value)))
                    for m in _PLACEHOLDER.finditer(ts.text(value))
                ]
            elif name == "ExceptionHandler":
                method = _enclosing(match["ann"][0], "method_declaration")
                owner = _enclosing(match["ann"][0], "class_declaration")
                if method is not None:
                    label = (
                        f"{_name(owner)}.{_name(method)}" if owner is not None else _name(method)
                    )
                    errors.append(Found(label, "handler", Evidence(path, ts.line(method))))
            elif name in _SERVER_ANNOTATIONS or name in _ADVICE:
                _class_annotation(match["ann"][0], name, path, entries, errors)
        elif "marker" in match:
            _class_annotation(
                match["marker"][0], ts.text(match["marker.name"][0]), path, entries, errors
            )
        elif "class.name" in match:
            superclass = ts.text(match["class.super"][0]).split("<")[0].split(".")[-1]
            if _EXCEPTION.search(superclass):
                node = match["class.name"][0]
                errors.append(Found(ts.text(node), "class", Evidence(path, ts.line(node))))
        elif "method" in match:
            method = match["method"][0]
            modifiers = ts.text(method.child(0)) if method.child_count else ""
            if ts.text(match["method.name"][0]) == "main" and "static" in modifiers:
                entries.append(Found("main()", "cli", Evidence(path, ts.line(method))))
    warning = ts.syntax_warning(path, parsed.tree)
    models, services = java_domain(path, parsed)
    return CodeFacts(
        models=tuple(models),
        services=tuple(services),
        http=http.extract_java_http(path, text, parsed) if routing else None,
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        warning=warning,
    )


def _class_annotation(annotation: ts.Node, name: str, path: str, entries: list[Found],
                      errors: list[Found]) -> None:  # fmt: skip
    owner = _enclosing(annotation, "class_declaration")
    if owner is None:
        return
    if name in _SERVER_ANNOTATIONS:
        entries.append(Found(f"@{name}", "server", Evidence(path, ts.line(owner))))
    elif name in _ADVICE:
        name_node = owner.child_by_field_name("name")
        line = ts.line(name_node) if name_node is not None else ts.line(owner)
        errors.append(Found(_name(owner), "handler", Evidence(path, line)))


def is_spring_config(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith(("application", "bootstrap")) and name.endswith(
        (".properties", ".yml", ".yaml")
    )


def extract_spring_config(path: str, text: str) -> CodeFacts:
    """``${NAME}`` placeholders in Spring configuration name environment variables."""
    env = [
        Found(m.group(1), "read", Evidence(path, number))
        for number, line in enumerate(text.splitlines(), start=1)
        if not line.lstrip().startswith("#")
        for m in _PLACEHOLDER.finditer(line)
    ]
    return CodeFacts(env_vars=tuple(env), http=context_path(path, text))
