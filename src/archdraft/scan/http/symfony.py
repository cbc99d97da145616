"""Symfony routes: ``#[Route]`` attributes on controller classes (a prefix) and their
methods (``methods: [...]``), ``#[IsGranted]`` as a guard, and ``config/routes.yaml``'s
prefix for the attribute-routed controllers and its own path routes."""

from __future__ import annotations

import re

import yaml

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts
from archdraft.scan.http import php_syntax as php
from archdraft.scan.http.model import FileHttp, HttpBuilder, RouteDecl, Router

QUERY = """
(class_declaration attributes: (attribute_list) @attrs name: (name) @name
  body: (declaration_list) @body) @class
(class_declaration name: (name) @name body: (declaration_list) @body) @class
"""
_PUBLIC = {"PUBLIC_ACCESS", "IS_AUTHENTICATED_ANONYMOUSLY"}
_OWN_CONTROLLERS = re.compile(r"^(routing\.controllers|\.\./src/Controller)")
_ROUTES_FILE = re.compile(r"(^|/)config/routes(\.ya?ml|/[^/]+\.ya?ml)$")


def _attributes(node: ts.Node | None) -> list[tuple[str, ts.Node, ts.Node | None]]:
    """Each attribute in an attribute list: its short name, node and arguments."""
    found = []
    for group in node.named_children if node is not None else ():
        for attribute in group.named_children:
            if attribute.type == "attribute" and attribute.named_children:
                name = php.short(ts.text(attribute.named_children[0]))
                found.append((name, attribute, attribute.child_by_field_name("parameters")))
    return found


def _guard(attributes: list[tuple[str, ts.Node, ts.Node | None]]) -> str:
    for name, _node, arguments in attributes:
        if name == "IsGranted":
            values = php.args(arguments)
            role = ts.text(values[0]).rsplit("::", 1)[-1].strip("'\"") if values else ""
            return "public" if role in _PUBLIC else "required"
    return "unknown"


def read_symfony(out: HttpBuilder, parsed: ts.Parsed) -> None:
    seen: set[int] = set()
    for match in parsed.matches(QUERY):
        node = match["class"][0]
        if node.id in seen:
            continue
        seen.add(node.id)
        attributes = _attributes(match["attrs"][0]) if "attrs" in match else []
        name = ts.text(match["name"][0])
        prefix = next(
            (php.literal(php.args(a)[0]) or "" for n, _x, a in attributes
             if n == "Route" and php.args(a)),
            "",
        )  # fmt: skip
        class_auth = _guard(attributes)
        declared = False
        for method in match["body"][0].named_children:
            if method.type != "method_declaration":
                continue
            own = _attributes(method.child_by_field_name("attributes"))
            auth = _guard(own)
            auth = auth if auth != "unknown" else class_auth
            handler = f"{name}::{ts.text(method.child_by_field_name('name'))}"
            for attr, attr_node, arguments in own:
                if attr != "Route":
                    continue
                values = php.args(arguments)
                path = php.literal(
                    php.named_arg(arguments, "path") or (values[0] if values else None)
                )
                methods = [m.upper() for m in php.names(php.named_arg(arguments, "methods"))]
                if not declared:
                    out.routers.append(Router(name, "controller", "php", prefix, ts.line(node)))
                    declared = True
                line = ts.line(attr_node)
                if path is None:
                    out.warnings.append(f"{out.path}:{line}: route path is not a literal")
                    continue
                for verb in methods or ["ANY"]:
                    out.routes.append(RouteDecl(name, verb, path, handler, line, auth))


def is_routes_yaml(path: str) -> bool:
    return _ROUTES_FILE.search(path) is not None


def extract_routes_yaml(path: str, text: str) -> CodeFacts:
    """A ``resource`` entry's prefix is the attribute-routed controllers' (the global
    prefix); an entry with a ``path`` is a route."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return CodeFacts(warning=f"{path}: not valid YAML; its routes were not read")
    if not isinstance(root, yaml.MappingNode):
        return CodeFacts()
    out = HttpBuilder(path, "php")
    for key, entry in root.value:
        if not isinstance(entry, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in entry.value if isinstance(k, yaml.ScalarNode)}
        prefix, route_path = fields.get("prefix"), fields.get("path")
        resource = fields.get("resource")
        # the app's own controllers, not a bundle's routes (@WebProfilerBundle/..., /_wdt)
        own = isinstance(resource, yaml.ScalarNode) and _OWN_CONTROLLERS.search(str(resource.value))
        if own and isinstance(prefix, yaml.ScalarNode) and not out.global_prefix:
            out.global_prefix = str(prefix.value)
        if isinstance(route_path, yaml.ScalarNode):
            if not out.routers:
                out.routers.append(Router("yaml", "app", "php", "", 1))
            methods = fields.get("methods")
            verbs = (
                [str(m.value).upper() for m in methods.value if isinstance(m, yaml.ScalarNode)]
                if isinstance(methods, yaml.SequenceNode)
                else [str(methods.value).upper()]
                if isinstance(methods, yaml.ScalarNode)
                else ["ANY"]
            )
            controller = fields.get("controller")
            handler = str(controller.value) if isinstance(controller, yaml.ScalarNode) else None
            line = key.start_mark.line + 1
            for verb in verbs:
                out.routes.append(RouteDecl("yaml", verb, str(route_path.value), handler, line))
    frozen: FileHttp | None = out.freeze()
    return CodeFacts(http=frozen)
