"""Facts from C# source, read with the tree-sitter C# grammar (the code is never run):
environment variables and configuration keys, entry points, error handling, EF Core
entities, and ASP.NET Core routes (``http.aspnet``)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.http import aspnet as http
from archdraft.scan.http.aspnet_modules import wrapping_lines
from archdraft.scan.http.aspnet_syntax import call_parts, string
from archdraft.scan.summary import Evidence

_QUERY = """
(invocation_expression) @call
(element_access_expression
  expression: (_) @index.on
  subscript: (bracketed_argument_list . (argument) @index.key))
(class_declaration name: (identifier) @class.name) @class
(method_declaration name: (identifier) @method.name) @method
(compilation_unit (global_statement) @top)
"""
# WebApplication.CreateBuilder and the generic hosts: code that starts a server
_HOSTS = {"CreateBuilder", "CreateSlimBuilder", "CreateEmptyBuilder", "CreateDefaultBuilder",
          "CreateWebHostBuilder", "ConfigureWebHostDefaults", "ConfigureWebHost"}  # fmt: skip
_EXCEPTION_HANDLERS = {"IExceptionFilter", "IAsyncExceptionFilter", "ExceptionFilterAttribute",
                       "IExceptionHandler"}  # fmt: skip
_CONFIG_NAMES = {"configuration", "config", "configurationroot"}
_MAY_HOLD_FACTS = re.compile(
    r"Environment|Configuration|[Cc]onfig\b|GetConnectionString|Exception|DbContext|Main\s*\(|"
    r"Create\w*Builder|Host\b"
)


def extract_csharp(path: str, text: str) -> CodeFacts:
    routing = http.wanted(text)
    if not (routing or _MAY_HOLD_FACTS.search(text)):
        return CodeFacts()
    parsed = ts.Parsed("csharp", text, (_QUERY, *(http.QUERIES if routing else ())))
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    models: list[Found] = []
    hosts: list[int] = []
    top: list[int] = []
    for match in parsed.matches(_QUERY):
        if "call" in match:
            _call(path, match["call"][0], env, errors, hosts)
        elif "index.on" in match:
            prefix = _config_prefix(match["index.on"][0])
            key = string(match["index.key"][0])
            if prefix is not None and key:
                env.append(_config_key(prefix + key, path, match["index.key"][0]))
        elif "class" in match:
            _class(path, match["class"][0], errors, models)
        elif "method" in match:
            method = match["method"][0]
            modifiers = {ts.text(c) for c in method.children if c.type == "modifier"}
            if ts.text(match["method.name"][0]) == "Main" and "static" in modifiers:
                top.append(ts.line(match["method.name"][0]))
        elif "top" in match:
            top.append(ts.line(match["top"][0]))
    if top:
        # top-level statements or a static Main: the program starts here, a server when it
        # builds a web application or host
        kind = "server" if hosts else "cli"
        label = "WebApplication" if hosts else "Main"
        entries.append(Found(label, kind, Evidence(path, min(hosts or top))))
    found = http.extract_aspnet_http(path, parsed) if routing else None
    return CodeFacts(
        models=tuple(models),
        http=found,
        wrapping=wrapping_lines(found),
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        warning=ts.syntax_warning(path, parsed.tree),
    )


def _config_key(key: str, path: str, node: ts.Node) -> Found:
    """A configuration key as the environment variable that sets it: the default
    configuration reads the environment, with ``__`` standing for ``:``."""
    return Found(key.replace(":", "__"), "read", Evidence(path, ts.line(node)))


def _config_prefix(node: ts.Node) -> str | None:
    """What ``node`` reads keys under when it is the configuration (``""``) or a section of
    it (``config.GetSection("Jwt").GetSection("Keys")``: ``"Jwt:Keys:"``); else None."""
    if node.type == "invocation_expression":
        parts = call_parts(node)
        if parts is None or parts[1] not in {"GetSection", "GetRequiredSection"}:
            return None
        outer = _config_prefix(parts[0])
        name = string(parts[3][0]) if parts[3] else None
        return f"{outer}{name}:" if outer is not None and name else None
    if node.type not in {"identifier", "member_access_expression"}:
        return None
    on = ts.text(node).split(".")[-1].lstrip("_").lower()
    return "" if on in _CONFIG_NAMES else None


def _call(path: str, call: ts.Node, env: list[Found], errors: list[Found],
          hosts: list[int]) -> None:  # fmt: skip
    parts = call_parts(call)
    if parts is None:
        return
    receiver, name, name_node, args = parts
    on = ts.text(receiver).split(".")[-1].lstrip("_").lower()
    first = string(args[0]) if args else None
    if name == "GetEnvironmentVariable" and on == "environment" and first:
        env.append(Found(first, "read", Evidence(path, ts.line(name_node))))
    elif name == "GetConnectionString" and first:
        env.append(_config_key(f"ConnectionStrings:{first}", path, name_node))
    elif name in {"GetValue", "GetRequiredValue"} and first:
        prefix = _config_prefix(receiver)
        if prefix is not None:
            env.append(_config_key(prefix + first, path, name_node))
    elif name in {"UseExceptionHandler", "UseStatusCodePagesWithReExecute"}:
        errors.append(Found(name, "handler", Evidence(path, ts.line(name_node))))
    elif name in _HOSTS:
        hosts.append(ts.line(name_node))


def _class(path: str, node: ts.Node, errors: list[Found], models: list[Found]) -> None:
    name_node = node.child_by_field_name("name")
    name = ts.text(name_node)
    bases = next((c for c in node.children if c.type == "base_list"), None)
    base_names = [
        ts.text(b.named_children[0] if b.type == "generic_name" and b.named_children else b).split(
            "."
        )[-1]
        for b in (bases.named_children if bases is not None else [])
    ]
    line = ts.line(name_node) if name_node is not None else ts.line(node)
    if base_names and base_names[0].endswith("Exception"):
        errors.append(Found(name, "class", Evidence(path, line)))
    if set(base_names) & _EXCEPTION_HANDLERS:
        errors.append(Found(name, "handler", Evidence(path, line)))
    if any(b.endswith("DbContext") for b in base_names):
        body = node.child_by_field_name("body")
        for member in body.named_children if body is not None else []:
            kind = member.child_by_field_name("type")
            if member.type != "property_declaration" or kind is None:
                continue
            if kind.type == "generic_name" and ts.text(kind.named_children[0]) == "DbSet":
                arguments = (
                    kind.named_children[1].named_children if len(kind.named_children) > 1 else []
                )
                if arguments:
                    entity = ts.text(arguments[0]).split(".")[-1]
                    models.append(Found(entity, "orm_model", Evidence(path, ts.line(member))))
