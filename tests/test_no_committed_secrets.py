"""No file in the repository holds a token or key that the course's own scanner finds.

The course teaches learners to keep secrets out of what they share; its repository must
pass the same check. Test secrets are assembled at run time (see FILLERS in
test_card_corpus.py), never written out. The keyword-based ``password`` kind is left out
here: it is a heuristic for a learner's release folder, and this repository's tests and
upstream schemas assign example values to names like ``secret`` on purpose.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from modelshare.rules.secrets import find_secrets

ROOT = Path(__file__).resolve().parents[1]
HEURISTIC = {"password"}


def committed_secrets(root: Path) -> list[str]:
    """``path:line kind masked`` for every token- or key-shaped string in git's files."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                            check=True).stdout.decode().split("\0")
    found = []
    for name in filter(None, listed):
        path = root / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary: weights, images
        for match in find_secrets(text, filename=path.name):
            if match.kind not in HEURISTIC:
                found.append(f"{name}:{match.line_number(text)} {match.kind} {match.masked}")
    return found


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_no_token_or_key_is_committed():
    found = committed_secrets(ROOT)
    assert not found, ("token- or key-shaped strings in the repository; assemble test secrets "
                       "at run time instead:\n" + "\n".join(found))


def test_the_check_finds_a_planted_key(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    header = "-----BEGIN " + "RSA PRIVATE KEY-----"
    (tmp_path / "notes.md").write_text(f"key: |\n  {header}\n  MIIEow\n")
    (tmp_path / "clean.md").write_text("No secrets here.\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    assert [line.split()[1] for line in committed_secrets(tmp_path)] == ["private-key"]
