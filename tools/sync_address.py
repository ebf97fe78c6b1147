"""Write the course's address (``REPOSITORY`` in src/modelshare/published.py) into the
documents that cannot read it themselves: README.md and instructors/*.md.

    python tools/sync_address.py          # after editing the one line in published.py
    python tools/sync_address.py --check  # exit 1 and list the files that disagree

The address the documents use now is read from the README's Binder badge; every
form of it is replaced: ``github.com/OWNER/REPO`` (clone commands, pip's
``git+https``, pre-commit's ``repo:``), the Binder link, the URL-encoded form in
nbgitpuller links (and the folder named after the repository there), and the
GitHub Pages address. The website, lesson 00 and the launch links read the
address at run time.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from modelshare import published

ROOT = Path(__file__).resolve().parents[1]
BADGE = re.compile(r"\]\(https://mybinder\.org/v2/gh/([^/\s]+)/([^/\s]+)/")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "instructors").glob("*.md"))]


def documented_address() -> str:
    """The owner/name the README's Binder badge points at today."""
    match = BADGE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    if match is None:
        raise SystemExit("README.md has no Binder badge to read the course's address from")
    return f"{match.group(1)}/{match.group(2)}"


def synced(text: str, old: str, new: str) -> str:
    """``text`` with every form of the address ``old`` turned into ``new``."""
    if old == new:
        return text
    old_owner, old_name = old.split("/")
    new_owner, new_name = new.split("/")
    forms = [
        (f"github.com/{old}", f"github.com/{new}"),
        (f"mybinder.org/v2/gh/{old}/", f"mybinder.org/v2/gh/{new}/"),
        (f"github.com%2F{old_owner}%2F{old_name}", f"github.com%2F{new_owner}%2F{new_name}"),
        (f"lab%2Ftree%2F{old_name}%2F", f"lab%2Ftree%2F{new_name}%2F"),  # nbgitpuller's folder
        (f"{old_owner.lower()}.github.io/{old_name}/", f"{new_owner.lower()}.github.io/{new_name}/"),
    ]
    for before, after in forms:
        text = re.sub(re.escape(before), lambda _, after=after: after, text, flags=re.I)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    args = parser.parse_args(argv)
    old, new = documented_address(), published.REPOSITORY
    stale = []
    for path in documents():
        text = path.read_text(encoding="utf-8")
        if synced(text, old, new) != text:
            stale.append(path.relative_to(ROOT).as_posix())
            if not args.check:
                path.write_text(synced(text, old, new), encoding="utf-8")
    if args.check and stale:
        print(f"{', '.join(stale)} still point at {old}, not {new}: "
              "run `python tools/sync_address.py`", file=sys.stderr)
        return 1
    print(f"{len(stale)} file(s) moved from {old} to {new}" if stale and not args.check
          else f"every document points at {new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
