"""The `zwgk` command line (contract: shared/spec/cli-contract.md).

Each stage owns its sub-commands; this module only assembles them. Exit codes: 0 done,
1 done but some inputs failed, 2 nothing done (usage, configuration, unreadable catalog).
"""

from __future__ import annotations

import sys

import click

import zwgk
from core.errors import ConfigError


class _Group(click.Group):
    """Click's usage errors exit 2 already; make unexpected configuration errors exit 2 as well."""

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


def _register() -> None:
    from assistant.cli import chat_command, screen_command
    from assistant.roster_cli import units_group
    from eval.cli import eval_command
    from indicators.cli import indicators_group
    from ingestion.cli import ingest_command
    from review.cli import export_command, serve_command, users_group
    from review.gold_cli import agreement_command, gold_group

    main.add_command(indicators_group)
    main.add_command(ingest_command)
    main.add_command(screen_command)
    main.add_command(chat_command)
    main.add_command(serve_command)
    main.add_command(export_command)
    main.add_command(users_group)
    main.add_command(units_group)
    main.add_command(eval_command)
    main.add_command(gold_group)
    main.add_command(agreement_command)


_register()

if __name__ == "__main__":
    main()
