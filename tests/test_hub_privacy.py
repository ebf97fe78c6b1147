"""A private repo never shows, to anyone but its owner and the hub's admins: not in search,
listings, expanded fields, discussions, pull requests and their diffs, downloads (also of
``refs/pr/N``), HfFileSystem, moves, download counters, the web pages, nor through the LFS
store its large files sit in. Through the real client wherever a client can ask; raw HTTP
where the request is one no client sends (an attacker's)."""

from __future__ import annotations

import hashlib
import json

import pytest
from hub_helpers import add_user, http, own_hub
from huggingface_hub import HfApi, HfFileSystem, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from modelshare.hub.server import running

SECRET_CARD = (b"---\nlicense: mit\nlibrary_name: sklearn\ntags: [diary-tag]\n---\n"
               b"# Dear diary\n")
SECRET_WEIGHTS = b"\0private weights\0" * 5000


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with own_hub(tmp_path_factory.mktemp("hub-privacy")) as hub:
        owner = HfApi(endpoint=hub.endpoint, token=hub.token)
        owner.create_repo("learner/diary", private=True)
        owner.upload_file(path_or_fileobj=SECRET_CARD, path_in_repo="README.md",
                          repo_id="learner/diary")
        owner.upload_file(path_or_fileobj=b"{}", path_in_repo="config.json",
                          repo_id="learner/diary")
        owner.upload_file(path_or_fileobj=SECRET_WEIGHTS, path_in_repo="weights.bin",
                          repo_id="learner/diary")
        owner.create_discussion("learner/diary", title="Note to self", description="hidden")
        owner.upload_file(path_or_fileobj=b"# Dear diary, edited\n", path_in_repo="notes.md",
                          repo_id="learner/diary", create_pr=True, commit_message="Edit notes")
        yield hub


@pytest.fixture(scope="module", params=["anonymous", "another learner"])
def stranger(request, hub) -> HfApi:
    token = False if request.param == "anonymous" else add_user(hub, "ada")
    return HfApi(endpoint=hub.endpoint, token=token)


def test_search_and_listings_never_show_a_private_repo(hub, stranger):
    for listing in (stranger.list_models(), stranger.list_models(search="diary"),
                    stranger.list_models(author="learner"), stranger.list_models(author="LEARNER"),
                    stranger.list_models(filter="diary-tag"), stranger.list_models(full=True),
                    stranger.list_models(cardData=True),
                    stranger.list_models(expand=["cardData", "private", "downloads"])):
        assert "learner/diary" not in [m.id for m in listing]
    owner = HfApi(endpoint=hub.endpoint, token=hub.token)
    assert [m.id for m in owner.list_models(filter="diary-tag")] == ["learner/diary"]


def test_reads_of_a_private_repo_say_not_found(hub, stranger, tmp_path):
    for read in (lambda: stranger.model_info("learner/diary"),
                 lambda: stranger.model_info("learner/diary", expand=["cardData"]),
                 lambda: stranger.list_repo_files("learner/diary", revision="refs/pr/2"),
                 lambda: stranger.list_repo_refs("learner/diary", include_pull_requests=True),
                 lambda: list(stranger.get_repo_discussions("learner/diary")),
                 lambda: stranger.get_discussion_details("learner/diary", 2),
                 lambda: stranger.auth_check("learner/diary")):
        with pytest.raises(RepositoryNotFoundError):
            read()
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("learner/diary", "notes.md", revision="refs/pr/2", endpoint=hub.endpoint,
                        token=stranger.token, cache_dir=tmp_path)
    fs = HfFileSystem(endpoint=hub.endpoint, token=stranger.token, skip_instance_cache=True)
    with pytest.raises(FileNotFoundError):
        fs.ls("learner/diary")


def test_writes_to_a_private_repo_say_not_found_too(hub, stranger):
    """Not 403: a 403 would tell a stranger that the repo exists."""
    if stranger.token is False:
        pytest.skip("anonymous writes are refused before any repo is looked up (401)")
    for write in (lambda: stranger.create_discussion("learner/diary", title="Hello there"),
                  lambda: stranger.comment_discussion("learner/diary", 1, "Hi"),
                  lambda: stranger.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt",
                                               repo_id="learner/diary", create_pr=True),
                  lambda: stranger.move_repo("learner/diary", "ada/diary")):
        with pytest.raises(RepositoryNotFoundError):
            write()


def test_strangers_do_not_move_a_private_repos_download_counter(hub, stranger, tmp_path):
    owner = HfApi(endpoint=hub.endpoint, token=hub.token)
    before = owner.model_info("learner/diary", expand=["downloads"]).downloads
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("learner/diary", "config.json", endpoint=hub.endpoint,
                        token=stranger.token, cache_dir=tmp_path)
    assert owner.model_info("learner/diary", expand=["downloads"]).downloads == before


def test_moving_onto_or_away_from_a_private_id_reveals_nothing(hub):
    """Moves stay inside your own namespace; the old id of a moved private repo is as
    invisible as the repo."""
    owner = HfApi(endpoint=hub.endpoint, token=hub.token)
    ada = HfApi(endpoint=hub.endpoint, token=add_user(hub, "ada"))
    ada.create_repo("ada/public-notes")
    with pytest.raises(HfHubHTTPError) as error:
        ada.move_repo("ada/public-notes", "learner/diary")
    assert error.value.response.status_code == 403  # not 409: it says nothing of learner's repos
    owner.create_repo("learner/old-name", private=True)
    owner.move_repo("learner/old-name", "learner/new-name")
    with pytest.raises(RepositoryNotFoundError):
        ada.model_info("learner/old-name")
    assert owner.model_info("learner/old-name").id == "learner/new-name"


def test_the_web_pages_show_no_private_repo_nor_that_one_exists(hub):
    for path in ("/", "/?search=diary", "/?filter=diary-tag"):
        status, _, body = http(hub, "GET", path, token=None)
        assert status == 200 and b'href="/learner/diary"' not in body, path
        assert b"diary-tag</a>" not in body and b"0 results" in body or path == "/"
    for path in ("/learner/diary", "/learner/diary/discussions", "/learner/diary/discussions/2",
                 "/learner/diary?revision=refs%2Fpr%2F2", "/learner/diary/resolve/main/README.md"):
        status, _, body = http(hub, "GET", path, token=None)
        assert status == 404 and b"Dear diary" not in body and b"Note to self" not in body, path
    # a hub whose only repos are private looks empty to a stranger, not "nothing matches"
    with running(hub.data_dir.parent / "only-private") as other:
        HfApi(endpoint=other.endpoint, token=other.token).create_repo("learner/x", private=True)
        _, _, body = http(other, "GET", "/", token=None)
        assert b"No repositories yet" in body


def lfs_batch(hub, repo_id: str, token: str, data: bytes) -> dict:
    body = {"operation": "upload", "transfers": ["basic"],
            "objects": [{"oid": hashlib.sha256(data).hexdigest(), "size": len(data)}]}
    status, _, answer = http(hub, "POST", f"/{repo_id}.git/info/lfs/objects/batch", body,
                             token=token, headers={"Accept": "application/vnd.git-lfs+json"})
    assert status == 200, answer
    return json.loads(answer)["objects"][0]


def test_the_lfs_store_does_not_tell_or_lend_another_repos_files(hub):
    """Large files are stored once, by their sha256, for the whole hub. Asking to upload
    bytes that only a private repo holds must look like asking for new bytes (else the
    answer 'already here' confirms a guess of what the private repo contains), and a commit
    may not point at them without uploading them (else knowing a sha256 and size would be
    enough to copy a private file into your own repo and download it)."""
    token = add_user(hub, "ada")
    ada = HfApi(endpoint=hub.endpoint, token=token)
    ada.create_repo("ada/probe")
    answer = lfs_batch(hub, "ada/probe", token, SECRET_WEIGHTS)
    assert "upload" in answer.get("actions", {}), answer  # "please send it", as for new bytes
    pointer = {"key": "lfsFile", "value": {"path": "stolen.bin", "algo": "sha256",
                                           "oid": hashlib.sha256(SECRET_WEIGHTS).hexdigest(),
                                           "size": len(SECRET_WEIGHTS)}}
    lines = [{"key": "header", "value": {"summary": "borrow"}}, pointer]
    status, headers, _ = http(hub, "POST", "/api/models/ada/probe/commit/main",
                              b"\n".join(json.dumps(line).encode() for line in lines),
                              token=token, headers={"Content-Type": "application/x-ndjson"})
    assert status == 400 and "was not uploaded" in headers["X-Error-Message"]
    assert "stolen.bin" not in ada.list_repo_files("ada/probe")
    # the owner's own repo still knows its bytes: nothing to send again
    assert "actions" not in lfs_batch(hub, "learner/diary", hub.token, SECRET_WEIGHTS)


def test_a_file_the_hub_stored_from_its_own_disk_is_lent_to_every_repo(hub, tmp_path):
    """The community seed stores large files it has on disk (MiniLM's weights) with
    put_file, hard-linked, so that the upload that follows sends nothing. Those bytes came
    from the hub's machine, not from a learner: any repo may use them without sending them,
    the file is linked rather than copied, and its mode is left as it was."""
    from modelshare.hub.server.storage import Storage

    weights = tmp_path / "shared.bin"
    weights.write_bytes(b"\1seeded weights\1" * 5000)
    weights.chmod(0o600)
    sha256 = Storage(hub.data_dir).put_file(weights)
    assert weights.stat().st_nlink == 2 and weights.stat().st_mode & 0o777 == 0o600
    token = add_user(hub, "grace")
    grace = HfApi(endpoint=hub.endpoint, token=token)
    grace.create_repo("grace/reuse")
    assert "actions" not in lfs_batch(hub, "grace/reuse", token, weights.read_bytes())
    grace.upload_file(path_or_fileobj=str(weights), path_in_repo="model.bin",
                      repo_id="grace/reuse")
    [entry] = grace.get_paths_info("grace/reuse", ["model.bin"])
    assert entry.lfs.sha256 == sha256
    assert weights.stat().st_nlink == 2  # the upload sent nothing, the link stayed
