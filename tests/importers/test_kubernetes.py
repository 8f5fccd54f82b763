"""Kubernetes manifests as kubectl and Helm print them: kinds, requests, init containers, jobs, errors."""

from decimal import Decimal
from pathlib import Path

import pytest

from importers import import_texts
from importers.k8s_pods import ContainerRequest, effective_request
from importers.report import Action, WorkloadImportError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers" / "k8s"


def _import(*names, region=None):
    return import_texts("k8s", [(n, (FIXTURES / n).read_text()) for n in names], scenario_name="t", region=region)


def _inline(text, name="in.yaml"):
    return import_texts("k8s", [(name, text)], scenario_name="t")


def _entries(result, action):
    return [(e.origin.kind, e.origin.name, e.field, e.message) for e in result.report.of(action)]


def _deployment(containers, *, init="", extra_spec="", name="web", replicas="2"):
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}}}\nspec:\n  replicas: {replicas}\n"
            f"  template:\n    spec:\n{extra_spec}{init}      containers:\n{containers}")


def test_helm_rendered_file():
    result = _import("helm-shop.yaml")
    s = result.scenario
    (web,) = s.services
    # main 500m/768Mi + native sidecar envoy 100m/128Mi = 0.6/0.875; the migrate init container needs 1 CPU/1Gi
    # while no sidecar has started yet, so the pod requests max(1, 0.6) CPU and max(1, 0.875) GiB.
    assert (web.name, web.vcpu, web.memory_gib) == ("shop-web", pytest.approx(0.9), pytest.approx(0.875))
    assert [(c.name, c.vcpu, c.memory_gib) for c in web.sidecars] == [("envoy", 0.1, 0.125)]
    assert web.total_vcpu == pytest.approx(1.0) and web.total_memory_gib == pytest.approx(1.0)
    assert (web.replicas.min, web.replicas.max, web.architecture) == (3, 12, "arm64")
    report, sync = s.jobs
    assert (report.name, report.vcpu, report.memory_gib, report.runs_per_month, report.duration_minutes) == (
        "shop-nightly-report", 2.0, 4.0, pytest.approx(730 / 24), 60.0)   # activeDeadlineSeconds 3600
    assert (sync.vcpu, sync.memory_gib, sync.runs_per_month, sync.duration_minutes) == (0.25, 0.25, 2920.0, 10.0)
    assert [(d.name, d.vcpu, d.memory_gib) for d in s.daemons] == [("shop-fluent-bit", 0.05, 0.0625)]
    assert s.region == "us-east-1"
    skipped = {(kind, name) for kind, name, _, _ in _entries(result, Action.SKIPPED)}
    assert skipped == {("ServiceAccount", "shop"), ("ConfigMap", "shop-config"), ("Service", "shop-web")}
    assumed = _entries(result, Action.ASSUMED)
    assert any("limit '250m' is the request" in m for *_, m in assumed)
    assert any(f == "region" for _, _, f, _ in assumed)


def test_kubectl_list_counts_owned_objects_once():
    result = _import("kubectl-list.yaml", region="eu-west-1")
    s = result.scenario
    assert [(x.name, x.vcpu, x.replicas.max) for x in s.services] == [("checkout", 0.25, 2), ("orders-db", 1.0, 3)]
    orders = s.services[1]
    assert [c.name for c in orders.sidecars] == ["exporter"] and orders.ephemeral_storage_gib == 2.0
    (cleanup,) = s.jobs
    # two finished runs, 12m10s and 20m40s: the median is 16m25s
    assert cleanup.duration_minutes == pytest.approx((12 + 10 / 60 + 20 + 40 / 60) / 2)
    assert cleanup.runs_per_month == pytest.approx(730 / 24 / 7)
    skipped = {(kind, name): msg for kind, name, _, msg in _entries(result, Action.SKIPPED)}
    assert "Deployment 'checkout'" in skipped[("ReplicaSet", "checkout-6d9f7c8b5d")]
    assert "ReplicaSet 'checkout-6d9f7c8b5d'" in skipped[("Pod", "checkout-6d9f7c8b5d-x7k2p")]
    assert "adds this cluster component itself" in skipped[("Deployment", "coredns")]
    assert ("StatefulSet", "orders-db") in skipped and s.region == "eu-west-1"
    assert all(e.origin.item is not None for e in result.report.entries if e.origin.kind)


def test_mixed_kinds_are_skipped_and_reported_not_errors():
    result = _import("mixed-kinds.yaml")
    assert [x.name for x in result.scenario.services] == ["payments"]
    skipped = {kind for kind, *_ in _entries(result, Action.SKIPPED)}
    assert skipped == {"Namespace", "Secret", "Service", "Ingress", "Rollout", "PodDisruptionBudget"}
    hints = {kind: msg for kind, _, _, msg in _entries(result, Action.HINT)}
    assert "traffic.load_balancers" in hints["Service"] and "ALB" in hints["Ingress"]
    (rollout,) = [m for k, _, _, m in _entries(result, Action.SKIPPED) if k == "Rollout"]
    assert "pod template" in rollout


def test_only_unsupported_kinds_is_an_error():
    with pytest.raises(WorkloadImportError) as err:
        _import("unsupported-only.yaml")
    assert str(err.value).startswith("unsupported-only.yaml: nothing importable")
    assert "(ConfigMap " in str(err.value) and "Service is not a workload" in str(err.value)


def test_init_container_rule_worked_example():
    """Kubernetes docs' init-container example: inits 250m/256Mi and 500m/1Gi, apps 500m/1Gi + 250m/1Gi.

    The effective init request is 500m/1Gi; the apps sum to 750m/2Gi; the pod requests 750m/2Gi.
    """
    def req(cores, mib):
        return ContainerRequest("c", Decimal(cores), Decimal(mib * 2**20), Decimal(0))

    regular = [req("0.5", 1024), req("0.25", 1024)]
    init = [(req("0.25", 256), False), (req("0.5", 1024), False)]
    assert effective_request(regular, init, "cores") == Decimal("0.75")
    assert effective_request(regular, init, "memory_bytes") == 2 * 2**30
    big_init = [(req("4", 8192), False)]
    assert effective_request(regular, big_init, "cores") == 4


def test_sidecars_count_during_and_after_initialization():
    """A sidecar runs beside every later init container and beside the app containers."""
    def req(cores):
        return ContainerRequest("c", Decimal(cores), Decimal(0), Decimal(0))

    regular = [req("0.5")]
    init = [(req("0.2"), False), (req("0.3"), True), (req("1"), False), (req("0.1"), True)]
    # init peak: max(0.2, 1 + 0.3) = 1.3; steady: 0.5 + 0.3 + 0.1 = 0.9
    assert effective_request(regular, init, "cores") == Decimal("1.3")
    assert effective_request([req("2")], init, "cores") == Decimal("2.4")


def test_init_rule_through_the_importer():
    text = _deployment("        - {name: app, resources: {requests: {cpu: 500m, memory: 1Gi}}}\n"
                       "        - {name: log, resources: {requests: {cpu: 250m, memory: 1Gi}}}\n",
                       init="      initContainers:\n"
                            "        - {name: a, resources: {requests: {cpu: 250m, memory: 256Mi}}}\n"
                            "        - {name: b, resources: {requests: {cpu: '3', memory: 1Gi}}}\n")
    result = _inline(text)
    (svc,) = result.scenario.services
    assert svc.total_vcpu == pytest.approx(3.0) and svc.total_memory_gib == pytest.approx(2.0)
    assert (svc.vcpu, svc.sidecars[0].vcpu) == (pytest.approx(2.75), 0.25)
    assert any("max(init peak, sum of containers)" in m for *_, m in _entries(result, Action.ASSUMED))


def test_missing_requests_are_defaulted_and_flagged():
    result = _inline(_deployment("        - name: app\n          resources: {limits: {cpu: '1', memory: 2Gi}}\n"
                                 "        - name: bare\n          image: x\n"))
    (svc,) = result.scenario.services
    assert (svc.vcpu, svc.memory_gib) == (1.0, 2.0)                       # the limits, as Kubernetes copies them
    assert [(c.vcpu, c.memory_gib) for c in svc.sidecars] == [(0.1, pytest.approx(200 / 1024))]   # scheduler stand-ins
    assumed = [m for *_, m in _entries(result, Action.ASSUMED)]
    assert sum("the limit" in m for m in assumed) == 2
    assert sum("kube-scheduler's stand-in" in m for m in assumed) == 2


def test_unknown_fields_are_reported():
    result = _inline(_deployment("        - name: app\n          resouces: {requests: {cpu: '4'}}\n",
                                 extra_spec="      nodeSelecter: {kubernetes.io/arch: arm64}\n").replace(
                                     "  replicas: 2", "  replica: 2"))
    fields = {f: m for _, _, f, m in _entries(result, Action.SKIPPED)}
    assert "not a field of a Kubernetes Container" in fields["spec.template.spec.containers[0].resouces"]
    assert "spec.template.spec.nodeSelecter" in fields and "spec.replica" in fields
    (svc,) = result.scenario.services
    assert (svc.vcpu, svc.replicas.max, svc.architecture) == (0.1, 1, "x86_64")


def test_autoscaler_min_max_and_missing_target():
    text = _deployment("        - {name: app, resources: {requests: {cpu: 1, memory: 1Gi}}}\n") + (
        "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
        "spec: {scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 6}\n"
        "---\napiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: ghost}\n"
        "spec: {scaleTargetRef: {kind: Deployment, name: ghost}, minReplicas: 2, maxReplicas: 4}\n")
    result = _inline(text)
    (svc,) = result.scenario.services
    assert (svc.replicas.min, svc.replicas.max) == (1, 6)              # minReplicas defaults to 1
    skipped = _entries(result, Action.SKIPPED)
    assert [(k, n) for k, n, _, _ in skipped] == [("HorizontalPodAutoscaler", "ghost")]
    bad = text.replace("maxReplicas: 6", "minReplicas: 8, maxReplicas: 6")
    with pytest.raises(WorkloadImportError, match=r"document 2 .*HorizontalPodAutoscaler web.*spec\.maxReplicas"):
        _inline(bad)


def test_replicas_default_zero_and_bare_pods():
    text = (_deployment("        - {name: a, resources: {requests: {cpu: 1, memory: 1Gi}}}\n", name="zero",
                        replicas="0")
            + "---\n" + _deployment("        - {name: a, resources: {requests: {cpu: 1, memory: 1Gi}}}\n",
                                    name="dflt", replicas="null")
            + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug, ownerReferences: [{kind: ReplicaSet, "
              "name: gone, controller: true}]}\nspec: {containers: [{name: sh, resources: {requests: {cpu: 1, "
              "memory: 1Gi}}}]}\n")
    result = _inline(text)
    assert [(x.name, x.replicas.max) for x in result.scenario.services] == [("dflt", 1), ("debug", 1)]
    assert any("scaled to zero" in m for *_, m in _entries(result, Action.SKIPPED))
    assert any("ReplicaSet 'gone' which is not in the input" in m for *_, m in _entries(result, Action.ASSUMED))


def test_architecture_and_windows():
    affinity = ("      affinity:\n        nodeAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n"
                "            nodeSelectorTerms:\n            - matchExpressions:\n"
                "              - {key: kubernetes.io/arch, operator: In, values: [arm64]}\n")
    arm = _inline(_deployment("        - {name: a, resources: {requests: {cpu: 1, memory: 1Gi}}}\n",
                              extra_spec=affinity))
    assert arm.scenario.services[0].architecture == "arm64"
    either = _inline(_deployment("        - {name: a}\n", extra_spec=affinity.replace("[arm64]", "[arm64, amd64]")))
    assert either.scenario.services[0].architecture == "x86_64"
    windows = _inline(_deployment("        - {name: a}\n",
                                  extra_spec="      nodeSelector: {kubernetes.io/os: windows}\n"))
    assert windows.scenario.services[0].os == "windows"
    os_field = _inline(_deployment("        - {name: a}\n", extra_spec="      os: {name: windows}\n"))
    assert os_field.scenario.services[0].os == "windows"


def _cron(schedule, job_spec=""):
    return (f"apiVersion: batch/v1\nkind: CronJob\nmetadata: {{name: cj}}\nspec:\n  schedule: '{schedule}'\n"
            f"  jobTemplate:\n    spec:\n{job_spec}      template:\n        spec:\n"
            "          containers: [{name: c, resources: {requests: {cpu: 1, memory: 1Gi}}}]\n")


def test_cron_job_parallelism_waves_and_month_cap():
    result = _inline(_cron("0 * * * *", "      parallelism: 4\n      completions: 10\n"))
    (job,) = result.scenario.jobs
    assert (job.parallelism, job.duration_minutes, job.runs_per_month) == (4, 30.0, 730.0)  # 3 waves × 10 min
    every_minute = _inline(_cron("* * * * *")).scenario.jobs[0]
    assert every_minute.duration_minutes == pytest.approx(1.0)           # capped at the mean gap between runs
    assert every_minute.runs_per_month * every_minute.duration_minutes <= 730 * 60


def test_suspended_and_invalid_cron_jobs():
    suspended = _cron("0 0 * * *").replace("spec:\n  schedule", "spec:\n  suspend: true\n  schedule")
    result = _inline(suspended + "---\n" + _deployment("        - {name: a}\n"))
    assert not result.scenario.jobs
    assert [(k, f) for k, _, f, _ in _entries(result, Action.SKIPPED)] == [("CronJob", "spec.suspend")]
    with pytest.raises(WorkloadImportError) as err:
        _inline(_cron("0 0 * * 7"))
    assert str(err.value).startswith("in.yaml, document 1 (CronJob cj), field spec.schedule: ")
    assert "outside 0-6" in str(err.value)


def test_standalone_job_uses_its_observed_duration():
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: backfill}\nspec:\n  template:\n    spec:\n"
            "      containers: [{name: c, resources: {requests: {cpu: 2, memory: 4Gi}}}]\n"
            "status: {startTime: '2025-03-01T10:00:00Z', completionTime: '2025-03-01T12:30:00Z', succeeded: 1}\n")
    (job,) = _inline(text).scenario.jobs
    assert (job.runs_per_month, job.duration_minutes) == (1.0, 150.0)


@pytest.mark.parametrize(("container", "field", "message"), [
    ("{name: a, resources: {requests: {cpu: 12x}}}", "containers[0].resources.requests.cpu", "unknown suffix 'x'"),
    ("{name: a, resources: {requests: {cpu: '2000'}}}", "containers[0].resources", "more than 1000 vCPU"),
    ("{name: a, resources: {requests: {memory: 11Ti}}}", "containers[0].resources", "more than 10 TiB"),
    ("{name: a, resources: {requests: {memory: '512'}}}", "containers[0].resources", "write '512Mi'"),
    ("{name: a, resources: {requests: {memory: 512m}}}", "containers[0].resources", "'m' is milli"),
    ("{name: a, resources: {requests: [cpu]}}", "containers[0].resources.requests", "expected a mapping"),
])
def test_bad_quantities_name_file_document_object_and_field(container, field, message):
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + _deployment(f"        - {container}\n")
    with pytest.raises(WorkloadImportError) as err:
        _inline(text, "deploy.yaml")
    assert str(err.value).startswith(f"deploy.yaml, document 2 (Deployment web), field spec.template.spec.{field}: ")
    assert message in str(err.value)


def test_structural_errors():
    with pytest.raises(WorkloadImportError, match=r"field spec.template.spec.containers: a pod needs"):
        _inline(_deployment("        []\n").replace("containers:\n        []", "containers: []"))
    with pytest.raises(WorkloadImportError, match="expected a list, found a mapping"):
        _inline(_deployment("        {}\n").replace("containers:\n        {}", "containers: {a: 1}"))
    with pytest.raises(WorkloadImportError, match="nothing importable"):
        _inline("- just\n- a list\n---\n42\n")


def test_same_name_in_two_namespaces_is_qualified():
    one = _deployment("        - {name: a}\n").replace("metadata: {name: web}", "metadata: {name: web, namespace: a}")
    two = one.replace("namespace: a", "namespace: b")
    result = _inline(one + "---\n" + two)
    assert [x.name for x in result.scenario.services] == ["web", "b.web"]
    assert any("already used" in m for *_, m in _entries(result, Action.ASSUMED))


def test_spot_node_selector_is_a_hint():
    result = _inline(_deployment("        - {name: a}\n",
                                 extra_spec="      nodeSelector: {karpenter.sh/capacity-type: spot}\n"))
    assert any("spot_share" in m for *_, m in _entries(result, Action.HINT))
    assert result.scenario.purchase.spot_share == 0
