"""Facts from Python source, read with ``ast`` (the code is never run)."""

from __future__ import annotations

import ast
import re
import warnings

from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import CodeFacts, FieldClass, Found
from archdraft.scan.domain import python_domain
from archdraft.scan.http.django import extract_django
from archdraft.scan.http.django import triggered as django_triggered
from archdraft.scan.http.python import TRIGGER as HTTP_TRIGGER
from archdraft.scan.http.python import extract_http
from archdraft.scan.pyast import dotted, walk
from archdraft.scan.python_fallback import extract_python_fallback
from archdraft.scan.summary import Evidence

_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SERVER_CALLS = {"run", "run_app", "serve", "run_simple", "run_server"}
_APP_CLASSES = {"FastAPI", "Flask", "Starlette", "Quart", "Sanic", "Litestar", "Falcon", "App"}
_ERROR_HANDLER_DECORATORS = {"exception_handler", "errorhandler", "app_errorhandler"}
_ERROR_HANDLER_CALLS = {"add_exception_handler", "register_error_handler"}


def _first_str(args: list[ast.expr]) -> str | None:
    if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
        return args[0].value
    return None


def _is_environ(node: ast.AST) -> bool:
    return dotted(node) in {"os.environ", "environ"}


def _env_read(node: ast.AST) -> str | None:
    """The variable name when ``node`` reads one from the environment."""
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if isinstance(node, ast.Call):
        func = dotted(node.func)
        name = _first_str(node.args)
        if name is None:
            return None
        if func in {
            "os.getenv",
            "getenv",
            "os.environ.get",
            "environ.get",
            "os.environ.setdefault",
            "os.environ.pop",
        }:
            return name
        # django-environ (``env("X")``, ``env.bool("X")``) and python-decouple (``config("X")``)
        head = func.split(".")[0]
        if head == "env" and func.count(".") <= 1 and _ENV_NAME.match(name):
            return name
        if func == "config" and _ENV_NAME.match(name):
            return name
    return None


def _settings_prefix(cls: ast.ClassDef) -> str:
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets)
            and isinstance(stmt.value, ast.Call)
        ):
            for kw in stmt.value.keywords:
                if kw.arg == "env_prefix" and isinstance(kw.value, ast.Constant):
                    return str(kw.value.value)
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if (
                    isinstance(inner, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "env_prefix" for t in inner.targets)
                    and isinstance(inner.value, ast.Constant)
                ):
                    return str(inner.value.value)
    return ""


def _field_class(cls: ast.ClassDef, path: str) -> FieldClass | None:
    fields = tuple(
        (stmt.target.id, stmt.lineno)
        for stmt in cls.body
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and not stmt.target.id.startswith("_")
        and stmt.target.id != "model_config"
    )
    if not fields and not any(dotted(b).endswith("BaseSettings") for b in cls.bases):
        return None
    has_prefix = any(
        "env_prefix" in ast.unparse(s) for s in cls.body if not isinstance(s, ast.FunctionDef)
    )
    prefix = _settings_prefix(cls) if has_prefix else None
    bases = tuple(dotted(b).split(".")[-1] for b in cls.bases)
    return FieldClass(cls.name, bases, prefix, fields, path)


def settings_env_vars(classes: list[FieldClass]) -> list[Found]:
    """Fields of Pydantic ``BaseSettings`` classes, directly or through other settings
    classes of the project, are read from the environment by name (with the prefix)."""
    by_name: dict[str, list[FieldClass]] = {}
    for cls in classes:
        by_name.setdefault(cls.name, []).append(cls)

    def settings(cls: FieldClass, seen: frozenset[str]) -> bool:
        if "BaseSettings" in cls.bases:
            return True
        return any(
            settings(parent, seen | {cls.name})
            for base in cls.bases if base not in seen
            for parent in by_name.get(base, [])
        )  # fmt: skip

    def prefix(cls: FieldClass, seen: frozenset[str]) -> str:
        if cls.prefix is not None:
            return cls.prefix
        inherited = [prefix(p, seen | {cls.name}) for b in cls.bases if b not in seen
                     for p in by_name.get(b, [])]  # fmt: skip
        return next((p for p in inherited if p), "")

    found = []
    for cls in classes:
        if settings(cls, frozenset()):
            start = prefix(cls, frozenset())
            found += [Found((start + name).upper(), "settings", Evidence(cls.path, line))
                      for name, line in cls.fields]  # fmt: skip
    return found


def _is_main_guard(node: ast.If) -> bool:
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _main_guard_entry(node: ast.If, path: str) -> Found:
    for inner in walk(node):
        if isinstance(inner, ast.Call):
            func = dotted(inner.func)
            if func.split(".")[-1] in _SERVER_CALLS and func != "asyncio.run":
                return Found(f"{func}()", "server", Evidence(path, inner.lineno))
    return Found("__main__ block", "cli", Evidence(path, node.lineno))


def _error_base(cls: ast.ClassDef) -> bool:
    return any(re.search(r"(Error|Exception)$", dotted(b).split(".")[-1] or "") for b in cls.bases)


# A file without any of these words holds none of the facts below; not parsing it is the
# cheapest way through large repositories.
_TRIGGERS = re.compile(
    r"environ|getenv|env\(|env\.|config\(|Settings|__main__|Error|Exception|Model|Base\)|"
    r"__tablename__|Service|Document|"
    r"exception_handler|errorhandler|"
    + "|".join(c + r"\(" for c in sorted(_APP_CLASSES))
    + r"|get_wsgi_application|get_asgi_application"
)


# A module of path constants (ITEMS = "/items") whose names another module's routes use
_PATH_CONSTANT = re.compile(r"(?m)^\s*[A-Za-z_]\w*\s*(:\s*str\s*)?=\s*['\"]/")


def extract_python(path: str, text: str) -> CodeFacts:
    routing = (
        HTTP_TRIGGER.search(text) is not None
        or django_triggered(text)
        or path.endswith("__init__.py")
        or "services" in path
        or _PATH_CONSTANT.search(text) is not None
    )
    if not _TRIGGERS.search(text) and not routing:
        return CodeFacts()
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like in scanned code are not archdraft's warnings.
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        line = getattr(exc, "lineno", None)
        if isinstance(exc, SyntaxError) and not ts.parse("python", text).root_node.has_error:
            # Valid Python this interpreter is too old to parse: read it with tree-sitter.
            return extract_python_fallback(path, text)
        # Only the position: a parser's message may quote the source line.
        return CodeFacts(warning=f"{path}: not parsed as Python (syntax error at line {line})")
    env: list[Found] = []
    entries: list[Found] = []
    errors: list[Found] = []
    field_classes: list[FieldClass] = []
    # One walk, shared with the route, Django and domain extractors.
    nodes = walk(tree)
    for node in nodes:
        if type(node) is ast.Call or type(node) is ast.Subscript:
            name = _env_read(node)
            if name:
                env.append(Found(name, "read", Evidence(path, getattr(node, "lineno", None))))
        if type(node) is ast.ClassDef:
            field_class = _field_class(node, path)
            if field_class is not None:
                field_classes.append(field_class)
            if _error_base(node):
                errors.append(Found(node.name, "class", Evidence(path, node.lineno)))
        elif type(node) is ast.FunctionDef or type(node) is ast.AsyncFunctionDef:
            for deco in node.decorator_list:
                if dotted(deco).split(".")[-1] in _ERROR_HANDLER_DECORATORS:
                    errors.append(Found(node.name, "handler", Evidence(path, node.lineno)))
        elif type(node) is ast.Call:
            func = dotted(node.func)
            if func.split(".")[-1] in _ERROR_HANDLER_CALLS and len(node.args) >= 2:
                handler = dotted(node.args[1]) or "handler"
                errors.append(Found(handler, "handler", Evidence(path, node.lineno)))
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and _is_main_guard(stmt):
            entries.append(_main_guard_entry(stmt, path))
        elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
            cls = dotted(stmt.value.func).split(".")[-1]
            if cls in _APP_CLASSES or cls in {"get_wsgi_application", "get_asgi_application"}:
                entries.append(Found(f"{cls}()", "server", Evidence(path, stmt.lineno)))
    models, services = python_domain(path, nodes)
    return CodeFacts(
        models=tuple(models),
        field_classes=tuple(field_classes),
        services=tuple(services),
        env_vars=tuple(env),
        entrypoints=tuple(entries),
        errors=tuple(errors),
        http=extract_http(path, text, tree, nodes),
        django=extract_django(path, text, nodes),
    )
