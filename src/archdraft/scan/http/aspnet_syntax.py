"""C# syntax the ASP.NET Core route reader needs: attributes, string literals, route
templates and the call chains of minimal APIs."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http import names

Attribute = tuple[str, ts.Node, list[ts.Node]]
"""An attribute's bare name (``HttpGet`` for ``[Microsoft.AspNetCore.Mvc.HttpGetAttribute]``),
its node and its argument nodes."""

# {id:int}, {id?}, {page=1}, {*slug}, {**path}: the summary writes every parameter {name}
_PARAMETER = re.compile(r"\{\*{0,2}(\w+)[^}]*\}")
_SCOPES = {
    "method_declaration",
    "local_function_statement",
    "constructor_declaration",
    "lambda_expression",
}

# Whole-file node queries the readers share, asked in the file's batched walk.
CLASS_QUERY = "(class_declaration) @class"
METHOD_QUERY = "(method_declaration) @method"
PARAMETER_QUERY = "(parameter) @parameter"


def attributes(node: ts.Node) -> list[Attribute]:
    found: list[Attribute] = []
    for child in node.children:
        if child.type != "attribute_list":
            continue
        for attribute in child.named_children:
            if attribute.type != "attribute":
                continue
            name = ts.text(attribute.child_by_field_name("name")).split(".")[-1]
            name = name.split("<")[0].removesuffix("Attribute")
            args = next(
                (c for c in attribute.children if c.type == "attribute_argument_list"), None
            )
            found.append((name, attribute, list(args.named_children) if args is not None else []))
    return found


def string(node: ts.Node | None) -> str | None:
    """A string literal's value (regular, verbatim or raw); None for anything else."""
    if node is None:
        return None
    if node.type in {"argument", "attribute_argument"}:
        named = [c for c in node.named_children if c.type != "name_colon"]
        return string(named[-1]) if named else None
    if node.type in {"string_literal", "verbatim_string_literal", "raw_string_literal"}:
        parts = [c for c in node.named_children if c.type.endswith("content")]
        if parts:
            return "".join(ts.text(p) for p in parts)
        value = ts.text(node)
        return value.lstrip("@").strip('"')
    return None


def path_expr(node: ts.Node | None) -> str | None:
    """``Routes.Users``, ``Base + "/{id}"``: the resolver's form of a C# expression."""
    if node is not None and node.type == "argument":
        named = [c for c in node.named_children if c.type != "name_colon"]
        node = named[-1] if named else None
    return names.from_syntax(node, string, {"identifier", "member_access_expression"}, path_expr)


def named_argument(args: list[ts.Node], name: str) -> ts.Node | None:
    """The argument given as ``name: x`` (a call) or ``name = x`` (an attribute)."""
    for arg in args:
        label = arg.child_by_field_name("name")
        colon = next((c for c in arg.named_children if c.type == "name_colon"), None)
        if label is not None and arg.type == "attribute_argument" and ts.text(label) == name:
            return arg
        if colon is not None and ts.text(colon).rstrip(": ") == name:
            return arg
    return None


def positional(args: list[ts.Node]) -> list[ts.Node]:
    return [
        a
        for a in args
        if a.child_by_field_name("name") is None
        and not any(c.type == "name_colon" for c in a.named_children)
    ]


def template(value: str) -> str:
    """A route template as the summary writes it."""
    return _PARAMETER.sub(r"{\1}", value)


def scope_of(node: ts.Node) -> int:
    """The start of the enclosing method, local function or lambda; 0 at the top level."""
    current = node.parent
    while current is not None and current.type not in _SCOPES:
        current = current.parent
    return current.start_byte if current is not None else 0


def call_parts(call: ts.Node) -> tuple[ts.Node, str, ts.Node, list[ts.Node]] | None:
    """``recv.Name<T>(args)`` as (receiver, name, name node, arguments)."""
    function = call.child_by_field_name("function")
    if function is None or function.type != "member_access_expression":
        return None
    receiver = function.child_by_field_name("expression")
    name_node = function.child_by_field_name("name")
    arguments = call.child_by_field_name("arguments")
    if receiver is None or name_node is None:
        return None
    name = ts.text(name_node)
    if name_node.type == "generic_name":
        name = ts.text(name_node.named_children[0]) if name_node.named_children else name
    return receiver, name, name_node, list(arguments.named_children) if arguments else []


def chained(call: ts.Node) -> list[str]:
    """The names of the calls made on ``call``'s result: ``.RequireAuthorization().WithName(x)``."""
    found: list[str] = []
    current = call
    while (
        current.parent is not None
        and current.parent.type == "member_access_expression"
        and current.parent.child_by_field_name("expression") == current
        and current.parent.parent is not None
        and current.parent.parent.type == "invocation_expression"
    ):
        found.append(ts.text(current.parent.child_by_field_name("name")).split("<")[0])
        current = current.parent.parent
    return found


def chain_end(call: ts.Node) -> ts.Node:
    """The outermost call of the chain ``call`` starts."""
    current = call
    while (
        current.parent is not None
        and current.parent.type == "member_access_expression"
        and current.parent.parent is not None
        and current.parent.parent.type == "invocation_expression"
    ):
        current = current.parent.parent
    return current


def auth_of(chain: list[str]) -> str:
    """What ``.RequireAuthorization()``/``.AllowAnonymous()`` after a registration say."""
    state = "unknown"
    for name in chain:
        if name == "RequireAuthorization":
            state = "required"
        elif name == "AllowAnonymous":
            state = "public"
    return state


def attribute_auth(found: list[Attribute]) -> str:
    names = {name for name, _node, _args in found}
    if "AllowAnonymous" in names:
        return "public"
    if any(name.endswith("Authorize") for name in names):
        return "required"
    return "unknown"


def tokens(value: str, tokens: dict[str, str]) -> str:
    for token, replacement in tokens.items():
        value = re.sub(rf"\[{token}\]", replacement, value, flags=re.I)
    return value
