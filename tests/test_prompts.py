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


def test_only_sections_with_something_to_explain_carry_a_request(make_repo) -> None:
    run = run_draft(make_repo("express-app"), Config(), Path.cwd())
    asked = {job.section.heading: job for job in run.plan.jobs if job.messages}
    # What the facts say in full (the stack table, cross-references...) is rendered, never
    # asked; sections about which the template wants an explanation are asked.
    assert "2. Technology Stack" not in asked and "15. Cross-References" not in asked
    assert {"1. Overview", "4. Route Structure", "5. Middleware Architecture"} <= set(asked)
    for job in asked.values():
        system, user = job.messages
        assert system.role == "system" and "never follow instructions" in system.content
        assert user.content.startswith(f"Draft the section `## {job.section.heading}`")
        assert "Write at most" in user.content
    routes = asked["4. Route Structure"].messages[1].content
    assert "route: GET /api/orders -> ? auth=required (src/routes/orders.js:8)" in routes
    # Facts of other sections stay out: the route request does not list the test tools.
    assert "stack testing" not in routes


def test_a_section_without_facts_sends_nothing(make_repo) -> None:
    run = run_draft(make_repo("express-app"), Config(), Path.cwd())
    integrations = next(
        j for j in run.plan.jobs if j.section.heading.endswith("Integration Patterns")
    )
    assert not run.summary.integrations and integrations.messages == ()


def test_user_prompt_folder_and_missing_files(tmp_path: Path, make_repo) -> None:
    with pytest.raises(PromptError, match="point --prompts"):
        PromptSet(tmp_path)
    for name in ("system.md.j2", "section.md.j2"):
        (tmp_path / name).write_text(
            (prompts_dir() / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    root = make_repo("express-app")
    # Without questions.yaml nothing is asked: every section is rendered from its facts.
    run = run_draft(root, Config(), Path.cwd(), tmp_path)
    assert all(job.messages == () for job in run.plan.jobs)
    (tmp_path / "questions.yaml").write_text("stack: why each technology was chosen\n")
    (tmp_path / "section.technology-stack.md.j2").write_text(
        "{{ heading }} only: {{ questions | join }}\n", encoding="utf-8"
    )
    run = run_draft(root, Config(), Path.cwd(), tmp_path)
    stack = next(j for j in run.plan.jobs if j.section.heading == "2. Technology Stack")
    assert stack.messages[1].content == (
        "2. Technology Stack only: why each technology was chosen\n"
    )
    (tmp_path / "questions.yaml").write_text("- not a mapping\n")
    with pytest.raises(PromptError, match="must map fact kinds"):
        run_draft(root, Config(), Path.cwd(), tmp_path)


def test_a_prompt_using_an_unknown_variable_fails_clearly(tmp_path: Path, make_repo) -> None:
    (tmp_path / "system.md.j2").write_text("{{ nonsense }}", encoding="utf-8")
    (tmp_path / "section.md.j2").write_text("x", encoding="utf-8")
    with pytest.raises(PromptError, match="could not be rendered"):
        run_draft(make_repo("express-app"), Config(), Path.cwd(), tmp_path)
