"""`zwgk serve` (the review UI) and `zwgk users add` (reviewer accounts)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from core.errors import ConfigError


@click.command("serve")
@click.option("--workspace", required=True, type=click.Path(file_okay=False, path_type=Path), help="工作区目录。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址；非本机地址必须配置复核人账号。")
@click.option("--port", default=7860, show_default=True, type=int)
@click.option("--catalog", default="langfang-2023", show_default=True)
def serve_command(workspace: Path, host: str, port: int, catalog: str) -> None:
    """启动复核界面（浏览器访问）。"""
    from core.settings import get_settings
    from review.accounts import AccountsError, authenticator, is_loopback, load_accounts

    settings = get_settings()
    try:
        accounts = load_accounts(settings.users_file)
    except AccountsError as exc:
        raise ConfigError(str(exc)) from None
    if not is_loopback(host) and not accounts:
        raise ConfigError(
            f"在 {host} 上提供服务必须配置复核人账号：先运行 zwgk users add 用户名 创建账号，"
            "再设置环境变量 ZWGK_USERS_FILE 指向账号文件。仅本机使用时请用 --host 127.0.0.1。"
        )
    # Uploads and exports served to the browser stay inside the workspace, not in a shared /tmp.
    os.environ.setdefault("GRADIO_TEMP_DIR", str(workspace.resolve() / "gradio-cache"))
    from review.app import CSS, KEYS_JS, build_app
    from review.service import ReviewService

    service = ReviewService(workspace, catalog, settings)
    app = build_app(service, accounts)
    click.echo(f"复核界面：http://{host}:{port}/（按 Ctrl+C 停止）", err=True)
    try:
        app.launch(server_name=host, server_port=port, share=False, css=CSS, js=KEYS_JS, show_error=True,
                   auth=authenticator(accounts) if accounts else None, auth_message="请使用复核人账号登录",
                   footer_links=[], quiet=True,
                   max_file_size=int(settings.max_file_mb * 1024 * 1024))  # ZWGK_MAX_FILE_MB, at upload
    finally:
        service.close()


@click.command("export", short_help="导出各单位的当前结果与复核决定（评分表、审查意见、汇总表）。")
@click.option("--workspace", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="工作区目录（与 zwgk screen、复核界面相同）。")
@click.option("--unit", "units", multiple=True, help="只导出这些单位（可多次使用；默认全部已预审的单位）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="导出目录（默认：工作区下的 exports）。")
@click.option("--reviewer", default="", help="导出人（写入导出文件；复核过的人员另从复核记录读取）。")
@click.option("--catalog", default="langfang-2023", show_default=True)
def export_command(workspace: Path, units: tuple[str, ...], out: Path | None, reviewer: str, catalog: str) -> None:
    """导出各单位的当前结果与复核决定：OUT/<单位>/scorecard.json、scorecard.xlsx、findings.docx 和 OUT/summary.xlsx。"""
    from review.service import ReviewService

    service = ReviewService(workspace, catalog)
    try:
        known = service.units()
        missing = [u for u in units if u not in known]
        if missing:
            raise ConfigError(f"工作区中没有单位“{'、'.join(missing)}”；现有：{'、'.join(known) or '无'}")
        out = out or service.ws.path / "exports"
        done = []
        for unit in units or known:
            if service.scorecard(unit) is None:
                click.echo(f"跳过：{unit} 尚未预审", err=True)
                continue
            service.sync_suggestions(unit)
            paths = service.export(unit, reviewer, out=out, dated=False)
            t = service.scorecard(unit).totals()
            click.echo(f"{unit}：已复核 {t.decided}/{t.items} 项，建议总分 {t.suggested:.1f}，复核后总分 "
                       f"{t.reviewed:.1f} → {paths['xlsx'].parent}", err=True)
            done.append(unit)
        if not done:
            raise ConfigError("没有可导出的单位：请先运行 zwgk screen 或在复核界面中预审")
        summary = service.export_summary(reviewer, out=out, dated=False)
        click.echo(f"汇总表：{summary}", err=True)
    finally:
        service.close()


@click.group("users")
def users_group() -> None:
    """复核人账号管理。"""


@users_group.command("add")
@click.argument("username")
@click.option("--name", default=None, help="显示的姓名（默认同用户名）。")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="账号文件（默认：ZWGK_USERS_FILE）。")
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码")
def users_add(username: str, name: str | None, path: Path | None, password: str) -> None:
    """新增或重置一个复核人账号（只保存密码哈希）。"""
    from core.settings import get_settings
    from review.accounts import add_account

    path = path or get_settings().users_file
    if path is None:
        raise ConfigError("请用 --file 指定账号文件，或设置环境变量 ZWGK_USERS_FILE")
    if len(password) < 8:
        raise ConfigError("密码至少 8 位")
    add_account(path, username, name or username, password)
    click.echo(f"已保存账号 {username} 到 {path}", err=True)
