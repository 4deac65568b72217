"""The Helm chart renders, lints and validates offline and keeps what operators rely on."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import unquote, urlsplit

import helm_python as helm
import kubernetes_validate
import pytest
from deploy_support import (
    CHART_DIR,
    MINIMAL_VALUES,
    REPO,
    Manifest,
    Render,
    of_kind,
    one,
    pod_specs,
    production_values,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# The oldest Kubernetes the chart declares (Chart.yaml kubeVersion) and the newest schemas.
KUBERNETES_VERSIONS = ["1.27", kubernetes_validate.utils.latest_version()]
WARNING = 2


def with_values(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with top-level keys replaced."""
    values = copy.deepcopy(base)
    values.update(changes)
    return values


def test_chart_lints_without_warnings(scenario: tuple[str, dict[str, Any]]) -> None:
    # given the values of an install scenario
    _, values = scenario
    # when Helm's linter runs in strict mode
    report = helm.lint(CHART_DIR, values, strict=True, kube_version="v1.30.0")
    # then it reports no error and no warning (informational notes are allowed)
    problems = [m for m in report["messages"] if m["severity"] >= WARNING]
    assert report["errors"] == []
    assert problems == []


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_manifest_validates_against_kubernetes_schemas(
    render: Render, scenario: tuple[str, dict[str, Any]], version: str
) -> None:
    # given every object the chart renders for the scenario
    name, values = scenario
    manifests = render(values)
    # when each one is checked against the strict Kubernetes schema of that version
    failures = []
    for manifest in manifests:
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            failures.append(f"{manifest['kind']}/{manifest['metadata']['name']}: {exc.message}")
    # then none fails, and the scenario rendered the workloads it promises
    assert failures == []
    kinds = {m["kind"] for m in manifests}
    assert {"Deployment", "Service", "ConfigMap", "Job", "CronJob", "NetworkPolicy"} <= kinds
    if name == "production":
        assert {"Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget"} <= kinds


def test_web_pods_serve_and_probe_health_endpoints(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given the rendered web Deployment
    _, values = scenario
    deployment = one(render(values), "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    # then it runs the web server, with two workers, on the named port and probes the health
    # endpoints there
    assert container["command"] + container["args"] == [
        "giamsat", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2",
    ]  # fmt: skip
    assert container["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": "http"}
    assert container["resources"]["requests"]
    assert container["resources"]["limits"]
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == "8000"


def test_every_pod_runs_unprivileged_on_a_read_only_root(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given every pod template: web, migration hook and each cronjob
    _, values = scenario
    specs = pod_specs(render(values))
    assert len(specs) >= 4
    for key, spec in specs.items():
        # then the pod and each container refuse root, privilege and extra capabilities
        assert spec["securityContext"]["runAsNonRoot"] is True, key
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, key
        assert spec["automountServiceAccountToken"] is False, key
        tmp_volumes = [v for v in spec["volumes"] if v["name"] == "tmp"]
        assert [list(v) for v in tmp_volumes] == [["name", "emptyDir"]], key
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["runAsNonRoot"] is True, key
            assert context["readOnlyRootFilesystem"] is True, key
            assert context["allowPrivilegeEscalation"] is False, key
            assert context["capabilities"]["drop"] == ["ALL"], key
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"], key
            assert container["resources"]["limits"]["memory"], key


def test_migration_runs_as_a_hook_before_install_and_upgrade(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given the rendered migration Job
    _, values = scenario
    manifests = render(values)
    job = one(manifests, "Job")
    annotations = job["metadata"]["annotations"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    # then it is a pre-install/pre-upgrade hook that runs `giamsat db migrate` once
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert "before-hook-creation" in annotations["helm.sh/hook-delete-policy"]
    assert container["command"] + container["args"] == ["giamsat", "db", "migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    env_names = {e["name"] for e in container["env"]}
    assert {"GIAMSAT_DATABASE_URL", "GIAMSAT_ADMIN_DATABASE_URL"} <= env_names


def test_migration_hook_needs_no_object_created_after_it(render: Render) -> None:
    # given a release where the chart creates its own Secret
    manifests = render(MINIMAL_VALUES)
    job = one(manifests, "Job")
    spec = job["spec"]["template"]["spec"]
    hooks = {
        (m["kind"], m["metadata"]["name"])
        for m in manifests
        if "helm.sh/hook" in m["metadata"].get("annotations", {})
    }
    # when we list what the hook pod references
    secrets = {
        e["valueFrom"]["secretKeyRef"]["name"]
        for e in spec["containers"][0]["env"]
        if "valueFrom" in e
    }
    # then every Secret it reads is itself a hook ordered before the Job, and it
    # needs neither the release's ConfigMap nor its ServiceAccount (both come later)
    assert secrets
    assert {("Secret", name) for name in secrets} <= hooks
    for name in secrets:
        secret = one(manifests, "Secret", name)
        assert int(secret["metadata"]["annotations"]["helm.sh/hook-weight"]) < int(
            job["metadata"]["annotations"]["helm.sh/hook-weight"]
        )
    assert "envFrom" not in spec["containers"][0]
    assert "serviceAccountName" not in spec


def test_owner_credentials_stay_out_of_web_and_cronjob_pods(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given every long-lived or scheduled pod
    _, values = scenario
    manifests = render(values)
    release_secrets = [
        s
        for s in of_kind(manifests, "Secret")
        if "helm.sh/hook" not in s["metadata"].get("annotations", {})
    ]
    # then none of them receives the migration owner's URL
    for key, spec in pod_specs(manifests).items():
        if key.startswith("Job/"):
            continue
        names = {e["name"] for c in spec["containers"] for e in c.get("env", [])}
        assert "GIAMSAT_ADMIN_DATABASE_URL" not in names, key
        assert {"GIAMSAT_DATABASE_URL", "GIAMSAT_SECRET_KEY", "GIAMSAT_IDENTITY_KEY"} <= names
    for secret in release_secrets:
        assert "GIAMSAT_ADMIN_DATABASE_URL" not in secret["stringData"]


def test_cronjobs_follow_the_values_list(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given the scenario's list of scheduled jobs
    _, values = scenario
    expected = {
        job["name"]: job["args"]
        for job in (values.get("cronJobs") or helm.Chart.load(CHART_DIR).values["cronJobs"])["jobs"]
    }
    # when the chart renders them
    cronjobs = of_kind(render(values), "CronJob")
    rendered = {}
    for cronjob in cronjobs:
        spec = cronjob["spec"]
        container = spec["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
        rendered[cronjob["metadata"]["labels"]["giamsat.vn/cronjob"]] = container["args"]
        # then each runs once at a time across the cluster, in Vietnamese time
        assert container["command"] == ["giamsat"]
        assert spec["concurrencyPolicy"] == "Forbid"
        assert spec["timeZone"] == "Asia/Ho_Chi_Minh"
    assert rendered == expected
    assert rendered["sweep"] == ["jobs", "sweep"]
    assert rendered["reports-snapshot"] == ["reports", "snapshot"]


def test_a_new_cronjob_is_a_values_entry(render: Render) -> None:
    # given values that add a nightly job to the chart's two
    values = with_values(
        MINIMAL_VALUES,
        cronJobs={
            "jobs": [
                {"name": "sweep", "schedule": "*/10 * * * *", "args": ["jobs", "sweep"]},
                {"name": "digest", "schedule": "0 6 * * 1-5", "args": ["jobs", "digest"]},
            ]
        },
    )
    # when the chart renders
    cronjobs = {c["metadata"]["name"]: c for c in of_kind(render(values), "CronJob")}
    # then exactly the listed jobs exist, with the chart's defaults filled in
    assert sorted(cronjobs) == ["giamsat-digest", "giamsat-sweep"]
    digest = cronjobs["giamsat-digest"]["spec"]
    assert digest["schedule"] == "0 6 * * 1-5"
    assert digest["concurrencyPolicy"] == "Forbid"
    assert digest["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["args"] == [
        "jobs", "digest",
    ]  # fmt: skip


def test_schema_rejects_a_replica_count_in_words(chart: helm.Chart, render: Render) -> None:
    # given values with replicas spelled as a word
    values = with_values(MINIMAL_VALUES, replicaCount="three")
    # when they are validated and rendered, then Helm refuses both and names the key
    with pytest.raises(helm.HelmValuesError, match="replicaCount"):
        chart.validate_schema(values)
    with pytest.raises(helm.HelmError, match="replicaCount"):
        render(values)


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"cronJobs": {"jobs": [{"name": "sweep", "schedule": "* * * * *"}]}}, "args"),
        ({"securityContext": {"runAsNonRoot": False}}, "runAsNonRoot"),
        ({"config": {"logLevel": "LOUD"}}, "logLevel"),
        ({"replicas": 3}, "replicas"),
    ],
)
def test_schema_rejects_unsafe_or_misspelt_values(
    chart: helm.Chart, changes: dict[str, Any], key: str
) -> None:
    # given values that are wrong in one place
    values = with_values(MINIMAL_VALUES, **changes)
    # when validated against values.schema.json, then the error names the place
    with pytest.raises(helm.HelmValuesError, match=key):
        chart.validate_schema(values)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("host", "database.host is required"),
        ("secretKey", "secrets.secretKey is required"),
        ("identityKey", "secrets.identityKey is required"),
    ],
)
def test_rendering_without_a_required_setting_names_it(
    render: Render, missing: str, message: str
) -> None:
    # given minimal values with one required setting left out
    values = copy.deepcopy(MINIMAL_VALUES)
    section = "database" if missing == "host" else "secrets"
    del values[section][missing]
    # when the chart renders, then it fails with a message naming the setting
    with pytest.raises(helm.HelmRenderError, match=message):
        render(values)


def test_production_scales_with_the_hpa_and_an_existing_secret(render: Render) -> None:
    # given the production values
    values = production_values()
    manifests = render(values)
    # then the HPA owns the replica count and the PDB guards the web pods
    deployment = one(manifests, "Deployment")
    assert "replicas" not in deployment["spec"]
    hpa = one(manifests, "HorizontalPodAutoscaler")
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    pdb = one(manifests, "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
    # and every secret comes from the operator's Secret; the chart renders none
    assert of_kind(manifests, "Secret") == []
    refs = {
        e["valueFrom"]["secretKeyRef"]["name"]
        for spec in pod_specs(manifests).values()
        for c in spec["containers"]
        for e in c.get("env", [])
        if "valueFrom" in e
    }
    assert refs == {values["secrets"]["existingSecret"]}
    # and the ingress terminates TLS for its host
    ingress = one(manifests, "Ingress")
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]


def test_default_install_runs_fixed_replicas(render: Render) -> None:
    # given the chart defaults
    manifests = render(MINIMAL_VALUES)
    defaults = helm.Chart.load(CHART_DIR).values
    # then the Deployment carries the replica count and no HPA fights over it
    assert one(manifests, "Deployment")["spec"]["replicas"] == defaults["replicaCount"]
    assert of_kind(manifests, "HorizontalPodAutoscaler") == []


def test_network_policy_limits_ingress_to_the_web_port(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given the rendered NetworkPolicy
    _, values = scenario
    manifests = render(values)
    policy = one(manifests, "NetworkPolicy")["spec"]
    # then it covers every pod of the release, admits only the web port, and lets pods
    # reach DNS and PostgreSQL
    assert policy["podSelector"]["matchLabels"] == {
        "app.kubernetes.io/name": "giamsat",
        "app.kubernetes.io/instance": "giamsat",
    }
    assert [rule["ports"] for rule in policy["ingress"]] == [[{"port": "http", "protocol": "TCP"}]]
    egress_ports = {p["port"] for rule in policy["egress"] for p in rule["ports"]}
    assert {53, values["database"].get("port", 5432)} <= egress_ports


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(password=st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=1))
def test_database_password_survives_the_url(render: Render, password: str) -> None:
    # given a database password with any printable characters
    values = copy.deepcopy(MINIMAL_VALUES)
    values["secrets"]["databasePassword"] = password
    # when the chart composes the connection URL
    secret = one(render(values), "Secret", "giamsat")
    url = urlsplit(secret["stringData"]["GIAMSAT_DATABASE_URL"])
    # then a URL parser reads back the same host, user and password
    assert url.hostname == MINIMAL_VALUES["database"]["host"]
    assert url.username == "giamsat_app"
    assert unquote(url.password or "") == password


def test_every_configured_variable_is_documented(
    render: Render, scenario: tuple[str, dict[str, Any]]
) -> None:
    # given every GIAMSAT_* variable a pod can receive from the chart
    _, values = scenario
    manifests = render(values)
    names: set[str] = set()
    for configmap in of_kind(manifests, "ConfigMap"):
        names |= {k for k in configmap["data"] if k.startswith("GIAMSAT_")}
    for spec in pod_specs(manifests).values():
        names |= {e["name"] for c in spec["containers"] for e in c.get("env", [])}
    # then the operator's guide explains each one
    guide = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    assert names, "the chart configured nothing"
    assert sorted(n for n in names if f"`{n}`" not in guide) == []


def test_the_schema_validator_catches_a_broken_manifest(render: Render) -> None:
    # given a rendered Deployment spoilt in one field
    deployment = copy.deepcopy(one(render(MINIMAL_VALUES), "Deployment"))
    deployment["spec"]["replicas"] = "two"
    # when it is validated, then the validator refuses it (so the passes above mean something)
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSIONS[0], strict=True)


def manifests_mentioning(manifests: list[Manifest], text: str) -> list[str]:
    return [m["metadata"]["name"] for m in manifests if text in repr(m)]


def test_config_file_is_mounted_and_named(render: Render) -> None:
    # given a TOML settings file in the values
    values = copy.deepcopy(MINIMAL_VALUES)
    values["config"] = {"file": 'default_language = "vi"\nsession_hours = 8\n'}
    manifests = render(values)
    # then web, cronjob and migration pods all mount it and point GIAMSAT_CONFIG_FILE at it
    configmap = one(manifests, "ConfigMap", "giamsat")
    assert configmap["data"]["GIAMSAT_CONFIG_FILE"] == "/etc/giamsat/config.toml"
    for key, spec in pod_specs(manifests).items():
        mounts = spec["containers"][0]["volumeMounts"]
        assert {"name": "config-file", "mountPath": "/etc/giamsat", "readOnly": True} in mounts, key
    assert "session_hours = 8" in one(manifests, "ConfigMap", "giamsat-file")["data"]["config.toml"]
    assert manifests_mentioning(manifests, "giamsat-migration-file")


def test_the_app_believes_forwarded_headers_from_the_ingress_range_only(render: Render) -> None:
    # given the chart with its defaults, and with the operator's narrower pod network
    default = one(render(MINIMAL_VALUES), "ConfigMap")
    narrowed = with_values(MINIMAL_VALUES, config={"trustedProxies": "10.42.0.0/16"})
    custom = next(
        c for c in of_kind(render(narrowed), "ConfigMap") if "GIAMSAT_LOG_LEVEL" in c["data"]
    )
    # then the pods trust the private range the ingress pods come from, or the one configured
    assert default["data"]["GIAMSAT_TRUSTED_PROXIES"] == "10.0.0.0/8"
    assert custom["data"]["GIAMSAT_TRUSTED_PROXIES"] == "10.42.0.0/16"
