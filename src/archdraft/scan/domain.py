"""The domain layer of a backend: persisted models and service classes, per language,
read from the parse trees the extractors already built."""

from __future__ import annotations

import ast
import re

from archdraft import pathnames
from archdraft.scan import treesitter as ts
from archdraft.scan.code_facts import Found
from archdraft.scan.summary import Evidence

Domain = tuple[list[Found], list[Found]]
"""(models, services)."""

_SERVICE = re.compile(r"\w+Service$")
_JS_MODEL_CALLS = {
    "model": "orm_model", "define": "orm_model", "pgTable": "table", "mysqlTable": "table",
    "sqliteTable": "table", "createTable": "table", "table": "table",
}  # fmt: skip
JS_QUERY = """
(class_declaration name: (_) @class.name) @class
(call_expression
  function: [(identifier) @call.fn (member_expression property: (property_identifier) @call.fn)]
  arguments: (arguments . (string (string_fragment) @call.name))) @call
"""
_ENTITY_DECORATORS = {"Entity", "Schema", "Table", "model"}
_ORM_RECEIVER = re.compile(r"mongoose|sequelize|\bdb\b|connection|knex|schema", re.I)


def _name_line(path: str, match: ts.Match) -> Evidence:
    """Cite the line with the class name, not an annotation or decorator above it."""
    return Evidence(path, ts.line(match["class.name"][0]))


def _in_services_folder(path: str) -> bool:
    return (
        "services" in path.lower().split("/")[:-1]
        or pathnames.name(path).lower().startswith(("service.", "services."))
        or ".service." in pathnames.name(path).lower()
    )


def _decorators(node: ts.Node) -> list[str]:
    holders = [node] + (
        [node.parent] if node.parent is not None and node.parent.type == "export_statement" else []
    )
    names = []
    for holder in holders:
        for child in holder.children:
            if child.type == "decorator" and child.named_children:
                inner = child.named_children[0]
                callee = (
                    inner.child_by_field_name("function")
                    if inner.type == "call_expression"
                    else inner
                )
                names.append(ts.text(callee))
    return names


def js_domain(path: str, parsed: ts.Parsed) -> Domain:
    models: list[Found] = []
    services: list[Found] = []
    for match in parsed.matches(JS_QUERY):
        if "class" in match:
            node = match["class"][0]
            name = ts.text(match["class.name"][0])
            decorators = _decorators(node)
            heritage = next((c for c in node.named_children if c.type == "class_heritage"), None)
            extends = ts.text(heritage) if heritage is not None else ""
            if set(decorators) & _ENTITY_DECORATORS or re.search(
                r"extends\s+(Model|BaseEntity)\b", extends
            ):
                models.append(Found(name, "orm_model", _name_line(path, match)))
            elif _SERVICE.match(name) or ("Injectable" in decorators and _in_services_folder(path)):
                services.append(Found(name, "class", _name_line(path, match)))
        elif "call" in match:
            function = ts.text(match["call.fn"][0])
            kind = _JS_MODEL_CALLS.get(function)
            call = match["call"][0]
            callee = ts.text(call.child_by_field_name("function"))
            # mongoose.model('User', ...), sequelize.define('User', ...), pgTable('users', ...)
            generic = function in {"model", "define", "table"}
            if kind and (not generic or _ORM_RECEIVER.search(callee)):
                # the name's line: in a chain (knex.schema.createTable(...).createTable(...))
                # the call starts lines above
                name_node = match["call.name"][0]
                models.append(Found(ts.text(name_node), kind, Evidence(path, ts.line(name_node))))
    stem = pathnames.name(path).split(".")[0]
    if (
        not services
        and _in_services_folder(path)
        and "test" not in path.lower()
        and stem != "index"
    ):
        services.append(Found(stem, "module", Evidence(path, None)))
    return models, services


_PY_MODEL_BASES = re.compile(r"(^|\.)(Model|Base|DeclarativeBase|SQLModel|Document|DynamicDocument|"
                             r"EmbeddedDocument|AbstractUser|AbstractBaseUser)$")  # fmt: skip


def python_domain(path: str, nodes: list[ast.AST]) -> Domain:
    models: list[Found] = []
    services: list[Found] = []
    for node in nodes:
        if type(node) is not ast.ClassDef:
            continue
        bases = [ast.unparse(b) for b in node.bases]
        keywords = {k.arg: k.value for k in node.keywords}
        assigned = {t.id for s in node.body if isinstance(s, ast.Assign)
                    for t in s.targets if isinstance(t, ast.Name)}  # fmt: skip
        has_table = "__tablename__" in assigned
        table = keywords.get("table")
        is_sqlmodel_table = isinstance(table, ast.Constant) and table.value is True
        abstract = any(
            isinstance(s, ast.ClassDef) and s.name == "Meta" and "abstract = True" in ast.unparse(s)
            for s in node.body
        )
        model_base = any(_PY_MODEL_BASES.search(b) for b in bases) and node.name not in {
            "Base",
            "Model",
        }
        if (
            has_table
            or is_sqlmodel_table
            or (model_base and not abstract and "SQLModel" not in bases)
        ):
            models.append(Found(node.name, "orm_model", Evidence(path, node.lineno)))
        elif _SERVICE.match(node.name):
            services.append(Found(node.name, "class", Evidence(path, node.lineno)))
    if not services and _in_services_folder(path) and pathnames.name(path) != "__init__.py":
        services.append(
            Found(pathnames.name(path).removesuffix(".py"), "module", Evidence(path, None))
        )
    return models, services


GO_QUERY = """
(type_spec name: (type_identifier) @type.name type: (struct_type) @type.struct) @type
"""


# GORM, Bun and ent: an embedded base, or a column tag on the fields
_GO_MODEL_MARKS = ("gorm.Model", 'gorm:"', "bun.BaseModel", 'bun:"', "ent.Schema")


def go_domain(path: str, parsed: ts.Parsed) -> Domain:
    models: list[Found] = []
    services: list[Found] = []
    for match in parsed.matches(GO_QUERY):
        name = ts.text(match["type.name"][0])
        body = ts.text(match["type.struct"][0])
        node = match["type"][0]
        if any(mark in body for mark in _GO_MODEL_MARKS):
            models.append(Found(name, "orm_model", Evidence(path, ts.line(node))))
        elif _SERVICE.match(name) or (name.lower() == "service" and _in_services_folder(path)):
            services.append(Found(name, "class", Evidence(path, ts.line(node))))
    return models, services


JAVA_QUERY = "(class_declaration name: (identifier) @class.name) @class"


def java_domain(path: str, parsed: ts.Parsed) -> Domain:
    models: list[Found] = []
    services: list[Found] = []
    for match in parsed.matches(JAVA_QUERY):
        node = match["class"][0]
        name = ts.text(match["class.name"][0])
        modifiers = next((c for c in node.children if c.type == "modifiers"), None)
        annotations = {
            ts.text(a.child_by_field_name("name"))
            for a in (modifiers.named_children if modifiers is not None else [])
            if a.type in {"marker_annotation", "annotation"}
        }
        if annotations & {"Entity", "Document", "Table"}:
            models.append(Found(name, "orm_model", _name_line(path, match)))
        elif "Service" in annotations or _SERVICE.match(name):
            services.append(Found(name, "class", _name_line(path, match)))
    return models, services


_PRISMA_MODEL = re.compile(r"^\s*model\s+(\w+)\s*\{")


def prisma_models(path: str, text: str) -> list[Found]:
    return [Found(m.group(1), "orm_model", Evidence(path, number))
            for number, line in enumerate(text.splitlines(), start=1)
            if (m := _PRISMA_MODEL.match(line))]  # fmt: skip
