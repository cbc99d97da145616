"""NestJS controllers: ``@Controller`` classes, their method decorators, guards and URI
versioning, read from the tree-sitter tree of a TypeScript file. routing-controllers
(``@JsonController``, ``@Authorized``, ``routePrefix``) declares routes the same way."""

from __future__ import annotations

from archdraft.scan import treesitter as ts
from archdraft.scan.http import js_syntax as syn
from archdraft.scan.http.model import HttpBuilder, RouteDecl, Router

NEST_GLOBALS = {"useGlobalPipes", "useGlobalFilters", "useGlobalGuards", "useGlobalInterceptors"}
_NEST_METHODS = {"Get", "Post", "Put", "Patch", "Delete", "Options", "Head", "All"}
_CONTROLLERS = {"Controller": "NestJS", "JsonController": "routing-controllers"}
# routing-controllers' servers, whose options carry the prefix of every controller
CONTROLLER_SERVERS = {"createExpressServer", "useExpressServer", "createKoaServer", "useKoaServer"}
_GUARDING = {"UseGuards", "UseBefore", "Auth", "Roles"}


def decorator_calls(node: ts.Node) -> list[tuple[str, list[ts.Node]]]:
    found = []
    for child in node.children:
        if child.type == "decorator" and child.named_children:
            call = child.named_children[0]
            if call.type == "call_expression":
                found.append(
                    (
                        ts.text(call.child_by_field_name("function")),
                        syn.args(call.child_by_field_name("arguments")),
                    )
                )
            else:
                found.append((ts.text(call), []))
    return found


def nest_class(
    node: ts.Node, out: HttpBuilder, decorators: list[tuple[str, list[ts.Node]]]
) -> None:
    kind = next((name for name, _args in decorators if name in _CONTROLLERS), None)
    if kind is None:
        return
    controller = next(args for name, args in decorators if name == kind)
    prefix = ""
    if controller:
        prefix = syn.strings(controller[0]) or _object_path(controller[0])
    version = syn.first_string(syn.object_field(controller[0], "version")) if controller else None
    class_name = ts.text(node.child_by_field_name("name"))
    class_auth = _nest_auth(decorators)
    out.routers.append(Router(class_name, "controller", _CONTROLLERS[kind], prefix, ts.line(node),
                              auth=class_auth == "required", version=version))  # fmt: skip
    body = node.child_by_field_name("body")
    for member in body.named_children if body is not None else []:
        if member.type != "method_definition":
            continue
        member_decorators = decorator_calls(member)
        # decorators of class members sit before the method as siblings in some grammars
        sibling = member.prev_named_sibling
        while sibling is not None and sibling.type == "decorator":
            member_decorators += _decorator_calls_of(sibling)
            sibling = sibling.prev_named_sibling
        verb = next(((n, a) for n, a in member_decorators if n in _NEST_METHODS), None)
        if verb is None:
            continue
        path = (syn.strings(verb[1][0]) or "") if verb[1] else ""
        auth = _nest_auth(member_decorators)
        if auth == "unknown":
            auth = class_auth
        name = ts.text(member.child_by_field_name("name"))
        method = "ANY" if verb[0] == "All" else verb[0].upper()
        out.routes.append(
            RouteDecl(class_name, method, path, f"{class_name}.{name}", ts.line(member), auth)
        )


def _decorator_calls_of(decorator: ts.Node) -> list[tuple[str, list[ts.Node]]]:
    call = decorator.named_children[0] if decorator.named_children else None
    if call is not None and call.type == "call_expression":
        return [
            (
                ts.text(call.child_by_field_name("function")),
                syn.args(call.child_by_field_name("arguments")),
            )
        ]
    return [(ts.text(call), [])] if call is not None else []


def _object_path(node: ts.Node) -> str:
    return syn.strings(syn.object_field(node, "path")) or ""


def uri_versioning(options: ts.Node | None) -> tuple[str, str] | None:
    """``app.enableVersioning({ type: VersioningType.URI, prefix: 'v', defaultVersion: '1' })``
    puts ``/v1`` in front of a versioned controller's paths; URI is Nest's default type.
    Header and media-type versioning leave the paths alone (None)."""
    kind = syn.object_field(options, "type")
    if kind is not None and not ts.text(kind).endswith("URI"):
        return None
    prefix_node = syn.object_field(options, "prefix")
    prefix = "" if prefix_node is not None and ts.text(prefix_node) == "false" else "v"
    prefix = syn.strings(prefix_node) or prefix
    return prefix, syn.first_string(syn.object_field(options, "defaultVersion")) or ""


def _nest_auth(decorators: list[tuple[str, list[ts.Node]]]) -> str:
    names = [n for n, _a in decorators]
    if any(syn.PUBLIC_NAME.search(n) for n in names):
        return "public"
    guards = [a for n, args in decorators if n in _GUARDING for a in args]
    if any(n in {"Auth", "Roles", "Authorized"} for n in names) or any(
        syn.guards(ts.text(g)) for g in guards
    ):
        return "required"
    return "unknown"
