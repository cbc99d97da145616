"""Concurrent drafting: wall time of a whole model run against the sum of its sections.

Drafts a fixture repository through a stand-in OpenAI-compatible server that answers
each section after its own delay (or through a real server with ``--base-url``), with the
reply cache off. Printed from one run: the wall time, the sum of the section times (what
a one-at-a-time run would take), and the floor of a concurrent run, the slowest detail
section plus the overview. With enough ``--jobs`` the wall time sits near that floor.

    python benchmarks/drafting_benchmark.py
    python benchmarks/drafting_benchmark.py --jobs 1          # the sequential figure
    python benchmarks/drafting_benchmark.py --base-url http://127.0.0.1:8765/v1 --model smollm2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from archdraft.config import load_config
from archdraft.pipeline import run_draft

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "express-app"


class StandIn(BaseHTTPRequestHandler):
    """Answers a chat completion after a delay fixed by the section's heading (0.3-1.5 s)."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        user = body["messages"][-1]["content"]
        found = re.search(r"Draft the section `(#+ [^`]+)`", user)
        heading = found.group(1) if found else "## Section"
        digest = hashlib.sha256(heading.encode()).digest()[0]
        time.sleep(0.3 + 1.2 * digest / 255)
        reply = {
            "id": "stand-in",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": f"{heading}\n\nDrafted."},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": len(user) // 4, "completion_tokens": 3, "total_tokens": 0},
        }
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", nargs="?", type=Path, default=FIXTURE)
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--base-url", default="")
    parser.add_argument("--model", default="stand-in")
    args = parser.parse_args()
    server = None
    base_url = args.base_url
    if not base_url:
        server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    config = load_config(
        args.repo, {}, base_url=base_url, model=args.model, jobs=args.jobs, cache=False
    )
    run = run_draft(args.repo, config, args.repo, environ={})
    if server is not None:
        server.shutdown()
    assert run.model is not None
    sections = run.model.sections
    overview = next((s for s in sections if "overview" in s.key), sections[0])
    details = [s for s in sections if s is not overview]
    total = sum(s.seconds for s in sections)
    floor = max(s.seconds for s in details) + overview.seconds
    wall = run.model.wall_seconds
    print(f"repository        {args.repo.name}, {len(sections)} sections, --jobs {args.jobs}")
    print(f"endpoint          {base_url}")
    print(f"failed sections   {len(run.model.failed)}")
    print(f"sum of sections   {total:6.2f} s  (one at a time)")
    print(f"slowest+overview  {floor:6.2f} s  (the concurrent floor)")
    print(
        f"wall time         {wall:6.2f} s  = {wall / floor:.2f}x the floor, "
        f"{wall / total:.2f}x the sum"
    )


if __name__ == "__main__":
    main()
