"""The one exception the command line turns into a one-line message."""


class UserError(Exception):
    """A mistake in the command or the data: printed as ``accumetrics: error: ...``, exit status 2."""
