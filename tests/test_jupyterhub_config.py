"""deployments/jupyterhub/jupyterhub_config.py on its own (fast: no JupyterHub running).

The config is loaded the way JupyterHub loads it (traitlets' config-file loader), as a main
config and as a sub-config the way The Littlest JupyterHub loads jupyterhub_config.d/.
The workshop hub's admin accounts it relies on are checked with the real server and client.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deployments" / "jupyterhub" / "jupyterhub_config.py"


def load(path: Path):
    return PyFileConfigLoader(path.name, str(path.parent)).load_config()


def services(config) -> list[dict]:
    """c.JupyterHub.services as JupyterHub sees it (an append to an unset list stays lazy)."""
    value = config.JupyterHub.services
    return value.get_value([]) if hasattr(value, "get_value") else value


@pytest.fixture
def settings(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("MODELSHARE_HUB_DATA", "MODELSHARE_HUB_PORT", "MODELSHARE_HUB_BIND",
                 "MODELSHARE_HUB_URL", "MODELSHARE_COMMAND"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_the_workshop_hub_is_a_managed_service_with_a_pre_spawn_hook(settings, tmp_path):
    config = load(CONFIG)
    [service] = services(config)
    assert service["name"] == "workshop-hub"
    assert service["command"][0] == str(Path(sys.executable).with_name("modelshare"))
    assert service["command"][1:] == ["hub", "serve", "--data", str(tmp_path / "workshop-hub"),
                                      "--host", "127.0.0.1", "--port", "8765"]
    assert service["url"] == "http://127.0.0.1:8765"
    assert service["display"] is True  # its pages work behind the proxy: listed on the home page
    assert callable(config.Spawner.pre_spawn_hook)


def test_kernels_and_the_service_get_the_course_environment(settings):
    from modelshare.env import course_environment

    [service] = services(load(CONFIG))
    assert service["environment"] == course_environment()
    assert course_environment()["OMP_NUM_THREADS"] == "1"


def test_without_the_package_the_course_environment_comes_from_the_command(settings):
    # The Littlest JupyterHub: JupyterHub's own Python has no modelshare; the command has.
    from modelshare.env import course_environment

    settings.setitem(sys.modules, "modelshare.env", None)  # `import modelshare.env` fails
    [service] = services(load(CONFIG))
    assert service["environment"] == course_environment()


def test_a_broken_modelshare_command_says_what_to_do(settings, tmp_path):
    settings.setitem(sys.modules, "modelshare.env", None)
    settings.setenv("MODELSHARE_COMMAND", str(tmp_path / "no-such-modelshare"))
    with pytest.raises(SystemExit, match="env course --json` failed.*course package installed"):
        load(CONFIG)


def test_settings_come_from_the_environment(settings, tmp_path):
    settings.setenv("MODELSHARE_HUB_DATA", str(tmp_path / "persistent" / "hub"))
    settings.setenv("MODELSHARE_HUB_PORT", "9000")
    settings.setenv("MODELSHARE_HUB_BIND", "0.0.0.0")
    settings.setenv("MODELSHARE_COMMAND", "/opt/tljh/user/bin/modelshare")
    [service] = services(load(CONFIG))
    assert service["command"] == ["/opt/tljh/user/bin/modelshare", "hub", "serve", "--data",
                                  str(tmp_path / "persistent" / "hub"), "--host", "0.0.0.0",
                                  "--port", "9000"]


def test_as_a_sub_config_it_adds_to_the_services_already_configured(settings, tmp_path):
    # The Littlest JupyterHub sets its idle culler, then load_subconfig()s jupyterhub_config.d.
    main = tmp_path / "main_config.py"
    main.write_text(
        "c = get_config()\n"
        "c.JupyterHub.services = [{'name': 'cull-idle', 'command': ['cull']}]\n"
        f"load_subconfig({str(CONFIG)!r})\n"
    )
    names = [service["name"] for service in services(load(main))]
    assert names == ["cull-idle", "workshop-hub"]


def test_jupyterhub_names_become_workshop_hub_names(settings):
    namespace = {"c": Config()}  # what JupyterHub's loader provides
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), namespace)
    name = namespace["workshop_hub_name"]
    assert name("ada") == "ada"
    assert name("ada.lovelace") == "ada.lovelace"
    assert name("ada@uni.edu") == "ada-uni.edu"
    assert name("-- weird  name!! --") == "weird-name"
    assert name("@@@") == ""  # the hook then refuses, with a message


def test_a_missing_modelshare_command_says_what_to_do(tmp_path):
    script = tmp_path / "load.py"
    script.write_text(
        "import os, shutil, sys\n"
        "from traitlets.config import Config\n"
        "sys.executable = '/nowhere/python'\n"
        "shutil.which = lambda name: None\n"
        f"exec(open({str(CONFIG)!r}).read(), {{'c': Config()}})\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            env={"PATH": "/usr/bin"}, cwd=tmp_path)
    assert result.returncode != 0
    assert "MODELSHARE_COMMAND" in result.stderr and "/opt/tljh/user/bin/modelshare" in result.stderr


def test_add_user_admin_reads_private_repos_but_writes_only_its_own(tmp_path):
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    from modelshare.hub.server import running

    data = tmp_path / "hub"

    def add_user(*args: str) -> str:
        command = [sys.executable, "-m", "modelshare.cli", "hub", "add-user", *args,
                   "--data", str(data)]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()

    with running(data) as hub:
        ada = HfApi(endpoint=hub.endpoint, token=add_user("ada"))
        ada.create_repo("draft", private=True)
        ada.upload_file(path_or_fileobj=b"secret plan", path_in_repo="plan.txt", repo_id="ada/draft")
        teacher = HfApi(endpoint=hub.endpoint, token=add_user("teacher", "--admin"))
        assert [m.id for m in teacher.list_models()] == ["ada/draft"]
        assert teacher.model_info("ada/draft").private
        with pytest.raises(HfHubHTTPError) as refused:
            teacher.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="ada/draft")
        assert refused.value.response.status_code == 403
        teacher = HfApi(endpoint=hub.endpoint, token=add_user("teacher", "--no-admin"))
        assert list(teacher.list_models()) == []
        with pytest.raises(RepositoryNotFoundError):
            teacher.model_info("ada/draft")


def test_zero_to_jupyterhub_runs_it_in_its_own_namespace(settings):
    # Zero to JupyterHub's jupyterhub_config.py exec()s jupyterhub_config.d/*.py in its own
    # globals, where c.JupyterHub.services is already a list and get_config(key) reads the
    # chart's values: calling get_config() there would fail.
    config = Config()
    config.JupyterHub.services = [{"name": "jupyterhub-idle-culler", "command": ["cull"]}]

    def get_config(key, default=None):
        raise AssertionError(f"the course's config called z2jh's get_config({key!r})")

    namespace = {"c": config, "get_config": get_config}
    exec(compile(CONFIG.read_text(), "modelshare.py", "exec"), namespace)
    names = [service["name"] for service in config.JupyterHub.services]
    assert names == ["jupyterhub-idle-culler", "workshop-hub"]
    assert callable(config.Spawner.pre_spawn_hook)


def test_the_binder_start_script_keeps_the_hub_jupyterhub_chose(tmp_path):
    # A single-user image built by repo2docker (as on Binder) runs `start` before the server.
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin",
           "HF_ENDPOINT": "http://hub:8765", "HF_TOKEN": "made-up", "HUB_DATA": str(tmp_path / "d")}
    result = subprocess.run(
        ["bash", str(ROOT / "start"), sys.executable, "-c",
         "import os; print(os.environ['HF_ENDPOINT'], os.environ['HF_TOKEN'])"],
        env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://hub:8765", "made-up"]
    assert not (tmp_path / "d").exists()  # no local hub was started


# -- Zero to JupyterHub: our Helm values, checked as helm checks them --------------------------

CHART = ROOT / "deployments" / "jupyterhub" / "z2jh-chart-4.4.0"
VALUES = ROOT / "deployments" / "jupyterhub" / "z2jh-values.yaml"


def helm_merge(defaults, overrides):
    """Helm's merge of a values file into the chart's defaults: maps merge key by key,
    anything else (lists, scalars) replaces, and null removes the key."""
    if not (isinstance(defaults, dict) and isinstance(overrides, dict)):
        return overrides
    merged = dict(defaults)
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = helm_merge(defaults.get(key), value)
    return merged


def z2jh_values(values: dict) -> dict:
    import yaml

    defaults = yaml.safe_load((CHART / "values.yaml").read_text())
    # what --set-file hub.extraFiles.modelshare.stringData=... adds
    values = helm_merge(values, {"hub": {"extraFiles": {"modelshare": {
        "stringData": CONFIG.read_text()}}}})
    return helm_merge(defaults, values)


def schema_errors(values: dict) -> list[str]:
    import jsonschema
    import yaml

    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text())
    validator = jsonschema.Draft7Validator(schema)
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator.iter_errors(values))


def test_helm_values_parse_and_match_the_chart_schema():
    import yaml

    values = yaml.safe_load(VALUES.read_text())
    assert schema_errors(z2jh_values(values)) == []


def test_the_schema_check_catches_a_misspelt_key():
    import yaml

    values = yaml.safe_load(VALUES.read_text())
    values["singleuser"]["memmory"] = values["singleuser"].pop("memory")
    errors = schema_errors(z2jh_values(values))
    assert errors and "memmory" in errors[0]


def test_helm_values_agree_with_each_other_and_with_the_config():
    import yaml

    values = yaml.safe_load(VALUES.read_text())
    hub, singleuser = values["hub"], values["singleuser"]
    env = hub["extraEnv"]
    port = int(env["MODELSHARE_HUB_PORT"])
    assert env["MODELSHARE_HUB_URL"] == f"http://hub:{port}"  # the hub's k8s Service
    assert env["MODELSHARE_HUB_BIND"] == "0.0.0.0"
    assert env["MODELSHARE_HUB_DATA"].startswith("/srv/jupyterhub/")  # the hub's volume
    assert [p["port"] for p in hub["service"]["extraPorts"]] == [port]
    assert [p["port"] for p in hub["networkPolicy"]["ingress"][0]["ports"]] == [port]
    assert [p["port"] for p in singleuser["networkPolicy"]["egress"][0]["ports"]] == [port]
    mount = Path(hub["extraFiles"]["modelshare"]["mountPath"])
    assert mount.parent == Path("/usr/local/etc/jupyterhub/jupyterhub_config.d")
    assert mount.suffix == ".py"
    assert values["cull"]["enabled"] is True


def test_hub_requirements_are_the_project_pins_and_serve_alone():
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {Requirement(line).name.lower(): str(Requirement(line).specifier)
            for line in project["dependencies"]}
    lines = (ROOT / "deployments" / "jupyterhub" / "hub-requirements.txt").read_text().splitlines()
    wanted = [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]
    assert wanted and all(pins[r.name.lower()] == str(r.specifier) for r in wanted)


@pytest.mark.slow
def test_the_workshop_hub_runs_with_hub_requirements_alone(tmp_path):
    # What Dockerfile.hub does: a venv with hub-requirements.txt and the course package
    # (--no-deps), beside JupyterHub. No torch, no transformers, no huggingface_hub.
    import pickle
    import shutil as sh
    import urllib.request
    from collections import OrderedDict

    from huggingface_hub import HfApi
    from servers import free_port, wait_for_http

    course = tmp_path / "course"
    course.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        sh.copy(ROOT / name, course / name)
    sh.copytree(ROOT / "src", course / "src", ignore=sh.ignore_patterns("*.egg-info", "__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
           "--disable-pip-version-check"]
    requirements = ROOT / "deployments" / "jupyterhub" / "hub-requirements.txt"
    subprocess.run([*pip, "-r", str(requirements)], check=True, timeout=900)
    subprocess.run([*pip, "--no-deps", str(course)], check=True, timeout=900)
    modelshare = venv / "bin" / "modelshare"
    course_env = subprocess.run([str(modelshare), "env", "course", "--json"], capture_output=True,
                                text=True, check=True).stdout  # what jupyterhub_config.py reads
    assert json.loads(course_env)["OMP_NUM_THREADS"] == "1"
    data, port = tmp_path / "hub", free_port()
    seed = subprocess.run([str(modelshare), "hub", "seed", "--data", str(data)],
                          capture_output=True, text=True)  # needs pandas: says so, and where
    assert seed.returncode == 1 and "needs the course's full environment" in seed.stderr
    token = subprocess.run([str(modelshare), "hub", "add-user", "ada", "--data", str(data)],
                           capture_output=True, text=True, check=True).stdout.strip()
    server = subprocess.Popen([str(modelshare), "hub", "serve", "--data", str(data),
                               "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/status", timeout=60, proc=server)
        api = HfApi(endpoint=f"http://127.0.0.1:{port}", token=token)
        repo = api.create_repo("card-only").repo_id
        api.upload_file(path_or_fileobj=b"---\nlicense: mit\nlibrary_name: sklearn\n---\n# Hi\n",
                        path_in_repo="README.md", repo_id=repo)  # the server checks the card
        assert api.model_info(repo).card_data["license"] == "mit"
        api.upload_file(path_or_fileobj=pickle.dumps(OrderedDict(w=0.5)), path_in_repo="m.pkl",
                        repo_id=repo)  # the hub scans pickles (picklescan) on its pages
        status = api.model_info(repo, securityStatus=True).security_repo_status
        assert "m.pkl" in str(status), status
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{repo}", timeout=60) as page:
            assert b"importing collections.OrderedDict" in page.read()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_jupyterhub_users_never_share_a_workshop_hub_account(settings, tmp_path):
    settings.setenv("MODELSHARE_HUB_DATA", str(tmp_path / "hub"))
    namespace = {"c": Config()}
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), namespace)
    claim = namespace["claim_workshop_hub_name"]
    assert claim("ada@uni.edu") == "ada-uni.edu"
    assert claim("ada@uni.edu") == "ada-uni.edu"  # the same person, again
    with pytest.raises(RuntimeError, match="'ada@uni.edu' and 'ada-uni.edu' would share"):
        claim("ada-uni.edu")
    with pytest.raises(RuntimeError, match="no usable workshop-hub name"):
        claim("@@@")
    owners = json.loads((tmp_path / "hub" / "jupyterhub-users.json").read_text())
    assert owners == {"ada-uni.edu": "ada@uni.edu"}
