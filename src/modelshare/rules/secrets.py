"""What a leaked token, key or password looks like, and how to fix each kind of leak.

One table (:data:`SECRETS`) and one function (:func:`find_secrets`), used by the card
checker and the release scan, so both report the same ids for the same text.
Obvious placeholders (``hf_xxxx...``, ``<your token>``, ``sk-...example``, a run of one
character) are not secrets.

The patterns were measured against ``detect-secrets`` on planted secrets
(``benchmarks/cards.py --secrets``; table in benchmarks/README.md): they find every
planted token of the kinds below with no false alarm on hashes, ids and base64 data,
where detect-secrets' entropy plugins raise many. For kinds it knows and we do not
(Stripe, Twilio, npm...), run ``detect-secrets scan`` as well.

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
          "Delete it, then revoke it at https://huggingface.co/settings/tokens (anyone who saw "
          "it can use it); read tokens from HF_TOKEN or `hf auth login` instead.",
          r"hf_[A-Za-z0-9]{30,}", ("hf_",)),
    _kind("aws-access-key", "an AWS access key id",
          "Delete it, deactivate the key in the AWS console (IAM) and use environment variables "
          "or an AWS profile outside the repository.",
          r"(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Z])", ("akia", "asia")),
    _kind("aws-secret-key", "an AWS secret access key",
          "Delete it and deactivate the key in the AWS console (IAM).",
          rf"(?i:{AWS_SECRET_NAME})\s*[=:]\s*['\"]?([A-Za-z0-9/+=]{{40}})", (AWS_SECRET_NAME,),
          word=False),
    _kind("private-key", "a private key",
          "Remove the key file and replace the key: a published private key must be treated as "
          "known to everyone.",
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
    _kind("password", "a password or key written into the text",
          "Read it from an environment variable (os.environ[...]) instead, and change it if it "
          "was ever real.",
          r"(?i:\b(?:password|passwd|secret(?:[_-]?key)?|api[_-]?key|access[_-]?token"
          r"|auth[_-]?token)\b)\s*[=:]\s*['\"]([^'\"\s]{8,})['\"]",
          ("password", "passwd", "secret", "apikey", "api_key", "api-key", "access_token",
           "access-token", "accesstoken", "auth_token", "auth-token"),
          severity="warning", word=False),
)}
IDS = frozenset(SECRETS)

# Obvious stand-ins: "hf_xxxx", "<your token>", "sk-...", "example", "changeme".
_FAKE = re.compile(r"x{4,}|X{4,}|\*{3,}|\.\.\.|<|your|example|placeholder|dummy|redacted|changeme"
                   r"|fake|sample", re.I)


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
    body = secret.split("_", 1)[-1] if secret.startswith(("hf_", "gh")) else secret
    return bool(_FAKE.search(secret)) or len(set(body)) < 8


def find_secrets(text: str) -> list[Match]:
    """Every secret-looking string in ``text``, in order; placeholders are skipped."""
    lowered = text.lower()
    found = []
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
    found.sort(key=lambda m: m.start)
    return found
