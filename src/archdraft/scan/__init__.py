"""The scan stage: a ``RepoTree`` in, a ``RepoSummary`` (schema archdraft.scan/v1) out."""

from archdraft.scan.run import scan
from archdraft.scan.summary import RepoSummary

__all__ = ["RepoSummary", "scan"]
