"""What one C# file says about endpoint modules and the project's own ``Map`` verbs, for the
join to put together once every file is read.

Projects wrap minimal APIs in two ways the framework's calls alone do not show:

* their own ``MapGet`` (an extension method on the route builder whose body calls the
  framework's ``MapGet`` with one of its parameters as the pattern), so that
  ``group.MapPut(UpdateTodoItem, "{id}")`` maps ``{id}``: the handler comes first, the pattern
  second and perhaps left to its default;
* endpoint modules found by reflection: classes implementing a project interface or deriving
  a project base class (CleanArchitecture's ``IEndpointGroup``, Carter's ``ICarterModule``)
  whose mapping method receives a group that a discovery site created, with a prefix built
  from the class's name (``$"/api/{type.Name}"``) or read from a property it overrides.

The reader records each such declaration as a constant (a key ending in ``WRAPS``,
``MODULE`` or ``DISCOVERS``, a JSON value), and marks a call the framework's signature
cannot explain (its pattern is not the first argument) with ``CALL``; ``aspnet_join``
decides."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from archdraft.scan import treesitter as ts
from archdraft.scan.http.aspnet_syntax import (
    CLASS_QUERY,
    METHOD_QUERY,
    auth_of,
    call_parts,
    chained,
    named_argument,
    path_expr,
    string,
)
from archdraft.scan.http.model import FileHttp

WRAPS = ".__wraps__"
MODULE = ".__module__"
DISCOVERS = ".__discovers__"
CALL = "[call:"
"""The path of a ``MapVERB`` call whose first argument is not a string, until the join knows
whether a project wrapper of that name takes it (``[call:MapPut]`` and its arguments)."""
MODULE_GROUP = "[module]"
"""The prefix of ``app.MapGroup(this)`` in a module, until the join knows the class's."""
CARTER = {"ICarterModule", "CarterModule"}
"""Carter maps its modules at the root (``app.MapCarter()``), or below the path given to
``CarterModule``'s constructor: a discovery site the library itself is."""
BUILDERS = {"IEndpointRouteBuilder", "RouteGroupBuilder", "WebApplication", "IApplicationBuilder"}
_BUILDER = ("(" + "|".join(sorted(BUILDERS)) + ")").encode()
# Cheap looks at the source first: most files declare none of these, and a walk of the
# whole tree in Python costs more than the rest of the file's reading.
_BUILDER_PARAMETER = re.compile(rb"\b" + _BUILDER + rb"\s+@?\w+\s*[,)=]")
_EXTENSION = re.compile(rb"\(\s*this\s+[\w.]*" + _BUILDER + rb"\b")
_SITE = re.compile(rb"MapGroup\(")
# Reflection that picks a module type: t.IsAssignableTo(typeof(T)), IsSubclassOf(typeof(T)) ...
_PICKS = {"IsAssignableTo", "IsAssignableFrom", "IsSubclassOf", "Contains", "GetInterface"}


@dataclass(frozen=True)
class Param:
    type: str
    name: str
    default: str | None
    """A string default's value; None when there is none or it is not a string."""
    optional: bool


@dataclass(frozen=True)
class Wrapper:
    """A project's ``MapVERB`` extension method: what it maps, and which parameter (``at``,
    counted without the ``this`` one) is the framework's pattern."""

    verb: str
    params: tuple[Param, ...]
    at: int
    auth: str = "unknown"
    """What the wrapper chains on the framework's call (``.RequireAuthorization()``)."""
    line: int = 0
    """The line of that call: it looks like a registration, and is none by itself."""


@dataclass(frozen=True)
class Arg:
    """One argument of a marked call: enough to match it to a wrapper's parameters."""

    text: str
    kind: str
    """``string`` (a literal), ``lambda``, ``name`` (an identifier or member access), ``other``."""
    literal: str | None
    expr: str | None
    label: str | None
    """The parameter a named argument (``pattern: "x"``) gives."""


@dataclass(frozen=True)
class Module:
    """A class that may be an endpoint module: its bases and its mapping methods' lines."""

    bases: tuple[str, ...]
    methods: tuple[tuple[int, int], ...]
    properties: tuple[tuple[str, str | None], ...]
    """The properties it declares with their string literal (``RoutePrefix => "/api/x"``);
    None when the value is something else. One that says ``null`` is left out."""
    base_path: str | None
    """A string given to the base constructor (``: base("/things")``)."""
    line: int
    auth: str = "unknown"
    """What its constructor says of all its routes (Carter's ``this.RequireAuthorization()``)."""


@dataclass(frozen=True)
class Discovery:
    """A site that maps every module of a type below ``template`` with the class's name in
    place of ``{}``, or below the value of ``property`` when the class declares it."""

    template: str
    property: str | None


def encode(value: object) -> str:
    return json.dumps(asdict(value))  # type: ignore[call-overload]


def wrapper_of(value: str) -> Wrapper:
    data = json.loads(value)
    params = tuple(Param(**p) for p in data["params"])
    return Wrapper(data["verb"], params, data["at"], data["auth"], data["line"])


def wrapping_lines(file: FileHttp | None) -> tuple[int, ...]:
    """The lines where the file's wrappers call the framework's verb."""
    constants = file.constants if file is not None else ()
    return tuple(wrapper_of(v).line for k, v in constants if k.endswith(WRAPS))


def module_of(value: str) -> Module:
    data = json.loads(value)
    return Module(
        tuple(data["bases"]),
        tuple((s, e) for s, e in data["methods"]),
        tuple((k, v) for k, v in data["properties"]),
        data["base_path"],
        data["line"],
        data["auth"],
    )


def call_marker(name: str, args: list[ts.Node], framework: bool = True) -> str:
    """``framework``: the name is also the framework's verb, which takes the call when no
    wrapper does; else only a wrapper makes it a route (``group.MapCommand("x")``)."""
    mark = "" if framework else "?"
    return f"{CALL}{name}{mark}]" + json.dumps([asdict(_arg(a)) for a in args])


def marked_args(path: str) -> tuple[str, bool, list[Arg]]:
    """The name, whether the framework's verb may take the call, and the arguments."""
    name, _, rest = path.removeprefix(CALL).partition("]")
    return name.rstrip("?"), not name.endswith("?"), [Arg(**a) for a in json.loads(rest)]


def _arg(node: ts.Node) -> Arg:
    colon = next((c for c in node.named_children if c.type == "name_colon"), None)
    value = [c for c in node.named_children if c.type != "name_colon"]
    inner = value[-1] if value else node
    literal = string(node)
    if literal is not None:
        kind = "string"
    elif inner.type in {"lambda_expression", "anonymous_method_expression"}:
        kind = "lambda"
    elif inner.type in {"identifier", "member_access_expression"}:
        kind = "name"
    else:
        kind = "other"
    label = ts.text(colon).rstrip(": ") if colon is not None else None
    return Arg(ts.text(inner), kind, literal, path_expr(node), label)


def _bare(type_text: str) -> str:
    return type_text.split("<")[0].split(".")[-1].rstrip("?")


def _params(method: ts.Node) -> list[tuple[ts.Node, bool]]:
    """A method's parameters, each with whether it is the ``this`` of an extension."""
    found = []
    for param in ts.descendants(method.child_by_field_name("parameters"), {"parameter"}):
        this = any(c.type == "modifier" and ts.text(c) == "this" for c in param.children)
        found.append((param, this))
    return found


def wrappers(parsed: ts.Parsed, verbs: dict[str, str]) -> tuple[list[tuple[str, str]], set[int]]:
    """The file's ``MapVERB`` wrappers as constants, and the calls inside them that are the
    wrapping itself (not routes of their own)."""
    constants: list[tuple[str, str]] = []
    inner: set[int] = set()
    if not _EXTENSION.search(parsed.root.text or b""):
        return constants, inner
    for method in parsed.nodes(METHOD_QUERY):
        name_node = method.child_by_field_name("name")
        params = _params(method)
        if name_node is None or not params or not params[0][1]:
            continue
        if _bare(ts.text(params[0][0].child_by_field_name("type"))) not in BUILDERS:
            continue
        receiver = ts.text(params[0][0].child_by_field_name("name"))
        rest = [_param(p) for p, _this in params[1:]]
        for call in ts.descendants(method, {"invocation_expression"}):
            parts = call_parts(call)
            if parts is None or parts[1] not in verbs or ts.text(parts[0]) != receiver:
                continue
            given = named_argument(parts[3], "pattern") or (parts[3][0] if parts[3] else None)
            chosen = ts.text(given).split(":")[-1].strip() if given is not None else ""
            at = next((i for i, p in enumerate(rest) if p.name == chosen), None)
            if at is None:
                continue
            said = auth_of(chained(call))
            spec = Wrapper(verbs[parts[1]], tuple(rest), at, said, ts.line(parts[2]))
            constants.append((ts.text(name_node) + WRAPS, encode(spec)))
            inner.add(call.start_byte)
    return constants, inner


def _param(node: ts.Node) -> Param:
    name = node.child_by_field_name("name")
    after = [c for c in node.named_children if name is not None and c.start_byte > name.end_byte]
    default = after[-1] if after else None
    return Param(
        ts.text(node.child_by_field_name("type")).rstrip("?"),
        ts.text(name),
        string(default),
        default is not None,
    )


def modules(parsed: ts.Parsed) -> list[tuple[str, str]]:
    """Classes with a base list and a method receiving a route builder, as constants."""
    found: list[tuple[str, str]] = []
    if not _BUILDER_PARAMETER.search(parsed.root.text or b""):
        return found
    for klass in parsed.nodes(CLASS_QUERY):
        bases = next((c for c in klass.children if c.type == "base_list"), None)
        body = klass.child_by_field_name("body")
        if bases is None or body is None:
            continue
        members = body.named_children
        methods = tuple(
            (ts.line(m), m.end_point[0] + 1)
            for m in members
            if m.type == "method_declaration"
            and any(
                _bare(ts.text(p.child_by_field_name("type"))) in BUILDERS for p, _t in _params(m)
            )
        )
        if not methods:
            continue
        properties = tuple(
            (ts.text(m.child_by_field_name("name")), _property_value(m))
            for m in members
            if m.type == "property_declaration" and not _says_null(m)
        )
        base_path = next(
            (
                string(init.named_children[0].named_children[0])
                for m in members
                if m.type == "constructor_declaration"
                for init in m.children
                if init.type == "constructor_initializer"
                and init.named_children
                and init.named_children[0].named_children
            ),
            None,
        )
        names = tuple(_bare(ts.text(b)) for b in bases.named_children)
        said = [
            name
            for m in members
            if m.type == "constructor_declaration"
            for call in ts.descendants(m.child_by_field_name("body"), {"invocation_expression"})
            if (name := _own_call(call)) in {"RequireAuthorization", "AllowAnonymous"}
        ]
        module = Module(names, methods, properties, base_path, ts.line(klass), auth_of(said))
        found.append((ts.text(klass.child_by_field_name("name")) + MODULE, encode(module)))
    return found


def _own_call(call: ts.Node) -> str | None:
    """The name of ``this.Name(...)`` or ``Name(...)``: a call of the class's own method."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "identifier":
        return ts.text(function)
    parts = call_parts(call)
    return parts[1] if parts is not None and ts.text(parts[0]) == "this" else None


def _property_value(prop: ts.Node) -> str | None:
    """``static string? RoutePrefix => "/x"``, ``{ get; } = "/x"``, ``{ get => "/x"; }``:
    the value when it is a string literal and nothing else."""
    values = [
        c.named_children[-1]
        for c in ts.descendants(prop, {"arrow_expression_clause"})
        if c.named_children
    ] + [c for c in prop.named_children if c.type.endswith("literal")]
    return string(values[0]) if len(values) == 1 else None


def _says_null(prop: ts.Node) -> bool:
    kinds = {"arrow_expression_clause", "null_literal"}
    values = [c for c in prop.named_children if c.type in kinds]
    return bool(values) and ts.text(values[-1]).removeprefix("=>").strip() == "null"


def discoveries(parsed: ts.Parsed) -> tuple[list[tuple[str, str]], set[int]]:
    """Discovery sites as constants (``IEndpointGroup.__discovers__``), and the MapGroup calls
    that are them, whose prefix the join gives per module (so no warning is due)."""
    found: list[tuple[str, str]] = []
    sites: set[int] = set()
    source = parsed.root.text or b""
    if not (_SITE.search(source) and b".Name" in source and b'$"' in source):
        return found, sites
    for method in parsed.nodes(METHOD_QUERY):
        locals_ = {
            ts.text(d.child_by_field_name("name")): d.named_children[-1]
            for d in ts.descendants(method, {"variable_declarator"})
            if len(d.named_children) > 1
        }
        for call in ts.descendants(method, {"invocation_expression"}):
            parts = call_parts(call)
            if parts is None or parts[1] != "MapGroup" or not parts[3]:
                continue
            value = parts[3][0].named_children[-1] if parts[3][0].named_children else None
            if value is not None and value.type == "identifier":
                value = locals_.get(ts.text(value))
            site = _site(value, method, locals_)
            if site is not None:
                kind, discovery = site
                found.append((kind + DISCOVERS, encode(discovery)))
                sites.add(call.start_byte)
    return found, sites


def _site(
    value: ts.Node | None, method: ts.Node, locals_: dict[str, ts.Node]
) -> tuple[str, Discovery] | None:
    """The module type and prefix a MapGroup argument builds from a type's name."""
    strings = ts.descendants(value, {"interpolated_string_expression"})
    if len(strings) != 1:
        return None
    template = ""
    named: ts.Node | None = None
    props = _properties_read(value)
    for part in strings[0].named_children:
        if part.type == "string_content":
            template += ts.text(part).replace("{", "{{").replace("}", "}}")
        elif part.type == "interpolation":
            inner = [c for c in part.named_children if c.type != "interpolation_brace"]
            expr = _local(inner[0] if inner else None, locals_)
            if expr is not None and expr.type == "binary_expression":
                # group.GroupName ?? group.GetType().Name: the class's own name, if it has one
                props += _properties_read(expr.child_by_field_name("left"))
                expr = _local(expr.child_by_field_name("right"), locals_)
            if named is not None or expr is None or not ts.text(expr).endswith(".Name"):
                return None
            named, template = expr, template + "{}"
    if named is None:
        return None
    kind = _picked_type(named, method, locals_)
    if kind is None:
        return None
    return kind, Discovery(template, props[0] if props else None)


def _local(node: ts.Node | None, locals_: dict[str, ts.Node]) -> ts.Node | None:
    """A local variable's initializer in place of its name."""
    if node is not None and node.type == "identifier":
        return locals_.get(ts.text(node))
    return node


def _properties_read(node: ts.Node | None) -> list[str]:
    """The property a prefix reads off the module: ``type.GetProperty(nameof(I.RoutePrefix))``,
    ``GetProperty("RoutePrefix")``, or ``group.GroupName`` on the left of ``??``."""
    if node is not None and node.type == "member_access_expression":
        return [ts.text(node.child_by_field_name("name"))]
    return [
        ts.text(a).split(".")[-1].strip(')"')
        for call in ts.descendants(node, {"invocation_expression"})
        if (parts := call_parts(call)) is not None and parts[1] == "GetProperty" and parts[3]
        for a in parts[3][:1]
    ]


def _picked_type(named: ts.Node, method: ts.Node, locals_: dict[str, ts.Node]) -> str | None:
    """The project type whose modules ``named`` (``type.Name``, ``group.GetType().Name``)
    names: the type of the parameter it is read off, or the type the method's reflection
    picks with ``typeof`` (``t.IsAssignableTo(typeof(IEndpointGroup))``)."""
    text = ts.text(named).removesuffix(".Name")
    holder = text.removesuffix(".GetType()")
    if holder != text:
        for param, _this in _params(method):
            kind = _bare(ts.text(param.child_by_field_name("type")))
            if ts.text(param.child_by_field_name("name")) == holder and kind not in BUILDERS:
                return kind
    picked = {
        _bare(ts.text(t.named_children[0]))
        for call in ts.descendants(method, {"invocation_expression"})
        if (parts := call_parts(call)) is not None and parts[1] in _PICKS
        for side in [parts[0], *(_value(a) for a in parts[3])]
        for t in ts.descendants(_local(side, locals_), {"typeof_expression"})
        if t.named_children
    }
    return picked.pop() if len(picked) == 1 else None


def _value(arg: ts.Node) -> ts.Node | None:
    named = [c for c in arg.named_children if c.type != "name_colon"]
    return named[-1] if named else None
