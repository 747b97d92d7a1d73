"""Row -> event -> Check: the one mechanism behind every ledger deduction rule.

An indicator contributes a small `DeductionSpec`: which ledger kinds it reads, which rows count
(year, sub-item) and a function that turns rows (usually one at a time, see `per_row`) into
`Event`s (a deduction amount with a Chinese rationale, or an undecidable row for a human). `deduction_rule(spec)` registers the
rule: one failed Check per event with the row cited, an optional cap on the sum (5.1.3 quality), a
passed Check citing the header when the ledger shows nothing to deduct, and no Check at all when
the unit has no such ledger (indicators/scoring.py reads that as no evidence). Flooring at 0 points
is the scoring module's job; the rule reports every event as found, with `data["event"]` set to the
catalog's event code (langfang-2023.yaml) so that the scoring rationale names the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from core.document import DocType
from core.findings import Flag
from indicators.ledgers.columns import Col
from indicators.ledgers.kinds import LedgerKind
from indicators.ledgers.reader import LEDGER_SOURCES, LedgerRow, LedgerTable, ledgers_of
from indicators.rules.base import Check, Evidence, Outcome, make_check, rule


@dataclass
class Event:
    """What one ledger row means for the score."""

    row: LedgerRow
    title: str
    amount: float  # points to deduct; 0 for an undecidable row
    rationale: str
    outcome: Outcome = Outcome.failed
    flags: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def dates_unknown(row: LedgerRow, title: str, rationale: str) -> Event:
    """A row whose day count cannot be made (a date missing): no deduction, a human checks it."""
    return Event(row, title, 0.0, rationale, outcome=Outcome.unknown, flags=[Flag.date_unknown, Flag.needs_human])


def day_limit_event(row: LedgerRow, start: dt.date, end: dt.date, limit: int, event: str, counted: str,
                    late: tuple[str, str], on_limit: tuple[str, str], unit: str = "日",
                    amount: float = 0.1) -> Event | None:
    """A calendar-day limit from `start` to `end`: past it a deduction (`late`), exactly on it a passed
    but `borderline` row (`on_limit`), within it nothing. The first day is not counted. `late` and
    `on_limit` are (title, end of the rationale); the rationale opens with `counted` (what happened
    when) and the count, "，相隔N日（自然日）" (`unit` as the table words the limit: 日 or 天)."""
    days = days_between(start, end)
    count = f"{counted}，相隔{days}{unit}（自然日）"
    if days > limit:
        return Event(row, late[0], amount, count + late[1], data={"event": event, "days": days})
    if days == limit:
        return Event(row, on_limit[0], 0.0, count + on_limit[1], outcome=Outcome.passed, flags=[Flag.borderline],
                     data={"days": days})
    return None


RowEvents = Callable[[LedgerRow, LedgerTable, Evidence], Iterable[Event]]
TableEvents = Callable[[list[LedgerRow], LedgerTable, Evidence], Iterable[Event]]


def per_row(fn: RowEvents) -> TableEvents:
    """Most indicators judge each row on its own; 5.2.2 judges an account's rows together."""

    def events(rows: list[LedgerRow], table: LedgerTable, evidence: Evidence) -> Iterator[Event]:
        for r in rows:
            yield from fn(r, table, evidence)

    return events


@dataclass(frozen=True)
class DeductionSpec:
    rule_id: str
    indicator: str
    title: str  # what is checked, Chinese (e.g. 新媒体账号变更报备时限)
    kinds: tuple[LedgerKind, ...]
    events: TableEvents  # wrap a per-row function with per_row()
    sub: int | None = None
    year_col: Col | None = None  # rows dated outside the year under review are left out
    row_filter: Callable[[LedgerRow, LedgerTable], bool] | None = None
    cap: float | None = None  # most points this check may take in total (5.1.3 quality: 1)
    clean_text: str = "未发现扣分情形"  # the passed rationale's tail
    tag: dict = field(default_factory=dict)  # copied into every Check's data (e.g. {"part": "quality"})


def in_year(row: LedgerRow, col: Col | None, year: int | None) -> bool:
    if col is None or year is None:
        return True
    d = row.date(col)
    return d is None or d.year == year


def selected_rows(spec: DeductionSpec, table: LedgerTable, evidence: Evidence) -> tuple[list[LedgerRow], int]:
    """Rows of the year under review that the spec reads, and how many of the year's rows its
    row filter left out (another sub-item's rows)."""
    in_period = [r for r in table.rows if in_year(r, spec.year_col, evidence.year)]
    if spec.row_filter is None:
        return in_period, 0
    rows = [r for r in in_period if spec.row_filter(r, table)]
    return rows, len(in_period) - len(rows)


def run_deductions(spec: DeductionSpec, evidence: Evidence) -> Iterator[Check]:
    tables = ledgers_of(evidence, *spec.kinds)
    selected = [(t, *selected_rows(spec, t, evidence)) for t in tables]
    if not any(rows for _, rows, _ in selected) and any(left for *_, left in selected):
        return  # the ledgers hold only other sub-items' rows (e.g. 留言 but no 纠错): no evidence here
    taken = 0.0
    for table, rows, left_out in selected:
        if not rows and left_out:
            continue
        events = list(spec.events(rows, table, evidence))
        for event in events:
            amount = event.amount
            rationale = event.rationale
            if spec.cap is not None and amount > 0:
                amount = round(max(0.0, min(amount, spec.cap - taken)), 4)
                if amount < event.amount:
                    rationale += f"（本项扣分已达上限{spec.cap:.1f}分，不再累计扣分）"
            taken = round(taken + amount, 4)
            yield make_check(
                spec.rule_id, spec.indicator, spec.sub, title=event.title, outcome=event.outcome,
                rationale=rationale, citations=[table.cite_row(event.row)], flags=list(event.flags),
                deduction=amount, data={**spec.tag, "file": table.doc.file, "row": event.row.row, **event.data},
            )
        if not any(e.amount > 0 or e.outcome in (Outcome.failed, Outcome.unknown) for e in events):
            yield make_check(
                spec.rule_id, spec.indicator, spec.sub, title=f"{spec.title}：{table.label}",
                outcome=Outcome.passed, citations=[table.cite_header()],
                rationale=f"《{table.doc.file}》{table.label}共{len(rows)}条相关记录，{spec.clean_text}。",
                data={**spec.tag, "file": table.doc.file, "rows": len(rows)},
            )


def deduction_rule(spec: DeductionSpec, doc_types: Iterable[DocType] = LEDGER_SOURCES) -> Callable:
    """Register the rule described by `spec` and return its function."""

    def check(evidence: Evidence) -> Iterator[Check]:
        return run_deductions(spec, evidence)

    check.__doc__ = f"{spec.indicator} {spec.title}（台账逐条核算扣分）"
    return rule(spec.rule_id, spec.indicator, doc_types, sub=spec.sub, description=check.__doc__)(check)


def days_between(a: dt.date, b: dt.date) -> int:
    """Calendar days from a to b (the day of a not counted, as 民事诉讼法第八十五条 counts periods)."""
    return (b - a).days
