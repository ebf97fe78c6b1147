"""Run the hub in the foreground: ``modelshare hub serve`` and ``python -m modelshare.hub.server``.

Example::

    $ modelshare hub serve --data hub-data --port 8765
    Workshop hub on http://127.0.0.1:8765 (data in /home/me/course/hub-data)
    ...
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import socket
import sys
from pathlib import Path

from modelshare.hub.server.launch import DEFAULT_PORT, DEFAULT_USER, hub_env

MB = 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on; 0.0.0.0 for a classroom (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    parser.add_argument("--data", type=Path, default=Path("hub-data"),
                        help="folder for the hub's database and files (default ./hub-data)")
    parser.add_argument("--user", default=DEFAULT_USER,
                        help=f"the hub owner's user name (default {DEFAULT_USER}); its token is "
                        "saved in DATA/tokens/USER.token")
    parser.add_argument("--max-request-size", type=int, default=64, metavar="MB",
                        help="largest request body except LFS uploads, in MB (default 64)")
    parser.add_argument("--max-file-size", type=int, default=5120, metavar="MB",
                        help="largest single file, in MB (default 5120)")
    parser.add_argument("--log-requests", action="store_true", help="print every request")
    parser.add_argument("--root-path", default=None, metavar="PATH",
                        help="also answer under this path, as a proxy forwards it; requests "
                        "under it need a token, or a signed-in browser (default: the prefix "
                        "JupyterHub gives the hub when it runs it as a service, "
                        "$JUPYTERHUB_SERVICE_PREFIX, e.g. /services/workshop-hub/; else none)")


def serve(args: argparse.Namespace) -> int:
    """Start uvicorn on the hub app; runs until Ctrl-C."""
    import uvicorn

    from modelshare.hub.server.app import create_app
    from modelshare.hub.server.deps import Limits
    from modelshare.hub.server.storage import HubError

    limits = Limits(max_request_bytes=args.max_request_size * MB,
                    max_file_bytes=args.max_file_size * MB)
    data = args.data.resolve()
    root_path = (args.root_path if args.root_path is not None else jupyterhub_prefix()).rstrip("/")
    if root_path and (not root_path.startswith("/") or "//" in root_path):
        print(f"Cannot start the hub: --root-path {args.root_path!r} must be a path such as "
              "/services/workshop-hub", file=sys.stderr)
        return 2
    try:
        app = create_app(data, limits, owner=args.user, root_path=root_path)
    except HubError as error:
        print(f"Cannot start the hub: {error.message}", file=sys.stderr)
        return 1
    token_file = data / "tokens" / f"{args.user}.token"
    local = f"http://127.0.0.1:{args.port}" if args.host in ("0.0.0.0", "::") else \
        f"http://{args.host}:{args.port}"
    print(f"Workshop hub on {local} (data in {data})", flush=True)
    if args.host in ("0.0.0.0", "::"):
        print(f"Classroom mode: learners use HF_ENDPOINT=http://{lan_address()}:{args.port} and a "
              "token from `modelshare hub add-user NAME`.", flush=True)
    print(f"Owner: {args.user}, token in {token_file}. Point a shell at this hub with:")
    env = hub_env(local, "$(cat " + str(token_file) + ")", data / "hf-home")
    for key, value in env.items():
        print(f"  export {key}={value}", flush=True)
    if root_path:
        print(f"Web pages and API also under {root_path}/ (through a proxy); there, sign in "
              "or send a token.", flush=True)
    config = uvicorn.Config(app, host=args.host, port=args.port,
                            log_level="info" if args.log_requests else "warning",
                            access_log=args.log_requests, timeout_graceful_shutdown=1)
    logging.getLogger("uvicorn.access").addFilter(HideTokens())  # after Config set logging up
    uvicorn.Server(config).run()
    return 0


class HideTokens(logging.Filter):
    """Request logs show ``token=[hidden]`` and ``hf_[hidden]``: a token someone put in an
    address must not be copied into the log too.

    >>> import logging
    >>> record = logging.LogRecord("uvicorn.access", 20, "", 0, "%s", ("/x?a=1&token=hf_ab12",), None)
    >>> HideTokens().filter(record) and record.getMessage()
    '/x?a=1&token=[hidden]'
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(hide_tokens(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


TOKEN_IN_TEXT = re.compile(r"(?i)((?:^|[?&;])(?:token|access_token)=)[^&\s]*|\bhf_[A-Za-z0-9]{8,}")


def hide_tokens(text: str) -> str:
    return TOKEN_IN_TEXT.sub(lambda m: f"{m.group(1)}[hidden]" if m.group(1) else "hf_[hidden]",
                             text)


def jupyterhub_prefix() -> str:
    """The path JupyterHub's proxy gives the hub when JupyterHub runs it as a managed service
    (``/services/workshop-hub/`` with JupyterHub's default base URL), else ""."""
    if os.environ.get("JUPYTERHUB_SERVICE_NAME"):  # set for services, not for user servers
        return os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "")
    return ""


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), or 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            return sock.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m modelshare.hub.server",
                                     description="Run the workshop hub.")
    add_arguments(parser)
    return serve(parser.parse_args(argv))
