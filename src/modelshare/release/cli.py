"""``modelshare release scan | plan | publish | verify``.

Exit codes: 0 clean (or verified), 1 findings (or differences), 2 unreadable input
(a missing folder, a malformed repo id, an unknown repo or revision, a hub that does
not answer).

    modelshare release scan _work/income
    modelshare release plan _work/income learner/income-classifier
    modelshare release publish _work/income learner/income-classifier --version v1.0
    modelshare release verify learner/income-classifier --revision v1.0

The hub is ``--endpoint``, else ``HF_ENDPOINT``, else huggingface.co; the token comes
from ``HF_TOKEN`` or the token file of ``hf auth login`` (never from the command line,
where it would end up in your shell history).
"""

from __future__ import annotations

import argparse
import json
import sys

from modelshare import release


def register(subparsers) -> None:
    parser = subparsers.add_parser("release", help="scan, plan, publish and verify a model release")
    sub = parser.add_subparsers(dest="action", required=True)

    scan = sub.add_parser("scan", help="look for secrets, pickles, big files, personal data")
    scan.add_argument("folder")
    scan.add_argument("--max-mb", type=float, default=release.MAX_SIZE / release.MB,
                      help="files bigger than this are reported (default: %(default)s)")
    scan.add_argument("--json", action="store_true", help="print the findings as JSON")
    scan.set_defaults(func=_scan)

    plan = sub.add_parser("plan", help="dry run: what publish would send, and where")
    plan.add_argument("folder")
    plan.add_argument("repo_id")
    plan.add_argument("--public", action="store_true", help="plan a public repo (default: private)")
    _endpoint(plan)
    plan.set_defaults(func=_plan)

    publish = sub.add_parser("publish", help="scan, create the repo (private), upload, tag")
    publish.add_argument("folder")
    publish.add_argument("repo_id")
    publish.add_argument("--version", help="tag this release, e.g. v1.0")
    publish.add_argument("--public", action="store_true", help="make the repo public")
    publish.add_argument("--message", help="commit message")
    _endpoint(publish)
    publish.set_defaults(func=_publish)

    verify = sub.add_parser("verify", help="download, load, rerun, compare with the card")
    verify.add_argument("repo_id")
    verify.add_argument("--revision", help="a tag, branch or commit (default: main)")
    verify.add_argument("--tolerance", type=float, default=0.001)
    verify.add_argument("--trust", action="append", default=[], metavar="TYPE",
                        help="a type skops may load beyond scikit-learn's (repeatable)")
    verify.add_argument("--no-run", action="store_true",
                        help="do not run the release's example.py / evaluate.py")
    _endpoint(verify)
    verify.set_defaults(func=_verify)


def _endpoint(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", help="the hub URL (default: HF_ENDPOINT or huggingface.co)")


def _api(args):
    from huggingface_hub import HfApi

    return HfApi(endpoint=args.endpoint) if args.endpoint else HfApi()


def _fail(error: Exception) -> int:
    print(f"error: {error}", file=sys.stderr)
    return 2


def _scan(args) -> int:
    try:
        report = release.scan(args.folder, max_size=int(args.max_mb * release.MB))
    except OSError as error:
        return _fail(error)
    if args.json:
        print(json.dumps({"folder": str(report.folder), "files": report.files,
                          "findings": [f.to_dict() for f in report]}, indent=2))
    else:
        print(report)
    return 0 if report.ok else 1


def _plan(args) -> int:
    try:
        result = release.plan(args.folder, args.repo_id, private=not args.public, api=_api(args))
    except OSError as error:
        return _fail(error)
    print(result)
    return 0 if result.scan.ok else 1


def _publish(args) -> int:
    from huggingface_hub.errors import HfHubHTTPError

    try:
        done = release.publish(args.folder, args.repo_id, version=args.version,
                               private=not args.public, api=_api(args), message=args.message)
    except release.ReleaseError as error:
        print(error, file=sys.stderr)
        return 1
    except (OSError, ValueError, HfHubHTTPError) as error:  # ValueError: e.g. a bad repo id
        return _fail(error)
    print(f"published {done.repo_id} commit {done.commit}"
          + (f" as {done.version}" if done.version else "") + f": {done.url}")
    return 0


def _verify(args) -> int:
    from huggingface_hub.errors import HfHubHTTPError

    try:
        report = release.verify(args.repo_id, args.revision, api=_api(args),
                                trusted=args.trust, tolerance=args.tolerance,
                                run_scripts=not args.no_run)
    except (OSError, ValueError, HfHubHTTPError) as error:  # ValueError: e.g. a bad repo id
        return _fail(error)
    print(report)
    return 0 if report.ok else 1
