"""FastEndpoints in one C# file: an endpoint is a class deriving from the library's
``Endpoint<TRequest, TResponse>`` (or ``EndpointWithoutRequest``, ``Ep.Req<..>.Res<..>``)
whose ``Configure()`` override names its verbs and routes (``Get("/cart/{id}")``,
``Verbs(Http.POST)`` with ``Routes(..)``) and its access. FastEndpoints secures every
endpoint by default: ``required`` unless ``AllowAnonymous()`` says otherwise. The prefix
``app.UseFastEndpoints(c => c.Endpoints.RoutePrefix = "api")`` gives is put before them
when the files are joined (``aspnet_join``)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.http.aspnet_syntax import path_expr, positional, string, template
from archdraft.scan.http.model import HttpBuilder, RouteDecl, Router

FRAMEWORK = "FastEndpoints"
PREFIX = "FastEndpoints.__prefix__"
"""The constant under which a file keeps the ``Endpoints.RoutePrefix`` it sets."""
_BASES = re.compile(
    r"^(FastEndpoints\.)?(Endpoint|EndpointWithoutRequest|EndpointWithMapping|Ep\.)\b"
)
_VERBS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE",
          "Head": "HEAD", "Options": "OPTIONS"}  # fmt: skip


def is_endpoint(node: ts.Node) -> bool:
    """Whether a class declaration derives from a FastEndpoints endpoint base."""
    bases = next((c for c in node.children if c.type == "base_list"), None)
    return bases is not None and any(_BASES.match(ts.text(base)) for base in bases.named_children)


def read_endpoint(node: ts.Node, out: HttpBuilder) -> None:
    """The routes a FastEndpoints class's ``Configure()`` declares."""
    body = node.child_by_field_name("body")
    configure = next(
        (
            m for m in (body.named_children if body is not None else [])
            if m.type == "method_declaration"
            and ts.text(m.child_by_field_name("name")) == "Configure"
            and "override" in {ts.text(c) for c in m.children if c.type == "modifier"}
        ),
        None,
    )  # fmt: skip
    statements = configure.child_by_field_name("body") if configure is not None else None
    if statements is None:
        return
    calls = []
    for statement in statements.named_children:
        call = statement.named_children[0] if statement.named_children else None
        function = call.child_by_field_name("function") if call is not None else None
        if call is None or call.type != "invocation_expression" or function is None:
            continue
        arguments = call.child_by_field_name("arguments")
        if function.type == "identifier" and arguments is not None:  # its own Get(..)
            calls.append((ts.text(function), positional(list(arguments.named_children))))
    names = {name for name, _args in calls}
    auth = "public" if "AllowAnonymous" in names else "required"
    verbs = [
        ts.text(arg).rsplit(".", 1)[-1].upper() for name, args in calls if name == "Verbs"
        for arg in args
    ]  # fmt: skip
    pairs = [(_VERBS[name], arg) for name, args in calls if name in _VERBS for arg in args]
    pairs += [(verb, arg) for name, args in calls if name == "Routes" for arg in args
              for verb in verbs]  # fmt: skip
    if not pairs:
        return
    name = ts.text(node.child_by_field_name("name"))
    var = f"fastendpoints:{name}"
    out.routers.append(Router(var, "controller", FRAMEWORK, "", ts.line(node)))
    for verb, arg in pairs:
        value = string(arg)
        expr = path_expr(arg) if value is None else None
        route = template(value) if value is not None else None
        out.routes.append(RouteDecl(var, verb, route, name, ts.line(arg), auth, path_expr=expr))
