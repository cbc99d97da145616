"""The one module that runs git. Reading: listing, HEAD, dates, diffs, trees at a ref.
Writing is limited to what ``archdraft pr`` asks for: one commit on a new branch, built
with a private index so the user's branch, index and working tree are never touched, and
a push of that branch."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from archdraft.errors import GitError


@dataclass(frozen=True)
class Head:
    commit: str
    date: str
    """Committer date of HEAD as YYYY-MM-DD."""


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    # Never let a scanned repository's config run anything or prompt.
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    env.update(extra or {})
    return env


def _git(
    root: Path, args: tuple[str, ...], stdin: bytes | None, env: dict[str, str] | None
) -> subprocess.CompletedProcess[bytes]:
    """Raises ``GitError`` when git is missing or does not finish."""
    if shutil.which("git") is None:
        raise GitError("git is not installed; install it to use this command.")
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            input=stdin,
            env=_env(env),
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git did not finish ({exc}).") from exc


def _run(root: Path, *args: str) -> bytes | None:
    """git's output, or None when git is missing or fails: for facts that are optional."""
    try:
        done = _git(root, args, None, None)
    except GitError:
        return None
    return done.stdout if done.returncode == 0 else None


def _must(
    root: Path, what: str, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> str:
    """Run git for a command that cannot go on without the answer."""
    return _must_bytes(root, what, *args, stdin=stdin, env=env).decode("utf-8", "surrogateescape")


def _must_bytes(
    root: Path, what: str, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> bytes:
    try:
        done = _git(root, args, stdin, env)
    except GitError as exc:
        raise GitError(f"git could not {what}: {exc}") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git could not {what}: {reason[-1] if reason else 'failed'}.")
    return done.stdout


def is_work_tree(root: Path) -> bool:
    out = _run(root, "rev-parse", "--is-inside-work-tree")
    return out is not None and out.strip() == b"true"


def list_files(root: Path) -> list[str] | None:
    """Paths below ``root`` (relative to it) that git tracks or would track, or None."""
    # Run from ``root``, ls-files limits itself to that folder and prints paths relative
    # to it, which is what a scan of a monorepo package wants.
    out = _run(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if out is None:
        return None
    return sorted({raw.decode("utf-8", "surrogateescape") for raw in out.split(b"\0") if raw})


def head(root: Path) -> Head | None:
    out = _run(root, "log", "-1", "--format=%H%x00%cs")
    if not out:
        return None
    commit, _, date = out.decode("ascii", "replace").strip().partition("\0")
    return Head(commit=commit, date=date) if commit and date else None


def prefix(root: Path) -> str:
    """``root``'s path inside its repository, with a trailing slash, or ``""`` at the top."""
    return _must(root, "find the repository", "rev-parse", "--show-prefix").strip()


def resolve(root: Path, ref: str) -> str:
    return _must(
        root,
        f"find {ref!r} (fetch it, or pass another --base/--head)",
        "rev-parse",
        "--verify",
        "--end-of-options",
        f"{ref}^{{commit}}",
    ).strip()


def merge_base(root: Path, base: str, head: str) -> str:
    return _must(
        root,
        f"find where {head[:12]} branched from {base[:12]} (is the history fetched in "
        "full? in CI, check out with fetch-depth: 0)",
        "merge-base",
        base,
        head,
    ).strip()


def commit_date(root: Path, ref: str) -> str:
    return _must(root, f"read the date of {ref}", "log", "-1", "--format=%cs", ref).strip()


def current_branch(root: Path) -> str | None:
    out = _run(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    return out.decode("utf-8", "replace").strip() if out else None


def status(root: Path) -> str:
    return _must(root, "read the working tree's status", "status", "--porcelain=v1", "-z")


@dataclass(frozen=True)
class FileChange:
    status: str
    """``A`` added, ``M`` modified, ``D`` deleted, ``R`` renamed, ``C`` copied, ``T`` type."""
    path: str
    old_path: str
    old_lines: tuple[tuple[int, int], ...]
    """Changed line ranges (first, last), 1-based, in the old file; empty for pure additions."""
    new_lines: tuple[tuple[int, int], ...]


_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def _ranges(start: str, count: str | None) -> tuple[tuple[int, int], ...]:
    first, length = int(start), 1 if count is None else int(count)
    return ((first, first + length - 1),) if length else ()


def diff(root: Path, base: str, head: str) -> tuple[FileChange, ...]:
    """Files changed from ``base`` to ``head`` below ``root``, with the changed lines."""
    options = ("-c", "core.quotePath=false", "diff", "--relative", "--no-ext-diff", "-M")
    names = _must(root, "list the changed files", *options, "--name-status", "-z", base, head)
    fields = names.split("\0")
    kinds: dict[str, tuple[str, str]] = {}
    index = 0
    while index < len(fields) and fields[index]:
        code = fields[index][0]
        if code in "RC":
            old, new = fields[index + 1], fields[index + 2]
            index += 3
        else:
            old = new = fields[index + 1]
            index += 2
        kinds[new] = (code, old)
    old_lines: dict[str, list[tuple[int, int]]] = {path: [] for path in kinds}
    new_lines: dict[str, list[tuple[int, int]]] = {path: [] for path in kinds}
    patch = _must(root, "read the changes", *options, "--no-color", "-U0", base, head)
    current: str | None = None
    for line in patch.splitlines():
        if line.startswith("diff --git"):
            current = None
        elif line.startswith("+++ b/"):
            current = line[6:] if line[6:] in kinds else None
        elif current is not None and (match := _HUNK.match(line)):
            old_lines[current].extend(_ranges(match.group(1), match.group(2)))
            new_lines[current].extend(_ranges(match.group(3), match.group(4)))
    return tuple(
        FileChange(code, path, old, tuple(old_lines[path]), tuple(new_lines[path]))
        for path, (code, old) in sorted(kinds.items())
    )


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    files: tuple[str, ...]


def commits(root: Path, base: str, head: str) -> tuple[Commit, ...]:
    out = _must(
        root,
        "list the commits",
        "-c",
        "core.quotePath=false",
        "log",
        "--relative",
        "--format=%x1e%h%x00%s",
        "--name-only",
        "-z",
        f"{base}..{head}",
    )
    found = []
    for record in out.split("\x1e")[1:]:
        fields = [f.strip("\n") for f in record.split("\0")]
        sha, subject = fields[0], fields[1] if len(fields) > 1 else ""
        files = tuple(f.strip("\n") for f in fields[2:] if f.strip("\n"))
        found.append(Commit(sha, subject, files))
    return tuple(found)


def archive(root: Path, ref: str, dest: Path) -> None:
    """The files of ``root`` as they are at ``ref``, written into ``dest``: nothing of the
    working tree is used and nothing is run. Links and special files are left out."""
    # Run from the top: from a subfolder, git archive narrows the tree to that folder again.
    top = Path(_must(root, "find the repository", "rev-parse", "--show-toplevel").strip())
    tree = f"{ref}:{prefix(root).rstrip('/')}"
    data = _must_bytes(top, f"read the files at {ref}", "archive", "--format=tar", tree)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                continue
            target = dest.joinpath(*name.parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(handle.read())


def _identity(root: Path) -> dict[str, str]:
    name = (_run(root, "config", "user.name") or b"").strip()
    email = (_run(root, "config", "user.email") or b"").strip()
    if name and email:
        return {}
    # CI runners often have no identity configured; the commit still says who made it.
    who = {"NAME": "archdraft", "EMAIL": "archdraft@users.noreply.github.com"}
    return {
        f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER") for key, value in who.items()
    }


def branch_exists(root: Path, branch: str) -> bool:
    return _run(root, "show-ref", "--verify", "--quiet", f"refs/heads/{branch}") is not None


def commit_on_branch(
    root: Path, parent: str, files: dict[str, str], message: str, branch: str
) -> str:
    """One commit on top of ``parent`` holding ``files`` (paths relative to ``root``),
    recorded as the new branch ``branch``. A private index is used, so the user's branch,
    index and working tree stay exactly as they were."""
    where = prefix(root)
    with tempfile.TemporaryDirectory(prefix="archdraft-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _must(root, "read the head commit's tree", "read-tree", parent, env=env)
        for path, text in sorted(files.items()):
            blob = _must(
                root, f"store {path}", "hash-object", "-w", "--stdin", stdin=text.encode("utf-8")
            ).strip()
            _must(
                root,
                f"stage {path}",
                "update-index",
                "--add",
                "--cacheinfo",
                f"100644,{blob},{where}{path}",
                env=env,
            )
        tree = _must(root, "write the tree", "write-tree", env=env).strip()
    commit = _must(
        root,
        "make the commit",
        "commit-tree",
        tree,
        "-p",
        parent,
        "-F",
        "-",
        stdin=message.encode("utf-8"),
        env=_identity(root),
    ).strip()
    _must(
        root,
        f"create the branch {branch} (it may exist already: delete it or pass --branch)",
        "update-ref",
        f"refs/heads/{branch}",
        commit,
        "0" * 40,
    )
    return commit


def push(root: Path, remote: str, branch: str) -> None:
    _must(
        root,
        f"push {branch} to {remote}",
        "push",
        "--quiet",
        remote,
        f"refs/heads/{branch}:refs/heads/{branch}",
    )


def remote_url(root: Path, remote: str = "origin") -> str | None:
    out = _run(root, "remote", "get-url", remote)
    return out.decode("utf-8", "replace").strip() if out else None
