"""The `pr` and `init` commands: archdraft in pull requests and CI. Registered on the app
of ``cli_shared``, which turns errors into exit codes."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer

from archdraft import __version__, console, git, github
from archdraft.cli_shared import (
    BaseUrlOpt,
    ModelOpt,
    OfflineOpt,
    PathArg,
    PromptsOpt,
    app,
    reported,
)
from archdraft.config import load_config
from archdraft.errors import ConfigError
from archdraft.files import write_atomic
from archdraft.pr import body as pr_body
from archdraft.pr import commit_message, draft_pr
from archdraft.pr import title as pr_title


def _default_refs(
    base: str | None, head: str | None, environ: Mapping[str, str]
) -> tuple[str, str]:
    """Inside GitHub Actions on a pull request, the base and head branches it names."""
    if base is None and environ.get("GITHUB_BASE_REF"):
        base = f"origin/{environ['GITHUB_BASE_REF']}"
    if head is None and environ.get("GITHUB_HEAD_REF"):
        head = f"origin/{environ['GITHUB_HEAD_REF']}"
    if base is None:
        raise ConfigError("pass --base REF (the branch the change goes into, e.g. origin/main).")
    return base, head or "HEAD"


def _branch_name(ref: str) -> str:
    for prefix in ("refs/heads/", "refs/remotes/origin/", "origin/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


@app.command("pr")
def pr_command(
    path: PathArg = Path("."),
    base: Annotated[
        str | None,
        typer.Option("--base", help="The branch the change goes into (env GITHUB_BASE_REF)."),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option("--head", help="The change's tip (default HEAD; env GITHUB_HEAD_REF)."),
    ] = None,
    template: Annotated[str | None, typer.Option("--template", "-t")] = None,
    out: Annotated[str | None, typer.Option("--out", "-o")] = None,
    prompts: PromptsOpt = None,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    offline: OfflineOpt = None,
    commit: Annotated[
        bool,
        typer.Option("--commit", help="Commit the update on a new branch; nothing else moves."),
    ] = False,
    branch: Annotated[
        str | None,
        typer.Option("--branch", help="The new branch (default archdraft/docs-<short sha>)."),
    ] = None,
    push: Annotated[
        bool, typer.Option("--push", help="Push the new branch (implies --commit).")
    ] = False,
    remote: Annotated[str, typer.Option("--remote", help="Where to push.")] = "origin",
    open_pr: Annotated[
        bool,
        typer.Option(
            "--open",
            help="Open a draft pull request on GitHub (implies --push) (env GITHUB_TOKEN).",
        ),
    ] = False,
    pr_base: Annotated[
        str | None,
        typer.Option(
            "--pr-base", help="The branch the pull request targets (default: head's branch)."
        ),
    ] = None,
    body_file: Annotated[
        Path | None, typer.Option("--body-file", help="Write the pull request body here.")
    ] = None,
) -> None:
    """Redraft only the sections a change affects (or say none are), and open a pull request."""
    with reported():
        config = load_config(
            path,
            os.environ,
            template=template,
            out=out,
            model=model,
            base_url=base_url,
            offline=offline,
        )
        base_ref, head_ref = _default_refs(base, head, os.environ)
        push = push or open_pr
        commit = commit or push
        with console.SectionProgress() as progress:
            result = draft_pr(
                path, config, Path.cwd(), base_ref, head_ref, prompts, os.environ, progress
            )
        text = pr_body(result)
        if body_file is not None:
            write_atomic(body_file, text)
        else:
            console.raw(text)
        if not result.needed:
            console.success(f"No documentation change needed for {result.doc_path}.")
            return
        console.info(f"{pr_title(result)} ({result.drafter})")
        if not commit:
            console.info("Pass --commit to put the update on a branch, --open to propose it.")
            return
        name = branch or f"archdraft/docs-{result.head[:7]}"
        sha = git.commit_on_branch(
            path.resolve(), result.head, result.files, commit_message(result), name
        )
        console.success(
            f"Committed {sha[:7]} on {name}; your branch and working tree are as they were."
        )
        if push:
            git.push(path.resolve(), remote, name)
            console.success(f"Pushed {name} to {remote}.")
        if open_pr:
            repo = github.repository(os.environ, git.remote_url(path.resolve(), remote))
            target = (
                pr_base
                or (_branch_name(head) if head else git.current_branch(path.resolve()))
                or os.environ.get("GITHUB_HEAD_REF", "")
            )
            if not target:
                raise ConfigError(
                    "cannot tell which branch the pull request targets; pass --pr-base."
                )
            url = github.open_draft_pull_request(
                os.environ.get("GITHUB_API_URL") or github.DEFAULT_API,
                os.environ.get("GITHUB_TOKEN", ""),
                repo,
                pr_title(result),
                text,
                name,
                target,
            )
            console.success(f"Opened a draft pull request: {url}")


_WORKFLOW = """\
# Written by `archdraft init github-action`. On every pull request, archdraft redrafts
# the sections of the architecture document the change affects and opens a draft pull
# request into the change's branch, or says that no documentation change is needed.
name: archdraft

on:
  pull_request:

permissions:
  contents: write
  pull-requests: write

jobs:
  architecture-docs:
    # Not on its own pull requests, and not on forks (their branches are not ours to push).
    if: >-
      ${{{{ !startsWith(github.head_ref, 'archdraft/') &&
      github.event.pull_request.head.repo.full_name == github.repository }}}}
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
{install}
"""
_INSTALL_PIP = """\
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "archdraft=={version}"
      - run: archdraft pr --open --body-file "$RUNNER_TEMP/archdraft-body.md"
        env:
          GITHUB_TOKEN: ${{{{ secrets.GITHUB_TOKEN }}}}
          # OPENAI_API_KEY: ${{{{ secrets.OPENAI_API_KEY }}}}  # to draft with a model
      - run: cat "$RUNNER_TEMP/archdraft-body.md" >> "$GITHUB_STEP_SUMMARY"
"""
_INSTALL_ACTION = """\
      - uses: {uses}
        with:
          github-token: ${{{{ secrets.GITHUB_TOKEN }}}}
"""

init_app = typer.Typer(help="Write archdraft's integration files into a repository.")
app.add_typer(init_app, name="init")


@init_app.command("github-action")
def init_github_action(
    path: PathArg = Path("."),
    uses: Annotated[
        str | None,
        typer.Option("--uses", help="Use archdraft's action (OWNER/REPO@REF) instead of pip."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing workflow.")] = False,
) -> None:
    """Write .github/workflows/archdraft.yml: archdraft pr on every pull request."""
    with reported():
        target = path / ".github" / "workflows" / "archdraft.yml"
        if target.exists() and not force:
            raise ConfigError(f"{target} exists; pass --force to replace it.")
        install = (
            _INSTALL_ACTION.format(uses=uses) if uses else _INSTALL_PIP.format(version=__version__)
        )
        write_atomic(target, _WORKFLOW.format(install=install.rstrip("\n")))
        console.success(
            f"Wrote {target}. Commit it; pull requests then get their documentation update."
        )
