"""The one error tree. Every message says what the user can do next; the CLI maps
each class to an exit code."""

from __future__ import annotations


class ArchdraftError(Exception):
    """Base of every error archdraft reports to the user."""

    exit_code = 1


class ConfigError(ArchdraftError):
    """Configuration (file, environment or flag) that cannot be used."""


class RepoError(ArchdraftError):
    """The target path is not a readable repository folder."""


class TemplateError(ArchdraftError):
    """A documentation template that cannot be found or parsed."""


class ResourceError(ArchdraftError):
    """archdraft's own prompts or templates are missing from the installation."""


class PromptError(ArchdraftError):
    """A prompt file that cannot be rendered."""


class WriteError(ArchdraftError):
    """The document could not be written."""


class ModelError(ArchdraftError):
    """A model request that failed after the client's retries. The section it was for is
    reported as failed and the rest of the run goes on, unless no request could succeed
    (``llm.FATAL``: no server, no such model, a refused key): then the run stops with it."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind
        """``rate-limit``, ``server``, ``timeout``, ``connection``, ``context-length``,
        ``truncated``, ``empty``, ``auth``, ``not-found`` or ``request``."""


class GuardError(ArchdraftError):
    """A result that would drop a section or shrink the document by more than half."""

    exit_code = 6


class RunError(ArchdraftError):
    """A saved run that cannot be found or read."""


class GitError(ArchdraftError):
    """A git operation ``archdraft pr`` needs failed: a ref that does not exist, no history."""


class GitHubError(ArchdraftError):
    """The GitHub API refused or could not be reached."""
