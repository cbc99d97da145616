"""Views registered by a project decorator and turned into URL patterns by a project helper:
``@register_view(Device, 'edit', path='edit')`` appends an entry to a registry, and
``path('devices/<int:pk>/', include(model_urls('inventory', 'device')))`` builds ``path()``
entries from the entries under that key. Both are found by their shape, not their names:

- a *store* is a decorator whose inner function appends a dict holding the decorated object
  to a subscript chain of a module-level name (``registry['views'][app][model].append({...})``);
- a *builder* is a function that indexes the same name with its own parameters and calls
  ``path()`` with a route computed from the entries (``f"{entry['path']}/"``).

The expressions involved are kept as source and evaluated when files are joined, with a small
evaluator over literals, parameters, the builder's locals and Django's ``model._meta``."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from archdraft.scan.pyast import dotted, string

T = TypeVar("T")
Source = tuple[tuple[str, str], ...]
"""(name, expression source) pairs: parameter defaults, locals, dict fields."""


@dataclass(frozen=True)
class Store:
    name: str
    params: tuple[str, ...]
    defaults: Source
    root: str
    chain: tuple[str, ...]
    """The registry's subscript indices, as source in the decorator's terms."""
    fields: Source
    """The entry's dict: key and value source."""
    locals: Source
    line: int


@dataclass(frozen=True)
class Builder:
    name: str
    params: tuple[str, ...]
    defaults: Source
    root: str
    chain: tuple[str, ...]
    filters: tuple[tuple[str, str], ...]
    """``entry['detail'] == detail``: (entry key, the other side's source)."""
    route: str
    """Source of the route ``path()`` is given; ``entry['k']`` stands for a field."""
    locals: Source
    line: int


@dataclass(frozen=True)
class Registered:
    """A decorator call on a class or function: a registration when a store has its name."""

    decorator: str
    target: str
    args: tuple[str, ...]
    kwargs: Source
    line: int


@dataclass(frozen=True)
class Registry:
    stores: tuple[Store, ...] = ()
    builders: tuple[Builder, ...] = ()
    registered: tuple[Registered, ...] = ()


def _chain(node: ast.AST) -> tuple[str, tuple[str, ...]] | None:
    """``registry['views'][app][model]`` as ("registry", ("'views'", "app", "model"))."""
    indices: list[str] = []
    while isinstance(node, ast.Subscript):
        indices.insert(0, ast.unparse(node.slice))
        node = node.value
    if isinstance(node, ast.Name) and indices:
        return node.id, tuple(indices)
    return None


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[tuple[str, ...], Source]:
    args = func.args.posonlyargs + func.args.args
    names = tuple(a.arg for a in args) + tuple(a.arg for a in func.args.kwonlyargs)
    defaults = [
        (a.arg, ast.unparse(d))
        for a, d in zip(
            args[len(args) - len(func.args.defaults) :], func.args.defaults, strict=True
        )
    ]
    defaults += [
        (a.arg, ast.unparse(d))
        for a, d in zip(func.args.kwonlyargs, func.args.kw_defaults, strict=True)
        if d is not None
    ]
    return names, tuple(defaults)


def _locals(body: Iterable[ast.AST]) -> Source:
    found: dict[str, str] = {}
    for node in body:
        for sub in ast.walk(node):
            if (
                isinstance(sub, ast.Assign)
                and len(sub.targets) == 1
                and isinstance(sub.targets[0], ast.Name)
            ):
                found[sub.targets[0].id] = ast.unparse(sub.value)
    return tuple(sorted(found.items()))


def _store(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Store | None:
    for inner in func.body:
        if not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)) or not inner.args.args:
            continue
        wrapped = inner.args.args[0].arg
        for node in ast.walk(inner):
            entry: ast.AST | None = None
            chain = None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append"
                and node.args
            ):
                entry, chain = node.args[0], _chain(node.func.value)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                entry, chain = node.value, _chain(node.targets[0])
            if (
                chain is None
                or not isinstance(entry, ast.Dict)
                or not any(_is(v, wrapped) for v in entry.values)
            ):
                continue
            fields = tuple(
                (key, "__view__" if _is(v, wrapped) else ast.unparse(v))
                for k, v in zip(entry.keys, entry.values, strict=True)
                if (key := string(k)) is not None
            )
            params, defaults = _params(func)
            return Store(func.name, params, defaults, chain[0], chain[1], fields,
                         _locals([*func.body, inner]), func.lineno)  # fmt: skip
    return None


def _is(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _builder(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Builder | None:
    params, defaults = _params(func)
    route = None
    chains: list[tuple[str, tuple[str, ...]]] = []
    filters: list[tuple[str, str]] = []
    for node in ast.walk(func):
        if (
            isinstance(node, ast.Call)
            and dotted(node.func).rsplit(".", 1)[-1] in {"path", "re_path"}
            and node.args
            and string(node.args[0]) is None
        ):
            route = ast.unparse(node.args[0])
        chain = _chain(node) if isinstance(node, ast.Subscript) else None
        if chain is not None and any(index in params for index in chain[1]):
            chains.append(chain)
        # ``if entry['detail'] == detail`` keeps, ``!= ...: continue`` skips: both ask for equal
        if (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Eq, ast.NotEq))
        ):
            left, right = node.left, node.comparators[0]
            for side, other in ((left, right), (right, left)):
                if isinstance(side, ast.Subscript) and string(side.slice) is not None:
                    filters.append((string(side.slice) or "", ast.unparse(other)))
    if route is None or not chains:
        return None
    root, indices = max(chains, key=lambda c: len(c[1]))
    return Builder(func.name, params, defaults, root, indices, tuple(filters), route,
                   _locals(func.body), func.lineno)  # fmt: skip


def extract_registry(
    module: ast.AST,
    decorated: Iterable[ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef],
    defines: bool,
) -> Registry | None:
    """Stores and builders among the module's top-level functions (when ``defines``: a cheap
    text test said the file may hold one), and the decorator calls on ``decorated``."""
    stores: list[Store] = []
    builders: list[Builder] = []
    registered: list[Registered] = []
    for node in module.body if defines and isinstance(module, ast.Module) else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if (store := _store(node)) is not None:
                stores.append(store)
            elif (builder := _builder(node)) is not None:
                builders.append(builder)
    for node in decorated:
        for decorator in node.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and decorator.args
                and _model_like(dotted(decorator.args[0]))
            ):
                registered.append(Registered(
                    dotted(decorator.func), node.name,
                    tuple(ast.unparse(a) for a in decorator.args),
                    tuple((k.arg, ast.unparse(k.value)) for k in decorator.keywords if k.arg),
                    decorator.lineno,
                ))  # fmt: skip
    if not (stores or builders or registered):
        return None
    return Registry(tuple(stores), tuple(builders), tuple(registered))


def _model_like(source: str) -> bool:
    """A registration's first argument names a class (``Device``, ``models.Device``)."""
    return source.replace(".", "").isidentifier() and source.rsplit(".", 1)[-1][:1].isupper()


@lru_cache(maxsize=8192)
def _parse(text: str) -> ast.expr | None:
    """The same few expressions are evaluated for every registration: parse each once."""
    try:
        return ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Model:
    """A model class given to a registration, with what ``_meta`` says of it."""

    name: str
    app: str | None


Value = object
Env = dict[str, Value]


class Evaluator:
    """Evaluates the few expression shapes registries are written with; anything else is
    UNKNOWN, which never matches and never becomes a route."""

    def __init__(self, env: Env, local: Source, entry: dict[str, Value] | None = None) -> None:
        self.env, self.local, self.entry, self.depth = env, dict(local), entry, 0
        self.active: set[str] = set()

    def source(self, text: str) -> Value:
        node = _parse(text)
        return UNKNOWN if node is None else self.node(node)

    def node(self, node: ast.AST) -> Value:
        self.depth += 1
        if self.depth > 64:
            return UNKNOWN
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            if node.id in self.local and node.id not in self.active:
                self.active.add(node.id)  # ``x = x + "/"`` must not loop
                value = self.source(self.local[node.id])
                self.active.discard(node.id)
                return value
            return UNKNOWN
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.Subscript) and self.entry is not None:
            key = string(node.slice)
            if key is not None and not isinstance(node.value, ast.Subscript):
                return self.entry.get(key, UNKNOWN)
        if isinstance(node, ast.IfExp):
            test = self.node(node.test)
            if test is UNKNOWN:
                return UNKNOWN
            return self.node(node.body if test else node.orelse)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            values = [self.node(v) for v in node.values]
            if any(v is UNKNOWN for v in values):
                return UNKNOWN
            result, either = values[0], isinstance(node.op, ast.Or)
            for value in values[1:]:
                if (not result) if either else result:  # or: first truthy; and: first falsy
                    result = value
            return result
        if isinstance(node, ast.JoinedStr):
            parts = [self.node(p) for p in node.values]
            texts = [p for p in parts if isinstance(p, str)]
            return "".join(texts) if len(texts) == len(parts) else UNKNOWN
        if isinstance(node, ast.FormattedValue):
            value = self.node(node.value)
            return value if isinstance(value, str) else UNKNOWN
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.node(node.left), self.node(node.right)
            return left + right if isinstance(left, str) and isinstance(right, str) else UNKNOWN
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            value = self.node(node.operand)
            return UNKNOWN if value is UNKNOWN else not value
        return UNKNOWN

    def attribute(self, node: ast.Attribute) -> Value:
        # Django's model._meta: the app label and the lowercased class name
        if isinstance(node.value, ast.Attribute) and node.value.attr == "_meta":
            model = self.node(node.value.value)
            if isinstance(model, Model):
                if node.attr == "app_label":
                    return model.app or UNKNOWN
                if node.attr == "model_name":
                    return model.name.lower()
        if node.attr == "__name__":
            model = self.node(node.value)
            if isinstance(model, Model):
                return model.name
        return UNKNOWN

    def compare(self, node: ast.Compare) -> Value:
        left, right = self.node(node.left), self.node(node.comparators[0])
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        op = node.ops[0]
        if isinstance(op, (ast.Is, ast.Eq)):
            return left == right and type(left) is type(right)
        if isinstance(op, (ast.IsNot, ast.NotEq)):
            return not (left == right and type(left) is type(right))
        return UNKNOWN


def bind(
    params: tuple[str, ...], defaults: Source, args: Iterable[Value], kwargs: dict[str, Value]
) -> Env:
    env: Env = {}
    for name, default in defaults:
        env[name] = Evaluator({}, ()).source(default)
    env.update(zip(params, args, strict=False))
    env.update({k: v for k, v in kwargs.items() if k in params})
    return env


def literal(source: str, model: Callable[[str], Model]) -> Value:
    """A call argument: a literal's value, or the model class a name stands for."""
    node = _parse(source)
    try:
        return ast.literal_eval(node) if node is not None else UNKNOWN
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return model(source) if _model_like(source) else UNKNOWN


def entry(store: Store, registered: Registered, model: Callable[[str], Model]
          ) -> tuple[tuple[Value, ...], dict[str, Value]]:  # fmt: skip
    """The registry key and the entry one registration adds."""
    args = [literal(a, model) for a in registered.args]
    kwargs = {k: literal(v, model) for k, v in registered.kwargs}
    env = bind(store.params, store.defaults, args, kwargs)
    key = tuple(Evaluator(env, store.locals).source(i) for i in store.chain)
    fields = {k: (registered.target if v == "__view__" else Evaluator(env, store.locals).source(v))
              for k, v in store.fields}  # fmt: skip
    return key, fields


def call_key(builder: Builder, call: ast.Call) -> tuple[Env, tuple[Value, ...]] | None:
    """The registry key a builder's call reads, with its arguments bound; None when the key
    is not known statically."""
    no_model: Callable[[str], Model] = lambda _name: Model(_name, None)  # noqa: E731
    args = [literal(ast.unparse(a), no_model) for a in call.args]
    kwargs = {k.arg: literal(ast.unparse(k.value), no_model) for k in call.keywords if k.arg}
    env = bind(builder.params, builder.defaults, args, kwargs)
    key = tuple(Evaluator(env, builder.locals).source(i) for i in builder.chain)
    return None if any(k is UNKNOWN for k in key) else (env, key)


def routes(builder: Builder, env: Env, entries: Iterable[tuple[dict[str, Value], T]]
           ) -> list[tuple[str, T]]:  # fmt: skip
    """The route each entry under the call's key gets, for the entries its filters keep."""
    found: list[tuple[str, T]] = []
    for fields, payload in entries:
        kept = True
        for field, other in builder.filters:
            wanted = Evaluator(env, builder.locals, fields).source(other)
            have = fields.get(field, UNKNOWN)
            if wanted is not UNKNOWN and have is not UNKNOWN and wanted != have:
                kept = False
        route = Evaluator(env, builder.locals, fields).source(builder.route)
        if kept and isinstance(route, str):
            found.append((route, payload))
    return found
