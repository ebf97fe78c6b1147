"""Write a release folder for a trained model: weights in a safe format, card, scripts.

:func:`prepare` saves the weights without pickle (``skops.io`` for scikit-learn,
``save_pretrained``/safetensors for transformers and PyTorch), writes README.md,
``requirements.txt`` and ``environment.json``, and for scikit-learn an
``example.py`` and an ``evaluate.py`` a stranger can run. The two scripts are
rendered from the templates in ``release/templates/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SKLEARN_PACKAGES = ("scikit-learn", "skops", "numpy", "pandas", "scipy")
TORCH_PACKAGES = ("torch", "safetensors", "huggingface_hub", "numpy")
TRANSFORMERS_PACKAGES = ("transformers", "tokenizers", "safetensors", "torch", "numpy")
TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Evaluation:
    """The evaluation a release states: data, the true labels and the metrics.

    ``metrics`` are scikit-learn scorer names ("accuracy", "f1", "roc_auc"...), which
    are also the metric types the card's model-index uses.

    >>> Evaluation(X_test, y_test, dataset="gss_wages", metrics=("accuracy",))  # doctest: +SKIP
    """

    X: Any
    y: Any
    dataset: str
    metrics: tuple[str, ...] = ("accuracy",)
    dataset_name: str | None = None
    split: str = "test"
    task: str = "tabular-classification"

    def measure(self, model) -> dict[str, float]:
        """Score ``model`` on this data: {metric: value rounded to 4 places}."""
        from sklearn.metrics import get_scorer

        return {m: round(float(get_scorer(m)(model, self.X, self.y)), 4) for m in self.metrics}



@cache
def _templates():
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["py"] = repr  # a value as a Python literal: 'target', ('accuracy',)
    return environment


def render_script(template: str, **values: Any) -> str:
    """A generated script's text: ``templates/<template>.py.jinja`` filled with ``values``.

    >>> print(render_script("example_transformers", task="text-classification",
    ...                     texts=["great"]).splitlines()[-3])
    classify = pipeline('text-classification', model=str(HERE))
    """
    return _templates().get_template(f"{template}.py.jinja").render(**values)


def _is_sklearn(model) -> bool:
    try:
        from sklearn.base import BaseEstimator
    except ImportError:
        return False
    return isinstance(model, BaseEstimator)


def _write_card(folder: Path, card, library: str | None, evaluation: Evaluation | None,
                measured: dict[str, float] | None, model_name: str) -> None:
    """Write README.md; add the measured results as model-index if the card states none."""
    from huggingface_hub import EvalResult, ModelCard, ModelCardData

    if card is None:
        card = ModelCard.from_template(ModelCardData(library_name=library, model_name=model_name))
    elif isinstance(card, Path) or (isinstance(card, str) and "\n" not in card
                                    and card.endswith(".md")):
        card = ModelCard.load(Path(card))
    elif isinstance(card, str):
        card = ModelCard(card)
    else:
        card = ModelCard(card.content)  # a copy: the caller's card stays as it was
    if evaluation is not None and measured and not card.data.eval_results:
        card.data.model_name = card.data.model_name or model_name
        card.data.eval_results = [
            EvalResult(task_type=evaluation.task, dataset_type=evaluation.dataset,
                       dataset_name=evaluation.dataset_name or evaluation.dataset,
                       dataset_split=evaluation.split, metric_type=metric, metric_value=value)
            for metric, value in measured.items()
        ]
    card.save(folder / "README.md")


def _write_environment(folder: Path, packages: tuple[str, ...]) -> None:
    from modelshare import env

    info = env.capture(packages)
    (folder / "requirements.txt").write_text(env.requirements_txt(info))
    (folder / "environment.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n")


def prepare(
    model,
    folder: str | Path,
    *,
    card=None,
    example_input=None,
    evaluation: Evaluation | None = None,
    tokenizer=None,
    model_name: str = "model",
    overwrite: bool = False,
) -> Path:
    """Write a release folder for a trained model and return its path.

    - scikit-learn: ``model.skops`` (skops.io, no pickle), ``example.py`` predicting
      ``example_input`` rows, and with an ``evaluation`` also ``evaluation/test.csv`` +
      ``evaluate.py`` that reruns it; the card gets the measured numbers as model-index
      unless it states results already.
    - transformers / PyTorch (``PyTorchModelHubMixin``): ``save_pretrained`` (safetensors),
      the tokenizer if given, and for transformers an ``example.py`` using ``pipeline``.
    - always: ``README.md`` (``card``: text, a path to a .md file, a ``ModelCard`` or None
      for the template), ``requirements.txt`` and ``environment.json`` (modelshare.env).

    >>> prepare(model, "_work/income", card=text, example_input=X_test.head(3))  # doctest: +SKIP
    PosixPath('_work/income')
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise FileExistsError(
            f"{folder} already holds files: choose an empty folder, or pass overwrite=True "
            "(files not written by prepare stay, so check the folder with scan())."
        )
    folder.mkdir(parents=True, exist_ok=True)
    measured = None
    if _is_sklearn(model):
        import skops.io as sio

        weights = folder / "model.skops"
        sio.dump(model, weights)
        trusted = sio.get_untrusted_types(file=weights)
        if example_input is not None:
            rows = example_input.to_json(orient="records", indent=4)
            (folder / "example.py").write_text(
                render_script("example_sklearn", trusted=trusted, rows=rows)
            )
        if evaluation is not None:
            measured = evaluation.measure(model)
            target = getattr(evaluation.y, "name", None) or "target"
            table = evaluation.X.assign(**{target: evaluation.y})
            (folder / "evaluation").mkdir(exist_ok=True)
            table.to_csv(folder / "evaluation" / "test.csv", index=False)
            (folder / "evaluate.py").write_text(render_script(
                "evaluate_sklearn", trusted=trusted, metrics=tuple(evaluation.metrics),
                target=target, data_file="test.csv",
            ))
        library, packages = "sklearn", SKLEARN_PACKAGES
    elif hasattr(model, "save_pretrained"):
        if evaluation is not None:
            raise ValueError(
                "evaluation= reruns scikit-learn scorers; for a transformers or PyTorch model, "
                "put the numbers in the card's model-index yourself and ship your evaluation "
                "script as evaluate.py (printing the metrics as JSON) so verify() can rerun it."
            )
        model.save_pretrained(folder)  # safetensors by default in transformers and the mixin
        if tokenizer is not None:
            tokenizer.save_pretrained(folder)
        is_transformers = type(model).__module__.startswith("transformers")
        if is_transformers and tokenizer is not None and example_input is not None:
            task = "text-classification"
            (folder / "example.py").write_text(
                render_script("example_transformers", task=task, texts=list(example_input))
            )
        library = "transformers" if is_transformers else None  # the Hub has no "pytorch" library
        packages = TRANSFORMERS_PACKAGES if is_transformers else TORCH_PACKAGES
    else:
        raise ValueError(
            f"prepare() knows scikit-learn estimators and models with save_pretrained "
            f"(transformers, PyTorchModelHubMixin), not {type(model).__name__}. For a plain "
            "torch.nn.Module, add huggingface_hub.PyTorchModelHubMixin to its base classes."
        )
    _write_card(folder, card, library, evaluation, measured, model_name)
    _write_environment(folder, packages)
    return folder

