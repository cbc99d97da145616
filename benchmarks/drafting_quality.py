"""Drafting quality: the model drafter beside the offline drafter, on real repositories.

For each repository given, drafts the default template twice in one run, offline and with
the model (reply cache off, so every request is really sent), and prints one table:

- sections: sections of the template the document has;
- requests, prompt and completion tokens, wall time;
- citations: links in the document, and how many resolve (the file exists, the line is in
  it, the line shares a name with the claim);
- findings: sentences of the model's first replies with verify findings, then verify
  findings of the document written (after repair);
- prose: sections whose prose was kept / asked sections left with the facts alone;
- sentences: the model's sentences kept / left out (findings after repair, or filler);
- checkable: the share of the model's own sentences (before anything was left out) that
  cite a line or name a code element the scan knows; the rest is filler.

Nothing is written into the repositories: each is copied to a temporary folder first.

    python benchmarks/drafting_quality.py REPO [REPO ...] --base-url http://127.0.0.1:8080/v1 \\
        --model qwen2.5-coder-1.5b --jobs 1
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from archdraft.config import load_config
from archdraft.draft.model import FILLER
from archdraft.pipeline import DraftRun, run_draft
from archdraft.resources import find_template
from archdraft.template import load_template

_LINK = re.compile(r"\[[^\]]+\]\([^)\s]+\)")
_CITATION_KINDS = ("citation_missing_file", "citation_line_out_of_range", "citation_unrelated")


@dataclass(frozen=True)
class Row:
    repo: str
    framework: str
    drafter: str
    sections: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    citations: str
    findings: str
    prose: str
    sentences: str
    checkable: str


def _framework(run: DraftRun) -> str:
    names = [s.name for s in run.summary.stack if s.category == "framework"]
    return ", ".join(names[:2]) or "-"


def _row(repo: str, run: DraftRun, seconds: float, expected: int) -> Row:
    document = run.document
    present = len(re.findall(r"^## ", document, re.M))
    links = len(_LINK.findall(document))
    broken = sum(1 for f in run.findings.items if f.kind in _CITATION_KINDS)
    report = run.model
    if report is None:
        return Row(
            repo, _framework(run), "offline", f"{present}/{expected}", 0, 0, 0, seconds,
            f"{links - broken}/{links}", f"- / {len(run.findings.items)}", "-", "-", "-",
        )  # fmt: skip
    firsts = [s for s in report.sections if ":repair" not in s.key and s.status != "facts"]
    kept = sum(s.kept for s in firsts)
    left = sum(s.rejected for s in firsts)
    filler = sum(1 for items in run.rejected.values() for r in items if FILLER in r.reasons)
    flagged = sum(s.flagged for s in firsts)
    with_prose = sum(1 for s in firsts if s.kept)
    total = kept + left
    share = f"{(total - filler) / total:.2f}" if total else "-"
    return Row(
        repo,
        _framework(run),
        report.model,
        f"{present}/{expected}",
        report.requests,
        report.prompt_tokens,
        report.completion_tokens,
        seconds,
        f"{links - broken}/{links}",
        f"{flagged} / {len(run.findings.items)}",
        f"{with_prose} / {len(firsts) - with_prose}",
        f"{kept} / {left}",
        share,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    expected = len(load_template(find_template("backend", Path.cwd())).sections)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch:
        for repo in args.repos:
            copy = Path(scratch) / repo.name
            shutil.copytree(repo, copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
            for offline in (True, False):
                config = load_config(
                    copy,
                    {},
                    offline=offline,
                    base_url=args.base_url,
                    model=args.model,
                    jobs=args.jobs,
                    cache=False,
                    timeout=args.timeout,
                )
                started = time.monotonic()
                run = run_draft(copy, config, copy, environ={})
                rows.append(_row(repo.name, run, time.monotonic() - started, expected))
                print(rows[-1], flush=True)
    print()
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}; model: {args.model}")
    print()
    header = (
        "| repository | framework | drafter | sections | requests | prompt tok | completion tok "
        "| wall s | citations resolving | findings first / after repair | prose sections kept "
        "/ facts only | sentences kept / left out | checkable |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in rows:
        print(
            f"| {r.repo} | {r.framework} | {r.drafter} | {r.sections} | {r.requests} "
            f"| {r.prompt_tokens} | {r.completion_tokens} | {r.seconds:.1f} | {r.citations} "
            f"| {r.findings} | {r.prose} | {r.sentences} | {r.checkable} |"
        )


if __name__ == "__main__":
    main()
