"""The ``modelshare`` command: a table of contents, one line per command group.

Each group's commands live in ``<group>/cli.py``, next to the code they drive,
and add themselves through a ``register(subparsers)`` function:

    modelshare env ...        check or capture the Python environment   (env/cli.py)
    modelshare hub ...        run the workshop hub, add users, status    (hub/cli.py)
    modelshare release ...    scan, plan, publish, verify a release      (release/cli.py)
    modelshare card ...       check, build and fill model cards          (card/cli.py)

``modelshare GROUP --help`` lists a group's commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# (command, module with a register(subparsers) function), in the order --help shows them.
GROUPS: list[tuple[str, str]] = [
    ("env", "modelshare.env.cli"),
    ("hub", "modelshare.hub.cli"),
    ("release", "modelshare.release.cli"),
    ("card", "modelshare.card.cli"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="modelshare", description="Share trained models well.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for _name, module in GROUPS:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
