from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta

from archdraft.config import Config
from archdraft.errors import PromptError
from archdraft.pipeline import run_draft
from archdraft.prompts import PromptSet
from archdraft.resources import prompts_dir

DECLARED = re.compile(r"^variables:\s*(.*)$", re.M)


@pytest.mark.parametrize("path", sorted(prompts_dir().glob("*.j2")), ids=lambda p: p.name)
def test_declared_variables_are_exactly_the_used_ones(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    header = DECLARED.search(source.split("-#}")[0])
    assert header, f"{path.name} does not declare its variables at the top"
    declared = {
        v.strip() for v in header.group(1).split(",") if v.strip() and v.strip() != "(none)"
    }
    used = meta.find_undeclared_variables(jinja2.Environment().parse(source))
    assert used == declared
    assert "output:" in source.split("-#}")[0]


def test_section_prompts_are_rendered_for_every_section(make_repo) -> None:
    run = run_draft(make_repo("express-app"), Config(), Path.cwd())
    for job in run.plan.jobs:
        system, user = job.messages
        assert system.role == "system" and "Not found in this repository." in system.content
        assert user.content.startswith(f"Draft the section `## {job.section.heading}`")
    stack = next(j for j in run.plan.jobs if j.section.heading == "2. Technology Stack")
    assert "stack framework: Express ^4.18.2 (package.json:17)" in stack.messages[1].content


def test_user_prompt_folder_and_missing_files(tmp_path: Path, make_repo) -> None:
    with pytest.raises(PromptError, match="point --prompts"):
        PromptSet(tmp_path)
    for name in ("system.md.j2", "section.md.j2"):
        (tmp_path / name).write_text(
            (prompts_dir() / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "section.technology-stack.md.j2").write_text(
        "{{ heading }} only\n", encoding="utf-8"
    )
    run = run_draft(make_repo("express-app"), Config(), Path.cwd(), tmp_path)
    stack = next(j for j in run.plan.jobs if j.section.heading == "2. Technology Stack")
    assert stack.messages[1].content == "2. Technology Stack only\n"


def test_a_prompt_using_an_unknown_variable_fails_clearly(tmp_path: Path, make_repo) -> None:
    (tmp_path / "system.md.j2").write_text("{{ nonsense }}", encoding="utf-8")
    (tmp_path / "section.md.j2").write_text("x", encoding="utf-8")
    with pytest.raises(PromptError, match="could not be rendered"):
        run_draft(make_repo("express-app"), Config(), Path.cwd(), tmp_path)
