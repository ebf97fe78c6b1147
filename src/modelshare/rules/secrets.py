"""What a leaked token, key or password looks like, and how to fix each kind of leak.

One table (:data:`SECRETS`) and one function (:func:`find_secrets`), used by the card
checker and the release scan, so both report the same ids for the same text.
Obvious placeholders (``hf_xxxx...``, ``<your token>``, ``sk-...example``, a run of one
character) are not secrets.

Measured against ``detect-secrets`` (the scanner many pre-commit setups run) on secrets
planted in Python, JSON, YAML, INI, Markdown and text files (``benchmarks/cards.py
--secrets``; table in benchmarks/README.md): for tokens and keys of a known shape our
patterns found every planted one and nothing in hashes, ids or base64 images, where
detect-secrets' entropy plugins missed some tokens in plain text and flagged look-alikes.
For passwords and keys assigned in code or config, detect-secrets' ``KeywordDetector``
read more file formats than our pattern did, so that kind uses it.

Example:
    >>> text = "token = '" + "hf_" + "Q7mZ2xR9kT4vB8nL1pW6sD3fG5hJ0aYcEu" + "'"
    >>> [(m.kind, m.masked) for m in find_secrets(text)]
    [('hf-token', 'hf_Q7…(37 characters)')]
    >>> find_secrets("HF_TOKEN=hf_" + "x" * 34)
    []
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# The config key AWS tools read a secret from, assembled from two parts so that secret
# scanners grepping this repository for the key name do not flag the scanner itself.
AWS_SECRET_NAME = "aws_secret_" + "access_key"


@dataclass(frozen=True)
class Kind:
    """One kind of secret: its id, what to call it, how to fix a leak, how to find it."""

    id: str
    what: str
    fix: str
    pattern: re.Pattern
    triggers: tuple[str, ...]  # lower-case substrings one of which must be present
    severity: str = "error"
    word: bool = True  # must not continue a longer word (checked by hand: 40x faster than \b)


def _kind(id, what, fix, pattern, triggers, severity="error", word=True) -> Kind:
    return Kind(id, what, fix, re.compile(pattern), tuple(triggers), severity, word)


SECRETS: dict[str, Kind] = {k.id: k for k in (
    _kind("hf-token", "a Hugging Face access token",
          "Delete it from the file, then revoke it at https://huggingface.co/settings/tokens "
          "(anyone who saw it can use it); read tokens from HF_TOKEN or `hf auth login` instead.",
          r"hf_[A-Za-z0-9]{30,}", ("hf_",)),
    _kind("aws-access-key", "an AWS access key id",
          "Delete it, deactivate the key in the AWS console (IAM) and use environment variables "
          "or an AWS profile outside the release folder.",
          r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])", ("akia", "asia")),
    _kind("aws-secret-key", "an AWS secret access key",
          "Delete it and deactivate the key in the AWS console (IAM).",
          rf"(?i:{AWS_SECRET_NAME})\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{{40}})", (AWS_SECRET_NAME,),
          word=False),
    _kind("private-key", "a private key",
          "Remove the key file from the release and replace the key: a published private key "
          "must be treated as known to everyone.",
          r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----", ("private key",), word=False),
    _kind("github-token", "a GitHub token",
          "Delete it and revoke it at https://github.com/settings/tokens.",
          r"gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}",
          ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    _kind("openai-key", "an OpenAI-style API key",
          "Delete it and revoke it in the provider's dashboard.",
          r"sk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}", ("sk-",)),
    _kind("slack-token", "a Slack token",
          "Delete it and revoke it in the Slack app settings.",
          r"xox[abposr]-[A-Za-z0-9-]{10,}", ("xox",)),
    _kind("google-api-key", "a Google API key",
          "Delete it and delete or restrict the key in the Google Cloud console.",
          r"AIza[0-9A-Za-z_-]{35}", ("aiza",)),
    # Passwords and keys assigned in code or config: detect-secrets' KeywordDetector (below)
    # finds them in Python, YAML, JSON, INI and Markdown alike; this pattern adds the token
    # names it does not know (access_token = "...").
    _kind("password", "a password or key written into the code",
          "Read it from an environment variable (os.environ[...]) instead, and change it if it "
          "was ever real.",
          r"(?i:\b(?:access|auth)[_-]?token\b)\s*[=:]\s*['\"]([^'\"\s]{8,})['\"]",
          ("access_token", "access-token", "accesstoken", "auth_token", "auth-token", "authtoken"),
          severity="warning", word=False),
)}
# The words detect-secrets' KeywordDetector looks for (its DENYLIST, lower case): a line
# without one of them is not given to it (it costs about 0.1 ms a line).
KEYWORD_TRIGGERS = ("apikey", "api_key", "authkey", "auth_key", "servicekey", "service_key",
                    "accountkey", "account_key", "db_key", "dbkey", "database_key", "databasekey",
                    "privkey", "priv_key", "private_key", "privatekey", "clientkey", "client_key",
                    "db_pass", "dbpass", "database_pass", "databasepass", "keypass", "key_pass",
                    "password", "passwd", "pwd", "secret", "contraseña", "contrasena")
IDS = frozenset(SECRETS)
#: Every trigger of every kind: text holding none of them holds no secret.
TRIGGERS = tuple(sorted({t for kind in SECRETS.values() for t in kind.triggers}
                        | set(KEYWORD_TRIGGERS)))

# Obvious stand-ins: "hf_xxxx", "<your token>", "sk-...", "changeme". (AWS's documented
# AKIA...EXAMPLE key is still reported: a scanner that waves "example" keys through would
# also wave through a real key someone named "example".)
_FAKE = re.compile(r"x{4,}|X{4,}|\*{3,}|\.\.\.|<|your|placeholder|dummy|redacted|changeme", re.I)


def mask(secret: str) -> str:
    """Enough to recognise a secret, never enough to use it: 'hf_ab…(37 characters)'."""
    return f"{secret[:5]}…({len(secret)} characters)"


@dataclass(frozen=True)
class Match:
    """One secret found in a text: its kind and where."""

    kind: str
    start: int
    end: int
    secret: str

    @property
    def masked(self) -> str:
        return mask(self.secret)

    @property
    def spec(self) -> Kind:
        return SECRETS[self.kind]

    def line_number(self, text: str) -> int:
        """1-based line of the match in the text it was found in."""
        return text.count("\n", 0, self.start) + 1


def _fake(secret: str) -> bool:
    return bool(_FAKE.search(secret))


@cache
def _keyword_detector():
    from detect_secrets.plugins.keyword import KeywordDetector

    return KeywordDetector()


def _keyword_matches(text: str, lowered: str, filename: str) -> list[Match]:
    """Passwords and keys detect-secrets' KeywordDetector finds, as 'password' matches."""
    if not any(word in lowered for word in KEYWORD_TRIGGERS):
        return []
    found, offset = [], 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if any(word in line.lower() for word in KEYWORD_TRIGGERS):
            for secret in _keyword_detector().analyze_line(filename=filename, line=line.rstrip(
                    "\r\n"), line_number=number):
                value = secret.secret_value or ""
                at = line.find(value) if value else -1
                if at >= 0 and len(value) >= 6 and not _fake(value):
                    found.append(Match("password", offset + at, offset + at + len(value), value))
        offset += len(line)
    return found


def find_secrets(text: str, filename: str = "README.md") -> list[Match]:
    """Every secret-looking string in ``text``, in order; placeholders are skipped.

    ``filename`` tells detect-secrets how to read assignments (``train.py``, ``.env``...).
    """
    lowered = text.lower()
    found: list[Match] = []
    for kind in SECRETS.values():
        if not any(trigger in lowered for trigger in kind.triggers):
            continue
        for match in kind.pattern.finditer(text):
            if kind.word and match.start() and text[match.start() - 1].isalnum():
                continue  # inside a longer word: not a token
            secret = match.group(match.lastindex or 0)
            if kind.id != "private-key" and _fake(secret):
                continue
            found.append(Match(kind.id, match.start(), match.end(), match.group(0)))
    # a keyword match where a kind above already matched is the same secret: keep the kind
    lines = {text.count("\n", 0, m.start) for m in found}
    found += [m for m in _keyword_matches(text, lowered, filename)
              if text.count("\n", 0, m.start) not in lines]
    found.sort(key=lambda m: m.start)
    return found
