"""go.mod: module requirements and the Go version."""

from __future__ import annotations

from archdraft.scan.manifests.model import Collector, Dependency, RuntimeDecl
from archdraft.scan.summary import Evidence


def read_go_mod(path: str, text: str, out: Collector) -> None:
    in_require = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line, _, comment = raw.partition("//")
        words = line.split()
        if not words:
            continue
        if in_require:
            if words[0] == ")":
                in_require = False
                continue
            module_words = words
        elif words[0] == "require":
            if words[1:2] == ["("]:
                in_require = True
                continue
            module_words = words[1:]
        else:
            if words[0] in {"go", "toolchain"} and len(words) >= 2:
                version = words[1].removeprefix("go")
                runtime = RuntimeDecl("Go", version, Evidence(path, number))
                # ``toolchain`` is more precise than ``go``, so it goes first
                out.runtimes.insert(0, runtime) if words[0] == "toolchain" else out.runtimes.append(
                    runtime
                )
            continue
        # Indirect requirements are dependencies of dependencies, not the project's choices.
        if len(module_words) >= 2 and "indirect" not in comment:
            out.dependencies.append(
                Dependency("go", module_words[0], module_words[1], False, Evidence(path, number))
            )
