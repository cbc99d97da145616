from __future__ import annotations

from pathlib import Path

import pytest

from archdraft.errors import TemplateError
from archdraft.plan import section_facts
from archdraft.resources import templates_dir
from archdraft.template import load_template, parse_template

from .conftest import USER_TEMPLATE

EXPECTED_HEADINGS = [
    "1. Overview",
    "2. Technology Stack",
    "3. Server Architecture",
    "4. Route Structure",
    "5. Middleware Architecture",
    "6. Authentication & Authorization",
    "7. Service Layer",
    "8. Data Access Layer",
    "9. Error Handling",
    "10. Integration Patterns",
    "11. Testing Strategy",
    "12. Performance Considerations",
    "13. Security",
    "14. Code Quality Standards",
    "15. Cross-References",
]


def test_user_template_sections_and_guidance() -> None:
    template = load_template(USER_TEMPLATE)
    assert [s.heading for s in template.sections] == EXPECTED_HEADINGS
    assert all(s.level == 2 for s in template.sections)
    assert template.title == "Backend Architecture"
    overview = template.sections[0]
    assert overview.guidance.instructions[0].startswith("Provide a high-level overview")
    assert "Module system (ESM, CommonJS, or both)" in overview.guidance.bullets
    assert (
        overview.guidance.examples and "Key Characteristics" in overview.guidance.examples[0].code
    )
    stack = template.sections[1]
    assert stack.guidance.table_columns == ("Category", "Technology", "Purpose")
    server = template.sections[2]
    assert [s.heading for s in server.subsections] == ["Entry Point", "Configuration"]
    assert server.subsections[0].guidance.examples[0].language == "typescript"
    routes = template.sections[3]
    assert (
        routes.subsections[0].placeholder and routes.subsections[0].heading == "[Route Group Name]"
    )


def test_user_template_drops_notice_and_instructions() -> None:
    template = load_template(USER_TEMPLATE)
    assert template.removed == ("template notice (line 11)", "template instructions (line 236)")
    assert template.intro == ""
    last = template.sections[-1]
    everything = "\n".join(s.body for s in last.walk())
    assert "Template Instructions" not in everything
    assert "Replace all bracketed placeholders" not in everything
    assert "THIS IS A TEMPLATE" not in "\n".join(s.body for s in template.all_sections())
    assert template.front_matter is not None and "last_updated" in template.front_matter


def test_user_template_sections_match_facts_by_heading() -> None:
    template = load_template(USER_TEMPLATE)
    facts = {s.heading: section_facts(s) for s in template.all_sections()}
    assert facts["2. Technology Stack"] == ("stack",)
    assert facts["Entry Point"] == ("entrypoints",)
    assert facts["Configuration"] == ("config",)
    assert facts["4. Route Structure"] == ("routes",)
    assert facts["Authorization Model"] == ("access",)
    assert facts["Error Response Format"] == ("error_response",)
    assert facts["11. Testing Strategy"] == ("tests",)
    assert facts["15. Cross-References"] == ("docs", "sources")
    assert facts["[Route Group Name]"] == ()


def test_default_template_has_the_same_sections_with_fact_notes() -> None:
    template = load_template(templates_dir() / "backend.md")
    assert [s.heading for s in template.sections] == EXPECTED_HEADINGS
    for section in template.all_sections():
        assert section.facts, f"{section.heading} has no facts note"
        assert "archdraft:" not in section.body
    assert template.removed == ()


def test_front_matter_title_and_intro_of_any_template() -> None:
    template = parse_template(
        "---\ntitle: Service docs [TEMPLATE]\n---\n\n# Service [TEMPLATE]\n\nIntro kept.\n\n"
        "> This is a template. Remove this notice.\n\n## Routes\n\nList them.\n",
        "custom",
    )
    assert template.title == "Service"
    assert template.intro == "Intro kept."
    assert [s.heading for s in template.sections] == ["Routes"]
    assert template.removed == ("template notice (line 9)",)


def test_template_instructions_heading_is_dropped() -> None:
    template = parse_template(
        "# Doc\n\n## Overview\n\nSay what it is.\n\n## Template instructions\n\n1. Fill it in\n",
        "custom",
    )
    assert [s.heading for s in template.sections] == ["Overview"]


def test_template_without_headings_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "flat.md"
    path.write_text("Just a paragraph.\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="no markdown headings"):
        load_template(path)
