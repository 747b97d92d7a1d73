"""Ledgers (台账): columns, kinds, typed rows with citations, and the row -> deduction mechanism."""
