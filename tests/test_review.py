"""Section-by-section review: who owns each section, the merge of accepted sections into
the document as it is, the guards, and human edits that survive redrafts."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from archdraft.cli import EXIT_PENDING, app
from archdraft.document import section_headings, split_document
from archdraft.errors import GuardError
from archdraft.review import HUMAN, NEW, OURS, PINNED, apply, merge, prepare
from archdraft.review_session import decide, decide_unattended
from archdraft.state import load_state, save_state
from archdraft.template import parse_template
from archdraft.verify import Finding

from .conftest import commit_all

runner = CliRunner()
DOC = Path("docs/architecture/backend.md")
TEMPLATE = parse_template(
    "# Doc\n\n## Alpha\n\nSay alpha.\n\n## Beta\n\nSay beta.\n\n## Gamma\n\nSay gamma.\n", "t"
)
HEADINGS = section_headings(TEMPLATE)
PROPOSED = "# Doc\n\n## Alpha\n\nA2\n\n## Beta\n\nB2\n\n## Gamma\n\nG2\n"
AVATAR = "router.get('/:id/avatar', requireAuth, async (req, res) => { res.json({}) });\n"


def _setup(tmp_path: Path, current: str, state: dict[str, str]) -> Path:
    (tmp_path / "doc.md").write_text(current, encoding="utf-8")
    save_state(tmp_path, "doc.md", state)
    return tmp_path


def test_split_gives_the_document_back_exactly() -> None:
    text = "---\na: 1\n---\n# Doc\n\n## Alpha\n\n```\n## Beta\n```\n\n## Mine\n\nx\n## Gamma\ny"
    blocks = split_document(text, HEADINGS)
    assert "".join(b.text for b in blocks) == text
    assert [b.key for b in blocks] == [
        "front-matter",
        "alpha",
        None,
        "gamma",
    ]  # fenced: not a heading


def test_merge_keeps_a_persons_text_where_it_is_and_puts_a_new_section_in_order(
    tmp_path: Path,
) -> None:
    current = "# Doc\n\n## Alpha\n\nA1\n\n## Our notes\n\nmine\n\n## Gamma\n\nG1\n"
    root = _setup(tmp_path, current, {"alpha": "## Alpha\n\nA1\n", "front-matter": "# Doc\n"})
    proposal = prepare(root, "doc.md", PROPOSED, HEADINGS, ())
    owners = {u.key: u.owner for u in proposal.units}
    assert owners == {"front-matter": OURS, "alpha": OURS, "beta": NEW, "gamma": HUMAN}
    outcome = decide_unattended(proposal, force=False)
    assert outcome.statuses == {"alpha": "accepted", "beta": "accepted", "gamma": "kept"}
    result = merge(proposal, outcome.decisions)
    assert result == (
        "# Doc\n\n## Alpha\n\nA2\n\n## Our notes\n\nmine\n\n## Beta\n\nB2\n\n## Gamma\n\nG1\n"
    )


def test_a_brand_new_document_is_the_draft_itself(tmp_path: Path) -> None:
    proposal = prepare(tmp_path, "doc.md", PROPOSED, HEADINGS, ())
    outcome = decide_unattended(proposal, force=False)
    assert merge(proposal, outcome.decisions) == PROPOSED


def test_the_keep_marker_pins_a_section(tmp_path: Path) -> None:
    current = "# Doc\n\n## Alpha\n\n<!-- archdraft: keep -->\nA1\n"
    root = _setup(tmp_path, current, {"alpha": "## Alpha\n\nA0\n"})
    proposal = prepare(root, "doc.md", PROPOSED, HEADINGS, ())
    assert proposal.unit("alpha").owner == PINNED
    assert "alpha" not in [u.key for u in proposal.changed]
    outcome = decide(proposal, ask=lambda question, default: "A")
    assert "<!-- archdraft: keep -->\nA1" in merge(proposal, outcome.decisions)


def test_a_draft_with_findings_waits_for_review_unless_forced(tmp_path: Path) -> None:
    finding = Finding("Beta", "citation", "x.py:9", "no such file", 7)
    proposal = prepare(tmp_path, "doc.md", PROPOSED, HEADINGS, (finding,))
    assert proposal.unit("beta").findings == ("citation: 'x.py:9': no such file",)
    assert decide_unattended(proposal, False).statuses["beta"] == "pending"
    assert decide_unattended(proposal, True).statuses["beta"] == "accepted"


def test_accept_all_remaining_still_asks_about_a_persons_sections(tmp_path: Path) -> None:
    current = "# Doc\n\n## Alpha\n\nA1\n\n## Gamma\n\nG1 mine\n"
    root = _setup(tmp_path, current, {"alpha": "## Alpha\n\nA1\n", "front-matter": "# Doc\n"})
    proposal = prepare(root, "doc.md", PROPOSED, HEADINGS, ())
    asked: list[str] = []

    def ask(question: str, default: str) -> str:
        asked.append(f"{question.split('?')[0]} default {default}")
        return "A" if len(asked) == 1 else "r"

    outcome = decide(proposal, ask=ask)
    assert asked == ["Alpha default a", "Gamma default r"]
    assert outcome.statuses == {"alpha": "accepted", "beta": "accepted", "gamma": "kept"}


def test_the_guards_refuse_a_dropped_section_or_a_halved_document(tmp_path: Path) -> None:
    long = "## Gamma\n\n" + "G1 " * 200 + "\n"
    current = "# Doc\n\n## Alpha\n\nA1\n\n## Beta\n\nB1\n\n" + long
    state = {"front-matter": "# Doc\n", "alpha": "## Alpha\n\nA1\n", "beta": "## Beta\n\nB1\n"}
    root = _setup(tmp_path, current, {**state, "gamma": long})
    shorter = "# Doc\n\n## Alpha\n\nA2\n\n## Gamma\n\nG2\n"  # drops Beta, shrinks Gamma
    proposal = prepare(root, "doc.md", shorter, HEADINGS, ())
    outcome = decide_unattended(proposal, force=False)
    try:
        apply(proposal, outcome.decisions, root, force=False)
    except GuardError as exc:
        message = str(exc)
    else:
        raise AssertionError("a dropped section and a halved document were written")
    assert "it drops 'Beta' from doc.md" in message
    assert "less than half" in message and "--force" in message
    assert (root / "doc.md").read_text(encoding="utf-8") == current
    apply(proposal, outcome.decisions, root, force=True)
    assert (root / "doc.md").read_text(encoding="utf-8") == shorter


def test_state_records_the_draft_so_an_edit_made_in_review_stays_the_reviewers(
    tmp_path: Path,
) -> None:
    proposal = prepare(tmp_path, "doc.md", PROPOSED, HEADINGS, ())
    edited: list[str] = []

    def editor(text: str, key: str) -> str:
        edited.append(key)
        return text + "\nMy line.\n"

    outcome = decide(
        proposal,
        ask=lambda question, default: "e" if "Beta" in question and not edited else "a",
        editor=editor,
    )
    assert edited == ["beta"]
    assert outcome.statuses["beta"] == "edited"
    apply(proposal, outcome.decisions, tmp_path, force=False)
    assert "My line." in (tmp_path / "doc.md").read_text(encoding="utf-8")
    assert load_state(tmp_path, "doc.md").texts["beta"] == "## Beta\n\nB2\n"
    again = prepare(tmp_path, "doc.md", PROPOSED, HEADINGS, ())
    assert again.unit("beta").owner == HUMAN
    assert not again.changed  # the draft has no news for the edited section: not asked


def _draft(root: Path, *args: str):
    return runner.invoke(app, ["draft", str(root), *args])


def _add_route(root: Path) -> None:
    users = root / "src" / "routes" / "users.js"
    lines = users.read_text(encoding="utf-8").splitlines(keepends=True)
    users.write_text("".join([*lines[:14], AVATAR, *lines[14:]]), encoding="utf-8")
    commit_all(root, "an avatar route")


def test_hand_edits_in_three_sections_survive_a_redraft_with_yes(make_repo) -> None:
    root = make_repo("express-app")
    assert _draft(root, "--yes").exit_code == 0
    text = (root / DOC).read_text(encoding="utf-8")
    edits = {
        "## 1. Overview\n": "Edited: the overview as the team tells it.\n",
        "## 4. Route Structure\n": "Edited: routes are versioned from next year.\n",
        "## 6. Authentication & Authorization\n": "Edited: tokens come from our SSO.\n",
    }
    for heading, line in edits.items():
        text = text.replace(heading, f"{heading}\n{line}", 1)
    text = text.replace("## 7. Service Layer", "## Team notes\n\nOurs.\n\n## 7. Service Layer")
    (root / DOC).write_text(text, encoding="utf-8")
    _add_route(root)  # so the new draft of each edited section has news
    result = _draft(root, "--yes")
    assert result.exit_code == 0, result.stderr
    written = (root / DOC).read_text(encoding="utf-8")
    assert all(line in written for line in edits.values())
    assert "## Team notes\n\nOurs.\n\n## 7. Service Layer" in written
    assert result.stdout.count("your edits since archdraft's last draft:") == 3
    assert result.stdout.count("the new draft against your text:") == 3
    assert "kept as you wrote them: 1. Overview; 4. Route Structure; 6. Authentication" in (
        result.stderr
    )
    assert "5 of 7 routes" not in written  # the person's auth section stood
    assert "| `GET` | `/api/users/{id}/avatar`" not in written


def test_a_document_with_no_record_counts_as_a_persons(make_repo) -> None:
    root = make_repo("express-app")
    assert _draft(root, "--yes").exit_code == 0
    (root / ".archdraft" / "state.json").unlink()
    _add_route(root)
    before = (root / DOC).read_bytes()
    result = _draft(root, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "archdraft has no record of writing it" in result.stdout
    assert "Nothing accepted" in result.stderr
    assert (root / DOC).read_bytes() == before


def test_dropping_a_section_is_refused_without_force(make_repo) -> None:
    root = make_repo("express-app")
    assert _draft(root, "--yes").exit_code == 0
    before = (root / DOC).read_bytes()
    refused = _draft(root, "--yes", "--drop-empty")
    assert refused.exit_code == 6
    assert "refusing to write docs/architecture/backend.md: it drops" in refused.stderr
    assert "--force" in refused.stderr
    assert (root / DOC).read_bytes() == before
    forced = _draft(root, "--yes", "--drop-empty", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert len((root / DOC).read_bytes()) < len(before)


def test_review_yes_applies_a_saved_run(make_repo) -> None:
    root = make_repo("express-app")
    assert _draft(root).exit_code == EXIT_PENDING
    assert not (root / DOC).exists()
    result = runner.invoke(app, ["review", "-C", str(root), "--yes"])
    assert result.exit_code == 0, result.stderr
    assert (root / DOC).read_text(encoding="utf-8").count("\n## ") == 15
    missing = runner.invoke(app, ["review", "no-such-run", "-C", str(root)])
    assert missing.exit_code == 1
    assert "no saved run 'no-such-run'" in missing.stderr


def test_a_symlinked_archdraft_folder_is_refused_and_nothing_is_written_outside(
    make_repo, tmp_path: Path
) -> None:
    root = make_repo("express-app")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".archdraft").symlink_to(outside)
    result = _draft(root, "--yes")
    assert result.exit_code == 1
    assert ".archdraft is a symlink" in result.stderr
    assert list(outside.iterdir()) == []
    assert not (root / DOC).exists()


def test_a_document_that_is_a_symlink_out_of_the_repository_is_neither_read_nor_written(
    make_repo, tmp_path: Path
) -> None:
    root = make_repo("express-app")
    outside = tmp_path / "elsewhere.md"
    outside.write_text("# Not yours\n", encoding="utf-8")
    (root / DOC).parent.mkdir(parents=True)
    (root / DOC).symlink_to(outside)
    result = _draft(root, "--yes")
    assert result.exit_code == 1
    assert "is a symlink" in result.stderr
    assert outside.read_text(encoding="utf-8") == "# Not yours\n"
