"""``modelshare env check | capture``: is this environment ready for the course?

    modelshare env check      one OK/FAIL line per package (and Python); exit 1 on any FAIL
    modelshare env capture    Python, platform and package versions as JSON

Exit codes: 0 everything OK, 1 at least one FAIL.
"""

from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("env", help="check or capture the Python environment")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("check", help="print OK/FAIL per package").set_defaults(func=_check)
    sub.add_parser("capture", help="print versions as JSON").set_defaults(func=_capture)


def _check(args) -> int:
    from modelshare import env

    statuses = env.check()
    return 0 if env.python_ok() and all(status.ok for status in statuses) else 1


def _capture(args) -> int:
    from modelshare import env

    print(json.dumps(env.capture(), indent=2))
    return 0
