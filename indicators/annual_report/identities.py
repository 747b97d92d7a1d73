"""The arithmetic identities of tables 三 and 四 and the cross-year link (domain-rules.md 1.6).

One mechanism: an identity is "sum(lhs) = sum(rhs)" over table cells. A blank or missing cell is an
unknown non-negative count, never 0:
- all cells filled: pass iff the sums are equal;
- blanks present and the filled sums are equal: pass, but the blanks are reported (the identity holds
  only if the blanks are 0, which the report should have printed);
- blanks present, sums differ, and a blank sits on the smaller side: undecidable (unknown);
- blanks present, sums differ, the smaller side is fully filled: fail (no count can fix it);
- a cell the parser did not find (an unrecognised row, a cut-off table): unknown whatever the sums,
  and the rationale shows no sum or difference (an unrecognised row is not 0).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from indicators.annual_report.tables import (
    T3_COLUMNS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    CellStatus,
    CellValue,
    Table3,
    Table4,
)

IDENTITY_TEXT = {
    "T3-A": "表三表头注明：第一项加第二项之和，等于第三项加第四项之和",
    "T3-B": "（七）总计等于各项办理结果之和",
    "T3-C": "总计列等于自然人与法人或其他组织各列之和",
    "T4-A": "总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    "X-1": "本年“二、上年结转”等于上年报告“四、结转下年度继续办理”",
}


LONG_SIDE = 7  # sides longer than this list only their non-zero terms in the rationale


class IdentityResult(BaseModel):
    identity: str  # T3-A ...
    scope: str  # Chinese: 表三“自然人”列
    lhs: list[CellValue]
    rhs: list[CellValue]
    lhs_names: list[str]
    rhs_names: list[str]
    outcome: Literal["pass", "fail", "unknown"]
    lhs_sum: float
    rhs_sum: float
    blanks: list[CellValue] = Field(default_factory=list)

    @property
    def difference(self) -> float:
        return abs(self.lhs_sum - self.rhs_sum)

    def arithmetic(self) -> str:
        """表三“自然人”列：一（821）+ 二（18）= 839，（七）总计（767）+ 四（70）= 837，相差 2"""
        def side(names: list[str], cells: list[CellValue], total: float) -> str:
            pairs = list(zip(names, cells, strict=True))
            shown = pairs
            if len(pairs) > LONG_SIDE:  # a long sum: list what is not 0, count the zeros
                shown = [(n, c) for n, c in pairs if not (c.status is CellStatus.ok and c.value == 0)]
            terms = "+ ".join(f"{n}（{_show(c)}）" for n, c in shown)
            if len(shown) < len(pairs):
                terms += ("+ " if shown else "") + f"其余{len(pairs) - len(shown)}项（均为0）"
            return f"{terms}= {_num(total)}" if len(cells) > 1 else terms
        if any(c.status is CellStatus.missing for c in self.lhs + self.rhs):
            terms = [f"{n}（{_show(c)}）" for n, c in zip(self.lhs_names + self.rhs_names, self.lhs + self.rhs,
                                                           strict=True) if c.status is CellStatus.missing]
            return f"{self.scope}：" + "、".join(terms) + "，无法核验"
        text = f"{self.scope}：{side(self.lhs_names, self.lhs, self.lhs_sum)}，{side(self.rhs_names, self.rhs, self.rhs_sum)}"
        if self.difference:
            text += f"，相差 {_num(self.difference)}"
        return text


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _show(c: CellValue) -> str:
    if c.status is CellStatus.blank:
        return "空白"
    if c.status is CellStatus.missing:
        return "未识别"
    if c.status is CellStatus.non_numeric:
        return f"“{c.raw.strip()}”"
    return _num(c.value)


def evaluate(identity: str, scope: str, lhs: list[CellValue], rhs: list[CellValue], lhs_names: list[str],
             rhs_names: list[str]) -> IdentityResult:
    lsum = sum(c.value for c in lhs if c.filled)
    rsum = sum(c.value for c in rhs if c.filled)
    lblank = [c for c in lhs if not c.filled]
    rblank = [c for c in rhs if not c.filled]
    if any(c.status is CellStatus.missing for c in lhs + rhs):
        outcome = "unknown"
    elif lsum == rsum:
        outcome = "pass"
    elif (lsum < rsum and lblank) or (rsum < lsum and rblank):
        outcome = "unknown"
    else:
        outcome = "fail"
    return IdentityResult(identity=identity, scope=scope, lhs=lhs, rhs=rhs, lhs_names=lhs_names,
                          rhs_names=rhs_names, outcome=outcome, lhs_sum=lsum, rhs_sum=rsum, blanks=lblank + rblank)


def _name(row: str) -> str:
    return T3_ROWS[row][0]


def table3_identities(t3: Table3) -> list[IdentityResult]:
    out = []
    for col, col_name in T3_COLUMNS.items():
        scope = f"表三“{col_name}”列"
        out.append(evaluate("T3-A", scope, [t3.get("1", col), t3.get("2", col)], [t3.get("3.7", col), t3.get("4", col)],
                            ["一", "二"], ["（七）总计", "四"]))
        rows = t3.result_rows
        out.append(evaluate("T3-B", scope, [t3.get("3.7", col)], [t3.get(r, col) for r in rows], ["（七）总计"],
                            [_name(r) for r in rows]))
    parts = [c for c in T3_COLUMNS if c != "total"]
    for row in t3.row_keys:
        out.append(evaluate("T3-C", f"表三“{_name(row)}”行", [t3.get(row, "total")], [t3.get(row, c) for c in parts],
                            ["总计"], [T3_COLUMNS[c] for c in parts]))
    return out


def table4_identities(t4: Table4) -> list[IdentityResult]:
    parts = [c for c in T4_COLUMNS if c != "total"]
    return [evaluate("T4-A", f"表四“{g_name}”", [t4.get(g, "total")], [t4.get(g, c) for c in parts],
                     ["总计"], [T4_COLUMNS[c] for c in parts])
            for g, g_name in T4_GROUPS.items()]


def cross_year(current: Table3, previous: Table3) -> list[IdentityResult]:
    return [evaluate("X-1", f"表三“{col_name}”列", [current.get("2", col)], [previous.get("4", col)],
                     ["本年二、上年结转"], ["上年四、结转下年度继续办理"])
            for col, col_name in T3_COLUMNS.items()]


def non_integer_cells(cells: list[CellValue]) -> list[CellValue]:
    """T3-E: counts are non-negative integers; a decimal, a negative or a symbol is flagged."""
    return [c for c in cells if c.status in (CellStatus.non_integer, CellStatus.non_numeric)
            or (c.status is CellStatus.ok and c.value is not None and c.value < 0)]


def suspect_cells(results: list[IdentityResult]) -> list[CellValue]:
    """Cells in both a failed column identity (T3-A/T3-B) and a failed row identity (T3-C): the likely typo."""
    failed_cols = [r for r in results if r.outcome == "fail" and r.identity in ("T3-A", "T3-B")]
    failed_rows = [r for r in results if r.outcome == "fail" and r.identity == "T3-C"]
    col_cells = {(c.row, c.col) for r in failed_cols for c in r.lhs + r.rhs}
    out: dict[tuple[str, str], CellValue] = {}
    for r in failed_rows:
        for c in r.lhs + r.rhs:
            if (c.row, c.col) in col_cells and c.filled:
                out[(c.row, c.col)] = c
    return list(out.values())
