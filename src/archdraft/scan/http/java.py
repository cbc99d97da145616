"""Spring MVC controllers (class and method mappings), method security annotations and
statically readable Spring Security matchers in one Java file; the servlet context path
from Spring configuration."""

from __future__ import annotations

import re

import yaml

from archdraft.scan import treesitter as ts
from archdraft.scan.http import java_functional
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


def _paths(arguments: ts.Node | None) -> list[str]:
    """The paths an annotation maps: its value/path attribute or its lone value."""
    if arguments is None:
        return [""]
    chosen: ts.Node | None = None
    for child in arguments.named_children:
        if child.type == "element_value_pair":
            key = ts.text(child.child_by_field_name("key"))
            if key in {"value", "path"}:
                chosen = child.child_by_field_name("value")
        elif chosen is None and child.type in {"string_literal", "element_value_array_initializer"}:
            chosen = child
    if chosen is None:
        return [""]
    if chosen.type == "string_literal":
        return [ts.unquote(chosen)]
    return [ts.unquote(c) for c in chosen.named_children if c.type == "string_literal"] or [""]


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


QUERIES = (_QUERY, java_functional.QUERY)
"""The queries ``extract_java_http`` asks of a file it reads."""


def wanted(text: str) -> bool:
    return (
        "Mapping" in text
        or "Matchers" in text
        or "anyRequest" in text
        or java_functional.wanted(text)
    )


def extract_java_http(path: str, text: str, parsed: ts.Parsed) -> FileHttp | None:
    if not wanted(text):
        return None
    out = HttpBuilder(path, "java")
    for match in parsed.matches(_QUERY):
        node = match["class"][0]
        annotations = _annotations(node)
        if not {n for n, _a in annotations} & _CONTROLLERS:
            continue
        name = ts.text(node.child_by_field_name("name"))
        mapping = next((args for n, args in annotations if n == "RequestMapping"), None)
        prefixes = _paths(mapping) if any(n == "RequestMapping" for n, _a in annotations) else [""]
        class_auth = _auth(annotations)
        for index, prefix in enumerate(prefixes):
            var = name if index == 0 else f"{name}#{index}"
            out.routers.append(
                Router(
                    var,
                    "controller",
                    "Spring",
                    prefix,
                    ts.line(node),
                    auth=class_auth == "required",
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
                    for route_path in _paths(args):
                        for verb in verbs:
                            out.routes.append(
                                RouteDecl(
                                    var,
                                    verb,
                                    route_path,
                                    f"{name}.{method_name}",
                                    ts.line(member),
                                    auth,
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
