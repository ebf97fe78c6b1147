"""modelshare.rules: one Finding, one secret table, one pickle scanner, one placeholder rule."""

from __future__ import annotations

import os
import pickle
import random
import string

import numpy as np
import pytest

from modelshare.rules import Finding, placeholders, secrets, weights

# -- Finding ---------------------------------------------------------------------------


def test_finding_rejects_an_unknown_severity_with_the_choices():
    with pytest.raises(ValueError, match="error, warning, info"):
        Finding("x", "fatal", "m", "f")


def test_finding_line_names_the_section_or_the_file():
    card = Finding("section-empty", "warning", "Empty.", "Write it.", section="uses")
    release = Finding("env-file", "error", "An .env file.", "Delete it.", path=".env", where=".env")
    assert card.line() == "warning section-empty [uses]: Empty. Fix: Write it."
    assert release.line() == "error   env-file  .env: An .env file. Fix: Delete it."
    assert release.to_dict()["path"] == ".env" and card.to_dict()["section"] == "uses"


# -- placeholders ----------------------------------------------------------------------

PLACEHOLDER_FORMS = [
    "[More Information Needed]",
    "**[More Information Needed]**",
    "[More Information Needed](https://github.com/huggingface/datasets/blob/main/CONTRIBUTING.md)",
    "[Needs More Information]",
    "More information needed",
    "- **Developed by:** [More Information Needed]",
    "- **Homepage:** [Add homepage URL here if available (unless it's a GitHub repository)]()",
    "<!-- Provide a longer summary of what this model is. -->",
    "TODO", "TBD:", "FIXME", "Lorem ipsum dolor sit amet", "{{ model_summary }}",
    "[Your name here]", "<your-token>", "[N/A]",
    "# heading-free\n\n[More Information Needed]\n\n<!-- and a comment -->\n",
]


@pytest.mark.parametrize("text", PLACEHOLDER_FORMS)
def test_every_placeholder_form_counts_zero_words(text):
    assert placeholders.words(text.replace("# heading-free", "")) == 0
    assert placeholders.is_blank(text.replace("# heading-free", ""))


def test_real_text_is_counted_and_placeholders_are_found():
    assert placeholders.words("The model fails for people over 75; see the table.") == 10
    assert placeholders.find("See [More Information Needed](https://x.org) and TODO.") == [
        "[More Information Needed](https://x.org)", "TODO"]
    assert not placeholders.is_blank("- **Developed by:** the course team")


def test_hub_template_boilerplate_is_read_from_the_installed_package():
    sentences = placeholders.boilerplate()
    assert any("machine learning impact calculator" in s for s in sentences)
    text = ("Users (both direct and downstream) should be made aware of the risks, biases and "
            "limitations of the model. More information needed for further recommendations.")
    assert placeholders.words(text) == 0
    assert placeholders.words(text + "\n\nIt is wrong for one in five women over 60.") == 10


# -- secrets ---------------------------------------------------------------------------


def _token(alphabet: str, n: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


ALNUM = string.ascii_letters + string.digits
PLANTED = {  # assembled at run time: no token-shaped string sits in the repository
    "hf-token": "hf_" + _token(ALNUM, 34, 1),
    "aws-access-key": "AKIA" + _token(string.ascii_uppercase + string.digits, 16, 2),
    "aws-secret-key": f"{secrets.AWS_SECRET_NAME} = " + _token(ALNUM + "/+", 40, 3),
    "private-key": "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow...",
    "github-token": "ghp_" + _token(ALNUM, 36, 4),
    "openai-key": "sk-proj-" + _token(ALNUM, 48, 5),
    "slack-token": "xoxb-" + _token(string.digits, 12, 6) + "-" + _token(ALNUM, 24, 7),
    "google-api-key": "AIza" + _token(ALNUM + "_-", 35, 8),
    "password": 'password = "' + _token(ALNUM, 14, 9) + '"',
}


def test_the_table_and_the_planted_corpus_cover_the_same_kinds():
    assert set(PLANTED) == secrets.IDS


@pytest.mark.parametrize("kind", sorted(PLANTED))
@pytest.mark.parametrize("context", ["{s}", "x = '{s}'\n", "# note\n\n    login({s})\n",
                                     '{{"key": "{s}"}}'])
def test_each_planted_secret_is_found_once_with_its_kind(kind, context):
    text = context.format(s=PLANTED[kind])
    found = secrets.find_secrets(text)
    assert [m.kind for m in found] == [kind]
    assert PLANTED[kind][8:20] not in found[0].masked


@pytest.mark.parametrize("text", [
    "HF_TOKEN=hf_" + "x" * 34, "token: <your-hf-token>", "sk-..." + "placeholder" * 3,
    "AKIA" + "X" * 16, "sha256: " + "ab12" * 16, "password = os.environ['PASSWORD']",
    "model id: thehf_" + _token(ALNUM, 34, 10), "password: 'changeme123'",
])
def test_placeholders_and_look_alikes_are_not_secrets(text):
    assert secrets.find_secrets(text) == []


# -- weights ---------------------------------------------------------------------------


class Evil:
    def __reduce__(self):
        return (os.system, ("echo owned",))


def test_scan_pickle_names_the_imports_and_the_dangerous_calls(tmp_path):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(model))
    (tmp_path / "evil.bin").write_bytes(pickle.dumps(Evil()))
    scan = weights.scan_pickle(tmp_path / "model.pkl")
    assert scan.format == "pickle" and scan.dangerous == []
    assert "sklearn.linear_model._logistic.LogisticRegression" in scan.imports
    evil = weights.scan_pickle(tmp_path / "evil.bin")
    assert [d.rsplit(".", 1)[1] for d in evil.dangerous] == ["system"]
    assert "would call" in evil.summary()


def test_safe_formats_and_plain_files_are_not_pickles(tmp_path):
    import skops.io as sio
    import torch
    from safetensors.torch import save_file
    from sklearn.linear_model import LogisticRegression

    sio.dump(LogisticRegression(), tmp_path / "m.skops")
    save_file({"w": torch.zeros(2)}, tmp_path / "m.safetensors")
    np.save(tmp_path / "numbers.npy", np.zeros(3))
    (tmp_path / "notes.txt").write_text("hello")
    for name in ("m.skops", "m.safetensors", "numbers.npy", "notes.txt"):
        assert weights.scan_pickle(tmp_path / name) is None, name
    torch.save({"w": torch.zeros(2)}, tmp_path / "m.pt")
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    assert weights.scan_pickle(tmp_path / "m.pt").format == "torch-pickle"
    assert weights.scan_pickle(tmp_path / "objects.npy").format == "numpy"
    assert weights.weights_format(tmp_path / "m.skops") == "skops"
