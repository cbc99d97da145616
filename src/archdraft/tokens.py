"""Token counts without a tokenizer download: a deliberately pessimistic estimate.

Real tokenizers average three to four bytes of English or code per token; counting one
token per three bytes (and per line break) over-estimates, so a prompt fitted to a budget
with this count also fits the model's context."""

from __future__ import annotations


def estimate_tokens(text: str) -> int:
    if not text:
        return 0
    return len(text.encode("utf-8", "surrogatepass")) // 3 + text.count("\n") + 1


def estimate_messages(contents: tuple[str, ...]) -> int:
    # Chat formats add a few tokens of framing per message.
    return sum(estimate_tokens(content) + 8 for content in contents)
