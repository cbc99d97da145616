"""Listing and reading a repository's files safely.

Everything that reads repository content goes through this module. It lists files the
way git sees them (outside git, honouring .gitignore files), never follows a link out of
the root, opens regular files only, caps sizes, and never opens files that hold secrets.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pathspec

from archdraft import git, pathnames
from archdraft.errors import RepoError
from archdraft.pathnames import GlobSet

# Folders that are never part of a project's own source, even outside git.
_ALWAYS_SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".archdraft",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".idea",
        ".gradle",
    }
)
_MAX_DEPTH = 40

# File names whose contents may be credentials: never opened.
_SECRET_NAMES = (
    ".env",
    ".env.*",
    "*.env",
    ".npmrc",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".dockercfg",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.tfstate",
    "*.tfstate.*",
    "*.tfvars",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "*.ppk",
    "credentials",
    "credentials.json",
    "service-account*.json",
    "application_default_credentials.json",
    ".htpasswd",
    ".boto",
    ".s3cfg",
    "kubeconfig",
    "*.kubeconfig",
    "secrets.yml",
    "secrets.yaml",
    "*.secret",
    "*.secrets",
    "*.gpg",
    "*.asc",
    "*.p8",
    "*.der",
    "*.crt.key",
    ".vault-token",
    "terraform.tfvars.json",
)
# Copies of .env files meant to be committed: their variable *names* may be read.
_ENV_TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults")

_BINARY_SUFFIXES = frozenset(
    {
        ".7z",
        ".a",
        ".avi",
        ".bin",
        ".bmp",
        ".bz2",
        ".class",
        ".dat",
        ".db",
        ".dll",
        ".dmg",
        ".dylib",
        ".ear",
        ".egg",
        ".eot",
        ".exe",
        ".flac",
        ".gif",
        ".gz",
        ".h5",
        ".ico",
        ".iso",
        ".jar",
        ".jpeg",
        ".jpg",
        ".lib",
        ".m4a",
        ".mkv",
        ".mov",
        ".mp3",
        ".mp4",
        ".npy",
        ".npz",
        ".o",
        ".ogg",
        ".onnx",
        ".otf",
        ".parquet",
        ".pdf",
        ".pickle",
        ".pkl",
        ".png",
        ".psd",
        ".pt",
        ".pyc",
        ".pyo",
        ".rar",
        ".so",
        ".sqlite",
        ".sqlite3",
        ".svgz",
        ".tar",
        ".tgz",
        ".tif",
        ".tiff",
        ".ttf",
        ".war",
        ".wav",
        ".webm",
        ".webp",
        ".whl",
        ".woff",
        ".woff2",
        ".xz",
        ".zip",
    }
)
_SNIFF_BYTES = 8192
_KUBERNETES_SECRET = re.compile(rb"(?m)^kind:\s*[\"']?Secret[\"']?\s*$")


@dataclass(frozen=True)
class RepoFile:
    path: str
    """Relative to the repository root, with POSIX separators."""
    size: int


@dataclass(frozen=True)
class RepoTree:
    """The repo stage's output: what there is to read, and what was skipped."""

    root: Path
    name: str
    files: tuple[RepoFile, ...]
    commit: str | None
    date: str | None
    """HEAD's committer date (YYYY-MM-DD); outside git, the newest file's modification date."""
    max_file_bytes: int
    warnings: tuple[str, ...]

    def paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files)


@dataclass(frozen=True)
class TextFile:
    path: str
    text: str
    warning: str | None = None

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


_SECRET_GLOBS = GlobSet(_SECRET_NAMES)


def is_secret_name(path: str) -> bool:
    if is_env_template(path):
        return False
    return _SECRET_GLOBS.match(pathnames.name(path).lower())


def is_env_template(path: str) -> bool:
    base = pathnames.name(path)
    return base.startswith(".env") and base.endswith(_ENV_TEMPLATE_SUFFIXES)


def _display(path: str) -> str:
    """A path safe to print and to put in JSON, whatever bytes its name holds."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return ascii(path)[1:-1]


def _walk(root: Path, warnings: list[str]) -> list[str]:
    """List files outside git, honouring .gitignore files at every level."""
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    found: list[str] = []
    root_str = str(root)
    for dirpath, dirnames, filenames in os.walk(root_str, followlinks=False):
        rel_dir = os.path.relpath(dirpath, root_str).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        if rel_dir.count("/") >= _MAX_DEPTH:
            warnings.append(f"{_display(rel_dir)}: skipped, deeper than {_MAX_DEPTH} folders")
            dirnames[:] = []
            continue
        if ".gitignore" in filenames:
            try:
                lines = (Path(dirpath) / ".gitignore").read_text("utf-8", "replace").splitlines()
                specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
            except OSError:
                pass

        def ignored(rel: str, is_dir: bool) -> bool:
            for base, spec in specs:
                if base and not rel.startswith(base + "/"):
                    continue
                sub = rel[len(base) + 1 :] if base else rel
                if spec.match_file(sub + "/" if is_dir else sub):
                    return True
            return False

        keep = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if d in _ALWAYS_SKIPPED_DIRS or ignored(rel, True):
                continue
            if os.path.islink(os.path.join(dirpath, d)):
                # os.walk does not descend into linked folders; listing them as files
                # lets the safety checks below warn about links that leave the root.
                found.append(rel)
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            rel = f"{rel_dir}/{f}" if rel_dir else f
            if not ignored(rel, False):
                found.append(rel)
    return sorted(found)


def open_repo(
    path: Path, max_file_bytes: int, name: str | None = None, at: git.Head | None = None
) -> RepoTree:
    """List the repository at ``path``; nothing is read yet. ``name`` and ``at`` stand for
    the repository a copy at ``path`` was taken from (``archdraft pr`` reads refs that way)."""
    root = path.resolve()
    if not root.is_dir():
        raise RepoError(f"{path} is not a folder; pass the path of a repository to scan.")
    warnings: list[str] = []
    listed = git.list_files(root) if git.is_work_tree(root) else None
    head = git.head(root) if listed is not None else None
    if listed is None:
        listed = _walk(root, warnings)
    files: list[RepoFile] = []
    newest = 0.0
    for rel in listed:
        shown = _display(rel)
        if shown != rel:
            warnings.append(f"{shown}: skipped, its name is not valid UTF-8")
            continue
        parts = rel.split("/")
        if any(p in _ALWAYS_SKIPPED_DIRS for p in parts[:-1]):
            continue
        full = root / rel
        try:
            info = full.lstat()
        except OSError:
            continue  # tracked by git but deleted in the work tree
        if stat.S_ISLNK(info.st_mode):
            try:
                target = full.resolve(strict=True)
            except (OSError, RuntimeError):
                warnings.append(f"{rel}: skipped, broken or looping symbolic link")
                continue
            if not target.is_relative_to(root):
                warnings.append(f"{rel}: skipped, symbolic link to a path outside the repository")
            # Links inside the root point at files listed in their own right.
            continue
        if stat.S_ISDIR(info.st_mode):
            continue  # a git submodule
        if not stat.S_ISREG(info.st_mode):
            warnings.append(f"{rel}: skipped, not a regular file")
            continue
        if is_secret_name(rel):
            warnings.append(f"{rel}: not read, the file may hold secrets")
            continue
        newest = max(newest, info.st_mtime)
        files.append(RepoFile(path=rel, size=info.st_size))
    commit: str | None
    date: str | None
    head = at or head
    if head is not None:
        commit, date = head.commit, head.date
    else:
        commit = None
        date = (
            datetime.fromtimestamp(newest, tz=timezone.utc).strftime("%Y-%m-%d") if files else None
        )
    return RepoTree(
        root=root,
        name=name or root.name,
        files=tuple(files),
        commit=commit,
        date=date,
        max_file_bytes=max_file_bytes,
        warnings=tuple(warnings),
    )


def is_binary_name(path: str) -> bool:
    return pathnames.suffix(path) in _BINARY_SUFFIXES


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


@functools.lru_cache(maxsize=8192)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _read_fd(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of an open file that was ``size`` bytes long (it may have grown
    since), without a file object, which costs more than reading a small source does."""
    chunks, total, want = [], 0, min(limit, size + 1)
    while total < limit:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        want = min(limit - total, 1 << 16)
    return b"".join(chunks)


def read_text(tree: RepoTree, path: str) -> TextFile | None:
    """Read one listed file as text, or None (with a reason in ``warning``) when it must
    not or cannot be read. Never reads outside the root, never blocks on a FIFO."""
    if is_binary_name(path) or is_secret_name(path):
        return None
    root = str(tree.root)
    folder, _, base = os.path.join(root, path).rpartition(os.sep)
    try:
        # The folder is checked by its real path; the file itself is opened without
        # following a link, so neither can lead outside the root.
        real_folder = _real_folder(folder)
        if real_folder != root and not real_folder.startswith(root + os.sep):
            return TextFile(path, "", f"{path}: skipped, resolves outside the repository")
        fd = os.open(f"{real_folder}{os.sep}{base}", _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return TextFile(path, "", f"{path}: skipped, a symbolic link")
        return TextFile(path, "", f"{path}: skipped, cannot be opened ({exc.strerror})")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return TextFile(path, "", f"{path}: skipped, not a regular file")
        if info.st_size > tree.max_file_bytes:
            return TextFile(path, "", f"{path}: skipped, larger than {tree.max_file_bytes} bytes")
        data = _read_fd(fd, info.st_size, tree.max_file_bytes + 1)
    except OSError as exc:
        return TextFile(path, "", f"{path}: skipped, cannot be read ({exc.strerror})")
    finally:
        os.close(fd)
    if b"\0" in data[:_SNIFF_BYTES]:
        return TextFile(path, "", f"{path}: skipped, binary content")
    if b"PRIVATE KEY-----" in data:
        return TextFile(path, "", f"{path}: not read, it holds a private key")
    if path.endswith((".yml", ".yaml")) and _KUBERNETES_SECRET.search(data):
        return TextFile(path, "", f"{path}: not read, it is a Kubernetes Secret")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return TextFile(path, data.decode("utf-8"))
    except UnicodeDecodeError:
        return TextFile(
            path,
            data.decode("utf-8", errors="replace"),
            f"{path}: not valid UTF-8, read with replacement characters",
        )


def env_template_names(text: TextFile | None) -> list[tuple[str, int]]:
    """Variable names (with their line) from a committed .env template, as read by
    ``read_text``. Values are dropped here, so they never travel further."""
    if text is None or text.warning:
        return []
    names = []
    for number, line in enumerate(text.lines, start=1):
        stripped = line.strip()
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        name, sep, _value = stripped.partition("=")
        name = name.strip()
        if sep and name and not name.startswith("#") and name.replace("_", "a").isalnum():
            names.append((name, number))
    return names
