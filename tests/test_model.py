"""Drafting with a model, above the wire: budgets, the egress gate, the reply cache,
concurrency order, and faults.

Faults a real local server cannot produce on demand (429, 5xx, a truncated or empty
reply, a timeout) are played by an ``httpx2.MockTransport`` under the real ``openai``
client, so its own retry policy runs; recorded traffic is in test_cassettes.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx2
import pytest
import vcr
from typer.testing import CliRunner

from archdraft.cli import app
from archdraft.config import load_config
from archdraft.draft.prose import numbered, paragraphs
from archdraft.errors import ModelError
from archdraft.pipeline import run_draft
from archdraft.tokens import estimate_messages

from .conftest import FIXTURES

runner = CliRunner()
FIXTURE_NAMES = sorted(
    p.name for p in FIXTURES.iterdir() if (p / "README.md").exists() or p.name.endswith("-app")
)


def _reply(content: str, finish: str = "stop") -> dict[str, object]:
    return {
        "id": "fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class FakeServer:
    """Answers every section with a sentence naming a code element of the express-app
    fixture; ``fail`` maps a heading fragment to the response that section gets instead."""

    SENTENCE = "The `requireAuth` middleware checks the caller's token."

    def __init__(self, fail: dict[str, httpx2.Response] | None = None) -> None:
        self.fail = fail or {}
        self.requests: list[dict[str, object]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        self.requests.append(body)
        user = body["messages"][1]["content"]
        heading = re.search(r"Draft the section `(#+ [^`]+)`", user)
        assert heading, user[:200]
        for fragment, response in self.fail.items():
            if fragment in heading.group(1):
                return response
        if len(body["messages"]) > 2:  # a repair round
            return httpx2.Response(200, json=_reply(self.repaired(heading.group(1))))
        return httpx2.Response(200, json=_reply(self.text(heading.group(1))))

    def text(self, heading: str) -> str:
        return self.SENTENCE

    def repaired(self, heading: str) -> str:
        return "1. DROP"


def _run(root: Path, server: FakeServer, **flags: object):
    config = load_config(root, {}, base_url="http://fake.invalid/v1", model="fake-model", **flags)
    client = httpx2.Client(transport=httpx2.MockTransport(server))
    return run_draft(root, config, root, environ={}, http_client=client)


ASKED = 9
"""Sections of the express-app fixture with something for a model to explain."""


def test_prose_goes_above_the_rendered_facts_and_the_overview_comes_last(make_repo) -> None:
    root = make_repo("express-app")
    server = FakeServer()
    run = _run(root, server)
    assert run.model is not None
    statuses = [s.status for s in run.model.sections]
    assert statuses.count("sent") == ASKED and statuses.count("facts") == 15 - ASKED
    assert len(server.requests) == ASKED
    overview = server.requests[-1]["messages"][-1]["content"]
    assert overview.startswith("Draft the section `## 1. Overview`")
    # The overview is asked from the prose the other sections kept, citations and all.
    assert overview.count("`requireAuth` middleware") == ASKED - 1
    # The sentence is held to the code and cited where what it names is defined.
    cited = (
        "The `requireAuth` middleware checks the caller's token "
        "([src/routes/orders.js:6](../../src/routes/orders.js#L6))."
    )
    assert run.document.count(cited) == ASKED
    middleware = run.document.split("## 5. Middleware Architecture\n\n", 1)[1]
    assert middleware.startswith(cited + "\n\n1. **helmet** — runs on every request")
    # What the scan knows is rendered as the offline drafter renders it.
    offline = run_draft(root, load_config(root, {}, offline=True), root, environ={})
    stack = offline.document.split("## 2. Technology Stack")[1].split("## 3.")[0]
    assert stack in run.document and "Drafted" not in run.document
    assert not run.findings.items
    assert run.model.prompt_tokens == 100 * ASKED and run.model.completion_tokens == 20 * ASKED
    assert run.drafter.startswith("model fake-model at http://fake.invalid/v1")


def test_an_unchanged_rerun_sends_nothing_and_a_failed_run_resumes(make_repo) -> None:
    root = make_repo("express-app")
    broken = FakeServer({"Middleware": httpx2.Response(500, json={"error": {"message": "boom"}})})
    first = _run(root, broken, retries=1)
    assert first.model is not None
    assert [s.heading for s in first.model.failed] == ["5. Middleware Architecture"]
    # The client's own retry policy ran: two tries for the failed section.
    assert (
        sum(
            "Middleware Architecture`" in r["messages"][-1]["content"][:80] for r in broken.requests
        )
        == 2
    )
    healthy = FakeServer()
    second = _run(root, healthy)
    assert second.model is not None
    # Only the section that failed, and the overview that quotes it, are asked again.
    assert len(healthy.requests) == 2
    assert second.model.cached == ASKED - 2 and second.model.requests == 2
    third_server = FakeServer()
    third = _run(root, third_server)
    assert third_server.requests == [] and third.model is not None
    assert third.model.cached == ASKED and third.model.requests == 0
    assert third.document == second.document
    fresh = FakeServer()
    _run(root, fresh, cache=False)
    assert len(fresh.requests) == ASKED


@pytest.mark.parametrize(
    ("response", "kind"),
    [
        (
            httpx2.Response(429, headers={"retry-after": "0"}, json={"error": {"message": "slow"}}),
            "rate limit",
        ),
        (httpx2.Response(503, json={"error": {"message": "down"}}), "server error"),
        (
            httpx2.Response(200, json=_reply("The `requireAuth` middleware checks", "length")),
            "reply limit",
        ),
        (httpx2.Response(200, json=_reply("   ")), "empty reply"),
    ],
)
def test_a_failed_section_keeps_the_document_text_and_the_rest_is_drafted(
    make_repo, response: httpx2.Response, kind: str
) -> None:
    root = make_repo("express-app")
    doc = root / "docs" / "architecture" / "backend.md"
    doc.parent.mkdir(parents=True, exist_ok=True)
    kept = "## 6. Authentication & Authorization\n\nWritten by a person, kept on failure.\n"
    doc.write_text(f"# Backend Architecture\n\n{kept}\n## 7. Service Layer\n\nOld text.\n")
    run = _run(root, FakeServer({"Authentication": response}), retries=0)
    assert run.model is not None
    failed = run.model.failed
    assert [f.heading for f in failed] == ["6. Authentication & Authorization"]
    assert kind in failed[0].error
    assert kept.strip() in run.document
    assert "Old text." not in run.document  # the other sections were redrafted
    assert run.document.count(FakeServer.SENTENCE[:-1]) == ASKED - 1
    assert run.document.count("\n## ") == 15  # no section is ever missing


class InventingServer(FakeServer):
    """The middleware section gets a sentence citing a file that does not exist between
    two good ones; the repair fixes it when ``fixes``, or answers with it unchanged."""

    BAD = "The `cors` middleware reads its origin from [src/nowhere.js:3](../../src/nowhere.js#L3)."

    def __init__(self, fixes: bool) -> None:
        super().__init__()
        self.fixes = fixes

    def text(self, heading: str) -> str:
        if "Middleware" in heading:
            return f"{self.SENTENCE} {self.BAD} The `helmet` middleware sets security headers."
        return super().text(heading)

    def repaired(self, heading: str) -> str:
        if self.fixes:
            return "1. The `cors` middleware reads its origin from `CORS_ORIGIN` (src/app.js:11)."
        return f"1. {self.BAD}"


@pytest.mark.parametrize("fixes", [True, False])
def test_only_the_failing_sentences_are_sent_back_for_repair(make_repo, fixes: bool) -> None:
    root = make_repo("express-app")
    server = InventingServer(fixes)
    run = _run(root, server)
    repairs = [r for r in server.requests if len(r["messages"]) > 2]
    assert len(repairs) == 1  # once, even when the repair did not help
    follow_up = repairs[0]["messages"][-1]["content"]
    assert repairs[0]["messages"][2]["role"] == "assistant"
    assert "src/nowhere.js" in follow_up and "citation_missing_file" in follow_up
    assert "helmet" not in follow_up and "requireAuth" not in follow_up  # good ones stay
    assert run.model is not None
    assert [s.heading for s in run.model.sections if s.key.endswith(":repair")] == [
        "5. Middleware Architecture (repair)"
    ]
    middleware = run.document.split("## 5. Middleware Architecture\n\n", 1)[1].split("\n\n")[0]
    assert "requireAuth" in middleware and "`helmet` middleware sets" in middleware
    assert "src/nowhere.js" not in run.document and not run.findings.items
    if fixes:
        assert "[src/app.js:11](../../src/app.js#L11)" in middleware
        assert "middleware-architecture" not in run.rejected
    else:  # what still fails is not written, and is shown to the reviewer with why
        assert "origin" not in middleware
        rejected = run.rejected["middleware-architecture"]
        assert [r.sentence for r in rejected] == [InventingServer.BAD]
        assert "citation_missing_file" in rejected[0].reasons[0]
    again = FakeServer()
    _run(root, again)  # every request, repairs included, is answered from the cache
    assert again.requests == []


def test_filler_and_retyped_facts_are_left_out(make_repo) -> None:
    class Chatty(FakeServer):
        def text(self, heading: str) -> str:
            return (
                "- helmet (src/app.js:10)\n- cors (src/app.js:11)\n\n"
                "| Method | Path |\n|---|---|\n| GET | /health |\n\n"
                f"{self.SENTENCE} This design is robust, structured and secure."
            )

    run = _run(make_repo("express-app"), Chatty())
    middleware = run.document.split("## 5. Middleware Architecture\n\n", 1)[1]
    assert middleware.startswith("The `requireAuth` middleware checks the caller's token (")
    assert "robust" not in run.document and "- helmet (src/app.js:10)" not in run.document
    rejected = run.rejected["middleware-architecture"]
    assert [r.sentence for r in rejected] == ["This design is robust, structured and secure."]
    assert rejected[0].reasons[0].startswith("filler")
    assert run.model is not None and all(s.rejected == 1 for s in run.model.sections if s.kept)


def test_a_timeout_is_reported_with_what_to_do(make_repo) -> None:
    root = make_repo("express-app")

    def slow(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    config = load_config(root, {}, base_url="http://fake.invalid/v1", retries=0, timeout=1.0)
    client = httpx2.Client(transport=httpx2.MockTransport(slow))
    run = run_draft(root, config, root, environ={}, http_client=client)
    assert run.model is not None and len(run.model.failed) == ASKED
    assert "raise --timeout" in run.model.failed[0].error
    # Every section still has its facts: nothing is blanked.
    assert "Express" in run.document and run.document.count("\n## ") == 15


def test_no_server_or_no_such_model_stops_the_run_with_one_line(make_repo) -> None:
    root = make_repo("express-app")
    # Nothing listens on the discard port of the loopback address: the connection is refused.
    result = runner.invoke(
        app, ["draft", str(root), "--base-url", "http://127.0.0.1:9/v1", "--yes"]
    )
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no model server answers at http://127.0.0.1:9/v1" in errors[0]
    assert "Traceback" not in result.output + result.stderr
    assert not (root / "docs" / "architecture" / "backend.md").exists()
    missing = FakeServer({"": httpx2.Response(404, json={"error": {"message": "model not found"}})})
    with pytest.raises(ModelError) as raised:
        _run(root, missing)
    assert raised.value.kind == "not-found" and "--model" in str(raised.value)
    # The first answer settles it: the other sections are not sent at all.
    assert len(missing.requests) <= 4


def test_dry_run_prints_masked_prompts_and_sends_nothing(make_repo, tmp_path: Path) -> None:
    root = make_repo("express-app", use_git=False)
    server = root / "src" / "server.js"
    server.write_text(
        "const JWT_SECRET = 'planted-code-secret-1';\n"
        "const url = 'postgres://app:planted-url-password-2@db/orders';\n"
        "const stripe = 'sk_live_planted3abcdefghijkl';\n" + server.read_text()
    )
    (root / ".env").write_text("JWT_SECRET=planted-env-secret-4\n")
    (root / "src" / "keys.js").write_text(
        "// -----BEGIN RSA PRIVATE KEY-----\nconst k = 'planted-key-5'\n"
    )
    # Recording off and no cassette: any request at all would fail the run.
    with vcr.use_cassette(str(tmp_path / "none.yaml"), record_mode="none"):
        result = runner.invoke(
            app, ["draft", str(root), "--dry-run", "--base-url", "http://127.0.0.1:9/v1"]
        )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "none.yaml").exists()
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Draft the section `## 4. Route Structure`" in output
    assert "Nothing was sent." in output and "prompt tokens" in output
    assert "JWT_SECRET" in output  # names are kept...
    for value in re.findall(
        r"planted-[a-z0-9-]+|sk_live_\w+", server.read_text() + "planted-env-secret-4 planted-key-5"
    ):
        assert value not in output  # ...values never


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_no_request_exceeds_the_budget_on_any_fixture(make_repo, name: str) -> None:
    root = make_repo(name, use_git=False)
    config = load_config(root, {}, budget_tokens=2500)
    run = run_draft(root, config, root, environ={}, dry_run=True)
    for heading, messages in run.requests:
        used = estimate_messages(tuple(m.content for m in messages))
        assert used <= 2500, (heading, used)


def test_no_request_exceeds_the_budget_on_a_10000_file_repository(tmp_path: Path) -> None:
    root = tmp_path / "huge"
    (root / "app").mkdir(parents=True)
    (root / "requirements.txt").write_text("fastapi\nsqlalchemy\n")
    (root / "app" / "main.py").write_text(
        "from fastapi import FastAPI\n"
        + "".join(f"from app.r{i} import router as r{i}\n" for i in range(0, 10_000, 100))
        + "app = FastAPI()\n"
        + "".join(f"app.include_router(r{i}, prefix='/g{i}')\n" for i in range(0, 10_000, 100))
    )
    for i in range(1, 10_000):
        (root / "app" / f"r{i}.py").write_text(
            "import os\nfrom fastapi import APIRouter\nrouter = APIRouter()\n"
            f"SETTING = os.environ['SETTING_{i}']\n"
            f"@router.get('/items/{i}')\ndef item_{i}():\n    return {{}}\n"
        )
    config = load_config(root, {})
    run = run_draft(root, config, root, environ={}, dry_run=True)
    assert run.model is not None
    budget = config.budget_tokens
    for heading, messages in run.requests:
        assert estimate_messages(tuple(m.content for m in messages)) <= budget, heading
    omitted = {s.heading: s.omitted for s in run.model.sections}
    assert any("fact lines" in item for item in omitted["4. Route Structure"])


def test_a_reply_becomes_sentences_and_nothing_else() -> None:
    reply = (
        "## 4. Routes\n\nText about `app.js`. Second e.g. here.\n\n```js\ncode()\n```\n"
        "| a | b |\n\n- one list item explains the orders router in full\n- too short\n"
    )
    assert paragraphs(reply) == [
        (False, ["Text about `app.js`.", "Second e.g. here."]),
        (True, ["one list item explains the orders router in full"]),
    ]
    assert paragraphs("Not found in this repository.") == []
    # A fact line's label the model copied goes; what it says of the fact stays.
    copied = "- Middleware (global, order 1): cors lets the web app call the API from its origin."
    assert paragraphs(copied) == [(True, ["cors lets the web app call the API from its origin."])]
    assert numbered("1. DROP\n2. Fixed (a.js:1).\n3. <the sentence rewritten>") == {
        1: "",
        2: "Fixed (a.js:1).",
        3: "",
    }


def test_without_a_key_or_base_url_archdraft_says_it_drafts_offline(make_repo) -> None:
    root = make_repo("express-app")
    for args in (["--stdout"], ["--yes"]):
        result = runner.invoke(app, ["draft", str(root), *args], env={"OPENAI_API_KEY": ""})
        assert result.exit_code == 0
        assert result.stderr.count("offline: no OPENAI_API_KEY and no --base-url") == 1
    forced = runner.invoke(
        app, ["draft", str(root), "--stdout", "--offline", "--base-url", "http://127.0.0.1:9/v1"]
    )
    assert forced.exit_code == 0 and "offline (--offline)" in forced.stderr


def test_frequency_penalty_is_sent_only_when_set(make_repo) -> None:
    root = make_repo("express-app")
    plain, penalised = FakeServer(), FakeServer()
    _run(root, plain, cache=False)
    _run(root, penalised, cache=False, frequency_penalty=0.5)
    assert all("frequency_penalty" not in body for body in plain.requests)
    assert all(body["frequency_penalty"] == 0.5 for body in penalised.requests)


def test_left_out_prose_is_shown_in_review_and_blocks_nothing(make_repo, capsys) -> None:
    from archdraft.document import section_headings
    from archdraft.pipeline import rejected_lines, run_facts
    from archdraft.review import prepare
    from archdraft.review_session import decide_unattended, show_changes
    from archdraft.runs import load_run, save_run

    root = make_repo("express-app")
    run = _run(root, InventingServer(fixes=False))
    headings = section_headings(run.template)
    doc_path = run.plan.context.doc_path
    saved = save_run(
        root, doc_path, run.document, headings, run.findings.items, run.drafter, {}, None,
        run_facts(run), rejected=rejected_lines(run),
    )  # fmt: skip
    again = load_run(root, saved.id)  # what `archdraft review` reads back
    assert again.rejected == rejected_lines(run)
    proposal = prepare(
        root, doc_path, again.document, headings, again.findings, again.facts, again.rejected
    )
    unit = proposal.unit("middleware-architecture")
    assert unit.findings == () and "src/nowhere.js" in unit.rejected[0]
    outcome = decide_unattended(proposal, force=False)
    assert outcome.statuses["middleware-architecture"] == "accepted"  # --yes writes it
    assert len(outcome.decisions) == 16  # every section, and the front matter
    show_changes(proposal)
    shown = capsys.readouterr().out
    assert "Left out of the model's prose" in shown and "citation_missing_file" in shown


def test_a_reply_cut_at_the_limit_keeps_its_whole_sentences(make_repo) -> None:
    class Looping(FakeServer):
        def __call__(self, request: httpx2.Request) -> httpx2.Response:
            body = json.loads(request.content)
            self.requests.append(body)
            loop = f"{self.SENTENCE} {self.SENTENCE} The `helmet` middleware sets headers. The"
            return httpx2.Response(200, json=_reply(loop, "length"))

    run = _run(make_repo("express-app"), Looping())
    assert run.model is not None and {s.status for s in run.model.sections} == {"cut", "facts"}
    middleware = run.document.split("## 5. Middleware Architecture\n\n", 1)[1].split("\n\n")[0]
    assert middleware.count("requireAuth") == 1 and "`helmet` middleware sets headers" in middleware
    assert not middleware.endswith("The")
