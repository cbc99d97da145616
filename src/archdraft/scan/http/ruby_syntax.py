"""Ruby literals and call shapes as tree-sitter's Ruby grammar gives them, shared by the
Rails readers: a literal's value, a call's positional arguments and its keyword options."""

from __future__ import annotations

from dataclasses import dataclass, field

from archdraft.scan import treesitter as ts

Value = str | tuple[str, ...] | None
"""A string or symbol's text, a list of them, or None for anything else."""

_STRINGS = {"string", "simple_symbol", "hash_key_symbol", "delimited_symbol", "bare_symbol",
            "bare_string", "constant", "scope_resolution"}  # fmt: skip
_LISTS = {"array", "symbol_array", "string_array"}
_BODIES = {"body_statement", "block_body"}


def value(node: ts.Node | None) -> Value:
    """The literal ``node`` spells, or None when it is computed (interpolation, a call)."""
    if node is None:
        return None
    kind = node.type
    if kind in _STRINGS:
        if any(c.type == "interpolation" for c in node.named_children):
            return None
        text = ts.text(node)
        if kind in {"constant", "scope_resolution"}:
            return text
        if kind == "hash_key_symbol":
            return text
        return text.removeprefix(":").strip("\"'")
    if kind in _LISTS:
        items = [value(child) for child in node.named_children]
        strings = tuple(i for i in items if isinstance(i, str))
        return strings if len(strings) == len(items) else None
    if kind == "parenthesized_statements" and node.named_child_count == 1:
        return value(node.named_children[0])
    return None


def singular(word: str) -> str:
    """The English singular Rails' inflector gives for most names (articles -> article)."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def strings(node: ts.Node | None) -> tuple[str, ...] | None:
    """A literal as a list: ``:a`` and ``[:a, :b]`` alike."""
    found = value(node)
    if found is None:
        return None
    return (found,) if isinstance(found, str) else found


@dataclass
class CallShape:
    """A call's name, positional arguments, keyword options and block body, in order."""

    name: str
    receiver: ts.Node | None
    args: list[ts.Node] = field(default_factory=list)
    options: dict[str, ts.Node] = field(default_factory=dict)
    pairs: list[tuple[ts.Node, ts.Node]] = field(default_factory=list)
    """``"path" => "ctrl#action"`` and other pairs whose key is not a plain name."""
    splat: bool = False
    """A ``**options`` argument passes the caller's options on."""
    block: ts.Node | None = None


def call_shape(node: ts.Node) -> CallShape | None:
    """The shape of a ``call`` node, or of a bare ``identifier`` statement (``member``)."""
    if node.type == "identifier":
        return CallShape(ts.text(node), None)
    if node.type != "call":
        return None
    method = node.child_by_field_name("method")
    if method is None:
        return None
    shape = CallShape(ts.text(method), node.child_by_field_name("receiver"))
    arguments = node.child_by_field_name("arguments")
    for arg in arguments.named_children if arguments is not None else ():
        if arg.type == "pair":
            _pair(shape, arg)
        elif arg.type == "hash":
            for pair in arg.named_children:
                if pair.type == "pair":
                    _pair(shape, pair)
        elif arg.type == "hash_splat_argument":
            shape.splat = True
        elif arg.type not in {"comment", "block_argument"}:
            shape.args.append(arg)
    block = node.child_by_field_name("block")
    if block is not None:
        inner = [c for c in block.named_children if c.type in _BODIES]
        shape.block = inner[0] if inner else block
    return shape


def _pair(shape: CallShape, pair: ts.Node) -> None:
    key, val = pair.child_by_field_name("key"), pair.child_by_field_name("value")
    if key is None or val is None:
        return
    if key.type in {"hash_key_symbol", "simple_symbol"}:
        shape.options[ts.text(key).strip(":")] = val
    else:
        shape.pairs.append((key, val))


def statements(body: ts.Node | None) -> list[ts.Node]:
    """The statements of a body or block, skipping comments."""
    if body is None:
        return []
    if body.type in {"do_block", "block"}:
        inner = next(
            (c for c in body.named_children if c.type in {"body_statement", "block_body"}), None
        )
        if inner is None:
            return [c for c in body.named_children if c.type not in {"comment", "block_parameters"}]
        body = inner
    return [c for c in body.named_children if c.type != "comment"]
