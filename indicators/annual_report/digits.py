"""Cells run together: splitting a row's digit runs into its cells.

A PDF text layer or a flattened page export often prints a table row without separators:
`本年新收政府信息公开申请数量350012341` is 35|0|0|1|2|3|41 for the seven columns of table 三. A run is
split into exactly the row's known width, every piece a count written without a leading zero ("0"
itself excepted); tokens that are separated already stay separate cells. Of all the splits, only
those the table's own identities accept are kept (the row total for table 三, checked by the caller,
then the column identities across rows). When more than one split survives, the parser says so and
lists them; it never picks one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from core.textnorm import normalize

Token = tuple[str, int, int]  # (raw text, start, end) in Document.text
MAX_SPLITS = 50_000  # enumeration stops here (a row of 7 cells from 20 digits has 27,132 splits at most)
MAX_COMBINATIONS = 5000  # combinations of several ambiguous rows tried against the column identities


def _is_run(raw: str) -> bool:
    return normalize(raw).isdigit()


def _pieces(raw: str, start: int, k: int) -> Iterator[list[Token]]:
    """`raw` (a digit run) cut into k counts, no piece with a leading zero."""
    if k == 1:
        if len(raw) == 1 or normalize(raw[0]) != "0":
            yield [(raw, start, start + len(raw))]
        return
    first_max = len(raw) - (k - 1)
    for n in range(1, first_max + 1):
        head = raw[:n]
        if n > 1 and normalize(head[0]) == "0":
            break
        for rest in _pieces(raw[n:], start + n, k - 1):
            yield [(head, start, start + n), *rest]


def splits(tokens: list[Token], width: int) -> list[list[Token]] | None:
    """Every way to read the tokens as exactly `width` cells, splitting only digit runs; None when there
    are too many to list (a partial list could make a wrong split look unique)."""
    out: list[list[Token]] = []

    def walk(i: int, need: int, acc: list[Token]) -> None:
        if len(out) >= MAX_SPLITS:
            return
        if i == len(tokens):
            if need == 0:
                out.append(list(acc))
            return
        raw, start, _ = tokens[i]
        left = len(tokens) - i - 1  # later tokens need at least one cell each
        most = min(need - left, len(raw)) if _is_run(raw) else 1
        for k in range(1, most + 1):
            for pieces in _pieces(raw, start, k) if _is_run(raw) else [[tokens[i]]]:
                walk(i + 1, need - k, acc + pieces)

    if sum(len(t[0]) if _is_run(t[0]) else 1 for t in tokens) >= width >= len(tokens):
        walk(0, width, [])
    return None if len(out) >= MAX_SPLITS else out


def values(cells: list[Token]) -> list[int]:
    return [int(normalize(raw)) for raw, _, _ in cells]


def row_total_holds(cells: list[Token]) -> bool:
    """Table 三's row identity T3-C: the last cell is the sum of the others."""
    if not all(_is_run(c[0]) for c in cells):
        return False
    v = values(cells)
    return sum(v[:-1]) == v[-1]


def show(cells: list[Token]) -> str:
    return "|".join(normalize(raw) for raw, _, _ in cells)


def resolve(options: dict[str, list[list[Token]]], consistent: Callable[[dict[str, list[Token]]], bool],
            limit: int = MAX_COMBINATIONS) -> dict[str, list[Token]] | None:
    """The one combination of row splits the table's identities accept, or None (none, or several)."""
    keys = list(options)
    found: dict[str, list[Token]] | None = None

    def walk(i: int, chosen: dict[str, list[Token]], budget: list[int]) -> bool:
        nonlocal found
        if budget[0] <= 0:
            return False
        if i == len(keys):
            budget[0] -= 1
            if consistent(chosen):
                if found is not None:
                    return False  # a second consistent combination: ambiguous
                found = dict(chosen)
            return True
        for option in options[keys[i]]:
            chosen[keys[i]] = option
            if not walk(i + 1, chosen, budget):
                return False
        chosen.pop(keys[i], None)
        return True

    complete = walk(0, {}, [limit])
    return found if complete else None
