"""ASP.NET Core controllers in one C# file: attribute routing with token replacement, a
class template a derived controller inherits, the actions only a conventional route
reaches, and what ``[Authorize]``/``[AllowAnonymous]`` say of each action."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http.aspnet_syntax import (
    attribute_auth,
    attributes,
    positional,
    string,
    template,
    tokens,
)
from archdraft.scan.http.model import HttpBuilder, RouteDecl, Router

# The name under which a controller's class template is kept for the classes deriving from
# it, and the mark such a class's routes carry until that template is known.
_ROUTE_OF = "{}.__route__"
BASE = re.compile(r"^/?\[base:(\w+)\](/|$)")
_FRAMEWORK_BASES = {"", "Controller", "ControllerBase", "object"}
_INTERFACE = re.compile(r"I[A-Z]")

_VERB_ATTRIBUTES = {
    "HttpGet": "GET",
    "HttpPost": "POST",
    "HttpPut": "PUT",
    "HttpDelete": "DELETE",
    "HttpPatch": "PATCH",
    "HttpHead": "HEAD",
    "HttpOptions": "OPTIONS",
}
# The path of an action only a conventional route reaches, until the join expands it.
CONVENTIONAL = "[conventional]"


def controller(node: ts.Node, out: HttpBuilder) -> None:
    """The routes of ``node`` when the class is a controller."""
    name = ts.text(node.child_by_field_name("name"))
    found = attributes(node)
    names = {n for n, _node, _args in found}
    modifiers = {ts.text(c) for c in node.children if c.type == "modifier"}
    bases = next((c for c in node.children if c.type == "base_list"), None)
    derives = "Controller" in ts.text(bases) if bases is not None else False
    body = node.child_by_field_name("body")
    members = [m for m in (body.named_children if body else []) if m.type == "method_declaration"]
    # A class whose methods carry routing attributes means them as actions, whatever it
    # derives from (Ardalis.ApiEndpoints' EndpointBaseAsync is a ControllerBase).
    routed = any(
        n in _VERB_ATTRIBUTES or n == "Route" for m in members for n, _a, _args in attributes(m)
    )
    is_controller = (
        name.endswith("Controller") or derives or routed or names & {"ApiController", "Controller"}
    ) and "NonController" not in names
    if not is_controller:
        return
    base = ts.text(bases.named_children[0]).split("<")[0].split(".")[-1] if bases else ""
    templates = [string(args[0]) or "" for n, _a, args in found if n == "Route" and args]
    if templates:
        # a class template is inherited: classes deriving from this one route below it
        out.constants.append((_ROUTE_OF.format(name), templates[0]))
    if "abstract" in modifiers:
        return
    replacements = {"controller": name.removesuffix("Controller")}
    area = next((string(args[0]) for n, _a, args in found if n == "Area" and args), None)
    if area:
        replacements["area"] = area
    # None: no class template, so actions without one of their own are conventional
    inherits = base not in _FRAMEWORK_BASES and not _INTERFACE.match(base)
    prefixes: list[str | None] = list(templates) or [f"[base:{base}]" if inherits else None]
    class_auth = attribute_auth(found)
    for index, prefix in enumerate(prefixes):
        var = name if index == 0 else f"{name}#{index}"
        out.routers.append(Router(var, "controller", "ASP.NET Core", "", ts.line(node)))
        for member in members:
            for verb, route, line, auth in _actions(member, prefix, class_auth):
                method_name = ts.text(member.child_by_field_name("name"))
                value = tokens(route, {**replacements, "action": method_name})
                out.routes.append(RouteDecl(var, verb, value, f"{name}.{method_name}", line, auth))


def _actions(
    member: ts.Node, prefix: str | None, class_auth: str
) -> list[tuple[str, str, int, str]]:
    """Each (verb, full template, line, auth) an action method answers."""
    found = attributes(member)
    names = {n for n, _node, _args in found}
    modifiers = {ts.text(c) for c in member.children if c.type == "modifier"}
    if "NonAction" in names or "static" in modifiers or "public" not in modifiers:
        return []
    auth = attribute_auth(found)
    auth = class_auth if auth == "unknown" else auth
    routes = [(string(args[0]) if args else "", node) for n, node, args in found if n == "Route"]
    verbs = [(v, n, node, args) for n, node, args in found if (v := _VERB_ATTRIBUTES.get(n))]
    templates: list[tuple[str, str | None, ts.Node]] = []
    bare = [(verb, node) for verb, _n, node, args in verbs if not positional(args)]
    for verb, _name, node, args in verbs:
        if positional(args):
            templates.append((verb, string(positional(args)[0]), node))
    for value, node in routes:
        for verb, verb_node in bare or [("ANY", node)]:
            templates.append((verb, value, verb_node))
    if not routes:
        templates += [(verb, "", node) for verb, node in bare]
    if not templates and prefix is not None and not verbs:
        # an attribute-routed controller's public method answers on the class template
        templates.append(("ANY", "", member))
    if prefix is None and not routes and not any(v for _v, v, _n in templates if v):
        # no template anywhere: reached only through a conventional route, if the app
        # maps one (``aspnet_join.conventional`` decides)
        reached = [(verb, node) for verb, node in bare] or [("ANY", member)]
        return [(verb, CONVENTIONAL, ts.line(node), auth) for verb, node in reached]
    actions = []
    for verb, value, node in templates:
        if value is None:
            continue
        if value.startswith(("/", "~/")):
            full = value.removeprefix("~")
        else:
            full = f"{prefix or ''}/{value}"
        actions.append((verb, template(full), ts.line(node), auth))
    return actions
