"""Supply-chain tooling (make audit, make audit-update): not part of the product packages.

pins      the pinned set, read from requirements files (PEP 503 names)
osv       OSV records and their affected ranges, evaluated with packaging.version
snapshot  a dated extract of the PyPA advisory database: reading it, and making it from a git copy
online    pip-audit against PyPI's vulnerability service, when that service answers
audit     the command: chooses the source, prints it, exits 1 on a vulnerability that has a fix
"""
