"""Spring MVC controllers (class and method mappings), method security annotations and
statically readable Spring Security matchers in one Java file; the servlet context path
from Spring configuration."""

from __future__ import annotations

import re

import yaml

from archdraft.scan import treesitter as ts
from archdraft.scan.http import java_functional, names
from archdraft.scan.http.model import FileHttp, HttpBuilder, RouteDecl, Router

_MAPPINGS = {
    "GetMapping": "GET",
    "PostMapping": "POST",
    "PutMapping": "PUT",
    "DeleteMapping": "DELETE",
    "PatchMapping": "PATCH",
    "RequestMapping": "ANY",
}
_CONTROLLERS = {"RestController", "Controller"}
_SECURED = {"PreAuthorize", "Secured", "RolesAllowed", "PostAuthorize"}
_PUBLIC = {"PermitAll", "AnonymousAllowed"}
# A project's own composed annotations (@AnonymousPostMapping, meta-annotated with
# @RequestMapping(method = POST)) follow Spring's naming: <Something><Verb>Mapping.
_COMPOSED = re.compile(r"^([A-Z]\w*?)(Get|Post|Put|Delete|Patch|Request)Mapping$")
_OPEN = re.compile(r"^(Anonymous|Public|PermitAll|AllowAnonymous|NoAuth)")
_MATCHER_RULE = re.compile(
    r"(?:requestMatchers|antMatchers|mvcMatchers|pathMatchers)\s*\(([^)]*)\)\s*\.\s*"
    r"(permitAll|authenticated|hasRole|hasAnyRole|hasAuthority|hasAnyAuthority|denyAll|"
    r"fullyAuthenticated|access)"
)
_ANY_REQUEST = re.compile(
    r"anyRequest\s*\(\s*\)\s*\.\s*(permitAll|authenticated|hasRole|hasAnyRole|"
    r"hasAuthority|hasAnyAuthority|denyAll|fullyAuthenticated)"
)
_STRING = re.compile(r'"([^"]*)"')
_VERB = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE)\b")
_QUERY = "(class_declaration) @class"


def _annotations(node: ts.Node) -> list[tuple[str, ts.Node | None]]:
    modifiers = next((c for c in node.children if c.type == "modifiers"), None)
    found: list[tuple[str, ts.Node | None]] = []
    for child in modifiers.named_children if modifiers is not None else []:
        if child.type == "marker_annotation":
            found.append((ts.text(child.child_by_field_name("name")), None))
        elif child.type == "annotation":
            found.append(
                (ts.text(child.child_by_field_name("name")), child.child_by_field_name("arguments"))
            )
    return found


_EXPRESSIONS = {"string_literal", "identifier", "field_access", "binary_expression"}


def _paths(arguments: ts.Node | None) -> list[tuple[str | None, str | None]]:
    """The paths an annotation maps (its value/path attribute or its lone value), each as
    a literal, or as a ``names.PathExpr`` when it is spelled through constants."""
    if arguments is None:
        return [("", None)]
    chosen: ts.Node | None = None
    for child in arguments.named_children:
        if child.type == "element_value_pair":
            key = ts.text(child.child_by_field_name("key"))
            if key in {"value", "path"}:
                chosen = child.child_by_field_name("value")
        elif chosen is None and child.type in _EXPRESSIONS | {"element_value_array_initializer"}:
            chosen = child
    if chosen is None:
        return [("", None)]
    values = chosen.named_children if chosen.type == "element_value_array_initializer" else [chosen]
    found = [_path(v) for v in values if v.type in _EXPRESSIONS]
    return [f for f in found if f != (None, None)] or [("", None)]


def _path(node: ts.Node) -> tuple[str | None, str | None]:
    if node.type == "string_literal":
        return ts.unquote(node), None
    return None, path_expr(node)


def path_expr(node: ts.Node | None) -> str | None:
    """``ApiPaths.USERS``, ``BASE + "/{id}"``: the resolver's form of a Java expression."""
    return names.from_syntax(node, _literal, {"identifier", "field_access"}, path_expr)


def _literal(node: ts.Node) -> str | None:
    return ts.unquote(node) if node.type == "string_literal" else None


_CONSTANT_QUERY = """
(field_declaration
  (modifiers) @modifiers
  type: (type_identifier) @type
  declarator: (variable_declarator name: (identifier) @name value: (string_literal) @value))
"""
_CONSTANT = re.compile(r"static\s+final\s+String\s+\w+\s*=\s*\"")


def _constants(parsed: ts.Parsed, out: HttpBuilder) -> None:
    """``static final String USERS = "/users"``, as ``USERS`` and ``ApiPaths.USERS``."""
    for match in parsed.matches(_CONSTANT_QUERY):
        modifiers = ts.text(match["modifiers"][0])
        if ts.text(match["type"][0]) != "String" or "static" not in modifiers:
            continue
        value = ts.unquote(match["value"][0])
        if not names.pathlike(value):
            continue
        name = ts.text(match["name"][0])
        klass = match["name"][0].parent
        while klass is not None and klass.type not in {
            "class_declaration",
            "interface_declaration",
        }:
            klass = klass.parent
        out.constants.append((name, value))
        if klass is not None:
            out.constants.append((f"{ts.text(klass.child_by_field_name('name'))}.{name}", value))


def _request_methods(arguments: ts.Node | None) -> list[str]:
    for child in arguments.named_children if arguments is not None else []:
        if (
            child.type == "element_value_pair"
            and ts.text(child.child_by_field_name("key")) == "method"
        ):
            # method = RequestMethod.POST, method = POST (static import), or a list of them
            found = _VERB.findall(ts.text(child.child_by_field_name("value")))
            if found:
                return found
    return ["ANY"]


def _mapping(annotation: str) -> str | None:
    """The Spring mapping an annotation is or is composed on, else None."""
    if annotation in _MAPPINGS:
        return annotation
    composed = _COMPOSED.match(annotation)
    return f"{composed.group(2)}Mapping" if composed else None


def _auth(annotations: list[tuple[str, ts.Node | None]]) -> str:
    names = {name for name, _args in annotations}
    if names & _PUBLIC or any(_OPEN.match(n) for n in names):
        return "public"
    if names & _SECURED:
        return "required"
    return "unknown"


QUERIES = (_QUERY, java_functional.QUERY, _CONSTANT_QUERY)
"""The queries ``extract_java_http`` asks of a file it reads."""


def wanted(text: str) -> bool:
    return (
        "Mapping" in text
        or "Matchers" in text
        or "anyRequest" in text
        or java_functional.wanted(text)
        or _CONSTANT.search(text) is not None
    )


def extract_java_http(path: str, text: str, parsed: ts.Parsed) -> FileHttp | None:
    if not wanted(text):
        return None
    out = HttpBuilder(path, "java")
    _constants(parsed, out)
    for match in parsed.matches(_QUERY):
        node = match["class"][0]
        annotations = _annotations(node)
        if not {n for n, _a in annotations} & _CONTROLLERS:
            continue
        name = ts.text(node.child_by_field_name("name"))
        mapping = next((args for n, args in annotations if n == "RequestMapping"), None)
        prefixes = (
            _paths(mapping) if any(n == "RequestMapping" for n, _a in annotations) else [("", None)]
        )
        class_auth = _auth(annotations)
        for index, (prefix, prefix_expr) in enumerate(prefixes):
            var = name if index == 0 else f"{name}#{index}"
            out.routers.append(
                Router(
                    var,
                    "controller",
                    "Spring",
                    prefix or "",
                    ts.line(node),
                    auth=class_auth == "required",
                    prefix_expr=prefix_expr,
                )
            )
            body = node.child_by_field_name("body")
            for member in body.named_children if body is not None else []:
                if member.type != "method_declaration":
                    continue
                member_annotations = _annotations(member)
                auth = _auth(member_annotations)
                auth = class_auth if auth == "unknown" else auth
                method_name = ts.text(member.child_by_field_name("name"))
                for annotation, args in member_annotations:
                    base = _mapping(annotation)
                    if base is None:
                        continue
                    verbs = (
                        _request_methods(args) if base == "RequestMapping" else [_MAPPINGS[base]]
                    )
                    for route_path, expr in _paths(args):
                        for verb in verbs:
                            out.routes.append(
                                RouteDecl(
                                    var,
                                    verb,
                                    route_path,
                                    f"{name}.{method_name}",
                                    ts.line(member),
                                    auth,
                                    path_expr=expr,
                                )
                            )
    rules = []
    for arguments, kind in _MATCHER_RULE.findall(text):
        # antMatchers(HttpMethod.GET, "/articles/**") decides GET requests only, and
        # antMatchers(HttpMethod.OPTIONS) every OPTIONS request: written "GET /articles/**"
        method = re.search(r"HttpMethod\.(\w+)", arguments)
        patterns = _STRING.findall(arguments) or (["/**"] if method else [])
        state = "public" if kind == "permitAll" else "required"
        rules += [(f"{method.group(1)} {p}" if method else p, state) for p in patterns]
    rules += [
        ("/**", "public" if kind == "permitAll" else "required")
        for kind in _ANY_REQUEST.findall(text)
    ]
    out.access_rules = rules
    if java_functional.wanted(text):
        java_functional.functional_routes(path, parsed, out)
    return out.freeze()


def context_path(path: str, text: str) -> FileHttp | None:
    """``server.servlet.context-path`` (or WebFlux's ``spring.webflux.base-path``)."""
    value: object = None
    if path.endswith(".properties"):
        for line in text.splitlines():
            key, sep, raw = line.partition("=")
            if sep and key.strip() in {"server.servlet.context-path", "spring.webflux.base-path"}:
                value = raw.strip()
    else:
        try:
            documents = list(yaml.safe_load_all(text))
        except yaml.YAMLError:
            return None
        for document in documents:
            if isinstance(document, dict):
                server = document.get("server", {})
                servlet = server.get("servlet", {}) if isinstance(server, dict) else {}
                if isinstance(servlet, dict) and isinstance(servlet.get("context-path"), str):
                    value = servlet["context-path"]
    if isinstance(value, str) and value.startswith("/"):
        return FileHttp(path, "java", global_prefix=value)
    return None


def ant_match(pattern: str, path: str) -> bool:
    """Spring's Ant-style path patterns: ``**`` any depth, ``*`` one segment, ``{x}`` one."""
    regex = ""
    for part in re.split(r"(\*\*|\*|\{[^}]*\})", pattern.rstrip("/") or "/"):
        if part == "**":
            regex += ".*"
        elif part == "*" or (part.startswith("{") and part.endswith("}")):
            regex += "[^/]+"
        else:
            regex += re.escape(part)
    return re.fullmatch(regex.replace("/.*", "(/.*)?"), path.rstrip("/") or "/") is not None
