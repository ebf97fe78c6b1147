"""transformers, datasets, ModelCard, HfFileSystem/pandas and the ``hf`` command against a hub.

These clients read HF_ENDPOINT at import, so each runs in a subprocess started with
the hub's environment (``hub.env()``); several calls share one subprocess to keep
the suite fast.
"""

from __future__ import annotations

import hashlib
import os

import pytest
from hub_helpers import BIN, run_command, run_python


@pytest.fixture(scope="module")
def hub(local_hub):
    """The session's hub (tests/hubplugin.py); each module uses repo names of its own."""
    return local_hub


TRANSFORMERS_AND_DATASETS = r"""
import json, pathlib, torch
from transformers import (AutoModelForSequenceClassification, BertConfig,
                          BertForSequenceClassification, BertTokenizerFast, pipeline)
from datasets import Dataset, load_dataset
from huggingface_hub import HfApi, ModelCard

out = {}
words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "good", "bad", "movie", "the", "was"]
pathlib.Path("vocab.txt").write_text("\n".join(words) + "\n")
tokenizer = BertTokenizerFast(vocab_file="vocab.txt")
torch.manual_seed(0)
config = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1,
                    num_attention_heads=2, intermediate_size=32, max_position_embeddings=32,
                    id2label={0: "NEG", 1: "POS"}, label2id={"NEG": 0, "POS": 1})
model = BertForSequenceClassification(config)
model.save_pretrained("saved")
tokenizer.save_pretrained("saved")
model.push_to_hub("tiny-bert", commit_message="model")
tokenizer.push_to_hub("tiny-bert", commit_message="tokenizer")
back = AutoModelForSequenceClassification.from_pretrained("learner/tiny-bert")
out["same_weights"] = all(torch.equal(a, b) for a, b in
                          zip(model.state_dict().values(), back.state_dict().values()))
classify = pipeline(model="learner/tiny-bert")
out["pipeline"] = classify("the movie was good")[0]["label"]
out["task"] = classify.task

data = Dataset.from_dict({"text": ["good movie", "bad movie", "the movie"], "label": [1, 0, 1]})
data.push_to_hub("learner/reviews")
loaded = load_dataset("learner/reviews")
out["dataset"] = loaded["train"].to_dict()
out["dataset_files"] = HfApi().list_repo_files("learner/reviews", repo_type="dataset")

# fsspec clients: HfFileSystem and pandas' hf:// paths
import pandas as pd
from huggingface_hub import HfFileSystem
fs = HfFileSystem()
parquet = [p for p in fs.ls("datasets/learner/reviews/data", detail=False)
           if p.endswith(".parquet")]
out["pandas_parquet"] = pd.read_parquet("hf://" + parquet[0])["text"].tolist()
with fs.open("datasets/learner/reviews/extra/scores.csv", "w") as handle:
    handle.write("name,score\nada,3\n")
out["pandas_csv"] = pd.read_csv("hf://datasets/learner/reviews/extra/scores.csv").to_dict("list")
out["fs_glob"] = fs.glob("learner/tiny-bert/*.json")

card = ModelCard.load("learner/tiny-bert")
card.data.license = "apache-2.0"
card.push_to_hub("learner/tiny-bert")
out["card_license"] = ModelCard.load("learner/tiny-bert").data.license
card.validate()
card.data.license = "apache 2.0"
try:
    card.validate()
    out["bad_licence"] = None
except ValueError as error:
    out["bad_licence"] = str(error)
print(json.dumps(out))
"""


@pytest.mark.slow
def test_transformers_datasets_and_model_cards_round_trip(hub, tmp_path):
    out = run_python(hub, TRANSFORMERS_AND_DATASETS, cwd=tmp_path)
    assert out["same_weights"] is True
    assert out["task"] == "text-classification" and out["pipeline"] in {"NEG", "POS"}
    assert out["dataset"] == {"text": ["good movie", "bad movie", "the movie"],
                              "label": [1, 0, 1]}
    assert any(f.endswith(".parquet") for f in out["dataset_files"])
    assert out["pandas_parquet"] == ["good movie", "bad movie", "the movie"]
    assert out["pandas_csv"] == {"name": ["ada"], "score": [3]}
    assert "learner/tiny-bert/config.json" in out["fs_glob"]
    assert out["card_license"] == "apache-2.0"
    assert "apache 2.0" in out["bad_licence"] and "apache-2.0" in out["bad_licence"]


def test_hf_command_uploads_and_downloads(hub, tmp_path):
    (tmp_path / "weights.bin").write_bytes(os.urandom(1_200_000))
    (tmp_path / "notes.md").write_text("# notes\n")
    upload = run_command(hub, [str(BIN / "hf"), "upload", "learner/cli-model", ".", "."],
                         cwd=tmp_path)
    assert upload.returncode == 0, upload.stderr
    download = run_command(hub, [str(BIN / "hf"), "download", "learner/cli-model",
                                 "--local-dir", "copy"], cwd=tmp_path)
    assert download.returncode == 0, download.stderr
    for name in ("weights.bin", "notes.md"):
        original = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        copied = hashlib.sha256((tmp_path / "copy" / name).read_bytes()).hexdigest()
        assert copied == original
