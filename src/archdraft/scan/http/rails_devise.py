"""``devise_for :users``: the routes Devise draws for the modules the model enables
(``devise :database_authenticatable, :registerable`` in the ``User`` class), with the
``path:``, ``path_names:``, ``controllers:``, ``only:`` and ``skip:`` the call gives."""

from __future__ import annotations

from archdraft.scan import treesitter as ts
from archdraft.scan.http.ruby_syntax import CallShape, singular, strings, value

# Devise module -> (controller, [(verb, path, action)]); ``{name}`` is a path name
_ROUTES: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "database_authenticatable": ("sessions", (
        ("GET", "{sign_in}", "new"), ("POST", "{sign_in}", "create"),
        ("DELETE", "{sign_out}", "destroy"),
    )),
    "recoverable": ("passwords", (
        ("GET", "{password}/{new}", "new"), ("GET", "{password}/{edit}", "edit"),
        ("PATCH", "{password}", "update"), ("PUT", "{password}", "update"),
        ("POST", "{password}", "create"),
    )),
    "registerable": ("registrations", (
        ("GET", "{registration}/{cancel}", "cancel"), ("GET", "{registration}/{sign_up}", "new"),
        ("GET", "{registration}/{edit}", "edit"), ("PATCH", "{registration}", "update"),
        ("PUT", "{registration}", "update"), ("DELETE", "{registration}", "destroy"),
        ("POST", "{registration}", "create"),
    )),
    "confirmable": ("confirmations", (
        ("GET", "{confirmation}/{new}", "new"), ("GET", "{confirmation}", "show"),
        ("POST", "{confirmation}", "create"),
    )),
    "lockable": ("unlocks", (
        ("GET", "{unlock}/{new}", "new"), ("GET", "{unlock}", "show"),
        ("POST", "{unlock}", "create"),
    )),
}  # fmt: skip
_PATH_NAMES = {"sign_in": "sign_in", "sign_out": "sign_out", "password": "password",
               "registration": "", "cancel": "cancel", "sign_up": "sign_up", "edit": "edit",
               "new": "new", "confirmation": "confirmation", "unlock": "unlock"}  # fmt: skip
DEFAULT_MODULES = ("database_authenticatable",)
"""What a model whose ``devise`` call was not found is taken to enable."""


def devise_model(resource: str) -> str:
    """``users`` -> ``User``, the model Devise reads the modules from."""
    return "".join(word.capitalize() for word in singular(resource).split("_"))


def devise_routes(shape: CallShape) -> list[tuple[str, str, str, str, str]]:
    """(module, verb, path below the resource's, controller, action) for every route
    ``devise_for`` may draw; which modules the model enables is decided when joining."""
    names = dict(_PATH_NAMES)
    given = shape.options.get("path_names")
    for pair in given.named_children if given is not None and given.type == "hash" else ():
        key, val = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        found = value(val)
        if key is not None and isinstance(found, str):
            names[ts.text(key).strip(":")] = found
    controllers: dict[str, str] = {}
    given = shape.options.get("controllers")
    for pair in given.named_children if given is not None and given.type == "hash" else ():
        key, val = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        found = value(val)
        if key is not None and isinstance(found, str):
            controllers[ts.text(key).strip(":")] = found
    only = strings(shape.options.get("only"))
    skip = strings(shape.options.get("skip")) or ()
    found_routes = []
    for module, (controller, routes) in _ROUTES.items():
        if controller in skip or (only is not None and controller not in only):
            continue
        target = controllers.get(controller, f"devise/{controller}")
        for verb, path, action in routes:
            found_routes.append((module, verb, path.format(**names), target, action))
    return found_routes
