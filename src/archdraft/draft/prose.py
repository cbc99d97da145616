"""A model's prose, and how it meets the rendered facts in one section.

A hybrid section is the section's heading, then the model's sentences (one paragraph or a
few), then exactly what the offline drafter renders from the facts: tables, lists, links,
excerpts, subsections. The model is asked for sentences only; whatever else a reply holds
(a heading, a list re-typing the facts, a table, a code block) is dropped here, so a fact
is never shown twice or garbled by a small model.

Each sentence is then judged on its own: one with a verify finding is sent back for repair
or dropped, and one that cites nothing and names nothing the scan knows is filler and
dropped. What is dropped is kept as ``Rejected``, for the reviewer to see."""

from __future__ import annotations

import re

from archdraft.draft import NOT_FOUND, Rejected

__all__ = ["Block", "Rejected", "compose", "numbered", "paragraphs"]

_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SKIP = re.compile(r"^\s*(?:#{1,6}\s|\||<!--|>|---+\s*$|===+\s*$)")
# A sentence ends at . ! or ? followed by space and a capital, a backtick, a bracket or a
# quote; not inside "e.g." or a file name such as app.js.
_SPLIT = re.compile(r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[A-Z`\[(\"'*_])")
_LEAD = re.compile(r"^(?:\*\*)?(?:overview|summary|explanation|answer|text)\s*:(?:\*\*)?\s*", re.I)
# The label of a fact line the model copied ("Middleware (global, order 1): cors adds..."):
# the fact is rendered below the prose, so only what the model says of it is kept.
_FACT_LABEL = re.compile(
    r"^(?:\*\*)?(?:middleware|route|stack \w+|service|model|error \w+|env var|entry point|"
    r"integration|tests|auth method)(?: \([^)]*\))?(?:\*\*)?:\s+(?=\S)",
    re.I,
)


Block = tuple[bool, list[str]]
"""A paragraph (``False``) or a bulleted list (``True``) of sentences."""

_CITED = re.compile(r"\([^()]*:\d+[^()]*\)|\[[^\]]*\]\([^)]*\)")
_LEAST_ITEM_WORDS = 5
"""A list item shorter than this, its citations aside, re-types a fact: it is dropped."""


def _sentences(text: str) -> list[str]:
    text = _FACT_LABEL.sub("", _LEAD.sub("", " ".join(text.split())))
    found = [s.strip() for s in _SPLIT.split(text) if s.strip()]
    return [s for s in found if s.rstrip(".") != NOT_FOUND.rstrip(".")]


def paragraphs(reply: str) -> list[Block]:
    """The reply's prose as paragraphs and lists of sentences. Headings, tables, quotes and
    code blocks are left out, and so are list items too short to explain anything."""
    out: list[Block] = []
    block: list[str] = []
    items: list[str] = []
    fenced = False

    def close() -> None:
        text = " ".join(block)
        block.clear()
        found = _sentences(text) if text.strip() else []
        if found:
            out.append((False, found))
        kept = [
            item
            for item in (_FACT_LABEL.sub("", " ".join(i.split())) for i in items)
            if len(_CITED.sub(" ", item).split()) >= _LEAST_ITEM_WORDS
        ]
        items.clear()
        if kept:
            out.append((True, kept))

    for line in reply.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            close()
            continue
        listed = _LIST.match(line)
        if fenced or _SKIP.match(line) or not line.strip():
            close()
        elif listed:
            if block:
                close()
            items.append(line[listed.end() :].strip())
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()  # an item's continuation line
        else:
            if items:
                close()
            block.append(line.strip())
    close()
    return out


def numbered(reply: str) -> dict[int, str]:
    """A repair reply's lines, ``1. text``, by number. ``DROP``, and a line that copies the
    prompt's own placeholder (``<the sentence rewritten>``), become an empty text."""
    found: dict[int, str] = {}
    for line in reply.splitlines():
        match = re.match(r"^\s*\(?(\d+)[.):]\s*(.*)$", line)
        if not match:
            continue
        text = match.group(2).strip().strip('"').strip()
        dropped = text.upper().rstrip(".") == "DROP" or re.search(r"<[^<>]*>", text)
        found.setdefault(int(match.group(1)), "" if dropped else text)
    return found


def compose(facts_markdown: str, prose: list[Block]) -> str:
    """The section as the offline drafter wrote it, with ``prose`` under its heading."""
    if not prose:
        return facts_markdown
    heading, _, body = facts_markdown.partition("\n")
    text = "\n\n".join(
        "\n".join(f"- {s}" for s in sentences) if bulleted else " ".join(sentences)
        for bulleted, sentences in prose
    )
    body = body.strip("\n")
    if body.strip() == NOT_FOUND:  # the prose says what there is; the notice would deny it
        body = ""
    return f"{heading}\n\n{text}\n" + (f"\n{body}\n" if body else "")
