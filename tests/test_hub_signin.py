"""Signing in to the web pages without a token in any address: a form that POSTs it, an
HttpOnly SameSite=Strict cookie for this hub's path, a sign-out; ``?token=`` refused with
what to do instead; and the hub behind a proxy's path (``serve --root-path``, JupyterHub's
``/services/workshop-hub/``). Over HTTP, through the real client, and in chromium with the
keyboard."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from browser_helpers import browser_tab
from hub_helpers import http, own_hub
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import HfHubHTTPError

PREFIX = "/services/workshop-hub"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A hub with a public and a private repo, its requests logged; also under PREFIX."""
    with own_hub(tmp_path_factory.mktemp("hub-signin"),
                 extra_args=("--log-requests", "--root-path", PREFIX + "/")) as hub:
        api = HfApi(endpoint=hub.endpoint, token=hub.token)
        api.create_repo("learner/open-model")
        api.upload_file(path_or_fileobj=b"# Open\n", path_in_repo="README.md",
                        repo_id="learner/open-model")
        api.create_repo("learner/secret-model", private=True)
        api.upload_file(path_or_fileobj=b"secret bytes", path_in_repo="notes.txt",
                        repo_id="learner/secret-model")
        yield hub


def form(token: str, next_page: str = "/") -> bytes:
    from urllib.parse import urlencode

    return urlencode({"token": token, "next": next_page}).encode()


def post(hub, path: str, body: bytes, headers: dict):
    """A POST whose redirect is not followed: (status, headers, body)."""
    from http.client import HTTPConnection
    from urllib.parse import urlsplit

    address = urlsplit(hub.endpoint)
    connection = HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def sign_in(hub, token: str, next_page: str = "/", prefix: str = "", **headers):
    return post(hub, prefix + "/signin", form(token, next_page),
                {"Content-Type": "application/x-www-form-urlencoded", **headers})


def cookie_of(headers) -> SimpleCookie:
    cookie = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookie.load(value)
    return cookie


def test_a_token_in_the_address_is_refused_and_says_what_to_do(hub):
    """Not used, not stored, not logged: the page says why and links to the sign-in form."""
    planted = hub.token  # the owner's real token, so a page that used it would show more
    for path in ("/", "/learner/secret-model", "/learner/open-model/discussions", "/docs"):
        status, headers, body = http(hub, "GET", f"{path}?token={planted}", token=None)
        page = body.decode()
        assert status == 400 and "Tokens do not go in addresses" in page
        assert 'href="/signin"' in page and "history" in page
        assert planted not in page and "secret-model" not in page.split("<main", 1)[1]
        assert headers["Set-Cookie"] is None
        assert headers["Cache-Control"] == "no-store"
        assert headers["Referrer-Policy"] == "no-referrer"
    log = (hub.data_dir / "server.log").read_text()
    assert "token=[hidden]" in log and planted not in log


def test_the_sign_in_form_posts_the_token_and_a_cookie_keeps_it(hub):
    status, headers, body = sign_in(hub, hub.token, "/learner/secret-model")
    assert status == 303 and headers["Location"] == "/learner/secret-model"
    morsel = cookie_of(headers)["workshop_hub_token"]
    assert morsel["httponly"] and morsel["samesite"].lower() == "strict" and morsel["path"] == "/"
    assert not morsel["secure"]  # plain http on 127.0.0.1; https gets Secure
    cookie = {"Cookie": f"workshop_hub_token={morsel.value}"}
    status, _, body = http(hub, "GET", "/learner/secret-model", token=None, headers=cookie)
    assert status == 200 and "notes.txt" in body.decode()
    assert "signed in as <b>learner</b>" in body.decode() and 'action="/signout"' in body.decode()
    # the page's file links work in the browser that signed in, as they do for a client
    status, _, data = http(hub, "GET", "/learner/secret-model/resolve/main/notes.txt",
                           token=None, headers=cookie)
    assert status == 200 and data == b"secret bytes"
    status, headers, _ = post(hub, "/signout", b"", cookie)
    assert status == 303 and cookie_of(headers)["workshop_hub_token"].value == ""


def test_a_wrong_token_a_bad_target_and_other_sites_are_refused(hub):
    status, headers, body = sign_in(hub, "hf_" + "x" * 30)
    assert status == 401 and "not a token of this hub" in body.decode()
    assert headers["Set-Cookie"] is None and "hf_xxxx" not in body.decode()
    status, _, body = sign_in(hub, "")
    assert status == 401 and "Paste your token" in body.decode()
    status, headers, _ = sign_in(hub, hub.token, "//elsewhere.example/phish")
    assert status == 303 and headers["Location"] == "/"
    for other_site in ({"Sec-Fetch-Site": "cross-site"},
                       {"Origin": "http://elsewhere.example"}):
        status, headers, _ = sign_in(hub, hub.token, **other_site)
        assert status == 403 and headers["Set-Cookie"] is None


def test_behind_a_proxy_path_pages_and_api_need_a_token_and_links_keep_the_path(hub, tmp_path):
    """``--root-path /services/workshop-hub``: what JupyterHub's proxy forwards. There (open to
    whoever reaches JupyterHub) every request needs a token; kernels at the direct address
    are served as before, anonymous reads included (lesson 05's stranger)."""
    stranger = HfApi(endpoint=hub.endpoint, token=False)
    assert stranger.model_info("learner/open-model").id == "learner/open-model"
    with pytest.raises(HfHubHTTPError) as error:
        HfApi(endpoint=hub.endpoint + PREFIX, token=False).model_info("learner/open-model")
    assert error.value.response.status_code == 401

    proxied = HfApi(endpoint=hub.endpoint + PREFIX, token=hub.token)  # a laptop outside
    proxied.create_repo("learner/through-proxy")
    proxied.upload_file(path_or_fileobj=b"\0" * 2_000_000, path_in_repo="w.bin",
                        repo_id="learner/through-proxy")  # LFS: its upload link keeps the path
    path = hf_hub_download("learner/through-proxy", "w.bin", endpoint=hub.endpoint + PREFIX,
                           token=hub.token, cache_dir=tmp_path)
    assert open(path, "rb").read() == b"\0" * 2_000_000
    assert proxied.model_info("learner/through-proxy").siblings[1].rfilename == "w.bin"

    status, _, body = http(hub, "GET", PREFIX + "/learner/open-model", token=None)
    page = body.decode()
    assert status == 401 and 'id="signin"' in page  # the form, not the repo
    assert f'action="{PREFIX}/signin"' in page and 'value="/learner/open-model"' in page
    status, headers, _ = sign_in(hub, hub.token, "/learner/open-model", prefix=PREFIX)
    assert status == 303 and headers["Location"] == PREFIX + "/learner/open-model"
    morsel = cookie_of(headers)["workshop_hub_token"]
    assert morsel["path"] == PREFIX + "/"  # not sent to JupyterHub's other pages
    status, _, body = http(hub, "GET", PREFIX + "/learner/open-model", token=None,
                           headers={"Cookie": f"workshop_hub_token={morsel.value}"})
    page = body.decode()
    assert status == 200 and "# Open" not in page and "<h1>Open</h1>" in page
    links = re.findall(r'(?:href|action)="(/[^"]*)"', page)
    assert links and all(link.startswith(PREFIX + "/") for link in links), links
    assert http(hub, "GET", PREFIX + "/static/hub.css", token=None)[0] == 200


class _CallsSystem:
    """Pickles as a call to os.system; this test never loads it."""

    def __reduce__(self):
        import os

        return (os.system, ("echo this would run on load",))


def test_behind_the_proxy_the_community_pages_keep_the_path_and_the_cookie(hub):
    """The model page's facts (task, library, licence, linked data, versions), its pickle
    marks and the search page with licences, for a signed-in learner's private model behind
    the proxy path: seen with the cookie alone, every link kept under the path."""
    import pickle

    from huggingface_hub import CommitOperationAdd

    api = HfApi(endpoint=hub.endpoint, token=hub.token)
    api.create_repo("learner/survey", repo_type="dataset")
    api.create_repo("learner/private-pickle", private=True)
    card = (b"---\nlicense: mit\nlibrary_name: sklearn\npipeline_tag: tabular-classification\n"
            b"datasets: [learner/survey]\n---\n# Private pickle\n")
    api.create_commit("learner/private-pickle", commit_message="card and weights", operations=[
        CommitOperationAdd("README.md", card),
        CommitOperationAdd("model.pkl", pickle.dumps(_CallsSystem()))])
    api.create_tag("learner/private-pickle", tag="v1")
    _, headers, _ = sign_in(hub, hub.token, prefix=PREFIX)
    cookie = {"Cookie": f"workshop_hub_token={cookie_of(headers)['workshop_hub_token'].value}"}
    model_page = ('id="unsafe-notice"', "tabular-classification", ">v1<",
                  f'href="{PREFIX}/datasets/learner/survey"')
    for path, shown in (("/learner/private-pickle", model_page),
                        ("/?search=private-pickle", ("learner/private-pickle", "licence mit"))):
        status, _, body = http(hub, "GET", PREFIX + path, token=None, headers=cookie)
        page = body.decode()
        assert status == 200 and all(text in page for text in shown), (path, page)
        links = re.findall(r'(?:href|action)="(/[^"]*)"', page)
        assert links and all(link.startswith(PREFIX + "/") for link in links), links
    status, _, body = http(hub, "GET", PREFIX + "/learner/private-pickle", token=None)
    assert status == 401 and b"unsafe-notice" not in body  # without the cookie: the form


@pytest.mark.browser
def test_a_learner_signs_in_and_out_with_the_keyboard(hub, chromium, artifacts_dir):
    with browser_tab(chromium, artifacts_dir / "hub-signin-failed.png") as tab:
        tab.goto(hub.endpoint + "/")
        assert tab.get_attribute("html", "lang") == "en"
        assert "learner/secret-model" not in tab.inner_text("#results")
        tab.focus("text=Sign in")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("#token")
        assert tab.evaluate("document.activeElement.id") == "token"  # the box has the focus
        assert tab.evaluate("document.querySelector('label[for=token]').textContent") == \
            "Your token for this hub"
        assert tab.get_attribute("#token", "type") == "password"
        tab.screenshot(path=str(artifacts_dir / "hub-signin-form.png"), full_page=True)
        tab.keyboard.type(hub.token)
        tab.keyboard.press("Enter")
        tab.wait_for_selector("text=signed in as")
        assert "?" not in tab.url and hub.token not in tab.url  # never in the address
        assert "learner/secret-model" in tab.inner_text("#results")
        assert tab.evaluate("document.cookie") == ""  # HttpOnly: no script reads it
        tab.screenshot(path=str(artifacts_dir / "hub-signed-in.png"), full_page=True)
        tab.click("text=learner/secret-model")
        with tab.expect_download() as download:
            tab.click("text=notes.txt", modifiers=["Alt"])  # Alt+click: save the file
        assert open(download.value.path(), "rb").read() == b"secret bytes"
        tab.focus("text=Sign out")
        tab.keyboard.press("Enter")
        tab.wait_for_selector("text=Sign in")
        assert "learner/secret-model" not in tab.inner_text("#results")
        tab.goto(f"{hub.endpoint}/?token={hub.token}")
        assert tab.inner_text("h1") == "Tokens do not go in addresses"
        tab.screenshot(path=str(artifacts_dir / "hub-token-in-address.png"), full_page=True)


@pytest.mark.parametrize("environment, prefix_served", [
    ({"JUPYTERHUB_SERVICE_NAME": "workshop-hub",
      "JUPYTERHUB_SERVICE_PREFIX": "/services/workshop-hub/"}, True),  # a JupyterHub service
    ({"JUPYTERHUB_SERVICE_PREFIX": "/user/ada/"}, False),  # a learner's server (Binder too)
])
def test_as_a_jupyterhub_service_the_hub_takes_its_path_from_jupyterhub(
        tmp_path, monkeypatch, environment, prefix_served):
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    prefix = environment["JUPYTERHUB_SERVICE_PREFIX"].rstrip("/")
    with own_hub(tmp_path / "hub") as hub:
        status, _, body = http(hub, "GET", prefix + "/", token=None)
        assert (status, b'id="signin"' in body) == ((401, True) if prefix_served else (404, False))
        assert http(hub, "GET", "/", token=None)[0] == 200  # kernels' direct address: as before
