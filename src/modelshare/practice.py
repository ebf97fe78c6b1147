"""What the exercise notebooks hand you to work on.

A colleague's two release files, a loan card to review, a messy release folder,
a repo with two versions, a stand-in neighbour's release: each is made here so
that the exercise cells stay short. Open this file to see exactly how; the
exercises are about what you do with them.

The last part, "Answer keys", holds the few right answers that depend on your
machine or on your neighbour's release, so that a notebook can check them
without showing them (every other answer is a fingerprint in the notebook).
Reading that part gives those answers away: try the exercise first.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

__all__ = [
    "EXERCISE_CARD", "FAKE_TOKEN", "LOAN_CARD", "NEIGHBOUR_CARD", "accuracy", "card_score",
    "measured", "messy_release", "problems_in", "publish_mystery", "publish_neighbour",
    "two_release_files",
]

# --- exercise 04.1: a card with problems ---------------------------------------------------

LOAN_CARD = """---
license: apache 2
library_name: sklearn
pipeline_tag: tabular-classification
---
# loan-approver

A state-of-the-art model that decides who gets a loan. It is completely fair.

## How to use

```python
import pickle
model = pickle.load(open("loan_model.pkl", "rb"))
model.predict(applicants)
```

## Training data

Ten years of loan applications from our branches.
"""

# --- exercise 05: the income model's release card -------------------------------------------

EXERCISE_CARD = """---
license: mit
language: en
library_name: sklearn
pipeline_tag: tabular-classification
---
# GSS income classifier, 1974-1989 (exercise copy)

Guesses whether a US adult's yearly income is above 25,000 (1986 dollars).
Made for teaching; not for decisions about anyone.
"""

# A made-up token, assembled at run time so that no token-shaped string sits in the repository.
FAKE_TOKEN = "hf_" + "Pq4" * 12


def two_release_files(model, retrained, folder: str | Path) -> str:
    """Exercise 03.3: save two models as release_a/b.skops; return the sha256 the card gives.

    The card was written for one of them; the other was re-trained afterwards.
    """
    import skops.io as sio

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sio.dump(model, folder / "release_a.skops")
    sio.dump(retrained, folder / "release_b.skops")
    return hashlib.sha256((folder / "release_a.skops").read_bytes()).hexdigest()


def messy_release(model, folder: str | Path, example_input) -> Path:
    """Exercise 05.1: a release folder prepared in a hurry.

    Next to what ``release.prepare`` writes: a ``.env`` file with a (made-up) token,
    a pickled backup of the model, a notebook whose output shows the token, and a
    CSV of predictions with people's names and e-mail addresses.
    """
    from modelshare import release

    folder = release.prepare(model, folder, card=EXERCISE_CARD, example_input=example_input,
                             overwrite=True)
    (folder / ".env").write_text(f"HF_TOKEN={FAKE_TOKEN}\n")
    (folder / "model_backup.pkl").write_bytes(pickle.dumps(model))
    leak = nbformat.v4.new_code_cell("import os\nos.environ['HF_TOKEN']")
    leak.outputs = [nbformat.v4.new_output("execute_result", execution_count=1,
                                           data={"text/plain": repr(FAKE_TOKEN)})]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Exploring"), leak]
    nbformat.write(notebook, folder / "explore.ipynb")
    pd.DataFrame({"name": ["Ada Byron", "Alan Turing"],
                  "email": ["ada@example.org", "alan@example.org"],
                  "age": [36, 41], "prediction": [1, 0]}).to_csv(folder / "predictions.csv",
                                                                 index=False)
    return folder


def publish_mystery(repo_id: str, model, frame: pd.DataFrame, folder: str | Path,
                    example_input, evaluation, api=None) -> None:
    """Exercise 05.3: publish ``v1.0`` and ``v2.0`` of a release with the same card.

    What differs between the two versions is for the learner to find.
    """
    import skops.io as sio

    from modelshare import example, release

    honest = release.prepare(model, folder, card=EXERCISE_CARD, example_input=example_input,
                             evaluation=evaluation, overwrite=True)
    release.publish(honest, repo_id, version="v1.0", api=api)
    later = example.training_split(frame, years=(2000, 2018))
    retrained = example.income_pipeline().fit(later.X_train, later.y_train)
    sio.dump(retrained, honest / "model.skops")
    release.publish(honest, repo_id, version="v2.0", message="Retrain on 2000-2018 answers",
                    api=api)


NEIGHBOUR_CARD = """---
license: mit
library_name: sklearn
pipeline_tag: tabular-classification
model-index:
- name: neighbour-income
  results:
  - task: {type: tabular-classification}
    dataset: {name: GSS wages, type: gss_wages, split: test}
    metrics:
    - {type: accuracy, value: 0.85}
---
# Income model

State-of-the-art income prediction. Works well on everyone.
"""


def publish_neighbour(repo_id: str, frame: pd.DataFrame, folder: str | Path, api=None) -> None:
    """Capstone step 5: a stand-in for a neighbour's release, with problems to find.

    A heavily regularised income model, a card that claims more than the model
    does, published privately as ``v1.0`` (only you review it).
    """
    from modelshare import example, release

    split = example.training_split(frame)
    model = example.income_pipeline().set_params(classifier__C=0.001).fit(
        split.X_train, split.y_train)
    evaluation = release.Evaluation(split.X_test, split.y_test, "gss_wages")
    stand_in = release.prepare(model, folder, card=NEIGHBOUR_CARD, overwrite=True,
                               example_input=split.X_test.head(2), evaluation=evaluation)
    release.publish(stand_in, repo_id, version="v1.0", private=True, api=api)


# --- Answer keys (reading on gives answers away) -----------------------------------------------

def problems_in(statuses: list) -> int:
    """Exercise 00.3: how many packages the environment check did not find OK."""
    return len([status for status in statuses if not status.ok])


def measured(report, metric: str = "accuracy") -> Any:
    """Capstone 5a: the number the stranger's rerun measured."""
    return report.measured.get(metric)


def card_score(path: str | Path) -> int:
    """Capstone 5b: the score of a downloaded card."""
    from modelshare import card

    return card.check_card(Path(path)).score


def accuracy(model, X, y) -> float:
    """Capstone 5c: a model's accuracy on rows it is handed."""
    return float(model.score(X, y))
