"""Scan speed against a floor measured in the same run.

The floor is the least any scan must do: list the repository's files and read each once.
The scan is ``archdraft scan`` in-process (listing, reading, parsing, extracting). Both run
on the same tree, warm, best of ``--repeat`` runs; the ratio is what to watch.

A second floor shows what reading code by its syntax costs on its own: the floor plus one
parse of every source file (``ast`` for Python, the tree-sitter grammars for the rest), with
no extraction, spread over the machine's cores as the scan spreads its parsing.

    python benchmarks/scan_benchmark.py                 # a generated 10,000-file repository
    python benchmarks/scan_benchmark.py --files 2000
    python benchmarks/scan_benchmark.py --repeat 7      # on a shared, noisy machine
    python benchmarks/scan_benchmark.py PATH [PATH...]  # existing repositories
    python benchmarks/scan_benchmark.py --clone https://github.com/grafana/loki
                                        # a real large repository, cloned for this run
                                        # only, then the generated one

Targets: a first scan (nothing cached) at most 5x the floor and a rescan of the unchanged
tree at most 2x, on a repository of 15,000 files or more with vendored code; peak RSS at
most 300 MB.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from archdraft.repo import open_repo
from archdraft.scan import scan
from archdraft.scan import treesitter as ts

_JS = """import express from 'express';
import {{ query }} from '../db/{n}';

const router = express.Router();
const LIMIT = Number(process.env.PAGE_LIMIT_{n} || 50);

export class Error{n} extends Error {{}}

router.get('/items/{n}', async (req, res) => {{
  const rows = await query('SELECT * FROM items_{n} LIMIT $1', [LIMIT]);
  res.json(rows.map((row) => ({{ id: row.id, name: row.name, total: row.price * row.qty }})));
}});

router.post('/items/{n}', async (req, res, next) => {{
  try {{
    const {{ name, price }} = req.body;
    if (!name) throw new Error{n}('name is required');
    const sql = 'INSERT INTO items_{n} (name, price) VALUES ($1, $2)';
    res.status(201).json(await query(sql, [name, price]));
  }} catch (err) {{
    next(err);
  }}
}});

export default router;
"""
_PY = """import os
from dataclasses import dataclass

from fastapi import APIRouter, HTTPException

router = APIRouter(prefix="/things/{n}")
TIMEOUT = float(os.getenv("THING_TIMEOUT_{n}", "2.5"))


class ThingError{n}(Exception):
    pass


@dataclass
class Thing{n}:
    id: int
    name: str

    def label(self) -> str:
        return f"{{self.id}}: {{self.name}}"


@router.get("/{{thing_id}}")
async def read_thing(thing_id: int) -> dict[str, object]:
    if thing_id < 0:
        raise HTTPException(status_code=404, detail="not found")
    return {{"id": thing_id, "timeout": TIMEOUT}}
"""
_GO = """package svc{n}

import (
\t"errors"
\t"os"
)

type Service{n} struct {{
\tURL string `env:"SERVICE_URL_{n}"`
}}

var ErrMissing{n} = errors.New("missing")

func New{n}() (*Service{n}, error) {{
\turl := os.Getenv("SERVICE_URL_{n}")
\tif url == "" {{
\t\treturn nil, ErrMissing{n}
\t}}
\treturn &Service{n}{{URL: url}}, nil
}}
"""
_JAVA = """package com.acme.svc{n};

import org.springframework.stereotype.Service;

@Service
public class Thing{n}Service {{

    private final String url = System.getenv("THING_URL_{n}");

    public String describe(int id) {{
        if (id < 0) {{
            throw new IllegalArgumentException("negative id " + id);
        }}
        return url + "/" + id;
    }}
}}
"""
_RB = """class Things{n}Controller < ApplicationController
  before_action :authenticate_user!

  def index
    render json: Thing{n}.where(owner: ENV.fetch("THING_OWNER_{n}", "me"))
  end

  def show
    render json: Thing{n}.find(params[:id])
  end
end
"""
_PHP = """<?php

namespace App\\Http\\Controllers;

use App\\Models\\Thing{n};

class Thing{n}Controller extends Controller
{{
    public function index()
    {{
        return Thing{n}::where('owner', env('THING_OWNER_{n}'))->get();
    }}
}}
"""
_CS = """namespace Acme.Things{n};

[ApiController]
[Route("api/[controller]")]
public class Things{n}Controller : ControllerBase
{{
    [HttpGet("{{id}}")]
    public IActionResult Get(int id) =>
        Ok(Environment.GetEnvironmentVariable("THING_URL_{n}") + id);
}}
"""
_RS = """use axum::{{routing::get, Router}};

pub fn routes() -> Router {{
    Router::new().route("/things{n}/:id", get(show))
}}

async fn show() -> String {{
    std::env::var("THING_URL_{n}").unwrap_or_default()
}}
"""
_MD = "# Notes {n}\n\nSome prose about module {n}.\n"


def generate(root: Path, files: int) -> None:
    """A mixed-language backend of ``files`` files: mostly code, some docs."""
    rng = random.Random(42)
    (root / "package.json").write_text(
        '{"type": "module", "dependencies": {"express": "^4.19.0", "pg": "^8.11.0"}}\n'
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bench"\nrequires-python = ">=3.11"\ndependencies = ["fastapi>=0.110"]\n'
    )
    (root / "go.mod").write_text("module example.com/bench\n\ngo 1.22\n")
    for folder, name, text in (
        ("rails", "Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n"),
        ("laravel", "composer.json", '{"require": {"laravel/framework": "^11.0"}}\n'),
        ("dotnet", "Things.csproj", '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'),
        ("rust", "Cargo.toml", '[package]\nname = "things"\n\n[dependencies]\naxum = "0.7"\n'),
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text(text)
    kinds = [("src/routes", ".js", _JS)] * 4 + [("app/api", ".py", _PY)] * 3
    kinds += [("internal/svc", ".go", _GO)] * 2 + [("java/src/main/java/com/acme", ".java", _JAVA)]
    # the ecosystems read by their manifests and code since: a file of each in every 20 or so
    kinds += [("rails/app/controllers", ".rb", _RB), ("laravel/app/Http", ".php", _PHP)]
    kinds += [("dotnet/Controllers", ".cs", _CS), ("rust/src", ".rs", _RS)]
    kinds += [("docs", ".md", _MD)]
    for n in range(files - 7):
        folder, suffix, template = rng.choice(kinds)
        target = root / folder / f"part{n % 50}" / f"file{n}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.format(n=n))


def git_commit(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.invalid",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.invalid"}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "bench"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)


def floor(root: Path) -> float:
    """List the files the way the scan does, then read every one of them once."""
    start = time.perf_counter()
    tree = open_repo(root, 1 << 20)
    for entry in tree.files:
        with open(tree.root / entry.path, "rb") as handle:
            handle.read()
    return time.perf_counter() - start


_GRAMMARS = {".js": "js", ".jsx": "js", ".mjs": "js", ".cjs": "js", ".ts": "ts", ".tsx": "tsx",
             ".go": "go", ".java": "java", ".rb": "ruby", ".php": "php", ".cs": "csharp",
             ".rs": "rust"}  # fmt: skip


def parse_floor(root: Path) -> tuple[float, float]:
    """(list, read and parse every source once on one core; the parsing alone)."""
    start = time.perf_counter()
    tree = open_repo(root, 1 << 20)
    parsing = 0.0
    for entry in tree.files:
        with open(tree.root / entry.path, "rb") as handle:
            data = handle.read()
        suffix = Path(entry.path).suffix
        if suffix != ".py" and suffix not in _GRAMMARS:
            continue
        text = data.decode("utf-8", "replace")
        began = time.perf_counter()
        try:
            if suffix == ".py":
                ast.parse(text)
            else:
                ts.parse(_GRAMMARS[suffix], text)
        except (SyntaxError, ValueError):
            pass
        parsing += time.perf_counter() - began
    return time.perf_counter() - start, parsing


def scan_once(root: Path) -> float:
    start = time.perf_counter()
    scan(open_repo(root, 1 << 20))
    return time.perf_counter() - start


def _cpu() -> float:
    """Seconds of CPU this process and its finished children have used."""
    return sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )


def measure(root: Path, repeat: int) -> None:
    parse_total, parsing = min(parse_floor(root) for _ in range(repeat))
    cores = min(4, os.cpu_count() or 1)  # the scan parses on at most 4 worker processes
    parse_s = parse_total - parsing + parsing / cores
    with tempfile.TemporaryDirectory(prefix="archdraft-bench-cache-") as cache:
        os.environ["ARCHDRAFT_CACHE_DIR"] = cache
        os.environ["ARCHDRAFT_NO_CACHE"] = "1"
        # The floor is taken beside each scan: on a shared machine the speed drifts over a
        # run, and a ratio of two figures taken minutes apart measures the drift
        floors, scans, cpus = [], [], []
        for _ in range(repeat):
            floors.append(floor(root))
            began = _cpu()
            scans.append(scan_once(root))
            cpus.append(_cpu() - began)
        floor_s, scan_s = min(floors), min(scans)
        rounds = sorted(s / f for f, s in zip(floors, scans, strict=True))
        del os.environ["ARCHDRAFT_NO_CACHE"]
        scan_once(root)  # fills the cache
        warm_s = min(scan_once(root) for _ in range(repeat))
    tracemalloc.start()
    summary = scan(open_repo(root, 1 << 20))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the parsing workers are children; so is a clone's git, which runs before any of them
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = summary.repo.bytes / 1e6
    print(f"repository      {root.name}: {summary.repo.files} files, {size:.1f} MB")
    print(f"floor (list + read each file once)  {floor_s:7.3f} s")
    parse_ratio, both_ratio = parsing / floor_s, parse_s / floor_s
    print(f"parsing alone, each source once     {parsing:7.3f} s   ({parse_ratio:.2f}x floor)")
    print(f"floor + parsing over {cores} cores        {parse_s:7.3f} s   ({both_ratio:.2f}x floor)")
    print(f"scan, first (nothing cached)        {scan_s:7.3f} s")
    print(f"ratio first scan/floor              {scan_s / floor_s:7.2f}x   (target <= 5x)")
    print(
        f"  the same, round by round          {statistics.median(rounds):7.2f}x   median of "
        f"{repeat} (floor and scan side by side), {rounds[0]:.2f}-{rounds[-1]:.2f}x"
    )
    print(f"CPU of a first scan, all processes  {min(cpus):7.3f} s")
    print(f"ratio first scan/(floor + parsing)  {scan_s / parse_s:7.2f}x")
    print(f"rescan, nothing changed (cached)    {warm_s:7.3f} s")
    print(f"ratio rescan/floor                  {warm_s / floor_s:7.2f}x   (target <= 2x)")
    print(
        f"peak Python allocations in a scan   {peak / 1e6:7.1f} MB; process max RSS {rss:.0f} MB, "
        f"largest child {workers:.0f} MB   (target <= 300 MB)"
    )
    print(f"facts: {len(summary.stack)} stack, {len(summary.env_vars)} env vars, "
          f"{len(summary.entrypoints)} entry points, {len(summary.errors)} errors, "
          f"{len(summary.warnings)} warnings")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-git", action="store_true", help="scan the generated tree outside git")
    parser.add_argument(
        "--clone", metavar="URL", action="append", default=[],
        help="clone a repository (shallow) into a temporary folder and measure it there",
    )  # fmt: skip
    args = parser.parse_args()
    for url in args.clone:
        with tempfile.TemporaryDirectory(prefix="archdraft-bench-clone-") as folder:
            root = Path(folder) / url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
            subprocess.run(["git", "clone", "-q", "--depth", "1", url, str(root)], check=True)
            measure(root, args.repeat)
    if args.paths:
        for path in args.paths:
            measure(path, args.repeat)
        return
    # a cloned repository is measured beside the generated tree, in the same run
    with tempfile.TemporaryDirectory(prefix="archdraft-bench-") as folder:
        root = Path(folder) / "generated"
        root.mkdir()
        start = time.perf_counter()
        generate(root, args.files)
        if not args.no_git:
            git_commit(root)
        where = "outside git" if args.no_git else "committed to git"
        took = time.perf_counter() - start
        print(f"generated {args.files} files in {took:.1f} s ({where}); CPUs: {os.cpu_count()}")
        measure(root, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
