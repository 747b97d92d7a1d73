"""Run the `zwgk` CLI with an audit hook that logs every non-loopback network attempt.

The browser test starts the server as `python -m tests.review.netaudit serve ...` (exactly
`python -m zwgk serve ...` plus the hook) and asserts the log stays empty: no analytics, no
version check, no model or font download.
"""

from __future__ import annotations

import os
import sys

_LOG = os.environ.get("ZWGK_NETAUDIT_LOG")
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0", "/")  # "/": unix-domain sockets


def _host(event: str, args: tuple) -> str | None:
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect":
        addr = args[1]
        host = addr[0] if isinstance(addr, tuple) else addr
    else:
        return None
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    return None if host in (None, "") else str(host)


def _hook(event: str, args: tuple) -> None:
    host = _host(event, args)
    if host is not None and not host.startswith(_LOCAL) and _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"{event} {host}\n")


if __name__ == "__main__":
    sys.addaudithook(_hook)
    from zwgk.cli import main

    main(prog_name="zwgk")
