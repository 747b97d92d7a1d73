"""`zwgk indicators ...` (PLACEHOLDER: the catalog work fills in show/import)."""

import click


@click.group("indicators")
def indicators_group() -> None:
    """考核指标体系：查看与导入。"""
