"""The release scan and the card checker read secrets with one rule: same text, same ids."""

from __future__ import annotations

import random
import string

import pytest

from modelshare import release
from modelshare.card import check_card
from modelshare.rules import secrets


def _token(alphabet: str, n: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def corpus() -> dict[str, str]:
    """Card texts with planted secrets (and look-alikes), assembled at run time."""
    rng = random.Random(20)
    alnum = string.ascii_letters + string.digits
    planted = {
        "hf": "hf_" + _token(alnum, 34, rng),
        "aws": "AKIA" + _token(string.ascii_uppercase + string.digits, 16, rng),
        "aws_secret": f"{secrets.AWS_SECRET_NAME} = " + _token(alnum + "/+", 40, rng),
        "key": "-----BEGIN OPENSSH " + "PRIVATE KEY-----",
        "github": "github_pat_" + _token(alnum + "_", 50, rng),
        "openai": "sk-" + _token(alnum, 48, rng),
        "slack": "xoxp-" + _token(string.digits, 10, rng) + "-" + _token(alnum, 20, rng),
        "google": "AIza" + _token(alnum + "-_", 35, rng),
        "password": 'api_key = "' + _token(alnum, 20, rng) + '"',
    }
    head = "---\nlicense: mit\nlibrary_name: sklearn\n---\n# Demo\n\n## How to Get Started\n\n"
    cards = {f"{name}.md": head + f"```python\nlogin({value!r})\n```\n"
             for name, value in planted.items()}
    cards["two.md"] = head + f"Token {planted['hf']} and key {planted['aws']}.\n"
    cards["in-yaml.md"] = f"---\nlicense: mit\ntoken: {planted['hf']}\n---\n# Demo\n"
    cards["fakes.md"] = head + ("login('hf_" + "x" * 34 + "')\napi_key = '<your key here>'\n"
                                "password = os.environ['PASSWORD']\n")
    return cards


def card_ids(text: str) -> set[str]:
    return set(check_card(text).ids()) & secrets.IDS


def test_release_scan_and_card_check_report_the_same_secret_ids(tmp_path):
    cards = corpus()
    for name, text in cards.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = release.scan(tmp_path)
    by_file: dict[str, set[str]] = {name: set() for name in cards}
    for finding in report:
        if finding.id in secrets.IDS:
            by_file[finding.path].add(finding.id)
    for name, text in cards.items():
        assert by_file[name] == card_ids(text), name
    assert by_file["two.md"] == {"hf-token", "aws-access-key"}
    assert by_file["fakes.md"] == set()
    assert set().union(*by_file.values()) == secrets.IDS  # every kind is exercised


@pytest.mark.parametrize("name", ["hf.md", "password.md"])
def test_both_say_what_to_do(name, tmp_path):
    text = corpus()[name]
    (tmp_path / name).write_text(text, encoding="utf-8")
    (scan_finding,) = [f for f in release.scan(tmp_path) if f.id in secrets.IDS]
    (card_finding,) = [f for f in check_card(text).findings if f.id in secrets.IDS]
    assert scan_finding.fix in card_finding.fix
