"""Write the course's address (``REPOSITORY`` in src/modelshare/published.py) into the
files that cannot read it themselves: the README's Binder badge, and every
``git clone https://github.com/...`` line and GitHub Pages address in README.md and
instructors/*.md.

    python tools/sync_address.py          # after editing the one line in published.py
    python tools/sync_address.py --check  # exit 1 and list the lines that disagree

The website, lesson 00 and the launch links read the address at run time.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from modelshare import published

ROOT = Path(__file__).resolve().parents[1]
BADGE = re.compile(r"^\[!\[Launch on Binder\]\([^)]*\)\]\([^)]*\)", re.M)
CLONE = re.compile(r"git clone https://github\.com/[^\s/]+/[^\s/]+?(?:\.git)?(?= |$)", re.M)
PAGES = re.compile(r"https://[A-Za-z0-9-]+\.github\.io/[A-Za-z0-9._-]+/")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "instructors").glob("*.md"))]


def synced(path: Path, text: str) -> str:
    """``text`` with the badge (README only) and clone commands pointing at REPOSITORY."""
    if path.name == "README.md" and path.parent == ROOT:
        text = BADGE.sub(lambda _: published.binder_badge(), text)
    text = PAGES.sub(lambda _: published.site_url(), text)
    return CLONE.sub(lambda _: f"git clone {published.github_url()}.git", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    stale = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        new = synced(path, text)
        if new != text:
            stale.append(path.relative_to(ROOT).as_posix())
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print(f"not at {published.REPOSITORY}: {', '.join(stale)}; "
              "run `python tools/sync_address.py`", file=sys.stderr)
        return 1
    print(f"{len(stale)} file(s) updated to {published.REPOSITORY}" if stale and not args.check
          else f"every document points at {published.REPOSITORY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
