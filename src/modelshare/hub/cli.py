"""``modelshare hub ...``: run the workshop hub and manage its users.

    modelshare hub serve [--host 127.0.0.1] [--port 8765] [--data hub-data]
    modelshare hub add-user NAME [--data hub-data]     prints the user's token (kept if NAME exists)
    modelshare hub add-user NAME --new-token           gives NAME a new token (the old one stops)
    modelshare hub add-user NAME --admin               NAME may read every repo (an instructor)
    modelshare hub env [--data hub-data] [--port 8765]  prints `export ...` lines for a shell
    modelshare hub status                               which hub and user this shell uses
    modelshare hub check [--data hub-data]              is every file and commit intact?
    modelshare hub seed [--data hub-data]               publish a community of others' repos
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from modelshare.hub.server import DEFAULT_PORT, DEFAULT_USER


def register(subparsers) -> None:
    parser = subparsers.add_parser("hub", help="run the workshop hub, add users, show the hub")
    sub = parser.add_subparsers(dest="action", required=True)

    from modelshare.hub.server import serve

    serve_parser = sub.add_parser("serve", help="run the workshop hub in the foreground")
    serve.add_arguments(serve_parser)
    serve_parser.set_defaults(func=serve.serve)

    add = sub.add_parser("add-user", help="create a user (classroom mode) and print their token; "
                         "an existing user keeps theirs")
    add.add_argument("name", help="user name, e.g. ada (letters, digits, '-', '_', '.')")
    add.add_argument("--new-token", action="store_true",
                     help="replace the user's token with a new one (the old one stops working)")
    add.add_argument("--data", type=Path, default=Path("hub-data"), help="the hub's data folder")
    add.add_argument("--admin", action=argparse.BooleanOptionalAction, default=None,
                     help="--admin lets this user read every repo, private ones included (an "
                     "instructor); --no-admin takes that away; default: unchanged")
    add.set_defaults(func=_add_user)

    env = sub.add_parser("env", help="print `export ...` lines to point a shell at a hub")
    env.add_argument("--data", type=Path, default=Path("hub-data"), help="the hub's data folder")
    env.add_argument("--host", default="127.0.0.1")
    env.add_argument("--port", type=int, default=DEFAULT_PORT)
    env.add_argument("--user", default=DEFAULT_USER)
    env.set_defaults(func=_env)

    sub.add_parser("status", help="which hub and which user this environment uses").set_defaults(
        func=_status
    )

    check = sub.add_parser("check", help="check that every file and commit of a hub's data "
                           "folder is intact (read-only; safe while the hub runs)")
    check.add_argument("--data", type=Path, default=Path("hub-data"), help="the hub's data folder")
    check.set_defaults(func=_check)

    try:  # the seed builds its models (pandas, scikit-learn): absent beside JupyterHub
        from modelshare.community.cli import register_seed
    except ModuleNotFoundError as error:
        if (error.name or "").startswith("modelshare"):
            raise
        missing = error.name
        seed = sub.add_parser("seed", help="(needs the course's full environment)")
        seed.add_argument("--data")
        seed.add_argument("--endpoint")
        seed.set_defaults(func=lambda args: _no_seed(missing))
    else:
        register_seed(sub)


def _no_seed(missing: str) -> int:
    """``modelshare hub seed`` where only the hub's own requirements are installed (the
    JupyterHub recipe's hub-requirements.txt): say where it can run instead."""
    print(f"modelshare hub seed builds the community's models and needs the course's full "
          f"environment ({missing} is not installed here): install the course where this "
          "hub's --data folder is (pip install modelshare), then run it with --data and "
          "--endpoint.", file=sys.stderr)
    return 1


def _add_user(args: argparse.Namespace) -> int:
    from modelshare.hub.server.safety import check_name
    from modelshare.hub.server.storage import HubError, Storage

    # Errors and notes go to stderr: stdout holds only the token, so that
    # `TOKEN=$(modelshare hub add-user ada)` and the JupyterHub hook read it safely.
    try:
        name = check_name(args.name, "user name")
        store = Storage(args.data)
        existed = name in store.users()
        token = store.new_token(name) if args.new_token else store.add_user(name)
    except HubError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    if args.admin is not None:
        store.set_admin(name, args.admin)
    if existed:
        note = "has a new token" if args.new_token else "already exists; this is their token"
        print(f"{name} {note}", file=sys.stderr)
    print(token)
    return 0


def _check(args: argparse.Namespace) -> int:
    from modelshare.hub.server.storage import Storage

    if not (args.data / "hub.sqlite").exists():
        print(f"{args.data} holds no hub data (no hub.sqlite): give the folder of "
              "`modelshare hub serve --data ...`")
        return 2
    problems = Storage(args.data).check()
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {args.data.resolve()}" if problems else
          f"{args.data.resolve()}: every file and commit is intact")
    return 1 if problems else 0


def _env(args: argparse.Namespace) -> int:
    from modelshare.hub.server import hub_env

    token_file = args.data.resolve() / "tokens" / f"{args.user}.token"
    if not token_file.exists():
        print(f"# no token in {token_file}: start the hub first (modelshare hub serve)")
        return 1
    endpoint = f"http://{args.host}:{args.port}"
    env = hub_env(endpoint, token_file.read_text().strip(), args.data.resolve() / "hf-home")
    for key, value in env.items():
        print(f"export {key}={value}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from modelshare.hub.client import status

    report = status()
    print(report)
    return 0 if report.ok else 1
