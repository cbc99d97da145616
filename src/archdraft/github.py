"""The one place archdraft talks to GitHub: opening a draft pull request through the REST
API (``POST /repos/{owner}/{repo}/pulls``). The token is sent in one header and never put
in a message, a log or an exception."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Mapping

from archdraft import __version__
from archdraft.errors import GitHubError

DEFAULT_API = "https://api.github.com"
_REMOTE = re.compile(
    r"(?:^git@[^:]+:|^ssh://git@[^/]+/|^https?://(?:[^@/]+@)?[^/]+/)"
    r"(?P<repo>[^/\s]+/[^/\s]+?)(?:\.git)?/?$"
)


def repository(environ: Mapping[str, str], remote_url: str | None) -> str:
    """``owner/repo``: from ``GITHUB_REPOSITORY`` (set inside Actions), else the remote."""
    if environ.get("GITHUB_REPOSITORY"):
        return environ["GITHUB_REPOSITORY"]
    match = _REMOTE.match(remote_url or "")
    if match is None:
        raise GitHubError(
            "cannot tell which GitHub repository to open the pull request in; set "
            "GITHUB_REPOSITORY=owner/repo or add an `origin` remote on GitHub."
        )
    return match.group("repo")


def _masked(text: str, token: str) -> str:
    return text.replace(token, "***") if token else text


def open_draft_pull_request(
    api_url: str,
    token: str,
    repo: str,
    title: str,
    body: str,
    head: str,
    base: str,
    timeout: float = 30.0,
) -> str:
    """Open a draft pull request of ``head`` into ``base``; return its address."""
    if not token:
        raise GitHubError(
            "GITHUB_TOKEN is not set; give it a token with pull-requests: write to use --open."
        )
    url = f"{api_url.rstrip('/')}/repos/{repo}/pulls"
    payload = {"title": title, "head": head, "base": base, "body": body, "draft": True}
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
            "User-Agent": f"archdraft/{__version__}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        detail = ""
        try:
            data = json.loads(exc.read().decode("utf-8"))
            detail = str(data.get("message", ""))
            errors = data.get("errors") or []
            detail += "".join(
                f"; {e.get('message', e) if isinstance(e, dict) else e}" for e in errors
            )
        except (ValueError, OSError, AttributeError):
            pass
        raise GitHubError(
            _masked(
                f"GitHub refused to open the pull request ({exc.code} {detail or exc.reason}); "
                "check that the token may write pull requests and that the branch was pushed.",
                token,
            )
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise GitHubError(
            _masked(
                f"cannot reach the GitHub API at {api_url} ({exc}); check GITHUB_API_URL.", token
            )
        ) from None
    return str(answer.get("html_url") or answer.get("url") or "")
