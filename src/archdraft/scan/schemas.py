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


# Laravel's config/database.php: the connection the application uses unless told otherwise,
# 'default' => env('DB_CONNECTION', 'pgsql') or 'default' => 'mysql'. Only the default: the
# other connections are the framework's skeleton, listed whether used or not. DRIVER_NAMES:
# the name a config writes each database with (a claim may cite that line).
_LARAVEL_DEFAULT = re.compile(
    r"""^\s*['"]default['"]\s*=>\s*(?:env\(\s*['"]DB_CONNECTION['"]\s*,\s*)?['"](\w+)['"]"""
)
DRIVER_NAMES = {
    "pgsql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB", "sqlite": "SQLite",
    "sqlsrv": "Microsoft SQL Server",
}  # fmt: skip


def is_laravel_database_config(path: str) -> bool:
    return path == "config/database.php" or path.endswith("/config/database.php")


def laravel_databases(path: str, text: str) -> list[tuple[Tech, Evidence]]:
    """The database of the default connection a Laravel config/database.php names."""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _LARAVEL_DEFAULT.match(line)
        if found:
            name = DRIVER_NAMES.get(found.group(1).lower())
            return [(BY_NAME[name], Evidence(path, number))] if name else []
    return []
