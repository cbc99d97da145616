"""Schema files that name the database outright: Prisma's ``datasource`` provider."""

from __future__ import annotations

import re

from archdraft.scan.summary import Evidence
from archdraft.scan.technologies import BY_NAME, Tech

_DATASOURCE = re.compile(r"^\s*datasource\s+\w+\s*\{")
_PROVIDER = re.compile(r"""^\s*provider\s*=\s*["']([\w-]+)["']""")
_PRISMA_PROVIDERS = {
    "postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite",
    "mongodb": "MongoDB", "sqlserver": "Microsoft SQL Server", "cockroachdb": "CockroachDB",
}  # fmt: skip


def prisma_databases(path: str, text: str) -> list[tuple[Tech, Evidence]]:
    """The database each ``datasource`` block of a Prisma schema names."""
    found: list[tuple[Tech, Evidence]] = []
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _DATASOURCE.match(line):
            inside = True
        elif inside and line.strip().startswith("}"):
            inside = False
        elif inside and (provider := _PROVIDER.match(line)):
            name = _PRISMA_PROVIDERS.get(provider.group(1).lower())
            if name:
                found.append((BY_NAME[name], Evidence(path, number)))
    return found
