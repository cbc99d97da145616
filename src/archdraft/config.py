"""Configuration, built once and typed.

Precedence, lowest first: defaults, ``[tool.archdraft]`` in the target repository's
``pyproject.toml`` (or a top-level ``archdraft.toml``), ``ARCHDRAFT_*`` environment
variables, then command-line flags.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archdraft.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


@dataclass(frozen=True)
class Config:
    template: str = "backend"
    """A template name from archdraft's templates/ or a path to a markdown file."""
    out: str = "docs/architecture/backend.md"
    """Where the document is written, relative to the target repository."""
    drop_empty: bool = False
    """Remove sections with no facts instead of saying "Not found in this repository."."""
    max_file_bytes: int = 1_048_576
    """Files larger than this are listed but not read."""
    model: str = "gpt-4o-mini"
    """The chat model drafting sections, when a key or a base URL is configured."""
    base_url: str = ""
    """An OpenAI-compatible endpoint (llama.cpp, Ollama, vLLM); empty means
    ``OPENAI_BASE_URL`` when that is set, else OpenAI's own."""
    offline: bool = False
    """Draft from the facts alone, sending nothing, even when a model is configured."""
    temperature: float = 0.0
    frequency_penalty: float = 0.0
    """Penalty on tokens already used (OpenAI's ``frequency_penalty``): it can keep a small
    local model from repeating itself until the reply limit. Not sent when 0."""
    timeout: float = 120.0
    """Seconds to wait for one model reply."""
    retries: int = 2
    """Retries of a rate-limited or failed request, by the client's own policy (it honours
    ``Retry-After``)."""
    jobs: int = 4
    """Sections drafted at the same time."""
    budget_tokens: int = 6000
    """Prompt tokens per section request (estimated pessimistically)."""
    reply_tokens: int = 256
    """The most tokens a section's reply may take: a few sentences of prose need about a
    hundred, and a model that loops is cut here instead of writing on for minutes."""
    cache: bool = True
    """Reuse stored model replies for requests already made."""
    repair_rounds: int = 1
    """Times a model-drafted section with verify findings is sent back with them."""
    price: str = ""
    """``input,output`` US dollars per million tokens, for a model archdraft has no price
    for (or to correct one)."""


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}
_ENV_PREFIX = "ARCHDRAFT_"
_ZERO_ALLOWED = {"retries", "repair_rounds"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, value: object, source: str) -> object:
    kind = type(getattr(Config(), name))
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
    elif kind is int:
        least = 0 if name in _ZERO_ALLOWED else 1
        if isinstance(value, int) and not isinstance(value, bool) and value >= least:
            return value
        if isinstance(value, str) and value.strip().isdigit() and int(value) >= least:
            return int(value)
    elif kind is float:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = -1.0
        if number >= 0 and not isinstance(value, bool):
            return number
    elif kind is str and isinstance(value, str) and value.strip():
        return value.strip()
    raise ConfigError(
        f"{source}: {name} must be a {kind.__name__}"
        + (" of 0 or more" if name in _ZERO_ALLOWED else " greater than 0" if kind is int else "")
        + (" of 0 or more" if kind is float else "")
        + f", got {value!r}; fix or remove it."
    )


def _file_layer(root: Path) -> tuple[dict[str, object], str]:
    pyproject = root / "pyproject.toml"
    standalone = root / "archdraft.toml"
    for path, table_path in ((standalone, ()), (pyproject, ("tool", "archdraft"))):
        if not path.is_file():
            continue
        try:
            data: object = tomllib.loads(path.read_text(encoding="utf-8", errors="replace"))
        except tomllib.TOMLDecodeError as exc:
            if path is pyproject:
                # A broken pyproject.toml is the scanned project's problem, not ours;
                # the scan reports it as a warning.
                continue
            raise ConfigError(f"{path.name} is not valid TOML ({exc}); fix it.") from exc
        for key in table_path:
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if isinstance(data, dict) and data:
            return dict(data), f"{path.name}{' [tool.archdraft]' if table_path else ''}"
    return {}, ""


def load_config(
    root: Path,
    environ: Mapping[str, str],
    **flags: object,
) -> Config:
    """Build the run's configuration for the repository at ``root``."""
    values: dict[str, object] = {}
    file_values, file_source = _file_layer(root)
    for key, value in file_values.items():
        name = key.replace("-", "_")
        if name not in _FIELDS:
            raise ConfigError(
                f"{file_source}: unknown setting {key!r}; known settings are "
                f"{', '.join(sorted(_FIELDS))}."
            )
        values[name] = _coerce(name, value, file_source)
    for name in _FIELDS:
        env_name = _ENV_PREFIX + name.upper()
        if env_name in environ:
            values[name] = _coerce(name, environ[env_name], env_name)
    for name, value in flags.items():
        if name not in _FIELDS:
            raise TypeError(f"unknown config flag {name}")
        if value is not None:
            values[name] = _coerce(name, value, f"--{name.replace('_', '-')}")
    return Config(**values)  # type: ignore[arg-type]
