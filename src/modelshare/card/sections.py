"""The sections a model card (and a dataset card) should have, in one table.

Each :class:`SectionSpec` says what a section is for (``guidance``, in the
course's words), who is best placed to write it (``role``: the ``developer``
who trained the model, the ``sociotechnic`` who thinks about ethics, law and
social impact, or the ``organiser`` who runs the project), how much it counts
towards the score (``weight``) and which other headings mean the same thing
(``synonyms``). The template, the checker and the card editor all read this
table, so a section is added or renamed here and nowhere else.

Example:
    >>> spec = section("shift")
    >>> spec.title, spec.role
    ('Distribution Shift and Monitoring', 'developer')
    >>> recognise("How to use", "model")
    'get_started'
    >>> recognise("Evaluated Use"), recognise("Who are the annotators?", "dataset")
    ('uses', 'preprocessing')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class SectionSpec:
    """One section of the curriculum card."""

    id: str
    title: str
    level: int
    role: str
    weight: int
    guidance: str
    synonyms: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


def _s(id, title, level, role, weight, guidance, synonyms=(), keywords=()) -> SectionSpec:
    return SectionSpec(id, title, level, role, weight, " ".join(guidance.split()),
                       tuple(synonyms), tuple(keywords))


# Weights add up to 90: the content part of the score (see modelshare.card.check). They were
# set on the real-card corpus (tests/cards/real/) so that the score ranks cards as a careful
# reviewer does: what a reader must find (uses and their limits, risks, data, evaluation)
# weighs most; release details (environment, weights file) little.
MODEL_SECTIONS: tuple[SectionSpec, ...] = (
    _s("summary", "Summary", 1, "developer", 4,
       """Two or three sentences under the title: what the model takes in, what it gives
       back, and for whom it was made.""",
       ("tl;dr", "tldr", "abstract")),
    _s("details", "Model Details", 2, "organiser", 9,
       """Who built the model and who paid for it, its type (e.g. a gradient-boosted
       classifier), the version and date, the licence in plain words and links to the code or
       paper. A reader should be able to tell at a glance whether this is the model they
       were looking for.""",
       ("model versions", "model version", "model date", "model type", "documents",
        "model", "what is it", "ported model", "model description", "description",
        "model information", "model summary",
        "model overview", "background", "model", "details", "model sources", "about the model",
        "overview", "introduction", "about"),
       ("model detail", "model description", "model info", "details")),
    _s("uses", "Uses", 2, "sociotechnic", 10,
       """The job the model was built for, the people expected to use it and the people its
       outputs will affect. Be concrete: a setting, a decision, a population.""",
       ("intended usage", "evaluated use", "model use", "model uses", "use", "usage guidelines",
        "intended users", "primary intended users", "how it is used", "intended uses and users",
        "intended uses", "intended use", "use cases", "use case",
        "direct use", "downstream use", "intended purpose", "primary intended uses",
        "applications", "purpose", "what it is for", "scope"),
       ("intended use", "use case")),
    _s("out_of_scope", "Out-of-Scope Use", 3, "sociotechnic", 8,
       """Uses the model must not be put to, or will do badly at: other populations, other
       time periods, decisions about individuals, anything its training data cannot
       support. Say why for each.""",
       ("out-of-scope use cases", "out of scope use cases", "out-of-scope", "out of scope",
        "limitations of use", "not for", "prohibited use", "misuse and malicious use",
        "out of scope use", "out of scope uses", "out-of-scope uses", "misuse",
        "misuse and out of scope use", "not intended for", "prohibited uses", "unintended uses"),
       ("out-of-scope", "out of scope", "misuse")),
    _s("limitations", "Bias, Risks, and Limitations", 2, "sociotechnic", 14,
       """Where the model fails or treats groups differently, and what could go wrong when
       people rely on it. Readers look for this first and authors skip it most often: name
       the groups, the error rates and the known gaps, and what a user should do about them.""",
       ("fairness and bias",
        "limitations and risks", "risks and harms", "bias risks and limitations",
        "caveats and warnings", "warnings", "known failure modes", "failure modes", "limitations",
        "bias", "risks", "known limitations", "limitations and bias",
        "bias and limitations", "risks and limitations", "caveats", "caveats and recommendations",
        "recommendations", "known issues", "limitations and biases", "bias risks limitations"),
       ("limitation", "bias", "risk", "caveat")),
    _s("get_started", "How to Get Started with the Model", 2, "developer", 3,
       """A short code example that loads the model and makes one prediction, plus a link to
       a demo if there is one. Someone should be able to copy it and see a result in a
       minute.""",
       ("model in action", "how to get started", "usage example", "usage examples",
        "inference example", "sample usage", "how to use the model", "use it", "quick tour",
        "try it", "code example", "usage", "how to use", "how to use the model", "quick start",
        "quickstart",
        "getting started", "get started", "example", "examples", "examples and demo", "demo",
        "inference", "code", "example usage", "use the model", "loading the model"),
       ("usage", "how to use", "get started", "getting started", "quick start", "quickstart",
        "example", "demo")),
    _s("training", "Training Details", 2, "developer", 0,
       """How the model was made; the subsections below hold the details.""",
       ("training", "training details", "training and evaluation", "method", "methods",
        "methodology")),
    _s("environment", "Environment", 3, "developer", 1,
       """The software and hardware the model was trained with: Python and package versions,
       operating system, CPU or GPU. Without them the training cannot be repeated.""",
       ("compute infrastructure", "framework versions", "software and hardware", "infrastructure",
        "training infrastructure", "software", "software environment", "requirements",
        "dependencies", "installation",
        "setup", "compute infrastructure", "hardware", "framework versions",
        "environment setup", "reproducibility"),
       ("framework version", "requirement", "dependenc", "software")),
    _s("training_data", "Training Data", 3, "developer", 10,
       """Which data the model learnt from: how and when they were collected and by whom, who
       owns them and on what licence and terms, how many rows, features and classes, any
       class imbalance or known bias, and what the distribution looks like so that a user
       can tell whether their own data resemble it.""",
       ("pretraining data", "pre-training data", "dataset used", "datasets used", "data used",
        "training corpus", "corpus", "data mission statement", "details of the downstream task",
        "fine-tuning data", "finetuning data", "training and evaluation data", "data", "dataset",
        "datasets", "training dataset", "training datasets", "training set",
        "data collection", "data sources", "training and evaluation data"),
       ("training data", "training set", "training dataset")),
    _s("preprocessing", "Preprocessing", 3, "developer", 2,
       """What was done to the data before training: how they were split into train,
       validation and test sets, scaling or encoding, feature selection, and which rows
       were dropped as outliers or missing.""",
       ("note preprocessing", "tokenization", "tokenisation", "text preprocessing",
        "preprocessing", "pre-processing", "data preprocessing", "data processing",
        "data preparation", "feature engineering", "cleaning", "data cleaning", "filtering"),
       ("preprocess", "pre-process", "data prep", "feature engineering")),
    _s("training_procedure", "Training Procedure", 3, "developer", 3,
       """The model's architecture or algorithm, its hyperparameters and how training ran:
       number of epochs, early stopping, regularisation, how the settings were chosen.""",
       ("model pretraining", "pretraining", "pretraining procedures", "pretraining procedure",
        "pretraining hyperparameters", "model training", "model fine-tuning",
        "how the model was created", "how it was made", "training hyperparameters",
        "training setup", "training regime", "distillation", "fine-tuning procedure",
        "training procedure", "training", "hyperparameters", "hyper parameters",
        "training hyperparameters", "architecture", "model architecture",
        "model architecture and objective", "fine-tuning", "fine tuning", "pre-training",
        "technical specifications", "objective", "algorithm"),
       ("hyperparameter", "hyper parameter", "architecture", "training procedure",
        "fine-tun", "finetun")),
    _s("weights", "Model Weights", 3, "developer", 1,
       """The files that hold the trained model: name, format (safetensors or skops are safe
       to load, pickle is not), size and a sha256 hash so downloads can be verified.""",
       ("weights", "model weights", "checkpoints", "files", "model files", "checkpoint",
        "artifacts", "model artifacts", "serialization"),
       ("weight", "checkpoint", "model file")),
    _s("evaluation", "Evaluation", 2, "developer", 14,
       """How well the model works and how you know: the test data, the metrics and why they
       fit the task, results with uncertainty (a confidence interval), and results for the
       subgroups that matter. More datasets and tasks make a stronger case.""",
       ("eval results", "test set metrics", "test results", "evaluation results", "results",
        "scores", "metrics and results", "benchmark results", "glue results", "evaluation data",
        "testing data factors and metrics", "quantitative analyses", "performance",
        "training results", "evaluation", "evaluation results", "results", "performance",
        "metrics",
        "benchmarks", "benchmark", "testing data factors metrics", "testing data",
        "quantitative analyses", "quantitative analysis", "eval results", "factors",
        "evaluation data", "accuracy"),
       ("evaluat", "result", "performance", "metric", "benchmark")),
    _s("ethics", "Ethical Considerations", 2, "sociotechnic", 6,
       """Whether the model touches people: personal or sensitive data, consent, fairness
       checks done (and their results), possible harms and who bears them, and how the
       decision to release was made.""",
       ("responsible ai considerations", "broader implications", "broader impact",
        "ethical considerations and risks", "safety", "societal impact", "dual use",
        "ethics and safety", "ethical considerations", "ethics", "ethics statement", "fairness",
        "privacy", "responsible ai", "social impact", "ethical considerations and limitations"),
       ("ethic", "fairness", "privacy", "social impact")),
    _s("shift", "Distribution Shift and Monitoring", 2, "developer", 1,
       """The population and time window the training data came from, populations and
       periods the model has not seen, the signs that the world has moved away from the
       training data, and the plan to watch for them after release.""",
       ("distribution shift", "monitoring", "data drift", "drift", "dataset shift",
        "out of distribution", "generalisation", "generalization", "robustness"),
       ("shift", "drift", "monitor", "out-of-distribution", "out of distribution")),
    _s("environmental_impact", "Environmental Impact", 2, "organiser", 1,
       """The energy and carbon cost of training: hardware, hours, where it ran, and an
       estimate of the emissions (the Hub reads co2_eq_emissions from the metadata).""",
       ("carbon footprint", "compute and emissions", "environmental impact", "carbon emissions",
        "co2 emissions", "carbon footprint",
        "energy", "emissions"),
       ("environmental", "carbon", "co2", "emission")),
    _s("citation", "Citation", 2, "organiser", 0,
       """How to cite the model or the paper behind it, as BibTeX.""",
       ("bibtex entry and citation info", "citing", "how to cite", "citation information",
        "cite this model", "paper", "papers", "reference", "citation", "citations", "cite",
        "how to cite", "bibtex", "reference", "references",
        "citing"),
       ("citation", "cite", "bibtex")),
    _s("acknowledgements", "Acknowledgements", 2, "organiser", 0,
       """Who helped and who funded the work; credit for data and code you built on.""",
       ("acknowledgments", "credits", "thanks", "acknowledgements", "acknowledgments",
        "acknowledgement", "acknowledgment", "credits",
        "thanks", "funding"),
       ("acknowledg", "credit")),
    _s("contact", "Model Card Contact", 2, "organiser", 3,
       """How to reach the people responsible: an e-mail, an issue tracker or a discussion
       page, and who wrote this card.""",
       ("feedback", "where to send questions or comments about the model", "questions?",
        "questions", "get in touch", "contact us", "model card authors", "authors", "created by",
        "maintainers", "contributors", "contact", "contact information", "contact info",
        "model card authors",
        "model card contact", "authors", "maintainers", "questions", "feedback", "support",
        "team"),
       ("contact", "maintainer", "author")),
)

DATASET_SECTIONS: tuple[SectionSpec, ...] = (
    _s("summary", "Summary", 1, "organiser", 5,
       """Two or three sentences: what the dataset holds, where it comes from and what it is
       meant for.""",
       ("dataset summary", "summary", "dataset description", "description", "about", "overview",
        "tl;dr" )),
    _s("motivation", "Motivation", 2, "organiser", 9,
       """Why the dataset was made, by whom and with whose money; which task or gap it was
       meant to address.""",
       ("curation rationale", "motivation", "purpose", "why", "rationale", "dataset motivation"),
       ("motivation", "purpose")),
    _s("composition", "Composition", 2, "developer", 6,
       """What one row stands for, how many rows there are, which fields and their types,
       missing values, the label if any, whether it is a sample of something bigger, and
       whether any of it identifies people or is sensitive.""",
       ("dataset structure", "data structure", "data instances", "data fields", "data splits",
        "structure", "content", "contents", "fields", "schema", "statistics", "languages",
        "data format", "dataset composition", "data splits sample size" ),
       ("composition", "structure", "field", "instance", "split", "schema")),
    _s("collection", "Collection Process", 2, "developer", 18,
       """How the data were gathered: by whom, when, with what instrument or sampling
       scheme; whether the people in the data knew and agreed.""",
       ("collection", "data collection", "source data", "data collection and processing",
        "initial data collection and normalization", "who are the source language producers",
        "who are the source data producers", "source language producers",
        "how the data were collected", "sampling", "provenance", "dataset creation",
        "data sources", "collection process" ),
       ("collect", "source data", "provenance", "sampling")),
    _s("preprocessing", "Preprocessing, Cleaning and Labelling", 2, "developer", 11,
       """What was done to the raw data: cleaning, filtering, anonymisation, labelling and by
       whom; whether the raw data are kept somewhere.""",
       ("preprocessing", "cleaning", "labelling", "labeling", "annotations", "annotation",
        "annotation process", "who are the annotators", "annotators", "data processing",
        "data cleaning" ),
       ("preprocess", "clean", "label", "annotat")),
    _s("uses", "Uses", 2, "sociotechnic", 6,
       """Tasks the dataset has been used for and fits, and tasks it should not be used for,
       with the reason.""",
       ("uses", "intended uses", "direct use", "out-of-scope use", "use cases", "supported tasks",
        "supported tasks and leaderboards", "tasks", "intended use", "leaderboards" ),
       ("use", "task")),
    _s("considerations", "Bias, Risks, and Limitations", 2, "sociotechnic", 24,
       """Known bias, gaps in coverage, risks to the people in the data, and what a user
       should watch out for.""",
       ("considerations for using the data", "bias", "biases", "limitations", "risks",
        "social impact", "social impact of dataset", "discussion of biases",
        "other known limitations", "known issues", "recommendations",
        "personal and sensitive information", "bias risks and limitations",
        "ethical considerations", "privacy" ),
       ("bias", "limitation", "risk", "consideration", "known issue")),
    _s("distribution", "Distribution and Licence", 2, "organiser", 5,
       """Where the data can be obtained, under which licence and terms of use, and any
       restrictions from the original owners.""",
       ("distribution", "licence", "license", "licensing information", "licensing",
        "terms of use", "access", "availability", "license information" ),
       ("licen", "distribut", "terms of use")),
    _s("maintenance", "Maintenance", 2, "organiser", 4,
       """Who looks after the dataset, how errors are reported and fixed, and whether new
       versions will come.""",
       ("maintenance", "updates", "versioning", "dataset curators", "curators", "contact",
        "point of contact", "dataset card contact", "dataset card authors" ),
       ("mainten", "curator", "contact", "version")),
    _s("citation", "Citation", 2, "organiser", 2,
       """How to cite the dataset.""",
       ("citation", "citation information", "cite", "bibtex", "references", "citing",
        "how to cite" ),
       ("citation", "cite", "bibtex")),
)


def section_specs(repo_type: str = "model") -> tuple[SectionSpec, ...]:
    """The section table for ``"model"`` or ``"dataset"`` cards."""
    return DATASET_SECTIONS if repo_type == "dataset" else MODEL_SECTIONS


def section(section_id: str, repo_type: str = "model") -> SectionSpec:
    """The spec for one section id; raises ValueError listing the valid ids."""
    for spec in section_specs(repo_type):
        if spec.id == section_id:
            return spec
    valid = ", ".join(s.id for s in section_specs(repo_type))
    raise ValueError(f"No {repo_type} card section {section_id!r}; use one of the valid ids: "
                     f"{valid}.")


_STRIP = re.compile(r"\[optional\]|\(optional\)|[`*_#:]|\(.*?\)|\[|\]")


def normalise_heading(title: str) -> str:
    """'## Usage (Sentence-Transformers) [optional]' -> 'usage'; 'Model in Action 🚀' -> 'model in action'.

    " - ", "&", "/" and "," between words become "and", so each part can be recognised.
    """
    t = _STRIP.sub(" ", title.lower())
    t = re.sub(r"^\s*(\d+(\.\d+)*\.?|[ivx]+\.)\s+", "", t)  # numbering: "3.", "2.1", "iv."
    t = re.sub(r"\s+-\s+|[&/,;+]", " and ", t)
    t = re.sub(r"[^\w\s.'-]", " ", t)  # emoji, question marks, quotes
    return " ".join(t.split()).strip(" .-")


@cache
def _tables(repo_type: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    keywords: list[tuple[str, str]] = []
    for spec in section_specs(repo_type):
        for name in (spec.title, *spec.synonyms):
            exact.setdefault(normalise_heading(name), spec.id)
        keywords += [(k, spec.id) for k in spec.keywords]
    # "environmental impact" must win over "environment", "out of scope" over "use".
    keywords.sort(key=lambda kv: -len(kv[0]))
    return exact, keywords


@cache
def recognise_all(title: str, repo_type: str = "model") -> tuple[str, ...]:
    """Every section a heading covers: "Intended uses & limitations" -> ('uses', 'limitations').

    A heading that is a known name as a whole counts for that one section only.
    """
    first = recognise(title, repo_type)
    norm = normalise_heading(title)
    if norm in _tables(repo_type)[0]:
        return (first,) if first else ()
    ids = [first] if first else []
    for part in re.split(r"\band\b", norm):
        found = recognise(part, repo_type) if part.strip() else None
        if found and found not in ids and found != "training":
            ids.append(found)
    return tuple(ids)


def recognise_exact(title: str, repo_type: str = "model") -> str | None:
    """The section id a heading names exactly (a title or synonym, no keyword match), or None.

    >>> recognise_exact("Model Details"), recognise_exact("TAPAS fine-tuned on WTQ")
    ('details', None)
    """
    return _tables(repo_type)[0].get(normalise_heading(title))


@cache
def recognise(title: str, repo_type: str = "model") -> str | None:
    """The section id a heading stands for, or None.

    Exact synonyms are tried first, then keywords (the longest first), so
    "Usage (HuggingFace Transformers)" is ``get_started`` and "Intended uses"
    is ``uses``.
    """
    norm = normalise_heading(title)
    if not norm:
        return None
    exact, keywords = _tables(repo_type)
    if norm in exact:
        return exact[norm]
    for word, section_id in keywords:
        if word in norm:
            return section_id
    return None

