"""Fastify's side of the JavaScript reader: route options (``fastify.route({ method, url,
onRequest, handler })``), request hooks, @fastify/autoload folders, and plugins registered
from packages. ``js.py`` calls these while it reads a file."""

from __future__ import annotations

from archdraft.scan import treesitter as ts
from archdraft.scan.http.js_syntax import args as _args
from archdraft.scan.http.js_syntax import object_prefix
from archdraft.scan.http.js_syntax import strings as _strings
from archdraft.scan.http.model import HttpBuilder

PLUGIN_WRAPPERS = {"fp", "fastifyPlugin"}
# Calls that hand back the app they are called on, so a route may be chained after them
CHAINABLE = {"withTypeProvider", "register", "use", "addHook"}
REQUEST_HOOKS = {
    "onRequest", "preParsing", "preValidation", "preHandler", "preSerialization", "onSend",
    "onResponse", "onError", "onTimeout", "onRequestAbort",
}  # fmt: skip


def is_package(name: str, out: HttpBuilder) -> bool:
    """Whether ``name`` is a package the file requires or imports (not one of its modules)."""
    local = (".", "/", "@/", "~/", "#")
    if name.startswith("require:"):
        return not name.removeprefix("require:").startswith(local)
    return any(i.local == name and not i.source.startswith(local) for i in out.imports)


def autoload_prefix(options: ts.Node) -> str:
    """@fastify/autoload's ``options: { prefix: '/api' }``."""
    for pair in options.named_children if options.type == "object" else []:
        if pair.type == "pair" and ts.text(pair.child_by_field_name("key")) == "options":
            return object_prefix(pair.child_by_field_name("value"))
    return ""


def autoload_dir(options: ts.Node) -> str | None:
    """@fastify/autoload's ``dir: path.join(__dirname, 'routes')``, as a relative folder."""
    if options.type != "object":
        return None
    for pair in options.named_children:
        if pair.type == "pair" and ts.text(pair.child_by_field_name("key")) == "dir":
            value = pair.child_by_field_name("value")
            parts = (
                [_strings(a) for a in _args(value.child_by_field_name("arguments"))]
                if value is not None and value.type == "call_expression"
                else []
            )
            names = [p for p in parts if p]
            return "/".join(p.strip("./") for p in names) if names else None
    return None


def hooks(options: ts.Node) -> list[ts.Node]:
    """Fastify's route options ``{ schema, onRequest: [a, b], preHandler: c }``: the
    functions its request hooks run; schema and config are not middleware."""
    found = []
    for pair in options.named_children:
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        if key is not None and ts.unquote(key) in REQUEST_HOOKS:
            value = pair.child_by_field_name("value")
            if value is not None:
                found += _args(value) if value.type == "array" else [value]
    return found


def _option_path(node: ts.Node, out: HttpBuilder, line: int) -> str | None:
    """A route's path from route options: a literal, or the literal end of
    ``options.prefix + 'articles'`` (the plugin's prefix is applied where it is mounted)."""
    path = _strings(node)
    if path is None and node.type == "binary_expression":
        right = node.child_by_field_name("right")
        path = _strings(right) if right is not None else None
        if path is not None:
            out.warnings.append(
                f"{out.path}:{line}: route path {ts.text(node)[:40]} is not all literal; "
                "the route is listed without its computed start"
            )
            return path
    if path is None:
        out.warnings.append(
            f"{out.path}:{line}: route path {ts.text(node)[:40]} is not a literal; "
            "the route is left out"
        )
    return path


def route_options(
    options: ts.Node, out: HttpBuilder, line: int
) -> tuple[str, list[str], list[ts.Node]] | None:
    """``fastify.route({ method: ['GET', 'HEAD'], url, onRequest, handler })``: the path, the
    verbs, and the options followed by the handler (the options give the request hooks)."""
    fields = {}
    for pair in options.named_children:
        if pair.type == "pair":
            fields[ts.text(pair.child_by_field_name("key")).strip("'\"")] = (
                pair.child_by_field_name("value")
            )
    target = fields.get("url") or fields.get("path")
    url = _option_path(target, out, line) if target is not None else None
    if url is None:
        return None
    methods = fields.get("method")
    verbs = (
        [_strings(methods)]
        if methods is not None and methods.type == "string"
        else [_strings(m) for m in methods.named_children]
        if methods is not None and methods.type == "array"
        else ["GET"]
    )
    handler = fields.get("handler")
    return url, [v for v in verbs if v], [options, handler] if handler is not None else [options]
