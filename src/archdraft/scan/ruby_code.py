"""Facts from Ruby source, read with the tree-sitter Ruby grammar (the code is never run):
environment variables, entry points (``config.ru``, ``bin/rails``), ActiveRecord models and
``db/schema.rb`` tables, error classes and ``rescue_from`` handlers, ``config.middleware``
in ``config/application.rb``, and the Rails routes and controllers joined later."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.http.rails_controllers import read_classes
from archdraft.scan.http.rails_resolve import RailsFile
from archdraft.scan.http.rails_routes import read_routes
from archdraft.scan.summary import Evidence

_QUERY = """
(element_reference object: (constant) @env.recv . (string) @env.name)
(call receiver: (constant) @env.recv
      method: (identifier) @env.method
      arguments: (argument_list . (string) @env.name))
(call receiver: (call receiver: (identifier) @mw.config method: (identifier) @mw.stack)
      method: (identifier) @mw.method
      arguments: (argument_list) @mw.args) @mw
(call method: (identifier) @table.method arguments: (argument_list . (string) @table.name))
(call method: (identifier) @run.method arguments: (argument_list)) @run
"""
_ENV_METHODS = {"fetch", "key?", "has_key?", "include?", "[]"}
_MIDDLEWARE = {"use", "insert_before", "insert_after", "insert", "unshift", "swap"}
_MODEL_BASES = {"ApplicationRecord", "ActiveRecord::Base", "::ActiveRecord::Base"}
_ERROR_BASES = re.compile(r"(^|::)(StandardError|Exception|RuntimeError|\w+Error)$")
# The bytes a file must hold for any fact read here
_MAY_HOLD = re.compile(
    r"ENV|class |module |middleware|create_table|draw|resources?\b|\bget\b|\bpost\b|\brun\b"
)


def wants_ruby(path: str) -> bool:
    return (
        path.endswith((".rb", "/config.ru"))
        or path in {"config.ru", "bin/rails"}
        or (path.endswith("/bin/rails"))
    )


# Rails evaluates the ERB in its YAML configuration (database.yml, cable.yml, storage.yml)
_ERB = re.compile(r"<%=?(.*?)%>", re.DOTALL)
_ERB_ENV = re.compile(r"""\bENV(?:\[\s*|\.fetch\(\s*)(["'])([A-Za-z_]\w*)\1""")


def is_rails_yaml(path: str) -> bool:
    """YAML under a ``config/`` folder, which Rails reads through ERB."""
    return ("config/" in path) and path.endswith((".yml", ".yaml", ".yml.erb"))


def extract_rails_yaml(path: str, text: str) -> CodeFacts:
    """``<%= ENV["DATABASE_URL"] %>`` and ``ENV.fetch("X") { 5 }`` inside ERB tags: the
    environment variables a Rails YAML configuration reads."""
    env: list[Found] = []
    for tag in _ERB.finditer(text):
        for read in _ERB_ENV.finditer(tag.group(1)):
            line = text.count("\n", 0, tag.start(1) + read.start()) + 1
            env.append(Found(read.group(2), "read", Evidence(path, line)))
    return CodeFacts(env_vars=tuple(env))


def _is_routes(path: str) -> bool:
    return path.endswith("config/routes.rb") or "config/routes/" in path


def _env(path: str, match: ts.Match) -> list[Found]:
    if ts.text(match["env.recv"][0]) != "ENV":
        return []
    if "env.method" in match and ts.text(match["env.method"][0]) not in _ENV_METHODS:
        return []
    name = match["env.name"][0]
    if any(c.type == "interpolation" for c in name.named_children):
        return []
    return [Found(ts.unquote(name), "read", Evidence(path, ts.line(name)))]


def _middleware(match: ts.Match) -> list[tuple[str, int]]:
    """``config.middleware.use X`` and ``insert_before(Y, X)``: the middleware added."""
    if (ts.text(match["mw.config"][0]), ts.text(match["mw.stack"][0])) != ("config", "middleware"):
        return []
    method = ts.text(match["mw.method"][0])
    if method not in _MIDDLEWARE:
        return []
    args = [a for a in match["mw.args"][0].named_children if a.type != "comment"]
    at = 1 if method in {"insert_before", "insert_after", "insert", "swap"} else 0
    if len(args) <= at:
        return []
    return [(ts.text(args[at]).strip("\"'")[:80], ts.line(match["mw"][0]))]


def extract_ruby(path: str, text: str) -> CodeFacts:
    if path == "bin/rails" or path.endswith("/bin/rails"):
        return CodeFacts(entrypoints=(Found("rails", "cli", Evidence(path, 1)),))
    if not _MAY_HOLD.search(text):
        return CodeFacts()
    parsed = ts.Parsed("ruby", text, (_QUERY,))
    env: list[Found] = []
    entries: list[Found] = []
    models: list[Found] = []
    errors: list[Found] = []
    middleware: list[tuple[str, int]] = []
    config_file = path.endswith("config/application.rb")
    for match in parsed.matches(_QUERY):
        if "env.name" in match:
            env += _env(path, match)
        elif "mw" in match and config_file:
            middleware += _middleware(match)
        elif "table.name" in match and path.endswith("db/schema.rb"):
            if ts.text(match["table.method"][0]) == "create_table":
                table = match["table.name"][0]
                models.append(Found(ts.unquote(table), "table", Evidence(path, ts.line(table))))
        elif (
            "run" in match
            and path.endswith("config.ru")
            and ts.text(match["run.method"][0]) == "run"
        ):
            entries.append(Found("rack app", "server", Evidence(path, ts.line(match["run"][0]))))
    classes = read_classes(parsed.root)
    for each in classes:
        if each.module:
            continue
        if each.superclass in _MODEL_BASES and each.name != "ApplicationRecord":
            models.append(Found(each.name, "orm_model", Evidence(path, each.line)))
        elif (
            each.superclass
            and _ERROR_BASES.search(each.superclass)
            and (each.name.endswith(("Error", "Exception")))
        ):
            errors.append(Found(each.name, "class", Evidence(path, each.line)))
    for each in classes:
        for exception, handler, line in each.rescues:
            label = f"{each.name}.{handler}" if handler else f"{each.name} rescue_from {exception}"
            errors.append(Found(label, "handler", Evidence(path, line)))
    routes = read_routes(parsed.root) if _is_routes(path) else None
    # controllers, and the models whose Devise modules decide a devise_for's routes
    controllers = tuple(c for c in classes if "controllers/" in path or c.devise)
    rails = (
        RailsFile(path, routes, controllers, tuple(middleware))
        if routes is not None or controllers or middleware
        else None
    )
    return CodeFacts(
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        models=tuple(models),
        warning=ts.syntax_warning(path, parsed.tree),
        rails=rails,
    )
