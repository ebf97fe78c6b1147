"""No lost commits with 20 clients at once; a killed server keeps its last complete commit."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from http.client import HTTPConnection
from urllib.parse import urlparse

import pytest
from hub_helpers import http
from huggingface_hub import HfApi, constants, hf_hub_download

from modelshare.hub.server import running, start

CLIENTS = 20


@pytest.fixture(autouse=True, scope="module")
def no_xet():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        yield


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_twenty_clients_committing_at_once_lose_nothing(tmp_path):
    with running(tmp_path / "hub") as hub:
        HfApi(endpoint=hub.endpoint, token=hub.token).create_repo("learner/shared")
        barrier = threading.Barrier(CLIENTS)
        sent: dict[str, tuple[str, str]] = {}  # path -> (repo, sha256)
        errors: list[BaseException] = []

        def client(number: int) -> None:
            try:
                api = HfApi(endpoint=hub.endpoint, token=hub.token)
                # half the clients share one repo, the others each have their own
                repo = "learner/shared" if number % 2 else f"learner/own-{number}"
                if repo != "learner/shared":
                    api.create_repo(repo)
                size = 1_100_000 if number % 4 < 2 else 5_000  # LFS and inline files
                content = os.urandom(size)
                path = f"client-{number:02d}.bin" if size > 5_000 else f"client-{number:02d}.txt"
                sent[path] = (repo, sha256(content))
                barrier.wait(timeout=60)
                api.upload_file(path_or_fileobj=content, path_in_repo=path, repo_id=repo,
                                commit_message=f"client {number}")
            except BaseException as error:  # reported below, with the client's number
                errors.append(error)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors

        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        shared_titles = [c.title for c in api.list_repo_commits("learner/shared")]
        assert sorted(shared_titles) == sorted(
            ["initial commit"] + [f"client {n}" for n in range(1, CLIENTS, 2)])
        for path, (repo, digest) in sent.items():
            local = hf_hub_download(repo, path, endpoint=hub.endpoint, token=hub.token,
                                    cache_dir=tmp_path / "cache")
            assert sha256(open(local, "rb").read()) == digest, path


def start_partial_lfs_upload(hub, repo_path: str, size: int, sent: int):
    """Ask for an LFS upload link, send ``sent`` of ``size`` bytes; return (connection, oid)."""
    content = os.urandom(size)
    oid = sha256(content)
    status, _, body = http(hub, "POST", f"/{repo_path}.git/info/lfs/objects/batch",
                           {"operation": "upload", "objects": [{"oid": oid, "size": size}]})
    assert status == 200
    href = urlparse(json.loads(body)["objects"][0]["actions"]["upload"]["href"])
    connection = HTTPConnection(href.hostname, href.port, timeout=30)
    connection.putrequest("PUT", f"{href.path}?{href.query}")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    connection.send(content[:sent])
    return connection, oid


@pytest.mark.slow
def test_sigkill_during_an_upload_keeps_the_last_complete_commit(tmp_path):
    data = tmp_path / "hub"
    hub = start(data)
    try:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/crash")
        good = api.upload_file(path_or_fileobj=b"version 1", path_in_repo="model.txt",
                               repo_id="learner/crash", commit_message="v1").oid
        connection, oid = start_partial_lfs_upload(hub, "learner/crash", 10_000_000, 6_000_000)
        deadline = time.monotonic() + 10  # wait until the server is writing the upload
        while not any(f.stat().st_size for f in (data / "tmp").iterdir()):
            assert time.monotonic() < deadline, "the server never started writing the upload"
            time.sleep(0.05)
        # and a commit whose NDJSON body is only half sent
        line = json.dumps({"key": "file", "value": {"path": "half.txt", "content": "eA=="}})
        body = json.dumps({"key": "header", "value": {"summary": "half"}}) + "\n" + line
        commit = HTTPConnection(urlparse(hub.endpoint).hostname, urlparse(hub.endpoint).port)
        commit.putrequest("POST", "/api/models/learner/crash/commit/main")
        commit.putheader("Authorization", f"Bearer {hub.token}")
        commit.putheader("Content-Type", "application/x-ndjson")
        commit.putheader("Content-Length", str(len(body) + 1000))
        commit.endheaders()
        commit.send(body.encode())
        time.sleep(0.3)
        hub.kill()
        connection.close()
        commit.close()
    finally:
        hub.stop()

    with running(data) as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        assert api.model_info("learner/crash").sha == good
        assert api.list_repo_files("learner/crash") == [".gitattributes", "model.txt"]
        assert list((data / "tmp").iterdir()) == []  # the half-written upload is gone
        assert "half" not in [c.title for c in api.list_repo_commits("learner/crash")]
        assert not (data / "blobs" / oid[:2] / oid[2:]).exists()
        # still accepting commits, including the upload that was cut off
        api.upload_file(path_or_fileobj=b"version 2", path_in_repo="model.txt",
                        repo_id="learner/crash", commit_message="v2")
        api.upload_file(path_or_fileobj=os.urandom(1_500_000), path_in_repo="weights.bin",
                        repo_id="learner/crash")
        titles = [c.title for c in api.list_repo_commits("learner/crash")]
        assert titles[:2] == ["Upload weights.bin with huggingface_hub", "v2"]
        old = hf_hub_download("learner/crash", "model.txt", revision=good,
                              endpoint=hub.endpoint, token=hub.token, cache_dir=tmp_path / "c")
        assert open(old).read() == "version 1"


@pytest.mark.slow
def test_data_survives_a_restart(tmp_path):
    with running(tmp_path / "hub") as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/durable", private=True)
        commit = api.upload_file(path_or_fileobj=b"kept", path_in_repo="kept.txt",
                                 repo_id="learner/durable")
        api.create_tag("learner/durable", tag="v1")
        token = hub.token
        with pytest.raises(RuntimeError, match="already serving"):
            start(tmp_path / "hub")  # one server per data folder
    with running(tmp_path / "hub") as hub:
        assert hub.token == token  # the owner keeps their token
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        info = api.model_info("learner/durable", revision="v1")
        assert info.sha == commit.oid and info.private
        path = hf_hub_download("learner/durable", "kept.txt", endpoint=hub.endpoint,
                               token=hub.token, cache_dir=tmp_path / "cache")
        assert open(path).read() == "kept"
