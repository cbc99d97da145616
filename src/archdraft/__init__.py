"""archdraft: draft a repository's architecture documentation from its code."""

__version__ = "0.1.0"
