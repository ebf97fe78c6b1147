"""Two tiny PyTorch models trained in seconds, so lesson 05 can publish real weights.

- :func:`sentiment_model`: a word-level tokenizer and a two-layer BERT classifier
  trained on eight made-up reviews (the point of the lesson is ``push_to_hub``, not
  the training, so the training lives here where you can read it).
- :func:`train_binary`: a plain full-batch training loop for any ``nn.Module`` that
  returns one logit per row (lesson 05's ``IncomeNet``).

Everything runs on one CPU thread with a fixed seed, so the numbers repeat.

    >>> model, tokenizer = sentiment_model()          # doctest: +SKIP
    >>> model.config.id2label                          # doctest: +SKIP
    {0: 'negative', 1: 'positive'}
"""

from __future__ import annotations

from typing import Any

REVIEWS: list[tuple[str, int]] = [
    ("a great film", 1), ("a wonderful story", 1), ("i loved the acting", 1), ("great fun", 1),
    ("a terrible film", 0), ("a boring story", 0), ("i hated the acting", 0),
    ("terrible and boring", 0),
]
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]


def word_tokenizer(texts: list[str]):
    """A ``transformers`` tokenizer that knows exactly the words of ``texts`` (plus 4 special tokens).

    Built with the ``tokenizers`` library (a word-level model split on whitespace),
    then wrapped in ``PreTrainedTokenizerFast`` so it saves and loads like any other.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    words = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    words.pre_tokenizer = pre_tokenizers.Whitespace()
    words.train_from_iterator(texts, trainers.WordLevelTrainer(special_tokens=SPECIAL_TOKENS))
    return PreTrainedTokenizerFast(tokenizer_object=words, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]")


def sentiment_model(reviews: list[tuple[str, int]] = REVIEWS, steps: int = 30, seed: int = 0):
    """(model, tokenizer): a two-layer BERT with 32-wide vectors, trained on ``reviews``.

    ``id2label`` names the classes, so a ``pipeline`` says "positive"/"negative"
    instead of LABEL_1/LABEL_0.
    """
    import torch
    from transformers import BertConfig, BertForSequenceClassification
    from transformers.utils import logging

    logging.disable_progress_bar()
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    tokenizer = word_tokenizer([text for text, _ in reviews])
    model = BertForSequenceClassification(BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64,
        id2label={0: "negative", 1: "positive"}, label2id={"negative": 0, "positive": 1}))
    batch = tokenizer([text for text, _ in reviews], padding=True, return_tensors="pt")
    labels = torch.tensor([label for _, label in reviews])
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.003)
    model.train()
    for _ in range(steps):
        loss = model(**batch, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    return model, tokenizer


def train_binary(module: Any, X: Any, y: Any, steps: int = 200, lr: float = 0.05):
    """Full-batch Adam on binary cross-entropy; ``module(X)`` must give one logit per row.

    Full batches make the training itself deterministic: seed ``torch`` before you
    create the module, and the result repeats. Returns the module, trained in place.
    """
    import numpy as np
    import torch

    torch.set_num_threads(1)
    X = torch.tensor(np.asarray(X), dtype=torch.float32)  # a copy: the caller's data stay as they are
    y = torch.tensor(np.asarray(y), dtype=torch.float32)
    optimizer = torch.optim.Adam(module.parameters(), lr=lr)
    module.train()
    for _ in range(steps):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(module(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    module.eval()
    return module
