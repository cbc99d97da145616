"""The one module that imports ``openai``: chat completions against OpenAI or any
OpenAI-compatible server (llama.cpp, Ollama, vLLM).

Retries are the client's own (exponential back-off that honours ``Retry-After``); this
module only turns what finally happened into a ``Completion`` or a ``ModelError`` whose
message says what to do next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openai

from archdraft.errors import ModelError
from archdraft.redact import gate

OPENAI_URL = "https://api.openai.com/v1"
FATAL = frozenset({"connection", "not-found", "auth"})
"""Failures no other request of the run would escape: the run stops with one error."""


@dataclass(frozen=True)
class ModelSettings:
    model: str
    base_url: str
    """Empty for OpenAI's own endpoint."""
    temperature: float
    timeout: float
    retries: int
    reply_tokens: int
    frequency_penalty: float = 0.0

    @property
    def endpoint(self) -> str:
        return (self.base_url or OPENAI_URL).rstrip("/")


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str


def _context_error(exc: openai.APIStatusError) -> bool:
    text = str(exc).lower()
    return any(
        marker in text
        for marker in (
            "context length",
            "context_length",
            "maximum context",
            "context window",
            "exceeds the",
        )
    )


class ModelClient:
    def __init__(self, settings: ModelSettings, api_key: str, http_client: Any = None) -> None:
        self.settings = settings
        self._client = openai.OpenAI(
            # A local server takes any key; the client insists on one.
            api_key=api_key or "no-key",
            base_url=settings.endpoint,
            timeout=settings.timeout,
            max_retries=settings.retries,
            http_client=http_client,
        )

    def complete(self, messages: Sequence[tuple[str, str]]) -> Completion:
        """One chat completion for ``(role, content)`` messages, sent through the egress
        gate. Raises ``ModelError`` when no reply came; ``check_reply`` judges the reply."""
        payload: list[Any] = [
            {"role": role, "content": content} for role, content in gate(messages)
        ]
        where = f"{self.settings.model} at {self.settings.endpoint}"
        # Sent only when set, so a request without it is byte for byte what it always was.
        extra: dict[str, Any] = (
            {"frequency_penalty": self.settings.frequency_penalty}
            if self.settings.frequency_penalty
            else {}
        )
        try:
            response = self._client.chat.completions.create(
                model=self.settings.model,
                messages=payload,
                temperature=self.settings.temperature,
                max_tokens=self.settings.reply_tokens,
                **extra,
            )
        except openai.APITimeoutError as exc:
            raise ModelError(
                f"{where} did not answer within {self.settings.timeout:g} s; raise --timeout, "
                "use a faster model, or lower --jobs for a server that answers one request "
                "at a time.",
                "timeout",
            ) from exc
        except openai.APIConnectionError as exc:
            raise ModelError(
                f"no model server answers at {self.settings.endpoint}. Start one (for example "
                "`ollama serve`, or `python -m llama_cpp.server --model FILE.gguf --port 8080`)"
                ", or pass the --base-url it listens on; --offline drafts without a model.",
                "connection",
            ) from exc
        except openai.RateLimitError as exc:
            raise ModelError(
                f"{where} kept refusing with a rate limit after {self.settings.retries} "
                "retries; rerun later (finished sections are cached) or lower --jobs.",
                "rate-limit",
            ) from exc
        except openai.AuthenticationError as exc:
            raise ModelError(
                f"{where} rejected the API key; set OPENAI_API_KEY to a valid key.", "auth"
            ) from exc
        except openai.InternalServerError as exc:
            raise ModelError(
                f"{where} failed with a server error ({exc.status_code}) after "
                f"{self.settings.retries} retries; rerun later (finished sections are cached).",
                "server",
            ) from exc
        except openai.NotFoundError as exc:
            raise ModelError(
                f"{self.settings.endpoint} does not serve the model {self.settings.model!r} "
                f"({exc.status_code}); pass --model with a model it serves (`ollama pull "
                f"{self.settings.model}` fetches it for Ollama), and check --base-url ends in /v1.",
                "not-found",
            ) from exc
        except openai.APIStatusError as exc:
            if _context_error(exc):
                raise ModelError(
                    f"the request is longer than {where} accepts; lower --budget-tokens or "
                    "serve the model with a larger context.",
                    "context-length",
                ) from exc
            raise ModelError(
                f"{where} refused the request ({exc.status_code}: {exc.message}); check "
                "--model and --base-url.",
                "request",
            ) from exc
        if not response.choices:
            raise ModelError(f"{where} sent a reply with no choices; rerun.", "empty")
        choice = response.choices[0]
        usage = response.usage
        return Completion(
            text=(choice.message.content or "").strip(),
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            finish_reason=choice.finish_reason or "",
        )


def check_reply(completion: Completion, settings: ModelSettings) -> None:
    """Raise ``ModelError`` unless ``completion`` is a whole, non-empty reply. Kept apart
    from ``complete`` so that a cached reply is judged the same way as a fresh one."""
    where = f"{settings.model} at {settings.endpoint}"
    if completion.finish_reason == "length":
        raise ModelError(
            f"{where} stopped at the reply limit of {settings.reply_tokens} tokens; "
            "raise --reply-tokens or use a model that stays on topic.",
            "truncated",
        )
    if not completion.text:
        raise ModelError(f"{where} sent an empty reply; try another model.", "empty")
