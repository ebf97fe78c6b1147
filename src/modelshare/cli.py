"""The ``modelshare`` command.

Each command group lives next to the code it drives and adds itself here
through a ``register(subparsers)`` function, so this file stays a table of
contents:

    modelshare env check            is this environment ready for the course?
    modelshare env capture          print Python, platform and package versions as JSON
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

# (command, module with a register(subparsers) function)
GROUPS: list[tuple[str, str]] = [
    ("hub", "modelshare.hub.cli"),
    ("release", "modelshare.release_cli"),
    ("card", "modelshare.card.cli"),
]


def _env(subparsers) -> None:
    parser = subparsers.add_parser("env", help="check or capture the Python environment")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("check", help="print OK/FAIL per package").set_defaults(func=_env_check)
    sub.add_parser("capture", help="print versions as JSON").set_defaults(func=_env_capture)


def _env_check(args) -> int:
    from modelshare import env

    return 0 if all(status.ok for status in env.check()) else 1


def _env_capture(args) -> int:
    from modelshare import env

    print(json.dumps(env.capture(), indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="modelshare", description="Share trained models well.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _env(subparsers)
    for _name, module in GROUPS:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
