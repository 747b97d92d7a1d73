"""The one exception type that leaves `parse_file`."""


class ParseError(Exception):
    """A file that cannot be ingested. The message is Chinese, names the problem, not the path
    (the caller prefixes the file name)."""
