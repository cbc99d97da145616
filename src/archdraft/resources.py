"""Where archdraft's own prompts/ and templates/ live.

In a wheel they are packaged under ``archdraft/_data``; in an editable checkout they are
the top-level folders of the source tree. Both layouts are looked up, wheel first.
"""

from __future__ import annotations

from pathlib import Path

from archdraft.errors import ResourceError, TemplateError

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates(name: str, package_dir: Path) -> tuple[Path, ...]:
    return (
        package_dir / "_data" / name,
        # src/archdraft -> src -> checkout root
        package_dir.parent.parent / name,
    )


def resource_dir(name: str, package_dir: Path = _PACKAGE_DIR) -> Path:
    """Return the folder ``name`` ("prompts" or "templates") of this installation."""
    for candidate in _candidates(name, package_dir):
        if candidate.is_dir():
            return candidate
    raise ResourceError(
        f"archdraft's {name}/ folder is missing from this installation "
        f"(looked in {', '.join(str(c) for c in _candidates(name, package_dir))}); "
        "reinstall archdraft, e.g. `pip install --force-reinstall archdraft`."
    )


def prompts_dir() -> Path:
    return resource_dir("prompts")


def templates_dir() -> Path:
    return resource_dir("templates")


def available_templates() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in templates_dir().glob("*.md")))


def find_template(name_or_path: str, cwd: Path) -> Path:
    """A template given by name (a file in templates/) or by path."""
    as_path = Path(name_or_path)
    if not as_path.is_absolute():
        as_path = cwd / as_path
    if as_path.is_file():
        return as_path
    bundled = templates_dir() / f"{name_or_path.removesuffix('.md')}.md"
    if bundled.is_file():
        return bundled
    raise TemplateError(
        f"template {name_or_path!r} is neither a file nor one of archdraft's templates "
        f"({', '.join(available_templates())}); pass --template with a path to a markdown file "
        "or one of those names."
    )
