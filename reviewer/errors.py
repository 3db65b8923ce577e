"""Errors a user can act on. The CLI prints them as one line and exits 2."""


class ReviewerError(Exception):
    """Base class: bad usage or unreadable input."""


class IngestError(ReviewerError):
    """A file that cannot be read as a document (format, encoding, size)."""
