"""release.scan: every kind of planted secret is caught, clean files give no finding.

Secrets are assembled at run time ("hf_" + ...) so that this file itself holds none.
"""

from __future__ import annotations

import json
import pickle

import joblib
import nbformat
import numpy as np
import pandas as pd
import pytest
import skops.io as sio
import torch
from safetensors.numpy import save_file
from sklearn.linear_model import LogisticRegression

from modelshare import release
from modelshare.cli import main

HF_TOKEN = "hf_" + "Ab3" * 12
AWS_KEY_ID = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"
GITHUB_TOKEN = "ghp_" + "x1Y2z3" * 6
OPENAI_KEY = "sk-" + "proj-" + "Q9w8E7r6" * 5
SLACK_TOKEN = "xoxb-" + "1234567890-abcdefghij"
PRIVATE_KEY = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n"


def ids(report) -> list[tuple[str, str]]:
    return sorted((f.id, f.path) for f in report)


def clean_release(folder):
    """A release folder as prepare() writes it, plus a clean notebook and data file."""
    folder.mkdir(parents=True, exist_ok=True)
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    sio.dump(LogisticRegression().fit(X, [0, 1, 1, 0]), folder / "model.skops")
    save_file({"weight": np.ones((4, 4), dtype=np.float32)}, str(folder / "model.safetensors"))
    (folder / "README.md").write_text(
        "---\nlicense: mit\n---\n# Income model\nToken: read it from `HF_TOKEN`, never paste it.\n"
        "Contact: maintainers@example.org\n"
    )
    (folder / "example.py").write_text(
        "import os\nfrom huggingface_hub import HfApi\napi = HfApi(token=os.environ['HF_TOKEN'])\n"
    )
    (folder / "requirements.txt").write_text("scikit-learn==1.9.1\nskops==0.16.0\n")
    (folder / ".env.example").write_text("HF_TOKEN=put-your-token-here\n")
    pd.DataFrame({"age": [23.0, 58.0], "gender": ["Female", "Male"], "prestg10": [38, 31],
                  "occupation": ["Sales", "Office"]}).to_csv(folder / "test.csv", index=False)
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(2 + 2)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="4\n")]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Training"), cell]
    nbformat.write(notebook, folder / "train.ipynb")
    return folder


def test_a_clean_release_has_no_finding(tmp_path):
    report = release.scan(clean_release(tmp_path / "release"))
    assert report.files == 8
    assert report.findings == [], str(report)
    assert report.ok and str(report) == "No findings in 8 files."


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("config.py", f"x = 1\n\nTOKEN = '{HF_TOKEN}'\n", "hf-token"),
        ("settings.yaml", f"aws:\n  key: {AWS_KEY_ID}\n", "aws-access-key"),
        ("aws.ini", f"[default]\n{release.AWS_SECRET_NAME} = {AWS_SECRET}\n", "aws-secret-key"),
        ("deploy.txt", PRIVATE_KEY, "private-key"),
        ("ci.sh", f"export GH={GITHUB_TOKEN}\n", "github-token"),
        ("llm.py", f"client = OpenAI(api_key=None)\nKEY = '{OPENAI_KEY}'\n", "openai-key"),
        ("notify.py", f"hook = '{SLACK_TOKEN}'\n", "slack-token"),
        ("db.py", 'password = "correct-horse-battery"\n', "password"),
    ],
)
def test_each_kind_of_secret_is_caught_with_where_and_fix(tmp_path, name, text, expected):
    folder = clean_release(tmp_path / "release")
    (folder / name).write_text(text)
    report = release.scan(folder)
    assert ids(report) == [(expected, name)], str(report)
    finding = report.findings[0]
    assert finding.where.startswith(f"{name}:")  # a line number
    assert finding.fix and finding.message
    secret = text.split("'")[1] if "'" in text else None
    if secret and len(secret) > 20:
        assert secret not in str(report), "the report must never show a whole secret"


def test_the_line_number_points_at_the_secret(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "config.py").write_text(f"x = 1\n\nTOKEN = '{HF_TOKEN}'\n")
    [finding] = release.scan(folder).findings
    assert finding.where == "config.py:3"
    assert finding.severity == "error"
    assert HF_TOKEN not in finding.line() and HF_TOKEN[:5] in finding.line()


def test_the_local_hub_token_format_is_caught(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    # the workshop hub hands out "hf_" + 32 url-safe characters
    (folder / "notes.md").write_text("my token: hf_" + "k2Jx" * 8 + "\n")
    assert [f.id for f in release.scan(folder)] == ["hf-token"]


def test_env_and_credential_files(tmp_path):
    folder = clean_release(tmp_path / "release")
    (folder / ".env").write_text("DEBUG=1\n")
    (folder / ".env.local").write_text("DEBUG=1\n")
    (folder / "id_rsa").write_text(PRIVATE_KEY)
    report = release.scan(folder)
    assert ids(report) == [
        ("credentials-file", "id_rsa"), ("env-file", ".env"), ("env-file", ".env.local"),
        ("private-key", "id_rsa"),
    ]


def test_a_secret_inside_an_env_file_is_reported_too(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / ".env").write_text(f"HF_TOKEN={HF_TOKEN}\n")
    assert ids(release.scan(folder)) == [("env-file", ".env"), ("hf-token", ".env")]


def test_pickles_are_caught_by_name_and_by_content(tmp_path):
    folder = clean_release(tmp_path / "release")
    model = LogisticRegression().fit([[0.0], [1.0]], [0, 1])
    (folder / "model.pkl").write_bytes(pickle.dumps(model))
    joblib.dump(model, folder / "model.joblib")
    torch.save({"w": torch.ones(2)}, folder / "weights.pt")
    (folder / "weights.bin").write_bytes(pickle.dumps({"w": [1, 2]}, protocol=4))
    (folder / "state.data").write_bytes(pickle.dumps({"w": [1, 2]}, protocol=5))
    np.save(folder / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    np.save(folder / "numbers.npy", np.arange(5))  # plain numbers: no pickle inside
    report = release.scan(folder)
    assert ids(report) == [
        ("pickle", p) for p in
        ["model.joblib", "model.pkl", "objects.npy", "state.data", "weights.bin", "weights.pt"]
    ]
    assert all("skops" in f.fix for f in report)


def test_notebook_secrets_in_outputs_and_sources(tmp_path):
    folder = clean_release(tmp_path / "release")
    notebook = nbformat.v4.new_notebook()
    leaky = nbformat.v4.new_code_cell("import os\nprint(os.environ['HF_TOKEN'])")
    leaky.outputs = [nbformat.v4.new_output("stream", name="stdout", text=HF_TOKEN + "\n")]
    pasted = nbformat.v4.new_code_cell(f"login(token='{HF_TOKEN}')")
    rich = nbformat.v4.new_code_cell("settings")
    rich.outputs = [nbformat.v4.new_output(
        "execute_result", data={"text/plain": f"{{'aws': '{AWS_KEY_ID}'}}"}, execution_count=3)]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Leaks"), leaky, pasted, rich]
    nbformat.write(notebook, folder / "leaks.ipynb")
    report = release.scan(folder)
    assert sorted((f.id, f.where) for f in report) == [
        ("aws-access-key", "leaks.ipynb cell 4 output"),
        ("hf-token", "leaks.ipynb cell 2 output"),
        ("hf-token", "leaks.ipynb cell 3 source"),
    ]
    output = next(f for f in report if f.where.endswith("cell 2 output"))
    assert "Clear Outputs" in output.fix
    assert HF_TOKEN not in str(report)


def test_files_over_the_size_limit(tmp_path):
    folder = clean_release(tmp_path / "release")
    (folder / "checkpoint.safetensors").write_bytes(b"\0" * 50_000)
    report = release.scan(folder, max_size=40_000)
    assert ids(report) == [("too-large", "checkpoint.safetensors")]
    assert report.findings[0].severity == "warning"
    assert release.scan(folder).ok  # under the default limit


def test_personal_data_by_column_name(tmp_path):
    folder = clean_release(tmp_path / "release")
    pd.DataFrame({"Full Name": ["Ada Lovelace"], "E-mail": ["ada@example.org"], "age": [36]}
                 ).to_csv(folder / "customers.csv", index=False)
    pd.DataFrame({"ssn": ["078-05-1120"], "income": [1]}).to_csv(
        folder / "staff.tsv", sep="\t", index=False)
    report = release.scan(folder)
    assert ids(report) == [("personal-data", "customers.csv"), ("personal-data", "staff.tsv")]
    message = report.findings[0].message
    assert "'Full Name'" in message and "'E-mail'" in message
    assert "ada@example.org" not in str(report), "the report names columns, not people"


def test_personal_data_by_values(tmp_path):
    folder = clean_release(tmp_path / "release")
    pd.DataFrame({
        "contact": ["ada@example.org", "alan@example.com", "n/a"],
        "reach": ["+44 20 7946 0958", "(555) 123-4567", "555-987-6543"],
        "ref": ["078-05-1120", "219-09-9999", "457-55-5462"],
        "score": [0.5, 0.25, 0.125],
    }).to_csv(folder / "leads.csv", index=False)
    [finding] = release.scan(folder).findings
    assert finding.id == "personal-data"
    assert "'contact' holds e-mail addresses (2 of 3" in finding.message
    assert "'reach' holds phone numbers (3 of 3" in finding.message
    assert "'ref' holds social security numbers (3 of 3" in finding.message
    assert "score" not in finding.message


def test_personal_data_in_jsonl_and_parquet(tmp_path):
    folder = clean_release(tmp_path / "release")
    rows = [{"text": "great", "label": 1, "email": "ada@example.org"}]
    (folder / "train.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    pd.DataFrame({"phone_number": ["555-987-6543"], "y": [1]}).to_parquet(folder / "p.parquet")
    assert ids(release.scan(folder)) == [
        ("personal-data", "p.parquet"), ("personal-data", "train.jsonl")]


def test_git_and_cache_folders_are_skipped_like_upload_folder_does(tmp_path):
    folder = clean_release(tmp_path / "release")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text(f"url = https://user:{HF_TOKEN}@huggingface.co\n")
    (folder / ".cache" / "huggingface").mkdir(parents=True)
    (folder / ".cache" / "huggingface" / "x.pkl").write_bytes(pickle.dumps(1))
    assert release.scan(folder).ok


def test_subfolders_are_scanned(tmp_path):
    folder = clean_release(tmp_path / "release")
    (folder / "configs" / "deep").mkdir(parents=True)
    (folder / "configs" / "deep" / "run.yaml").write_text(f"token: {HF_TOKEN}\n")
    assert ids(release.scan(folder)) == [("hf-token", "configs/deep/run.yaml")]


def test_bad_input_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="give the path of the release folder"):
        release.scan(tmp_path / "missing")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="scan the folder"):
        release.scan(tmp_path / "file.txt")


def test_cli_scan_exit_codes(tmp_path, capsys):
    folder = clean_release(tmp_path / "release")
    assert main(["release", "scan", str(folder)]) == 0
    assert "No findings" in capsys.readouterr().out
    (folder / ".env").write_text(f"HF_TOKEN={HF_TOKEN}\n")
    assert main(["release", "scan", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "env-file" in out and "hf-token" in out and HF_TOKEN not in out
    assert main(["release", "scan", str(folder), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert sorted(f["id"] for f in data["findings"]) == ["env-file", "hf-token"]
    assert main(["release", "scan", str(tmp_path / "missing")]) == 2
    assert "give the path" in capsys.readouterr().err


def test_token_like_text_inside_a_longer_word_is_not_a_token(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "ids.txt").write_text("checksum: shf_" + "a1" * 20 + "\n")
    assert release.scan(folder).ok
    (folder / "ids.txt").write_text("url = https://user:" + HF_TOKEN + "@example.org\n")
    assert [f.id for f in release.scan(folder)] == ["hf-token"]


def test_notebook_checkpoints_are_scanned_because_upload_folder_sends_them(tmp_path):
    folder = clean_release(tmp_path / "release")
    (folder / ".ipynb_checkpoints").mkdir()
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("token")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=HF_TOKEN)]
    notebook.cells = [cell]
    nbformat.write(notebook, folder / ".ipynb_checkpoints" / "train-checkpoint.ipynb")
    assert [f.where for f in release.scan(folder)] == [
        ".ipynb_checkpoints/train-checkpoint.ipynb cell 1 output"]


def test_small_binary_files_are_searched_big_ones_are_not(tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "small.bin").write_bytes(b"\0" * 100 + HF_TOKEN.encode() + b"\0")
    (folder / "weights.safetensors").write_bytes(b"\0" * (2 * release.MB) + HF_TOKEN.encode())
    [finding] = release.scan(folder).findings
    assert (finding.id, finding.where) == ("hf-token", "small.bin")  # no line numbers in binaries
