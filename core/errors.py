"""Errors that end a command with exit code 2 (nothing done), per the CLI contract."""


class ConfigError(Exception):
    """Bad configuration, bad usage beyond what click catches, or an unreadable catalog."""
