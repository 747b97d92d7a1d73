"""The `zwgk` command line (contract: shared/spec/cli-contract.md).

Each stage owns its sub-commands; this module only assembles them. Exit codes: 0 done,
1 done but some inputs failed, 2 nothing done (usage, configuration, unreadable catalog).
"""

from __future__ import annotations

import gc
import importlib
import sys

import click

import zwgk
from core.errors import ConfigError

# command name -> "module:attribute". A command's module is imported when that command runs (or for --help):
# `zwgk screen` does not pay for the UI's, the eval's or the roster's imports (~0.1 s, issue 15).
COMMANDS = {
    "indicators": "indicators.cli:indicators_group",
    "ingest": "ingestion.cli:ingest_command",
    "screen": "assistant.cli:screen_command",
    "chat": "assistant.cli:chat_command",
    "serve": "review.cli:serve_command",
    "export": "review.cli:export_command",
    "users": "review.cli:users_group",
    "units": "assistant.roster_cli:units_group",
    "eval": "eval.cli:eval_command",
    "gold": "review.gold_cli:gold_group",
    "agreement": "review.gold_cli:agreement_command",
}


class _Group(click.Group):
    """Sub-commands loaded on demand (click's lazy-loading pattern). Click's usage errors exit 2 already;
    make unexpected configuration errors exit 2 as well."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attr = COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo(f"错误：{exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group)
@click.version_option(zwgk.__version__, prog_name="zwgk")
def main() -> None:
    """政务公开考核材料审查助手 (zwgk-review)."""


def run() -> None:
    """The `zwgk` program (console script and `python -m zwgk`): main(), then an exit that skips the
    interpreter's last garbage collection. That collection walks every object the command made (0.2 s
    after a screen of a hundred units) and frees nothing that matters: the commands close their files and
    databases themselves, and the process is ending. Not in main(): tests call main() in their own process."""
    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
