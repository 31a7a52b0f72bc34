"""`unified serve`: the local web view, on Flask and Werkzeug's threaded server.

It binds to 127.0.0.1 unless told otherwise, and says so loudly when told otherwise: anyone
who reaches the port can run compiles on this machine.
"""

from __future__ import annotations

import argparse
import ipaddress
import shutil
import signal
import sys
import tempfile
from typing import Any

from unified.core.errors import UnifiedError

LOOPBACK = "127.0.0.1"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `serve` subcommand (Flask is imported only when it runs)."""
    p = sub.add_parser("serve", help="a local web view: compile, every IR level, run, waveform",
                       description="Serve a web page to compile a module (an example, pasted or "
                       "uploaded, or an ONNX model) with the CLI's options, read its report and "
                       "every IR level per kernel, run a kernel and see its outputs and "
                       "waveform, and compare two option sets. Compiles run in a bounded "
                       "process pool with a time limit, each in its own work folder.")
    p.add_argument("--host", default=LOOPBACK,
                   help=f"address to listen on (default {LOOPBACK}: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    p.add_argument("--work-root", metavar="DIR",
                   help="folder for the job folders (default: a new temporary folder)")
    p.add_argument("--workers", type=int, default=2,
                   help="compiles and runs at once (default 2)")
    p.add_argument("--time-limit", type=float, default=600.0, metavar="SECONDS",
                   help="stop a compile or run after this long (default 600)")
    p.add_argument("--max-upload-mb", type=float, default=16.0,
                   help="largest request, in MB (default 16)")


def bind_notice(host: str) -> str | None:
    """The warning for an address other machines can reach; None for a loopback address."""
    try:
        if host == "localhost" or ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:  # a host name: assume it is reachable
        pass
    return (f"warning: listening on {host}, not {LOOPBACK}: anyone who can reach this "
            "address can upload modules and run compiles on this machine")


def make_server(args: argparse.Namespace) -> Any:
    """The Werkzeug server for the parsed arguments (bound, not yet serving)."""
    from werkzeug.serving import make_server as werkzeug_server

    from unified.serve.app import create_app

    loopback = bind_notice(args.host) is None  # then only loopback names may be asked for
    app = create_app(args.work_root, workers=args.workers, time_limit=args.time_limit,
                     max_upload_mb=args.max_upload_mb,
                     trusted_hosts=list(LOOPBACK_NAMES) if loopback else None)
    return werkzeug_server(args.host, args.port, app, threaded=True)


def main(args: argparse.Namespace) -> int:
    """Serves until Ctrl-C or SIGTERM; a work folder it made itself is removed at the end."""
    if args.workers < 1 or args.time_limit <= 0 or args.max_upload_mb <= 0:
        raise UnifiedError("--workers, --time-limit and --max-upload-mb must be positive",
                           hint="e.g. --workers 2 --time-limit 600 --max-upload-mb 16")
    notice = bind_notice(args.host)
    if notice:
        print(f"unified serve: {notice}", file=sys.stderr)
    own_root = args.work_root is None
    if own_root:
        args.work_root = tempfile.mkdtemp(prefix="unified-serve-")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that `finally` runs
    try:
        server = make_server(args)  # Werkzeug says why and exits when it cannot listen
        host, port = server.server_address[:2]
        print(f"unified serve: http://{host}:{port}/ (work folder {args.work_root}; Ctrl-C "
              "stops)", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        finally:
            server.server_close()
    finally:
        if own_root:
            shutil.rmtree(args.work_root, ignore_errors=True)
    return 0
