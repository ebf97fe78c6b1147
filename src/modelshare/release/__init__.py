"""Release a trained model: prepare a folder, scan it, plan, publish, verify.

The five steps of lesson 05, one module each, every one a small function that ends
in a library call a learner can open (``skops.io``, ``save_pretrained``, ``HfApi``):

==========================  ===================================================
:mod:`~.prepare`            write weights (no pickle), card, example.py, evaluate.py
:mod:`~.scan`               find secrets, pickles, big files, personal data
:mod:`~.plan`               what publish would send, and where (a dry run)
:mod:`~.publish`            create_repo + upload_folder + a version tag
:mod:`~.verify`             download, load, rerun and compare, as a stranger would
:mod:`~.cli`                ``modelshare release scan | plan | publish | verify``
``templates/``              the scripts prepare writes (example.py, evaluate.py)
==========================  ===================================================

    >>> from modelshare import release
    >>> folder = release.prepare(model, "_work/income", card=card_text,      # doctest: +SKIP
    ...                          example_input=X_test.head(3),
    ...                          evaluation=release.Evaluation(X_test, y_test, "gss_wages"))
    >>> print(release.scan(folder))                                          # doctest: +SKIP
    No findings in 6 files.
    >>> print(release.plan(folder, "learner/income-classifier", api=api))   # doctest: +SKIP
    >>> release.publish(folder, "learner/income-classifier", version="v1.0", api=api)  # doctest: +SKIP
    >>> print(release.verify("learner/income-classifier", "v1.0", api=api))  # doctest: +SKIP

``huggingface_hub`` reads ``HF_ENDPOINT`` once, when it is imported, so every
function that talks to a hub takes an optional ``api`` (``HfApi(endpoint=...,
token=...)``): pass one to be sure which hub you talk to.
"""

from modelshare.release.plan import Plan, PlannedFile, plan, token_source
from modelshare.release.prepare import Evaluation, prepare
from modelshare.release.publish import Published, ReleaseError, publish
from modelshare.release.scan import (
    AWS_SECRET_NAME,
    MAX_SIZE,
    MB,
    SECRETS,
    Finding,
    ScanReport,
    scan,
    scan_file,
)
from modelshare.release.verify import (
    Check,
    Difference,
    VerifyReport,
    card_claims,
    run_in_fresh_python,
    verify,
)

__all__ = [
    "AWS_SECRET_NAME", "MAX_SIZE", "MB", "SECRETS", "Check", "Difference", "Evaluation",
    "Finding", "Plan", "PlannedFile", "Published", "ReleaseError", "ScanReport", "VerifyReport",
    "card_claims", "plan", "prepare", "publish", "run_in_fresh_python", "scan", "scan_file",
    "token_source", "verify",
]
