"""Whether a middleware, dependency or filter name says it guards what it is applied to:
the one rule for names the readers leave undecided, shared by the join step and by routes
registered through project helpers."""

from __future__ import annotations

import re

_AUTH = re.compile(
    r"auth|jwt|token|passport|protect|guard|login|session|verify|ensure|isLogged|requireUser|"
    r"currentUser|bearer|apikey|api_key|permission|role|admin", re.I)  # fmt: skip
# Names that mention auth but do not guard: rate limiters on login routes, loggers, parsers,
# tracers (go-pkgz/auth's Trace reads a token only if one is sent), names that begin with
# log (logInfo is no login), and Starlette's SessionMiddleware and AuthenticationMiddleware,
# which find out who the caller is and let anonymous callers through.
_NOT_GUARD = re.compile(
    r"limit|rate|logger|cors|helmet|parser|static|compress|optional|initiali[sz]e|csrf|lusca|"
    r"(^|\.)session$|cookie|no_?auth|without_?auth|anonymous|guest|db_?session|database|"
    r"transaction|trace|(^|\.)(?-i:log(?!in))|(^|\.)(Session|Authentication)Middleware$",
    re.I,
)


def guards(name: str) -> bool:
    return bool(_AUTH.search(name)) and not _NOT_GUARD.search(name)
