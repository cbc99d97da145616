"""Facts from Go source, read with the tree-sitter Go grammar (the code is never run)."""

from __future__ import annotations

import re

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, Found
from archdraft.scan.domain import GO_QUERY as DOMAIN_QUERY
from archdraft.scan.domain import go_domain
from archdraft.scan.http import golang as http
from archdraft.scan.http.golang_helpers import CONSTANT as _PATH_CONSTANT
from archdraft.scan.summary import Evidence

_QUERY = """
(package_clause (package_identifier) @package)
(function_declaration name: (identifier) @func.name) @func
(call_expression
  function: (selector_expression operand: (_) @call.operand field: (field_identifier) @call.name)
  arguments: (argument_list) @call.args) @call
(field_declaration tag: (raw_string_literal) @tag)
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @method.receiver))
  name: (field_identifier) @method.name
  result: (_) @method.result)
(source_file (var_declaration (var_spec
  name: (identifier) @sentinel.name
  value: (expression_list . (call_expression function: (_) @sentinel.fn)))))
(source_file (var_declaration (var_spec_list (var_spec
  name: (identifier) @sentinel.name
  value: (expression_list . (call_expression function: (_) @sentinel.fn))))))
"""
# var ErrNotFound = errors.New("..."): the error values callers compare against
_SENTINEL_MAKERS = {"errors.New", "fmt.Errorf"}
_ENV_CALLS = {"os.Getenv", "os.LookupEnv", "syscall.Getenv", "os.ExpandEnv"}
_STDLIB_SERVE = {"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS"}
# Framework start methods; generic names, so only trusted in files importing a framework.
_FRAMEWORK_START = {"Run", "RunTLS", "Start", "StartTLS", "Listen", "ListenTLS"}
_FRAMEWORK_IMPORTS = ("github.com/gin-gonic/gin", "github.com/labstack/echo",
                      "github.com/gofiber/fiber", "github.com/go-chi/chi", "github.com/gorilla/mux",
                      "google.golang.org/grpc")  # fmt: skip
_TAG_ENV = re.compile(r'\benv(?:config)?:"([A-Za-z_][A-Za-z0-9_]*)')


# A cheap look at the bytes before the parse: most files of a large Go service hold none of
# the facts read here, and parsing is most of a first scan's cost.
_MAY_HOLD_FACTS = re.compile(
    r"func main\(|Getenv|LookupEnv|ExpandEnv|env(config)?:\"|ListenAndServe|\.Serve(TLS)?\(|"
    r"^\s*(var\s+)?[Ee]rr\w*\s*=\s*(errors\.New|fmt\.Errorf)|\) Error\(\) string|"
    r"gorm|bun[.:\"]|ent\.Schema|type\s+\w*Service\s+struct|^type\s+[Ss]ervice\s",
    re.M,
)
# What a file that declares or passes on routes shows: a router type or constructor, or a
# registration, mount or middleware call with a literal path
_MAY_ROUTE = re.compile(
    r"\b(gin|echo|chi|mux|fiber|http|routegroup)\.(New\w*|Default|Engine|RouterGroup|IRouter|"
    r"IRoutes|Echo|Group|Router|Mux|ServeMux|App|Bundle)\b|"
    r"\.(Get|Post|Put|Patch|Delete|Head|Options|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|Any|"
    r"Handle|HandleFunc|Path|PathPrefix|Route|Mount|Group|Static)\(\s*\""
)


# Go's mark of generated code (go.dev/s/generatedcode): protobuf and mock files are read for
# routes only (an OpenAPI server stub registers real ones), not for the project's own facts.
_GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.$", re.M)


def extract_go(path: str, text: str) -> CodeFacts:
    routing = http.wanted(text) and (
        _MAY_ROUTE.search(text) is not None
        or http.HELPER_CALL.search(text) is not None
        or _PATH_CONSTANT.search(text) is not None
    )
    if not routing and _GENERATED.search(text, 0, 4096):
        return CodeFacts()
    uses_framework = any(name in text for name in _FRAMEWORK_IMPORTS)
    if not (routing or uses_framework or _MAY_HOLD_FACTS.search(text)):
        return CodeFacts()
    parsed = ts.Parsed("go", text, (_QUERY, DOMAIN_QUERY, *(http.QUERIES if routing else ())))
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    package = ""
    for match in parsed.matches(_QUERY):
        if "package" in match:
            package = ts.text(match["package"][0])
        elif "func" in match:
            if package == "main" and ts.text(match["func.name"][0]) == "main":
                entries.append(Found("main()", "cli", Evidence(path, ts.line(match["func"][0]))))
        elif "call" in match:
            operand = ts.text(match["call.operand"][0])
            name = ts.text(match["call.name"][0])
            call = match["call"][0]
            args = match["call.args"][0].named_children
            if (
                f"{operand}.{name}" in _ENV_CALLS
                and args
                and args[0].type.endswith("string_literal")
            ):
                env.append(Found(ts.unquote(args[0]), "read", Evidence(path, ts.line(args[0]))))
            elif name in _STDLIB_SERVE or (uses_framework and name in _FRAMEWORK_START):
                entries.append(
                    Found(f"{operand}.{name}()", "server", Evidence(path, ts.line(call)))
                )
        elif "tag" in match:
            tag = match["tag"][0]
            env += [
                Found(m.group(1), "read", Evidence(path, ts.line(tag)))
                for m in _TAG_ENV.finditer(ts.text(tag))
            ]
        elif "sentinel.name" in match:
            name = ts.text(match["sentinel.name"][0])
            if ts.text(match["sentinel.fn"][0]) in _SENTINEL_MAKERS and name[:3].lower() == "err":
                line = ts.line(match["sentinel.name"][0])
                errors.append(Found(name, "value", Evidence(path, line)))
        elif (
            "method.name" in match
            and ts.text(match["method.name"][0]) == "Error"
            and ts.text(match["method.result"][0]) == "string"
        ):
            receiver = ts.text(match["method.receiver"][0]).lstrip("*")
            errors.append(
                Found(receiver, "class", Evidence(path, ts.line(match["method.name"][0])))
            )
    warning = ts.syntax_warning(path, parsed.tree)
    models, services = go_domain(path, parsed)
    return CodeFacts(
        models=tuple(models),
        services=tuple(services),
        http=http.extract_go_http(path, text, parsed) if routing else None,
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        warning=warning,
    )
