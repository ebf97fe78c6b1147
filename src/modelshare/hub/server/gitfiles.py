"""What a repo's ``.gitattributes`` and ``.gitignore`` say about a path.

The Hub decides per file whether an upload travels through LFS: files its
``.gitattributes`` marks ``filter=lfs`` do (every new repo gets one that marks weights,
pickles, archives...). And files its ``.gitignore`` matches are left out of a commit.
Patterns follow git's rules, matched with ``pathspec`` (a well-kept implementation of
git's wildmatch, rather than a hand-written copy of those rules).

Example:

    >>> rules = lfs_rules("*.bin filter=lfs diff=lfs merge=lfs -text\\nsmall.bin -filter\\n")
    >>> [path for path in ["w.bin", "sub/w.bin", "small.bin", "notes.txt"] if is_lfs(rules, path)]
    ['w.bin', 'sub/w.bin']
    >>> ignored("*.log\\n!keep.log\\n", ["run.log", "keep.log", "model.bin"])
    {'run.log'}
"""

from __future__ import annotations

from functools import lru_cache

import pathspec


@lru_cache(maxsize=256)
def lfs_rules(gitattributes: str) -> tuple[tuple[pathspec.PathSpec, bool], ...]:
    """(pattern, is LFS) for each line of a ``.gitattributes`` that sets or unsets ``filter``."""
    rules = []
    for line in gitattributes.splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        pattern, attributes = parts[0], parts[1:]
        for attribute in attributes:
            if attribute == "filter=lfs":
                rules.append((pathspec.PathSpec.from_lines("gitwildmatch", [pattern]), True))
            elif attribute in ("-filter", "!filter") or attribute.startswith("filter="):
                rules.append((pathspec.PathSpec.from_lines("gitwildmatch", [pattern]), False))
    return tuple(rules)


def is_lfs(rules: tuple[tuple[pathspec.PathSpec, bool], ...], path: str) -> bool:
    """Whether the last rule that matches ``path`` says LFS (git: the last line wins)."""
    verdict = False
    for spec, lfs in rules:
        if spec.match_file(path):
            verdict = lfs
    return verdict


def ignored(gitignore: str, paths: list[str]) -> set[str]:
    """The paths a ``.gitignore`` leaves out."""
    spec = pathspec.GitIgnoreSpec.from_lines(gitignore.splitlines())
    return {path for path in paths if spec.match_file(path)}
