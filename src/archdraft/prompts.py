"""The one module that renders Jinja2: prompt files from prompts/ (or a user's folder)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import yaml

from archdraft.errors import PromptError


class PromptSet:
    """Prompt files of one folder. A per-section override is a file named
    ``section.<section-key>.md.j2`` next to ``section.md.j2``."""

    def __init__(self, folder: Path) -> None:
        if not (folder / "system.md.j2").is_file() or not (folder / "section.md.j2").is_file():
            raise PromptError(
                f"{folder} holds no system.md.j2 and section.md.j2; point --prompts at a copy of "
                "archdraft's prompts/ folder."
            )
        self.folder = folder
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def questions(self) -> dict[str, str]:
        """Fact kind → what a model is asked to explain about it, from ``questions.yaml``.
        A folder without the file asks nothing: every section is rendered from its facts."""
        return dict(self._questions)

    @cached_property
    def _questions(self) -> dict[str, str]:
        path = self.folder / "questions.yaml"
        if not path.is_file():
            return {}
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise PromptError(
                f"{path} could not be read ({exc}); fix it, or remove it to draft every "
                "section from its facts alone."
            ) from exc
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise PromptError(
                f"{path} must map fact kinds to questions (kind: text); fix it or remove it."
            )
        return {k: " ".join(v.split()) for k, v in data.items()}

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(p.name for p in self.folder.glob("*.j2")))

    def render(self, name: str, section_key: str | None = None, **variables: Any) -> str:
        candidates = [f"{name}.{section_key}.md.j2"] if section_key else []
        candidates.append(f"{name}.md.j2")
        try:
            template = self._env.select_template(candidates)
            return template.render(**variables).strip() + "\n"
        except jinja2.TemplateError as exc:
            raise PromptError(
                f"prompt {candidates[-1]} in {self.folder} could not be rendered ({exc}); "
                "fix the file or remove it to use archdraft's own."
            ) from exc
