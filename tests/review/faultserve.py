"""`python -m tests.review.faultserve serve ...`: `zwgk serve` with the network audit hook of
tests.review.netaudit, whose decision saves fail while the file named by ZWGK_TEST_FAIL_SAVES exists.

The failure is the database's own (sqlalchemy OperationalError "database is locked", as an outage or a
stuck writer gives), raised where the store writes: the browser test turns it on, presses Enter, and
checks that the page keeps its table and item panel and says in Chinese that nothing was saved.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.review import netaudit


def install(flag: Path) -> None:
    from sqlalchemy.exc import OperationalError

    from review.store import DecisionStore

    write = DecisionStore._write

    def failing_write(self, *args, **kwargs):
        if flag.exists():
            raise OperationalError("UPDATE decisions SET ...", {}, Exception("database is locked"))
        return write(self, *args, **kwargs)

    DecisionStore._write = failing_write


if __name__ == "__main__":
    sys.addaudithook(netaudit._hook)
    if os.environ.get("ZWGK_TEST_FAIL_SAVES"):
        install(Path(os.environ["ZWGK_TEST_FAIL_SAVES"]))
    from zwgk.cli import main

    main(prog_name="zwgk")
