"""The one citation form shared by the offline drafter, the prompts and verify.

A claim cites its evidence as a markdown link whose text is ``path:line`` (or ``path`` for
a whole file) and whose target is the file relative to the document, with a ``#L<line>``
anchor that code hosts such as GitHub understand:

    [src/app.js:12](../../src/app.js#L12)
"""

from __future__ import annotations

import os
import re
from pathlib import PurePosixPath

from archdraft.scan.summary import Evidence

CITATION = re.compile(r"\[`?(?P<path>[^\]`\s:]+)(?::(?P<line>\d+))?`?\]\((?P<target>[^)\s]+)\)")


def relative_link(path: str, doc_path: str) -> str:
    doc_dir = str(PurePosixPath(doc_path).parent)
    return os.path.relpath(path, doc_dir if doc_dir != "." else ".").replace(os.sep, "/")


def cite(evidence: Evidence, doc_path: str) -> str:
    target = relative_link(evidence.path, doc_path)
    if evidence.line:
        return f"[{evidence.path}:{evidence.line}]({target}#L{evidence.line})"
    return f"[{evidence.path}]({target})"


def cite_file(path: str, doc_path: str) -> str:
    return f"[`{path}`]({relative_link(path, doc_path)})"
