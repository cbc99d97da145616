"""Facts from PHP source, read with the tree-sitter PHP grammar (the code is never run):
environment variables, entry points, Eloquent models and migrations' tables, exception
classes and handlers, and Laravel's routes (``http.laravel``)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.http import laravel_app
from archdraft.scan.http import php_syntax as php
from archdraft.scan.http.laravel import read_routes
from archdraft.scan.http.model import HttpBuilder
from archdraft.scan.http.symfony import QUERY as SYMFONY_QUERY
from archdraft.scan.http.symfony import read_symfony
from archdraft.scan.summary import Evidence

_QUERY = """
(function_call_expression function: (name) @env.fn arguments: (arguments . (argument) @env.arg))
(subscript_expression (variable_name) @super (_) @super.key)
(class_declaration name: (name) @class.name (base_clause (_) @class.base)) @class
(scoped_call_expression scope: (_) @schema.scope name: (name) @schema.name
  arguments: (arguments . (argument) @schema.arg))
(member_call_expression name: (name) @serve.name) @serve
"""
_ENV_CALLS = {"env", "getenv"}
_ENV_ARRAYS = {"$_ENV", "$_SERVER"}
_MODEL_BASES = {"Model", "Authenticatable", "Pivot", "MorphPivot", "Eloquent", "User"}
_EXCEPTION_BASE = re.compile(r"(Exception|Error)$")
_HANDLER_BASES = {"ExceptionHandler", "Handler"}
# public/index.php hands the request to the kernel; artisan hands the command line
_SERVE = {"handle": "server", "handleRequest": "server", "handleCommand": "cli"}
_ENTRY_FILES = {"public/index.php": "server", "artisan": "cli"}
# Bytes a file must hold for each kind of fact, so most files are never parsed
_MAY_HOLD = re.compile(
    rb"env\(|getenv\(|\$_ENV|\$_SERVER|\bextends\b|Schema::|Route::|Application::|#\[Route", re.I
)


# The Route facade's calls, or an import of it under another name (``Route as Facade``)
_ROUTE_CALLS = re.compile(r"Route::|\bRoute\s+as\s+\w+")


def is_php(path: str) -> bool:
    return path.endswith(".php") or path == "artisan" or path.endswith("/artisan")


def _entry_kind(path: str) -> str | None:
    return next((k for name, k in _ENTRY_FILES.items() if path == name or
                 path.endswith("/" + name)), None)  # fmt: skip


def extract_php(path: str, text: str) -> CodeFacts:
    entry = _entry_kind(path)
    if entry is None and not _MAY_HOLD.search(text.encode("utf-8", "replace")):
        return CodeFacts()
    routing = (
        _ROUTE_CALLS.search(text) is not None or "Application::" in text or "middleware" in text
    )
    attributes = "#[Route" in text
    queries = (_QUERY, *((laravel_app.QUERY,) if routing else ()),
               *((SYMFONY_QUERY,) if attributes else ()))  # fmt: skip
    parsed = ts.Parsed("php", text, queries)
    env: list[Found] = []
    models: list[Found] = []
    errors: list[Found] = []
    serve_line: int | None = None
    for match in parsed.matches(_QUERY):
        if "env.fn" in match:
            name = php.literal(match["env.arg"][0])
            if ts.text(match["env.fn"][0]) in _ENV_CALLS and name:
                env.append(Found(name, "read", Evidence(path, ts.line(match["env.arg"][0]))))
        elif "super" in match:
            key = php.literal(match["super.key"][0])
            if ts.text(match["super"][0]) in _ENV_ARRAYS and key and key.isupper():
                env.append(Found(key, "read", Evidence(path, ts.line(match["super"][0]))))
        elif "class" in match:
            name = ts.text(match["class.name"][0])
            base = php.short(ts.text(match["class.base"][0]))
            where = Evidence(path, ts.line(match["class.name"][0]))
            if base in _MODEL_BASES and "/Exceptions/" not in path:
                models.append(Found(name, "orm_model", where))
            elif base in _HANDLER_BASES and path.endswith("Exceptions/Handler.php"):
                errors.append(Found(name, "handler", where))
            elif _EXCEPTION_BASE.search(base):
                errors.append(Found(name, "class", where))
        elif "schema.scope" in match:
            table = php.literal(match["schema.arg"][0])
            if (
                php.short(ts.text(match["schema.scope"][0])) == "Schema"
                and ts.text(match["schema.name"][0]) == "create"
                and table
            ):
                where = Evidence(path, ts.line(match["schema.arg"][0]))
                models.append(Found(table, "table", where))
        elif "serve.name" in match and entry and ts.text(match["serve.name"][0]) in _SERVE:
            serve_line = serve_line or ts.line(match["serve"][0])
    entries = [Found(path, entry, Evidence(path, serve_line or 1))] if entry else []
    http = None
    if routing or attributes:
        out = HttpBuilder(path, "php")
        if _ROUTE_CALLS.search(text):
            read_routes(out, parsed.root)
        if routing:
            handlers = laravel_app.read_app(out, parsed)
            errors += [Found(n, "handler", Evidence(path, line)) for n, line in handlers]
        if attributes:
            read_symfony(out, parsed)
        http = out.freeze()
    return CodeFacts(
        models=tuple(models),
        http=http,
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        warning=ts.syntax_warning(path, parsed.tree),
    )
