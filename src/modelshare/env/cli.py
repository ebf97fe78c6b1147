"""``modelshare env check | capture | course``: is this environment ready for the course?

    modelshare env check          one OK/FAIL line per package (and Python); exit 1 on any FAIL
    modelshare env capture        Python, platform and package versions as JSON
    modelshare env course         the course environment as `export` lines for a shell
    modelshare env course --json  ... as JSON, e.g. for a JupyterHub spawner's environment

Exit codes: 0 everything OK, 1 at least one FAIL.
"""

from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("env", help="check or capture the Python environment")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("check", help="print OK/FAIL per package").set_defaults(func=_check)
    sub.add_parser("capture", help="print versions as JSON").set_defaults(func=_capture)
    course = sub.add_parser("course", help="print the course environment (one thread, fixed "
                            "hashing): `eval \"$(modelshare env course)\"` in a shell")
    course.add_argument("--json", action="store_true", help="print it as a JSON object")
    course.set_defaults(func=_course)


def _check(args) -> int:
    from modelshare import env

    statuses = env.check()
    return 0 if env.python_ok() and all(status.ok for status in statuses) else 1


def _capture(args) -> int:
    from modelshare import env

    print(json.dumps(env.capture(), indent=2))
    return 0


def _course(args) -> int:
    from modelshare import env

    values = env.course_environment()
    if args.json:
        print(json.dumps(values, indent=2))
    else:
        print("".join(f"export {name}={value}\n" for name, value in values.items()), end="")
    return 0
