"""``fairhire serve``: the local web app (needs the ``web`` extra)."""

from __future__ import annotations

import argparse

from ..workflow.errors import CLIError
from ..workflow.options import whole

NAME = "serve"
HELP = "start the local web app: check job ads, audit an export, in your browser"
EXAMPLE = "fairhire serve --open"
FLAGS: dict[str, str] = {}


def arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=whole("port", low=0, high=65535), default=8765,
                   help="port to listen on (default: 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the app in your web browser")
    p.add_argument("--max-upload", type=whole("max_upload", low=1), default=50, metavar="MB",
                   help="largest upload accepted, in megabytes (default: 50)")


def run(args: argparse.Namespace) -> int:
    try:
        from ..web.server import serve
    except ImportError as exc:
        raise CLIError(
            f"fairhire serve needs the web extra ({exc.name} is not installed): "
            "pip install 'fairhire[web]'."
        ) from None
    return serve(host=args.host, port=args.port, open_browser=args.open,
                 max_upload=args.max_upload * 1024 * 1024)
