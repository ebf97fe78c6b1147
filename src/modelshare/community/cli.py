"""``modelshare hub seed``: put a small community of other people's work on a workshop hub.

    modelshare hub seed [--data hub-data] [--endpoint http://127.0.0.1:8765]

Run it next to a running hub (``make lab``, Binder's ``start`` and the tests do). It
creates the community's users in the hub's data folder (as ``modelshare hub add-user``
does), trains the models that are missing, publishes them through the hub's HTTP API with
each user's own token, and gives each new repo its download count. Run again, it finds
every repo there and does nothing, in about a second.

Two things are not what a real community would leave behind, and the lessons say so:
the download counts are set by the seed (a stand-in for other people's downloads over the
last month; your own downloads count for real), and MiniLM's weights are hard-linked from
the installed package into the hub's blobs instead of being copied.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

LARGE = 10 * 1024 * 1024  # files the seed hands to the hub directly (hard link, no upload)


def register_seed(subparsers) -> None:
    """Add ``seed`` to ``modelshare hub``."""
    from modelshare.hub.server import DEFAULT_PORT

    seed = subparsers.add_parser(
        "seed", help="publish a small community of other people's models and datasets to a "
        "running hub (idempotent)")
    seed.add_argument("--data", type=Path, default=Path("hub-data"),
                      help="the running hub's data folder (default hub-data)")
    seed.add_argument("--endpoint", default=f"http://127.0.0.1:{DEFAULT_PORT}",
                      help="the running hub's address (default http://127.0.0.1:%(default)s)")
    seed.set_defaults(func=_seed)


@dataclass
class SeedReport:
    """What :func:`seed_hub` did."""

    published: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        if not self.published:
            return (f"The community is already on this hub ({len(self.already_there)} repos): "
                    "nothing to do.")
        return (f"Published {len(self.published)} repos of the community in "
                f"{self.seconds:.1f} s: {', '.join(self.published)}.")


def seed_hub(data_dir: Path, endpoint: str) -> SeedReport:
    """Publish the community's missing repos to the hub at ``endpoint``, which serves
    ``data_dir``. Users are created in ``data_dir``; everything else goes through HTTP."""
    os.environ.setdefault("HF_HUB_DISABLE_XET", "1")  # before huggingface_hub is imported
    from modelshare.community.build import COMMUNITY, build_all
    from modelshare.community.publish import USERS, _api, missing_repos, publish_all
    from modelshare.hub.server.storage import Storage

    start = time.perf_counter()
    data_dir = Path(data_dir)
    if not (data_dir / "hub.sqlite").exists():
        raise SeedError(f"{data_dir} holds no hub data (no hub.sqlite): give the --data folder "
                        "of the running hub (`modelshare hub serve --data ...`).")
    store = Storage(data_dir)
    tokens = {user: store.add_user(user) for user in USERS}
    try:
        _api(endpoint, tokens[USERS[0]]).whoami()
    except Exception as error:  # connection refused, or a hub that serves another folder
        raise SeedError(f"The hub at {endpoint} did not accept the community's users "
                        f"({type(error).__name__}): is it running, and does it serve "
                        f"{data_dir}? Start it with `modelshare hub serve --data {data_dir}`."
                        ) from error
    missing = missing_repos(endpoint)
    report = SeedReport(already_there=[r.repo_id for r in COMMUNITY if r.repo_id not in missing])
    if not missing:
        return report
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()
    with tempfile.TemporaryDirectory(prefix="modelshare-seed-") as work, \
            warnings.catch_warnings():
        # The hub warns about the cards' problems, as it would warn their authors: those
        # problems are the point of the community, so the seed does not print them.
        warnings.simplefilter("ignore", UserWarning)
        built = build_all(Path(work), only=missing)
        for item in built:
            for path in item.folder.rglob("*"):
                if path.is_file() and path.stat().st_size >= LARGE:
                    store.put_file(path)  # the upload below then finds it and sends nothing
        report.published = publish_all(built, tokens, endpoint)
    for repo in COMMUNITY:
        if repo.repo_id in report.published:
            namespace, name = repo.repo_id.split("/")
            store.record_downloads(store.get_repo(repo.repo_type, namespace, name),
                                   repo.downloads)
    report.seconds = time.perf_counter() - start
    return report


class SeedError(RuntimeError):
    """The seed cannot run: the message says why and what to do."""


def _seed(args: argparse.Namespace) -> int:
    try:
        report = seed_hub(args.data, args.endpoint)
    except SeedError as error:
        print(error, file=sys.stderr)
        return 2
    print(report)
    return 0
