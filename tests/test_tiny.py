"""modelshare.tiny: the two toy PyTorch models lesson 05 publishes."""

from __future__ import annotations

import torch

from modelshare import tiny


def test_sentiment_model_learns_its_reviews_and_names_its_labels():
    model, tokenizer = tiny.sentiment_model()
    assert model.config.id2label == {0: "negative", 1: "positive"}
    assert len(tokenizer.get_vocab()) == 14 + len(tiny.SPECIAL_TOKENS)
    batch = tokenizer(["a wonderful film", "a boring film"], padding=True, return_tensors="pt")
    with torch.no_grad():
        predicted = model(**batch).logits.argmax(dim=-1).tolist()
    assert predicted == [1, 0]


def test_sentiment_model_is_repeatable():
    first, _ = tiny.sentiment_model(steps=3)
    second, _ = tiny.sentiment_model(steps=3)
    assert all(torch.equal(a, b) for a, b in zip(first.state_dict().values(),
                                                 second.state_dict().values(), strict=True))


def test_train_binary_fits_a_separable_problem():
    torch.manual_seed(0)
    X = torch.randn(200, 2)
    y = (X[:, 0] > 0).float()
    net = torch.nn.Sequential(torch.nn.Linear(2, 1), torch.nn.Flatten(0))
    tiny.train_binary(net, X, y, steps=300, lr=0.1)
    with torch.no_grad():
        accuracy = ((net(X) > 0).float() == y).float().mean().item()
    assert accuracy > 0.95
