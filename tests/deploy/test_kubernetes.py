"""The Kubernetes manifests: valid for Kubernetes 1.30, rendered as Kustomize does, true to bot/."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import kubernetes_validate
import pytest
import yaml
from aiohttp.test_utils import TestServer

from bot.app import App, build_app
from bot.cli import parser
from bot.server import build_web_app
from bot.settings import Settings, load_settings
from storage.db import Database

ROOT = Path(__file__).parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUSTOMIZATION = "kustomization.yaml"
EXAMPLE_SECRET = "secret.example.yaml"
KUBERNETES_VERSION = "1.30.0"
"""The oldest Kubernetes the manifests are for (the preStop `sleep` action is on from 1.30)."""
PREFIX = Settings.model_config.get("env_prefix", "")
SETTING_NAMES = {f"{PREFIX}{name}".upper() for name in Settings.model_fields}
RENDERED_KEYS = {"apiVersion", "kind", "resources", "labels", "images"}
"""What `render` implements of a kustomization; anything else must fail, not be ignored."""

Manifest = dict[str, Any]


def load(path: Path) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def render(folder: Path) -> list[Manifest]:
    """What `kubectl kustomize folder` makes of it, for the features the kustomization uses.

    Raises:
        AssertionError: the kustomization uses a feature this rendering does not implement.
    """
    (kustomization,) = load(folder / KUSTOMIZATION)
    unknown = set(kustomization) - RENDERED_KEYS
    assert not unknown, f"render() does not implement {sorted(unknown)}"
    resources = [doc for name in kustomization["resources"] for doc in load(folder / name)]
    for entry in kustomization.get("labels", []):
        assert not entry.get("includeSelectors"), "render() adds labels to metadata only"
        assert not entry.get("includeTemplates"), "render() adds labels to metadata only"
        for resource in resources:
            resource["metadata"].setdefault("labels", {}).update(entry["pairs"])
    for resource in resources:
        for container in containers(resource):
            container["image"] = _new_image(container["image"], kustomization.get("images", []))
    return resources


def _new_image(image: str, entries: list[dict[str, str]]) -> str:
    name, _, tag = image.partition(":")
    for entry in entries:
        if entry["name"] == name:
            return f"{entry.get('newName', name)}:{entry.get('newTag', tag)}"
    return image


def pod_spec(resource: Manifest) -> Manifest:
    spec: Manifest = resource["spec"]["template"]["spec"]
    return spec


def containers(resource: Manifest) -> list[Manifest]:
    if resource["kind"] not in {"Deployment", "Job"}:
        return []
    spec = pod_spec(resource)
    found: list[Manifest] = spec["containers"] + spec.get("initContainers", [])
    return found


def one(resources: list[Manifest], kind: str) -> Manifest:
    (found,) = [resource for resource in resources if resource["kind"] == kind]
    return found


def example_secret() -> Manifest:
    (secret,) = load(MANIFESTS / EXAMPLE_SECRET)
    return secret


@pytest.fixture
def rendered() -> list[Manifest]:
    return render(MANIFESTS)


@pytest.fixture
def server_environment(monkeypatch: pytest.MonkeyPatch, rendered: list[Manifest]) -> dict[str, str]:
    """The ConfigMap's and the example Secret's variables as the server's environment."""
    for name in list(os.environ):
        if name.startswith(PREFIX):
            monkeypatch.delenv(name)
    environment = {**one(rendered, "ConfigMap")["data"], **example_secret()["stringData"]}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


def quantity(text: str | int) -> float:
    """A Kubernetes quantity (`100m`, `256Mi`, `1`) as a number of units."""
    units = {"m": 1e-3, "": 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "M": 1e6, "G": 1e9}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(text)).groups()  # type: ignore[union-attr]
    return float(number) * units[unit]


def named_port(container: Manifest, port: str | int) -> int:
    if isinstance(port, int):
        return port
    (number,) = [p["containerPort"] for p in container["ports"] if p["name"] == port]
    return int(number)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in MANIFESTS.glob("*.yaml") if p.name != KUSTOMIZATION),
    ids=lambda path: path.name,
)
def test_every_manifest_is_valid_for_kubernetes(path: Path) -> None:
    for resource in load(path):
        # strict: an unknown field (a typo such as `readinesProbe`) is an error, not ignored.
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_what_the_kustomization_renders_is_valid(rendered: list[Manifest]) -> None:
    kinds = sorted(resource["kind"] for resource in rendered)

    for resource in rendered:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    assert kinds == ["ConfigMap", "Deployment", "Job", "PodDisruptionBudget", "Service"]


def test_the_kustomization_lists_every_manifest_but_the_example_secret() -> None:
    (kustomization,) = load(MANIFESTS / KUSTOMIZATION)
    files = {path.name for path in MANIFESTS.iterdir()}

    assert EXAMPLE_SECRET not in kustomization["resources"], "placeholders must not be applied"
    assert files == {*kustomization["resources"], KUSTOMIZATION, EXAMPLE_SECRET}


def test_the_images_entry_sets_the_image_of_the_server_and_the_migration(tmp_path: Path) -> None:
    folder = tmp_path / "kubernetes"
    shutil.copytree(MANIFESTS, folder)
    kustomization = load(folder / KUSTOMIZATION)[0]
    kustomization["images"] = [
        {"name": "ssrm-advisor", "newName": "registry.example.com/ssrm-advisor", "newTag": "0.1.0"}
    ]
    (folder / KUSTOMIZATION).write_text(yaml.safe_dump(kustomization), encoding="utf-8")

    images = {c["image"] for resource in render(folder) for c in containers(resource)}

    assert images == {"registry.example.com/ssrm-advisor:0.1.0"}


def _kubectl_kustomize(folder: Path) -> list[Manifest]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        why = "kubectl is not on PATH; the Python rendering above checks the same manifests"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{why}, but CI=true compares it with kubectl's", pytrace=False)
        pytest.skip(why)
    result = subprocess.run(
        [kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=True, timeout=60
    )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def _by_kind_and_name(resources: list[Manifest]) -> dict[tuple[str, str], Manifest]:
    return {(r["kind"], r["metadata"]["name"]): r for r in resources}


def test_kubectl_kustomize_renders_the_same_resources(rendered: list[Manifest]) -> None:
    theirs = _kubectl_kustomize(MANIFESTS)

    assert _by_kind_and_name(theirs) == _by_kind_and_name(rendered)


def test_kubectl_kustomize_overrides_the_image_as_the_python_rendering_does(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "kubernetes"
    shutil.copytree(MANIFESTS, folder)
    kustomization = load(folder / KUSTOMIZATION)[0]
    kustomization["images"] = [{"name": "ssrm-advisor", "newName": "r.example/a", "newTag": "2"}]
    (folder / KUSTOMIZATION).write_text(yaml.safe_dump(kustomization), encoding="utf-8")

    theirs = _kubectl_kustomize(folder)

    assert _by_kind_and_name(theirs) == _by_kind_and_name(render(folder))


def test_the_configmap_and_the_secret_set_only_settings_the_advisor_knows(
    rendered: list[Manifest],
) -> None:
    configured = set(one(rendered, "ConfigMap")["data"])
    secret = set(example_secret()["stringData"])
    commented = set(re.findall(r"#\s*(ADVISOR_[A-Z_]+):", (MANIFESTS / EXAMPLE_SECRET).read_text()))

    assert configured - SETTING_NAMES == set()
    assert secret - SETTING_NAMES == set()
    assert commented - SETTING_NAMES == set(), "the optional ones a reader uncomments, too"
    assert not configured & secret, "each setting in one place"


def test_the_database_url_with_its_password_is_in_the_secret_only(
    rendered: list[Manifest],
) -> None:
    assert "ADVISOR_DATABASE_URL" not in one(rendered, "ConfigMap")["data"]
    assert example_secret()["stringData"]["ADVISOR_DATABASE_URL"].startswith(
        "postgresql+asyncpg://"
    )


def test_the_configmap_and_the_example_secret_are_settings_a_server_starts_with(
    server_environment: dict[str, str], rendered: list[Manifest]
) -> None:
    (container,) = pod_spec(one(rendered, "Deployment"))["containers"]

    settings = load_settings(_env_file=None)

    assert settings.host == "0.0.0.0", "the probes and the Service reach the pod's address"
    assert settings.port == named_port(container, "http")
    assert settings.slack_enabled
    assert not settings.teams_enabled, "Teams without an app id refuses a non-loopback address"
    assert not settings.auto_migrate, "the migration Job changes the schema, not every pod"


@pytest.fixture
async def configured_server(
    server_environment: dict[str, str], sqlite_database: Database, sqlite_url: str
) -> AsyncIterator[TestServer]:
    """The web app of an App built from the ConfigMap, on a migrated SQLite database."""
    core: App = await build_app(load_settings(_env_file=None, database_url=sqlite_url))
    server = TestServer(build_web_app(core, None), host="127.0.0.1")
    await server.start_server()
    try:
        yield server
    finally:
        await server.close()
        await core.close()


async def test_the_probes_ask_for_what_the_server_answers(
    configured_server: TestServer, rendered: list[Manifest]
) -> None:
    (container,) = pod_spec(one(rendered, "Deployment"))["containers"]
    probes = {
        kind: container[kind]["httpGet"]
        for kind in ("startupProbe", "livenessProbe", "readinessProbe")
    }

    async with aiohttp.ClientSession() as http:
        for probe in probes.values():
            async with http.get(str(configured_server.make_url(probe["path"]))) as response:
                assert response.status == 200, probe["path"]
    assert probes["readinessProbe"]["path"] == "/readyz"
    assert probes["livenessProbe"]["path"] == "/healthz"
    assert {named_port(container, p["port"]) for p in probes.values()} == {3000}


async def test_prometheus_is_told_where_the_server_serves_its_metrics(
    configured_server: TestServer, rendered: list[Manifest]
) -> None:
    template = one(rendered, "Deployment")["spec"]["template"]
    annotations = template["metadata"]["annotations"]
    (container,) = template["spec"]["containers"]

    async with (
        aiohttp.ClientSession() as http,
        http.get(str(configured_server.make_url(annotations["prometheus.io/path"]))) as response,
    ):
        body = await response.text()

    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == named_port(container, "http")
    assert response.status == 200
    assert "advisor_http_requests_total" in body


def test_the_service_sends_to_the_servers_port_and_only_to_servers(
    rendered: list[Manifest],
) -> None:
    service, deployment, job = (one(rendered, k) for k in ("Service", "Deployment", "Job"))
    (container,) = pod_spec(deployment)["containers"]
    (port,) = service["spec"]["ports"]
    selector = service["spec"]["selector"].items()

    assert port["port"] == 3000
    assert named_port(container, port["targetPort"]) == 3000
    assert selector <= deployment["spec"]["template"]["metadata"]["labels"].items()
    assert not selector <= job["spec"]["template"]["metadata"]["labels"].items()


def test_a_rolling_update_or_a_drain_keeps_a_server_ready(rendered: list[Manifest]) -> None:
    deployment, budget = one(rendered, "Deployment"), one(rendered, "PodDisruptionBudget")
    strategy = deployment["spec"]["strategy"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"].items()

    assert deployment["spec"]["replicas"] == 2
    assert strategy["type"] == "RollingUpdate"
    assert strategy["rollingUpdate"] == {"maxUnavailable": 0, "maxSurge": 1}
    assert budget["spec"]["minAvailable"] == 1
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels


def test_the_grace_period_outlasts_the_pause_and_the_shutdown_deadline(
    server_environment: dict[str, str], rendered: list[Manifest]
) -> None:
    spec = pod_spec(one(rendered, "Deployment"))
    (container,) = spec["containers"]
    pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]

    shutdown = load_settings(_env_file=None).shutdown_seconds

    assert spec["terminationGracePeriodSeconds"] > pause + shutdown


MEASURED_IDLE = re.compile(r"advisor serve idle, Slack and Teams\s+([0-9.]+) MB")


def test_the_requests_hold_the_measured_idle_server_and_the_limits_hold_the_requests(
    rendered: list[Manifest],
) -> None:
    bench = (ROOT / "bench" / "startup.py").read_text(encoding="utf-8")
    (idle_mb,) = [float(mb) for mb in MEASURED_IDLE.findall(bench)]
    (server,) = pod_spec(one(rendered, "Deployment"))["containers"]

    assert quantity(server["resources"]["requests"]["memory"]) > idle_mb * 1e6 * 1.5
    for resource in rendered:
        for container in containers(resource):
            requests, limits = container["resources"]["requests"], container["resources"]["limits"]
            assert set(requests) == set(limits) == {"cpu", "memory"}
            for name in requests:
                assert quantity(limits[name]) >= quantity(requests[name]), (container, name)


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_every_pod_runs_unprivileged_on_a_read_only_root_with_a_writable_tmp(
    rendered: list[Manifest], kind: str
) -> None:
    spec = pod_spec(one(rendered, kind))
    context = spec["securityContext"]
    volumes = {v["name"]: v for v in spec["volumes"]}

    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] > 0
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    for container in spec["containers"]:
        own = container["securityContext"]
        assert own["allowPrivilegeEscalation"] is False
        assert own["readOnlyRootFilesystem"] is True
        assert own["capabilities"] == {"drop": ["ALL"]}
        (tmp,) = [m for m in container["volumeMounts"] if m["mountPath"] == "/tmp"]
        assert "emptyDir" in volumes[tmp["name"]]
        assert container["envFrom"] == [
            {"configMapRef": {"name": one(rendered, "ConfigMap")["metadata"]["name"]}},
            {"secretRef": {"name": example_secret()["metadata"]["name"]}},
        ]


def _image_user(dockerfile: str) -> int:
    """The uid the Dockerfile's final `USER` names, an `ARG`'s default resolved."""
    *_, user = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    uid = user.split(":")[0]
    argument = re.fullmatch(r"\$\{?(\w+)\}?", uid)
    if argument is not None:
        *_, uid = re.findall(rf"^ARG\s+{argument[1]}=(\d+)", dockerfile, re.MULTILINE)
    return int(uid)


def test_the_pods_run_as_the_images_user_and_expose_its_port(rendered: list[Manifest]) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    (exposed,) = re.findall(r"^EXPOSE\s+(\d+)", dockerfile, re.MULTILINE)
    (server,) = pod_spec(one(rendered, "Deployment"))["containers"]

    assert named_port(server, "http") == int(exposed)
    for kind in ("Deployment", "Job"):
        context = pod_spec(one(rendered, kind))["securityContext"]
        assert context["runAsUser"] == context["runAsGroup"] == _image_user(dockerfile)


def _advisor_command(container: Manifest) -> list[str]:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    program, *arguments = container["command"]
    assert program in scripts["scripts"], f"{program} is not the package's command"
    return list(arguments)


def test_the_server_runs_advisor_serve(rendered: list[Manifest]) -> None:
    (container,) = pod_spec(one(rendered, "Deployment"))["containers"]

    arguments = parser().parse_args(_advisor_command(container))

    assert arguments.command == "serve"
    assert not arguments.socket_mode, "Slack reaches the pods through the Service, over HTTP"


def test_the_migration_job_runs_advisor_db_upgrade_in_the_servers_image(
    rendered: list[Manifest],
) -> None:
    job, deployment = one(rendered, "Job"), one(rendered, "Deployment")
    (migrate,) = pod_spec(job)["containers"]
    (server,) = pod_spec(deployment)["containers"]

    arguments = parser().parse_args(_advisor_command(migrate))

    assert (arguments.command, arguments.action) == ("db", "upgrade")
    assert migrate["image"] == server["image"]
    assert migrate["envFrom"] == server["envFrom"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert job["spec"]["backoffLimit"] >= 1
    assert job["spec"]["ttlSecondsAfterFinished"] > 0


def test_the_rendering_refuses_a_kustomize_feature_it_does_not_implement(tmp_path: Path) -> None:
    folder = tmp_path / "kubernetes"
    shutil.copytree(MANIFESTS, folder)
    kustomization = copy.deepcopy(load(folder / KUSTOMIZATION)[0])
    kustomization["namePrefix"] = "acme-"
    (folder / KUSTOMIZATION).write_text(yaml.safe_dump(kustomization), encoding="utf-8")

    with pytest.raises(AssertionError, match="namePrefix"):
        render(folder)


OPERATIONS = ROOT / "docs" / "operations.md"
FIRST_STEP = re.compile(r"kubectl apply -k deploy/kubernetes -l '([^']+)'")
NAMED = re.compile(r"\b(job|deployment|deploy)/(?!kubernetes\b)([a-z0-9-]+)")
"""`kubectl` names such as `job/ssrm-advisor-migrate`; `deploy/kubernetes` is the folder."""


def _selects(selector: str, labels: dict[str, str]) -> bool:
    """Whether a label selector of `key=value`, `key==value` and `key!=value` terms matches."""
    for term in selector.split(","):
        if "!=" in term:
            key, value = term.split("!=")
            if labels.get(key.strip()) == value.strip():
                return False
        else:
            key, value = re.split(r"==?", term)
            if labels.get(key.strip()) != value.strip():
                return False
    return True


def test_the_documented_first_step_applies_the_settings_and_the_migration_not_the_servers(
    rendered: list[Manifest],
) -> None:
    selectors = set(FIRST_STEP.findall(OPERATIONS.read_text(encoding="utf-8")))

    assert selectors, "docs/operations.md migrates with a selected `kubectl apply -k`"
    for selector in selectors:
        chosen = {r["kind"] for r in rendered if _selects(selector, r["metadata"]["labels"])}
        assert chosen == {"ConfigMap", "Job"}, selector


def test_the_resources_the_operations_guide_names_exist(rendered: list[Manifest]) -> None:
    kinds = {"job": "Job", "deployment": "Deployment", "deploy": "Deployment"}
    named = set(NAMED.findall(OPERATIONS.read_text(encoding="utf-8")))
    names = {(r["kind"], r["metadata"]["name"]) for r in rendered}

    assert named
    assert {(kinds[kind], name) for kind, name in named} <= names
