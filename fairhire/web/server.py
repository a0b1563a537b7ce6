"""Running the app with uvicorn: a loopback address by default, a loud warning otherwise."""

from __future__ import annotations

import ipaddress
import sys
import threading
import webbrowser

from .app import create_app
from .security import LOOPBACK_HOSTS

__all__ = ["is_loopback", "serve"]

WARNING = """
  WARNING: fairhire serve is listening on {host}, not on this computer only.
  Anyone who can reach this address on your network can upload files to it and read the
  reports it returns: the app has no login. Use the default (127.0.0.1) unless you mean it.
"""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(*, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False,
          max_upload: int | None = None) -> int:
    """Serve the app until Ctrl-C; returns the exit status (0 on a clean stop)."""
    import uvicorn

    loopback = is_loopback(host)
    if not loopback:
        print(WARNING.format(host=host), file=sys.stderr)
    app = create_app(
        allowed_hosts=(*LOOPBACK_HOSTS, host) if loopback else None,
        **({"max_upload": max_upload} if max_upload else {}),
    )
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning",
                            server_header=False, timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            bound = server.servers[0].sockets[0].getsockname()[1] if server.servers else port
            url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{bound}/"
            print(f"fairhire serve: open {url} in your browser (Ctrl-C stops it)", flush=True)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after its graceful shutdown
        pass
    print("fairhire serve: stopped", file=sys.stderr)
    return 0
