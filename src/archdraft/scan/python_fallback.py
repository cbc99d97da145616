"""Python source that this interpreter's ``ast`` cannot parse (syntax newer than the
running Python, such as ``except A, B:``) is read with the tree-sitter Python grammar
instead, for the facts that matter most: environment variables, routers, routes and
mounts, and imports."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.http.model import HttpBuilder, Import, RouteDecl, Router, Use
from archdraft.scan.summary import Evidence

_QUERY = """
(call function: (_) @call.fn arguments: (argument_list) @call.args) @call
(subscript value: (_) @sub.value subscript: (string) @sub.key) @sub
(decorated_definition
  definition: (function_definition
    name: (identifier) @fn.name
    parameters: (parameters) @fn.params)) @fn
(assignment
  left: (identifier) @assign.name
  right: (call function: (_) @assign.fn arguments: (argument_list) @assign.args)) @assign
(import_from_statement) @from
"""
_ENV_CALLS = {"os.getenv", "getenv", "os.environ.get", "environ.get"}
_VERBS = {"get", "post", "put", "patch", "delete", "options", "head", "route", "api_route"}
_APPS = {"FastAPI", "Flask", "Starlette", "Quart"}
_ROUTERS = {"APIRouter", "Blueprint"}
_AUTH = re.compile(
    r"auth|current_?user|token|jwt|login_required|permission|verify|api_?key|"
    r"require_|oauth2_scheme|guard|admin|superuser|bearer|credential",
    re.I,
)


def _string(node: ts.Node | None) -> str | None:
    if node is None or node.type != "string":
        return None
    content = [c for c in node.named_children if c.type == "string_content"]
    return ts.text(content[0]) if content else ""


def _keyword(args: ts.Node, name: str) -> ts.Node | None:
    for child in args.named_children:
        if child.type == "keyword_argument" and ts.text(child.child_by_field_name("name")) == name:
            return child.child_by_field_name("value")
    return None


def _positional(args: ts.Node) -> list[ts.Node]:
    return [c for c in args.named_children if c.type not in {"keyword_argument", "comment"}]


def extract_python_fallback(path: str, text: str) -> CodeFacts:
    tree = ts.parse("python", text)
    env: list[Found] = []
    out = HttpBuilder(path, "python")
    for match in ts.matches("python", _QUERY, tree.root_node):
        if "call" in match:
            function = ts.text(match["call.fn"][0])
            args = match["call.args"][0]
            first = _positional(args)[:1]
            name = _string(first[0]) if first else None
            if function in _ENV_CALLS and name:
                env.append(Found(name, "read", Evidence(path, ts.line(match["call"][0]))))
            method = function.rsplit(".", 1)[-1]
            if method in {"include_router", "register_blueprint"} and first:
                prefix_node = _keyword(args, "prefix") or _keyword(args, "url_prefix")
                prefix = _string(prefix_node) if prefix_node is not None else ""
                expression = (
                    ts.text(prefix_node) if prefix_node is not None and prefix is None else None
                )
                out.uses.append(Use(function.rsplit(".", 1)[0], prefix, ts.text(first[0]), (),
                                    ts.line(match["call"][0]), path_expr=expression))  # fmt: skip
        elif "sub" in match:
            if ts.text(match["sub.value"][0]) in {"os.environ", "environ"}:
                key = _string(match["sub.key"][0])
                if key:
                    env.append(Found(key, "read", Evidence(path, ts.line(match["sub"][0]))))
        elif "fn" in match:
            definition = match["fn"][0]
            decorators = [c for c in definition.named_children if c.type == "decorator"]
            names = [ts.text(d).lstrip("@").split("(")[0] for d in decorators]
            names += re.findall(
                r"(?:Depends|Security)\(\s*([\w.]+)", ts.text(match["fn.params"][0])
            )
            names += re.findall(r":\s*([A-Z]\w+)", ts.text(match["fn.params"][0]))
            auth = "required" if any(_AUTH.search(n) for n in names) else "unknown"
            for decorator in decorators:
                call = decorator.named_children[0] if decorator.named_children else None
                if call is None or call.type != "call":
                    continue
                callee = ts.text(call.child_by_field_name("function"))
                owner, _, verb = callee.rpartition(".")
                call_args = call.child_by_field_name("arguments")
                if verb not in _VERBS or call_args is None:
                    continue
                first = _positional(call_args)[:1]
                route = _string(first[0]) if first else None
                if route is None:
                    continue
                methods = (
                    ["GET"]
                    if verb == "route"
                    else ["ANY"]
                    if verb == "api_route"
                    else [verb.upper()]
                )
                listed = _keyword(call_args, "methods")
                if listed is not None:
                    methods = [
                        m.upper() for m in re.findall(r"[\"'](\w+)[\"']", ts.text(listed))
                    ] or methods
                for method in methods:
                    out.routes.append(RouteDecl(owner, method, route, ts.text(match["fn.name"][0]),
                                                ts.line(definition), auth))  # fmt: skip
        elif "assign" in match:
            factory = ts.text(match["assign.fn"][0]).rsplit(".", 1)[-1]
            args = match["assign.args"][0]
            var = ts.text(match["assign.name"][0])
            line = ts.line(match["assign"][0])
            if factory in _APPS:
                out.routers.append(Router(var, "app", factory, "", line))
            elif factory in _ROUTERS:
                prefix_node = _keyword(args, "prefix") or _keyword(args, "url_prefix")
                out.routers.append(Router(var, "router", factory, _string(prefix_node) or "", line))
        elif "from" in match:
            statement = match["from"][0]
            module = statement.child_by_field_name("module_name")
            source = ts.text(module)
            for child in statement.named_children:
                if child is module:
                    continue
                if child.type == "dotted_name":
                    out.imports.append(Import(ts.text(child), source, ts.text(child)))
                elif child.type == "aliased_import":
                    original = ts.text(child.child_by_field_name("name"))
                    alias = ts.text(child.child_by_field_name("alias"))
                    out.imports.append(Import(alias, source, original))
    warning = (
        f"{path}: read with the tree-sitter grammar (syntax newer than this Python); "
        "some facts may be missing"
    )
    return CodeFacts(env_vars=tuple(env), http=out.freeze(keep_imports=True), warning=warning)
