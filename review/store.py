"""Durable reviewer decisions with an append-only audit log (SQLite WAL by default, any SQLAlchemy URL).

Concurrency: each decision row carries a version; a write names the version it was based on and
succeeds only if that is still current (compare-and-swap in one transaction with its audit entry).
A stale writer gets `StaleDecision` holding the current value, so no update is ever lost silently.

Schema changes are additive: columns added after a database was created are added to it when it is
opened (`_migrate`, plain ALTER TABLE ... ADD COLUMN, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from core.findings import Verdict
from core.sqlite import enable_wal
from indicators.catalog import on_step
from indicators.scoring import verdict_for_points


class Action(StrEnum):
    confirm = "confirm"  # accept the suggested points
    override = "override"  # other points, reason required
    comment = "comment"
    discuss = "discuss"  # mark "needs discussion" (toggle)
    suggestion_changed = "suggestion_changed"  # a re-run changed the assistant's suggestion
    rule_error = "rule_error"  # an override blames the rule: mark with a note, or clear with an empty one


ACTION_LABELS = {
    Action.confirm: "确认", Action.override: "改分", Action.comment: "备注",
    Action.discuss: "标记待讨论", Action.suggestion_changed: "建议分变化", Action.rule_error: "标记规则有误",
}


class Decision(BaseModel):
    unit: str
    catalog: str
    item: str  # "1.1.9#1" or "1.1.2"
    status: str = "pending"  # pending | confirmed | overridden
    points: float | None = None
    suggested_points: float | None = None  # the suggestion the reviewer saw
    # the reviewer's verdict: a confirm takes the suggestion's, an override states one or has its points
    # read as one; None for decisions stored before verdicts were kept
    verdict: Verdict | None = None
    reason: str = ""
    comment: str = ""
    discuss: bool = False
    suggestion_changed: bool = False
    rule_error: bool = False  # "规则有误": the override says the rule is wrong, not just this unit's case
    rule_note: str = ""
    reviewer: str = ""
    version: int = 0
    updated_at: str | None = None


class AuditEntry(BaseModel):
    seq: int
    at: str
    reviewer: str
    unit: str
    catalog: str
    item: str
    action: Action
    old: dict | None
    new: dict | None
    reason: str = ""


class StaleDecision(Exception):
    """Someone else changed the item since the writer loaded it."""

    def __init__(self, current: Decision):
        super().__init__(f"{current.item} 已被 {current.reviewer or '他人'} 修改（版本 {current.version}）")
        self.current = current


class DecisionError(ValueError):
    """An invalid decision (e.g. an override without a reason, points out of range)."""


def check_points(points: float, max_points: float | None, step: float | None) -> None:
    """A reviewer's points: a number in 0..max_points and a whole multiple of the item's step."""
    if not math.isfinite(points):
        raise DecisionError("复核得分须为数字")
    if points < 0 or (max_points is not None and points > max_points + 1e-9):
        top = f"{max_points:.1f}" if max_points is not None else "满分"
        raise DecisionError(f"复核得分 {points:g} 超出 0–{top} 分的范围")
    if step and not on_step(points, step):
        grid = Decimal(str(step))
        below = Decimal(str(points)) // grid * grid
        raise DecisionError(f"复核得分须为 {step:g} 分的整数倍：{points:g} 不符合，请填写 {below:.1f} 或 "
                            f"{below + grid:.1f} 等分值（本项评分步长 {step:g} 分）")


_meta = MetaData()


def _item_key(**options) -> list[Column]:
    """The (unit, catalog, item) a row is about: the decisions' primary key, the audit entries' reference."""
    return [Column("unit", String(200), **options), Column("catalog", String(100), **options),
            Column("item", String(50), **options)]


decisions = Table(
    "decisions", _meta,
    *_item_key(primary_key=True),
    Column("status", String(20), nullable=False),
    Column("points", Float),
    Column("suggested_points", Float),
    Column("reason", Text, nullable=False, default=""),
    Column("comment", Text, nullable=False, default=""),
    Column("discuss", Integer, nullable=False, default=0),
    Column("suggestion_changed", Integer, nullable=False, default=0),
    Column("reviewer", String(100), nullable=False, default=""),
    Column("version", Integer, nullable=False),
    Column("updated_at", String(40)),
    # added later: `_migrate` adds them to older databases (server defaults fill the existing rows)
    Column("verdict", String(30)),
    Column("rule_error", Integer, nullable=False, default=0, server_default="0"),
    Column("rule_note", Text, nullable=False, default="", server_default=""),
)
# the same columns as DDL for databases created before them (valid on SQLite and PostgreSQL)
ADDED_COLUMNS = {"verdict": "VARCHAR(30)", "rule_error": "INTEGER NOT NULL DEFAULT 0",
                 "rule_note": "TEXT NOT NULL DEFAULT ''"}
audit = Table(
    "audit", _meta,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("reviewer", String(100), nullable=False),
    *_item_key(nullable=False),
    Column("action", String(30), nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("reason", Text, nullable=False, default=""),
    UniqueConstraint("seq"),
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _migrate(engine: Engine) -> None:
    """Add the columns a database created by an older version lacks (idempotent; each in its own
    transaction, so two processes opening the same old database at once both end up migrated)."""
    have = {c["name"] for c in inspect(engine).get_columns("decisions")}
    for name, ddl in ADDED_COLUMNS.items():
        if name in have:
            continue
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f"ALTER TABLE decisions ADD COLUMN {name} {ddl}")
        except Exception:  # another process added it first
            if name not in {c["name"] for c in inspect(engine).get_columns("decisions")}:
                raise


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # WAL: readers never block the writer; durable commits
        cur = dbapi_conn.cursor()
        enable_wal(dbapi_conn)
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()


class DecisionStore:
    def __init__(self, url_or_path: str | Path):
        url = str(url_or_path)
        if "://" not in url:
            Path(url).parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{Path(url).resolve()}"
        self.engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            _sqlite_pragmas(self.engine)
        _meta.create_all(self.engine)
        _migrate(self.engine)

    @classmethod
    def for_workspace(cls, workspace: Path, url: str | None = None) -> DecisionStore:
        return cls(url or workspace / "review.db")

    def close(self) -> None:
        self.engine.dispose()

    # --- reads -------------------------------------------------------------------------------
    def get(self, unit: str, catalog: str, item: str) -> Decision:
        with self.engine.connect() as conn:
            row = conn.execute(select(decisions).where(_key(unit, catalog, item))).mappings().first()
        return _decision(row) if row else Decision(unit=unit, catalog=catalog, item=item)

    def all(self, unit: str | None = None, catalog: str | None = None) -> list[Decision]:
        q = select(decisions)
        if unit is not None:
            q = q.where(decisions.c.unit == unit)
        if catalog is not None:
            q = q.where(decisions.c.catalog == catalog)
        with self.engine.connect() as conn:
            return [_decision(r) for r in conn.execute(q.order_by(decisions.c.unit, decisions.c.item)).mappings()]

    def audit_log(self, unit: str | None = None) -> list[AuditEntry]:
        q = select(audit).order_by(audit.c.seq)
        if unit is not None:
            q = q.where(audit.c.unit == unit)
        with self.engine.connect() as conn:
            return [
                AuditEntry(**{**r, "old": json.loads(r["old"]) if r["old"] else None,
                              "new": json.loads(r["new"]) if r["new"] else None})
                for r in conn.execute(q).mappings()
            ]

    # --- writes ------------------------------------------------------------------------------
    def decide(
        self,
        unit: str,
        catalog: str,
        item: str,
        action: Action,
        *,
        reviewer: str,
        expected_version: int,
        points: float | None = None,
        max_points: float | None = None,
        suggested_points: float | None = None,
        suggested_verdict: Verdict | None = None,
        verdict: Verdict | None = None,
        step: float | None = None,
        reason: str = "",
        comment: str | None = None,
    ) -> Decision:
        """Apply one reviewer action if `expected_version` is still current; audit it in the same transaction.

        An override's points must lie in 0..max_points on the item's `step` (评分步长): 3.05 is refused,
        never rounded. Its `verdict` defaults to the one its points stand for (needs `max_points`); a stated
        one must fit the points. `rule_error` takes its note in `reason`: a note marks, none clears. A
        confirmation's `reason` goes to the audit entry only (e.g. "批量确认").
        """
        reviewer = reviewer.strip()
        if not reviewer:
            raise DecisionError("必须填写复核人")
        current = self.get(unit, catalog, item)
        new = current.model_copy()
        if action == Action.confirm:
            if suggested_points is None:
                raise DecisionError("确认需要建议得分")
            new.status, new.points, new.suggested_points = "confirmed", suggested_points, suggested_points
            new.verdict = Verdict(suggested_verdict) if suggested_verdict is not None else None
            # an earlier override's reason and rule-error mark no longer apply
            new.reason, new.suggestion_changed, new.rule_error, new.rule_note = "", False, False, ""
        elif action == Action.override:
            if points is None:
                raise DecisionError("改分需要填写复核得分")
            if not reason.strip():
                raise DecisionError("改分必须填写理由")
            check_points(points, max_points, step)
            new.status, new.points, new.reason = "overridden", float(points), reason.strip()
            new.verdict = _override_verdict(new.points, max_points, verdict)
            new.suggested_points = suggested_points
            new.suggestion_changed = False
        elif action == Action.comment:
            new.comment = (comment or "").strip()
        elif action == Action.discuss:
            new.discuss = not current.discuss
        elif action == Action.rule_error:
            note = reason.strip()
            if note and current.status != "overridden":
                raise DecisionError("只有改分的项才能标记“规则有误”，请先改分")
            if not note and not current.rule_error:
                raise DecisionError("标记“规则有误”须填写说明")
            new.rule_error, new.rule_note = bool(note), note
        else:
            raise DecisionError(f"不支持的操作 {action}")
        if comment is not None and action != Action.comment:
            new.comment = comment.strip()
        new.reviewer, new.version, new.updated_at = reviewer, current.version + 1, _now()
        return self._write(current, new, action, reviewer, expected_version, reason)

    def note_suggestions(self, unit: str, catalog: str, suggestions: Iterable[tuple[str, float]],
                         actor: str = "系统") -> list[str]:
        """After a re-run: mark decided items whose suggestion changed; decisions themselves are kept."""
        changed = []
        for item, points in suggestions:
            for _ in range(5):  # retry on a concurrent reviewer write
                cur = self.get(unit, catalog, item)
                if cur.version == 0 or cur.suggested_points is None or abs(cur.suggested_points - points) < 1e-9:
                    break
                if cur.suggestion_changed:
                    break
                new = cur.model_copy(update={"suggestion_changed": True, "version": cur.version + 1,
                                             "updated_at": _now()})
                try:
                    self._write(cur, new, Action.suggestion_changed, actor, cur.version,
                                f"建议分由 {cur.suggested_points:.1f} 变为 {points:.1f}")
                    changed.append(item)
                    break
                except StaleDecision:
                    continue
        return changed

    def _write(self, current: Decision, new: Decision, action: Action, reviewer: str, expected: int,
               reason: str) -> Decision:
        values = new.model_dump(exclude={"unit", "catalog", "item"})
        values["discuss"], values["suggestion_changed"] = int(new.discuss), int(new.suggestion_changed)
        values["rule_error"] = int(new.rule_error)
        values["verdict"] = new.verdict.value if new.verdict is not None else None
        try:
            with self.engine.begin() as conn:
                if expected == 0:
                    conn.execute(insert(decisions).values(unit=new.unit, catalog=new.catalog, item=new.item,
                                                          **values))
                else:
                    res = conn.execute(update(decisions)
                                       .where(and_(_key(new.unit, new.catalog, new.item),
                                                   decisions.c.version == expected))
                                       .values(**values))
                    if res.rowcount != 1:
                        raise _Conflict
                conn.execute(insert(audit).values(
                    at=new.updated_at, reviewer=reviewer, unit=new.unit, catalog=new.catalog, item=new.item,
                    action=str(action), old=current.model_dump_json() if current.version else None,
                    new=new.model_dump_json(), reason=reason,
                ))
        except (_Conflict, IntegrityError):
            raise StaleDecision(self.get(new.unit, new.catalog, new.item)) from None
        return new

    def integrity_ok(self) -> bool:
        """Storage sound (SQLite's own check) and the audit log complete: every decision's version equals the
        number of audit entries for its item, since each write bumps the version and appends one entry."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA integrity_check").scalar() != "ok":
                return False
            counts = (select(audit.c.unit, audit.c.catalog, audit.c.item, func.count().label("n"))
                      .group_by(audit.c.unit, audit.c.catalog, audit.c.item).subquery())
            mismatched = conn.execute(
                select(func.count()).select_from(
                    decisions.outerjoin(counts, and_(decisions.c.unit == counts.c.unit,
                                                     decisions.c.catalog == counts.c.catalog,
                                                     decisions.c.item == counts.c.item)))
                .where(func.coalesce(counts.c.n, 0) != decisions.c.version)).scalar()
            orphans = conn.execute(
                select(func.count()).select_from(
                    counts.outerjoin(decisions, and_(decisions.c.unit == counts.c.unit,
                                                     decisions.c.catalog == counts.c.catalog,
                                                     decisions.c.item == counts.c.item)))
                .where(decisions.c.item.is_(None))).scalar()
        return mismatched == 0 and orphans == 0


class _Conflict(Exception):
    pass


def _key(unit: str, catalog: str, item: str):
    return and_(decisions.c.unit == unit, decisions.c.catalog == catalog, decisions.c.item == item)


def _decision(row) -> Decision:
    d = dict(row)
    d["discuss"], d["suggestion_changed"] = bool(d["discuss"]), bool(d["suggestion_changed"])
    d["rule_error"] = bool(d["rule_error"])
    return Decision(**d)


def _override_verdict(points: float, max_points: float | None, stated: Verdict | None) -> Verdict | None:
    """The verdict of an override: the stated one if it fits the points, else the one the points stand for."""
    if stated is None:
        return verdict_for_points(points, max_points) if max_points is not None else None
    stated = Verdict(stated)
    if stated == Verdict.insufficient_evidence:
        if points > 1e-9:
            raise DecisionError("结论为“材料不足”时复核得分应为 0")
    elif max_points is not None and stated != verdict_for_points(points, max_points):
        raise DecisionError(f"结论“{stated.label}”与复核得分 {points:.1f}（满分 {max_points:.1f}）不符")
    return stated
