"""The repos some of huggingface_hub's "production" tests read, rebuilt on the workshop hub.

Those tests read a few repos of huggingface.co by name (``julien-c/dummy-unknown``, the
cache-layout repo...). Where a test asks only that such a repo exist with certain files,
branches or pull requests, and then checks what the *client* and the *hub* do with them
(downloads, caching by commit, ``refs/pr/N``, a renamed repo, expand fields, pagination),
``run.py`` builds the repo here before the run and the test is in scope (``[[in]]`` of
``scope.toml`` names each one). The files are this project's own: a small JSON config,
a card, a few bytes of "weights"; the only contents taken from a test are those the test
itself sets out as its fixture (the cache-layout repo's ``File 0``...). A test that checks
facts of huggingface.co's data (a commit id, a size, a date, how many repos match) stays
out of scope: ``scope.toml`` says why.

Built through the real client, as the owners would (``create_repo``, ``create_commit``,
``create_branch``, ``create_pull_request``, ``move_repo``), so what a test reads went
through the hub's own API.
"""

from __future__ import annotations

import json

from huggingface_hub import CommitOperationAdd, HfApi

CARD = "---\nlicense: mit\nlibrary_name: transformers\ntags: [conformance]\n---\n# {name}\n\nA repo of the conformance run.\n"
CONFIG = json.dumps({"architectures": ["BertForMaskedLM"], "model_type": "bert",
                     "hidden_size": 32}, indent=2).encode()
OWNERS = ("julien-c", "hf-internal-testing", "HuggingFaceH4", "openchat",
          "open-llm-leaderboard", "muellerzr")


def _files(api: HfApi, repo_id: str, files: dict[str, bytes], revision: str = "main",
           repo_type: str = "model", message: str = "Add files") -> None:
    api.create_commit(repo_id, [CommitOperationAdd(path, data) for path, data in files.items()],
                      commit_message=message, revision=revision, repo_type=repo_type)


def build(endpoint: str, tokens: dict[str, str]) -> list[str]:
    """Create every known repo on the hub at ``endpoint``; ``tokens``: each owner's token.
    Returns the repo ids, for the run's log."""
    def as_owner(name: str) -> HfApi:
        return HfApi(endpoint=endpoint, token=tokens[name])

    made = []
    # DUMMY_MODEL_ID: a config, a card, LFS "weights", and a pull request refs/pr/1.
    julien = as_owner("julien-c")
    julien.create_repo("julien-c/dummy-unknown")
    _files(julien, "julien-c/dummy-unknown", {
        "README.md": CARD.format(name="dummy-unknown").encode(), "config.json": CONFIG,
        "pytorch_model.bin": bytes(range(256)) * 64})
    julien.create_commit("julien-c/dummy-unknown", create_pr=True, commit_message="Say more",
                         operations=[CommitOperationAdd("README.md", CARD.format(
                             name="dummy-unknown, edited").encode())])
    made.append("julien-c/dummy-unknown")

    # DUMMY_RENAMED_OLD_MODEL_ID: a repo moved to a new name; its old name still works.
    testing = as_owner("hf-internal-testing")
    testing.create_repo("hf-internal-testing/dummy-will-be-renamed")
    _files(testing, "hf-internal-testing/dummy-will-be-renamed", {"config.json": CONFIG})
    testing.move_repo("hf-internal-testing/dummy-will-be-renamed",
                      "hf-internal-testing/dummy-renamed")
    made.append("hf-internal-testing/dummy-renamed (was dummy-will-be-renamed)")

    # test_cache_layout.py's repo, as its tests set it out: file_0 and file_1 on main,
    # branch file-2 adds file_2, branch file-3 adds file_3 (5 distinct files in all).
    layout = "hf-internal-testing/hfh-cache-layout"
    testing.create_repo(layout)
    _files(testing, layout, {"file_0.txt": b"File 0\n", "file_1.txt": b"File 1\n"})
    for number in (2, 3):
        testing.create_branch(layout, branch=f"file-{number}")
        _files(testing, layout, {f"file_{number}.txt": f"File {number}\n".encode()},
               revision=f"file-{number}")
    made.append(layout)

    # A model, a dataset and a Space of one owner, for the expand=... tests.
    h4 = as_owner("HuggingFaceH4")
    h4.create_repo("HuggingFaceH4/zephyr-7b-beta")
    _files(h4, "HuggingFaceH4/zephyr-7b-beta", {
        "README.md": CARD.format(name="zephyr-7b-beta").encode(), "config.json": CONFIG})
    h4.create_repo("HuggingFaceH4/no_robots", repo_type="dataset")
    _files(h4, "HuggingFaceH4/no_robots", {"README.md": b"---\nlicense: cc-by-nc-4.0\n---\n# no_robots\n"},
           repo_type="dataset")
    h4.create_repo("HuggingFaceH4/zephyr-chat", repo_type="space", space_sdk="gradio")
    made += ["HuggingFaceH4/zephyr-7b-beta", "HuggingFaceH4/no_robots (dataset)",
             "HuggingFaceH4/zephyr-chat (space)"]

    # A model with two pull requests (list_repo_refs(include_pull_requests=True)).
    chat = as_owner("openchat")
    chat.create_repo("openchat/openchat_3.5")
    for number in (1, 2):
        chat.upload_file(path_or_fileobj=f"note {number}\n".encode(), path_in_repo="notes.txt",
                         repo_id="openchat/openchat_3.5", create_pr=True)
    made.append("openchat/openchat_3.5")

    # A Space with more discussions than one page holds (50): the client must page.
    board = as_owner("open-llm-leaderboard")
    space = "open-llm-leaderboard/open_llm_leaderboard"
    board.create_repo(space, repo_type="space", space_sdk="gradio")
    for number in range(51):
        board.create_discussion(space, title=f"Question {number}", repo_type="space")
    made.append(space + " (space, 51 discussions)")

    # An author and a name that each match a repo, but never the same one: the test that
    # asks for both then finds nothing because the filters combine, not because nothing exists.
    zach = as_owner("muellerzr")
    zach.create_repo("muellerzr/conformance-notes")
    testing.create_repo("hf-internal-testing/testme")
    made += ["muellerzr/conformance-notes", "hf-internal-testing/testme"]
    return made
