"""The field names each source format defines, for reporting unknown fields.

A key outside these sets is most often a typo (``resouces``, ``replica``,
``memoryReservaton``) whose content would otherwise vanish without a word, so the
importers report it as skipped.  A field a format adds after these lists were taken is
reported the same way, which is harmless: it is a note, not an error.

Sources
-------
- Amazon ECS: the ``ecs`` (2014-11-13) and ``application-autoscaling`` (2016-02-06)
  service models of botocore 1.44 (the shapes ``TaskDefinition``,
  ``RegisterTaskDefinitionRequest``, ``ContainerDefinition``, ``Service``,
  ``CreateServiceRequest``, ``ScalableTarget``, ``RegisterScalableTargetRequest``), the
  same definitions the AWS CLI prints and accepts.  tests/importers/test_schemas.py
  checks these sets against the installed botocore.
- Kubernetes: the API reference for v1.34 (``Container``, ``ResourceRequirements``,
  ``PodSpec``, ``DeploymentSpec``, ``StatefulSetSpec``, ``DaemonSetSpec``,
  ``ReplicaSetSpec``, ``ReplicationControllerSpec``, ``JobSpec``, ``CronJobSpec``,
  ``HorizontalPodAutoscalerSpec`` v2 and v1).
- Docker Compose: compose-spec/compose-spec ``schema/compose-spec.json``
  (definitions ``service``, ``deployment``), plus ``x-`` extension keys anywhere.
"""

from __future__ import annotations

# --- Amazon ECS ---------------------------------------------------------------------
ECS_TASK_DEFINITION_FIELDS = frozenset({
    "compatibilities", "containerDefinitions", "cpu", "deleteRequestedAt", "deregisteredAt", "enableFaultInjection",
    "ephemeralStorage", "executionRoleArn", "family", "inferenceAccelerators", "ipcMode", "memory", "networkMode",
    "pidMode", "placementConstraints", "proxyConfiguration", "registeredAt", "registeredBy", "requiresAttributes",
    "requiresCompatibilities", "revision", "runtimePlatform", "status", "tags", "taskDefinitionArn", "taskRoleArn",
    "trustedExecutionConfiguration", "volumes"})
ECS_CONTAINER_DEFINITION_FIELDS = frozenset({
    "command", "cpu", "credentialSpecs", "dependsOn", "disableNetworking", "dnsSearchDomains", "dnsServers",
    "dockerLabels", "dockerSecurityOptions", "entryPoint", "environment", "environmentFiles", "essential",
    "extraHosts", "firelensConfiguration", "healthCheck", "hostname", "image", "interactive", "links",
    "linuxParameters", "logConfiguration", "memory", "memoryReservation", "mountPoints", "name", "portMappings",
    "privileged", "pseudoTerminal", "readonlyRootFilesystem", "repositoryCredentials", "resourceRequirements",
    "restartPolicy", "secrets", "startTimeout", "stopTimeout", "systemControls", "ulimits", "user",
    "versionConsistency", "volumesFrom", "workingDirectory"})
ECS_SERVICE_FIELDS = frozenset({
    "availabilityZoneRebalancing", "capacityProviderStrategy", "clientToken", "cluster", "clusterArn", "createdAt",
    "createdBy", "currentServiceDeployment", "currentServiceRevisions", "deploymentConfiguration",
    "deploymentController", "deployments", "desiredCount", "enableECSManagedTags", "enableExecuteCommand", "events",
    "gatewayConnectors", "healthCheckGracePeriodSeconds", "launchType", "loadBalancers", "monitoring",
    "networkConfiguration", "pendingCount", "placementConstraints", "placementStrategy", "platformFamily",
    "platformVersion", "propagateTags", "resourceManagementType", "role", "roleArn", "runningCount",
    "schedulingStrategy", "serviceArn", "serviceConnectConfiguration", "serviceName", "serviceRegistries", "status",
    "tags", "taskDefinition", "taskSets", "volumeConfigurations", "vpcLatticeConfigurations"})
ECS_SCALABLE_TARGET_FIELDS = frozenset({
    "CreationTime", "MaxCapacity", "MinCapacity", "PredictedCapacity", "ResourceId", "RoleARN", "ScalableDimension",
    "ScalableTargetARN", "ServiceNamespace", "SuspendedState", "Tags"})

# --- Kubernetes ---------------------------------------------------------------------
K8S_CONTAINER_FIELDS = frozenset({
    "args", "command", "env", "envFrom", "image", "imagePullPolicy", "lifecycle", "livenessProbe", "name", "ports",
    "readinessProbe", "resizePolicy", "resources", "restartPolicy", "restartPolicyRules", "securityContext",
    "startupProbe", "stdin", "stdinOnce", "terminationMessagePath", "terminationMessagePolicy", "tty",
    "volumeDevices", "volumeMounts", "workingDir"})
K8S_RESOURCES_FIELDS = frozenset({"claims", "limits", "requests"})
K8S_POD_SPEC_FIELDS = frozenset({
    "activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "containers", "dnsConfig", "dnsPolicy",
    "enableServiceLinks", "ephemeralContainers", "hostAliases", "hostIPC", "hostNetwork", "hostPID", "hostUsers",
    "hostname", "hostnameOverride", "imagePullSecrets", "initContainers", "nodeName", "nodeSelector", "os",
    "overhead", "preemptionPolicy", "priority", "priorityClassName", "readinessGates", "resourceClaims", "resources",
    "restartPolicy", "runtimeClassName", "schedulerName", "schedulingGates", "securityContext", "serviceAccount",
    "serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain",
    "terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints", "volumes"})
K8S_OBJECT_FIELDS = frozenset({"apiVersion", "kind", "metadata", "spec", "status"})
K8S_WORKLOAD_SPEC_FIELDS: dict[str, frozenset[str]] = {
    "Deployment": frozenset({"minReadySeconds", "paused", "progressDeadlineSeconds", "replicas",
                             "revisionHistoryLimit", "selector", "strategy", "template"}),
    "StatefulSet": frozenset({"minReadySeconds", "ordinals", "persistentVolumeClaimRetentionPolicy",
                              "podManagementPolicy", "replicas", "revisionHistoryLimit", "selector", "serviceName",
                              "template", "updateStrategy", "volumeClaimTemplates"}),
    "DaemonSet": frozenset({"minReadySeconds", "revisionHistoryLimit", "selector", "template", "updateStrategy"}),
    "ReplicaSet": frozenset({"minReadySeconds", "replicas", "selector", "template"}),
    "ReplicationController": frozenset({"minReadySeconds", "replicas", "selector", "template"}),
    "Job": frozenset({"activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex", "completionMode",
                      "completions", "managedBy", "manualSelector", "maxFailedIndexes", "parallelism",
                      "podFailurePolicy", "podReplacementPolicy", "selector", "successPolicy", "suspend", "template",
                      "ttlSecondsAfterFinished"}),
    "CronJob": frozenset({"concurrencyPolicy", "failedJobsHistoryLimit", "jobTemplate", "schedule",
                          "startingDeadlineSeconds", "successfulJobsHistoryLimit", "suspend", "timeZone"}),
    "HorizontalPodAutoscaler": frozenset({"behavior", "maxReplicas", "metrics", "minReplicas", "scaleTargetRef",
                                          "targetCPUUtilizationPercentage"}),
}

# --- Docker Compose -----------------------------------------------------------------
COMPOSE_TOP_LEVEL_FIELDS = frozenset({"configs", "include", "models", "name", "networks", "secrets", "services",
                                      "version", "volumes"})
COMPOSE_SERVICE_FIELDS = frozenset({
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup", "cgroup_parent", "command",
    "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
    "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
    "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "entrypoint", "env_file",
    "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck",
    "hostname", "image", "init", "ipc", "isolation", "label_file", "labels", "links", "logging", "mac_address",
    "mem_limit", "mem_reservation", "mem_swappiness", "memswap_limit", "models", "network_mode", "networks",
    "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
    "privileged", "profiles", "provider", "pull_policy", "pull_refresh_after", "read_only", "restart", "runtime",
    "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt",
    "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes",
    "volumes_from", "working_dir"})
COMPOSE_DEPLOY_FIELDS = frozenset({"endpoint_mode", "labels", "mode", "placement", "replicas", "resources",
                                   "restart_policy", "rollback_config", "update_config"})
COMPOSE_RESOURCES_FIELDS = frozenset({"limits", "reservations"})
COMPOSE_LIMITS_FIELDS = frozenset({"cpus", "memory", "pids"})
COMPOSE_RESERVATIONS_FIELDS = frozenset({"cpus", "devices", "generic_resources", "memory"})
