"""The package's exceptions: one root, small named subclasses."""

from __future__ import annotations


class TrialgraphError(Exception):
    """Root of every error trialgraph raises on purpose."""


class ConfigError(TrialgraphError):
    """A setting is missing or malformed."""


class LoaderError(TrialgraphError):
    """An input file could not be read into records.

    Always names the file and, where known, the field that failed.
    """

    def __init__(self, file: str, field: str | None, message: str) -> None:
        self.file = file
        self.field = field
        self.message = message
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {message}")


class UnknownLayoutError(LoaderError):
    """No loader recognises the file's content."""


class ResolutionError(TrialgraphError):
    """A name given by the user (a target, a condition, ...) is not in the reference data."""


class GraphError(TrialgraphError):
    """The graph database refused or failed a statement."""


class GraphUnavailableError(GraphError):
    """The graph database cannot be reached."""


class ServerError(TrialgraphError):
    """The bundled local graph server could not be started, stopped or inspected."""


class QueryError(TrialgraphError):
    """A library query is unknown or was given wrong parameters."""
