"""Bad input gets the right error: paths, sizes, NDJSON, tokens, private repos, users."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys

import pytest
from hub_helpers import http
from huggingface_hub import HfApi, ModelCard, constants
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

from modelshare.hub.server import running


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    # small limits so that "too large" is cheap to test: 1 MB requests, 2 MB files
    args = ("--max-request-size", "1", "--max-file-size", "2")
    with running(tmp_path_factory.mktemp("hub-safety"), extra_args=args) as hub:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(constants, "HF_HUB_DISABLE_XET", True)
            HfApi(endpoint=hub.endpoint, token=hub.token).create_repo("learner/target")
            yield hub


def add_user(hub, name: str) -> str:
    """`modelshare hub add-user NAME` on the running hub's data folder; returns the token."""
    result = subprocess.run(
        [sys.executable, "-m", "modelshare.cli", "hub", "add-user", name, "--data",
         str(hub.data_dir)], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def commit_lines(*operations: dict, header: dict | None = None) -> bytes:
    lines = [{"key": "header", "value": header or {"summary": "test"}}, *operations]
    return b"\n".join(json.dumps(line).encode() for line in lines)


def inline(path: str, content: bytes = b"x") -> dict:
    return {"key": "file", "value": {"path": path, "content": base64.b64encode(content).decode(),
                                     "encoding": "base64"}}


def post_commit(hub, body: bytes, token: str | None = "owner"):
    return http(hub, "POST", "/api/models/learner/target/commit/main", body, token=token,
                headers={"Content-Type": "application/x-ndjson"})


@pytest.mark.parametrize("path", ["../escape.txt", "/etc/passwd", "a/../../b", "a//b", "./a",
                                  ".git/config", "..\\up.txt", "C:/x", "tab\there"])
def test_odd_paths_are_refused_in_commits(hub, path):
    status, headers, body = post_commit(hub, commit_lines(inline(path)))
    assert status == 422  # as the Hub answers
    assert "invalid path" in headers["X-Error-Message"]


def test_a_backslash_is_part_of_a_file_name_and_the_client_warns(hub, caplog):
    """As on the Hub, 'data\\x.csv' is one file (not a folder): stored, with a warning the
    client logs for its user (a Windows path joined with backslashes is a common slip)."""
    api = HfApi(endpoint=hub.endpoint, token=hub.token)
    with caplog.at_level("WARNING", logger="huggingface_hub"):
        api.upload_file(path_or_fileobj=b"a,b\n", path_in_repo="data\\x.csv",
                        repo_id="learner/target")
    assert "data\\x.csv" in api.list_repo_files("learner/target")
    assert any("backslash" in record.message for record in caplog.records)


def test_traversal_in_a_download_url_is_refused(hub):
    status, headers, _ = http(hub, "GET", "/learner/target/resolve/main/..%2F..%2Fhub.sqlite")
    assert status == 422 and "invalid path" in headers["X-Error-Message"]
    status, _, _ = http(hub, "GET", "/learner/target/resolve/main/%2Fetc%2Fpasswd")
    assert status == 422


def test_odd_repo_names_are_refused(hub):
    for name in ("../x", "a/b", "x.git", "api", "-x", "a--b", ""):
        status, headers, _ = http(hub, "POST", "/api/repos/create", {"name": name})
        assert status == 400, name
        assert "invalid repo name" in headers["X-Error-Message"] or \
            "reserved" in headers["X-Error-Message"]


def test_malformed_ndjson_says_which_line(hub):
    status, headers, _ = post_commit(hub, commit_lines() + b"\nthis is not json\n")
    assert status == 400 and "line 2" in headers["X-Error-Message"]
    status, headers, _ = post_commit(hub, json.dumps(inline("a.txt")).encode())
    assert status == 400 and "header" in headers["X-Error-Message"]
    status, headers, _ = post_commit(hub, commit_lines({"key": "rename", "value": {}}))
    assert status == 400 and "unknown operation" in headers["X-Error-Message"]
    missing = {"key": "lfsFile", "value": {"path": "w.bin", "algo": "sha256",
                                           "oid": "0" * 64, "size": 3}}
    status, headers, _ = post_commit(hub, commit_lines(missing))
    assert status == 400 and "was not uploaded" in headers["X-Error-Message"]


def test_malformed_preupload_and_paths_info_get_400(hub):
    status, headers, _ = http(hub, "POST", "/api/models/learner/target/preupload/main",
                              {"files": [{"path": "a.txt", "size": "big", "sample": "!!"}]})
    assert status == 400 and "sample base64" in headers["X-Error-Message"]
    status, _, _ = http(hub, "POST", "/api/models/learner/target/preupload/main", {"files": 3})
    assert status == 400
    status, _, _ = http(hub, "POST", "/api/models/learner/target/paths-info/main", b"{oops",
                        headers={"Content-Type": "application/json"})
    assert status == 400


def test_a_stale_parent_commit_is_refused(hub):
    api = HfApi(endpoint=hub.endpoint, token=hub.token)
    old = api.model_info("learner/target").sha
    api.upload_file(path_or_fileobj=b"new", path_in_repo="new.txt", repo_id="learner/target")
    status, headers, _ = post_commit(hub, commit_lines(inline("late.txt"),
                                                       header={"summary": "late",
                                                               "parentCommit": old}))
    assert status == 412 and "A commit has happened" in headers["X-Error-Message"]


def test_oversized_request_and_file_are_refused(hub):
    status, headers, _ = post_commit(hub, commit_lines(inline("big.txt", b"x" * 1_200_000)))
    assert status == 413 and "limit" in headers["X-Error-Message"]
    api = HfApi(endpoint=hub.endpoint, token=hub.token)
    with pytest.raises(Exception, match="limit of 2097152 bytes"):
        api.upload_file(path_or_fileobj=os.urandom(2_200_000), path_in_repo="huge.bin",
                        repo_id="learner/target")
    assert not api.file_exists("learner/target", "huge.bin")


def test_lfs_upload_must_match_its_announcement(hub):
    content = b"real content"
    oid = hashlib.sha256(content).hexdigest()
    status, _, body = http(hub, "POST", "/learner/target.git/info/lfs/objects/batch",
                           {"operation": "upload", "objects": [{"oid": oid, "size": len(content)}]})
    assert status == 200
    href = json.loads(body)["objects"][0]["actions"]["upload"]["href"]
    upload_path = href[len(hub.endpoint):]
    status, headers, _ = http(hub, "PUT", upload_path, b"fake content", token=None)
    assert status == 400 and "does not match" in headers["X-Error-Message"]
    status, headers, _ = http(hub, "PUT", upload_path.replace("ticket=", "ticket=0"), content,
                              token=None)
    assert status == 403
    status, _, _ = http(hub, "PUT", upload_path, content, token=None)
    assert status == 200


def test_wrong_token_and_no_token(hub):
    with pytest.raises(HfHubHTTPError) as error:
        HfApi(endpoint=hub.endpoint, token="hf_not_a_real_token").whoami()
    assert error.value.response.status_code == 401
    status, headers, _ = post_commit(hub, commit_lines(inline("a.txt")), token="hf_wrong")
    assert status == 401 and headers["X-Error-Message"] == \
        "Invalid credentials in Authorization header"
    status, headers, _ = post_commit(hub, commit_lines(inline("a.txt")), token=None)
    assert status == 401 and "HF_TOKEN" in headers["X-Error-Message"]


def test_classroom_users_private_repos_and_namespaces(hub):
    ada_token = add_user(hub, "ada")
    ada = HfApi(endpoint=hub.endpoint, token=ada_token)
    assert ada.whoami()["name"] == "ada"
    ada.create_repo("ada/secret", private=True)
    ada.upload_file(path_or_fileobj=b"mine", path_in_repo="s.txt", repo_id="ada/secret")
    learner = HfApi(endpoint=hub.endpoint, token=hub.token)
    with pytest.raises(RepositoryNotFoundError):
        learner.model_info("ada/secret")
    with pytest.raises(RepositoryNotFoundError):
        learner.list_repo_files("ada/secret")
    status, headers, _ = http(hub, "GET", "/ada/secret/resolve/main/s.txt")
    assert status == 404 and headers["X-Error-Code"] == "RepoNotFound"
    with pytest.raises(HfHubHTTPError, match="cannot write to the namespace"):
        ada.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="learner/target")
    with pytest.raises(HfHubHTTPError, match="cannot write to the namespace"):
        ada.create_repo("learner/by-ada")
    bad = subprocess.run([sys.executable, "-m", "modelshare.cli", "hub", "add-user", "../x",
                          "--data", str(hub.data_dir)], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: invalid user name")


def test_validate_yaml_reports_errors_in_the_hubs_shape(hub):
    status, _, body = http(hub, "POST", "/api/validate-yaml",
                           {"content": "---\nlicense: [unclosed\n---\n", "repoType": "model"})
    assert status == 400 and "does not parse" in json.loads(body)["errors"][0]["message"]
    card = "---\nlicense: mit\nmodel-index:\n- name: m\n  results: oops\n---\n# m\n"
    status, _, body = http(hub, "POST", "/api/validate-yaml", {"content": card})
    assert status == 400 and "model-index" in json.loads(body)["errors"][0]["message"]
    good = "---\nlicense: mit\nlibrary_name: sklearn\n---\n# m\n"
    status, _, body = http(hub, "POST", "/api/validate-yaml", {"content": good})
    assert status == 200 and json.loads(body) == {"errors": [], "warnings": []}
    ModelCard(good)  # the same text is a valid card for the client too
