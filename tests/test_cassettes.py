"""The client layer and one whole ``archdraft draft`` against recorded traffic from a real
OpenAI-compatible server (llama.cpp serving SmolLM2-135M). Re-record with
``python scripts/record_cassettes.py``; CI replays with recording off, so a request the
cassette does not hold fails the test instead of reaching a network.

A timeout cannot be recorded (no response exists to store): it is covered by a transport
fake in test_model.py, as are 429 and 5xx, which a local server does not produce."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import vcr
import yaml
from typer.testing import CliRunner

from archdraft.cli import app
from archdraft.errors import ModelError
from archdraft.llm import ModelClient, ModelSettings, check_reply

CASSETTES = Path(__file__).parent / "cassettes"
BASE_URL = "http://127.0.0.1:8765/v1"  # the address scripts/record_cassettes.py serves on
RECORDING = os.environ.get("ARCHDRAFT_RECORD") == "1"


def _only_content_type(headers: Any) -> dict[str, Any]:
    # Keep no credential and nothing of the recording machine (client platform headers).
    return {k: v for k, v in dict(headers).items() if k.lower() == "content-type"}


def _scrub_request(request: Any) -> Any:
    request.headers = _only_content_type(request.headers)
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = _only_content_type(response["headers"])
    return response


VCR = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="once" if RECORDING else "none",
    match_on=("method", "scheme", "host", "port", "path", "body"),
    filter_headers=("authorization", "api-key", "openai-organization", "openai-project"),
    before_record_request=_scrub_request,
    before_record_response=_scrub_response,
    decode_compressed_response=True,
)
SETTINGS = ModelSettings(
    model="smollm2",
    base_url=BASE_URL,
    temperature=0.0,
    timeout=120.0,
    retries=0,
    reply_tokens=200,
)
runner = CliRunner()


def test_a_completion_comes_back_with_its_usage() -> None:
    with VCR.use_cassette("completion.yaml"):
        completion = ModelClient(SETTINGS, "sk-test-key-that-must-not-be-recorded").complete(
            [("system", "You answer in one short sentence."), ("user", "What is a REST API?")]
        )
    assert completion.text
    assert completion.prompt_tokens > 0 and completion.completion_tokens > 0
    assert completion.finish_reason == "stop"


def test_a_request_longer_than_the_served_context_is_a_context_length_error() -> None:
    huge = "route " * 20_000
    with VCR.use_cassette("context-length.yaml"), pytest.raises(ModelError) as raised:
        ModelClient(SETTINGS, "").complete([("user", huge)])
    assert raised.value.kind == "context-length"
    assert "--budget-tokens" in str(raised.value)


def test_a_reply_cut_at_the_token_limit_is_reported_as_truncated() -> None:
    short = ModelSettings("smollm2", BASE_URL, 0.0, 120.0, 0, 5)
    with VCR.use_cassette("truncated.yaml"):
        reply = ModelClient(short, "").complete([("user", "List ten HTTP methods, one per line.")])
    assert reply.finish_reason == "length" and reply.completion_tokens == 5
    with pytest.raises(ModelError) as raised:
        check_reply(reply, short)
    assert raised.value.kind == "truncated"
    assert "--reply-tokens" in str(raised.value)


PLANTED = ("planted-cassette-secret-1", "planted-cassette-password-2", "planted-cassette-env-3")


def test_archdraft_draft_with_the_model_end_to_end(make_repo) -> None:
    root = make_repo("fastapi-app")
    main = root / "app" / "main.py"
    main.write_text(
        f'API_KEY = "{PLANTED[0]}"\n'
        f'BROKER = "postgresql://app:{PLANTED[1]}@db/app"\n' + main.read_text()
    )
    (root / ".env").write_text(f"JWT_SECRET={PLANTED[2]}\n")
    args = ["draft", str(root), "--base-url", BASE_URL, "--model", "smollm2", "--yes", "-j", "2"]
    # The repair round has its own cassette below; this one records the first drafts.
    args += ["--reply-tokens", "600", "--repair-rounds", "0", "--timeout", "900"]
    # The tiny model's drafts carry verify findings, which --yes alone leaves for review.
    args += ["--force"]
    with VCR.use_cassette("draft-fastapi-app.yaml") as cassette:
        first = runner.invoke(app, args)
        sent = cassette.play_count if not RECORDING else len(cassette.requests)
    assert first.exit_code == 0, first.stderr
    assert "smollm2 at http://127.0.0.1:8765/v1" in first.stderr
    assert "completion tokens" in first.stderr  # the usage table
    document = (root / "docs" / "architecture" / "backend.md").read_text()
    assert document.count("\n## ") >= 14
    assert "## 4. Route Structure" in document
    assert sent >= 15
    # Unchanged, a rerun is answered from the reply cache and sends nothing.
    with VCR.use_cassette("draft-fastapi-app.yaml") as cassette:
        again = runner.invoke(app, args)
        assert cassette.play_count == 0
    assert again.exit_code == 0, again.stderr
    assert "model: 0 requests, 15 from cache" in again.stderr
    assert again.stderr.count("was not drafted") == first.stderr.count("was not drafted")


def test_a_model_section_with_findings_goes_through_one_repair_round(
    make_repo, tmp_path: Path
) -> None:
    root = make_repo("fastapi-app")
    template = tmp_path / "one-section.md"
    template.write_text(
        "# Backend\n\n## Technology Stack\n\n<!-- archdraft: facts=stack -->\n"
        "In two sentences, name the web framework and say why it was chosen over Django.\n"
    )
    args = ["draft", str(root), "--template", str(template), "--base-url", BASE_URL]
    args += ["--model", "smollm2", "--reply-tokens", "1000", "--timeout", "900", "--stdout"]
    with VCR.use_cassette("repair-round.yaml") as cassette:
        result = runner.invoke(app, args)
        requests = [json.loads(r.body) for r in cassette.requests]
        assert RECORDING or cassette.play_count == 2
    assert result.exit_code == 0, result.stderr
    assert len(requests) == 2
    first, repair = requests
    assert len(repair["messages"]) == 4
    assert repair["messages"][:2] == first["messages"]
    assert repair["messages"][2]["role"] == "assistant"
    assert repair["messages"][3]["content"].startswith("A check of your section")
    assert "model: 2 requests, 0 from cache" in result.stderr


def test_the_cassettes_hold_no_credential() -> None:
    cassettes = sorted(CASSETTES.glob("*.yaml"))
    assert len(cassettes) >= 4
    for cassette in cassettes:
        data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
        for interaction in data["interactions"]:
            for part in ("request", "response"):
                names = {name.lower() for name in interaction[part]["headers"]}
                assert names <= {"content-type"}, (cassette.name, names)
        text = cassette.read_text(encoding="utf-8")
        for marker in ("Bearer", "sk-test-key", "no-key", "x-stainless", *PLANTED):
            assert marker not in text, (cassette.name, marker)
