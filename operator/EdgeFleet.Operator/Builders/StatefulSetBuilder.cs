using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;

namespace EdgeFleet.Operator.Builders;

/// <summary>
/// The StatefulSet of a tier: the edge pods of one region (pinned to the region's nodes, one per
/// node) or the shield pods, with the node-local cache volume, a hardened pod spec, probes on the
/// admin port and a termination sequence long enough to leave DNS before exiting.
/// </summary>
internal static class StatefulSetBuilder
{
    public const int RunAsUser = 10001;
    public const string DefaultRegionLabel = "topology.kubernetes.io/region";
    public const string HostnameTopologyKey = "kubernetes.io/hostname";

    private const string ContainerName = "cache";
    private const string ConfigVolume = "config";
    private const string CacheVolume = "cache";
    private const string TmpVolume = "tmp";
    private const string OriginCaVolume = "origin-ca";
    private const string OriginNotifyVolume = "origin-notify";

    public static JsonObject Build(Origin origin, EdgeCache edgeCache, CacheTier tier, string configHash, string secretName, BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(edgeCache);
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentException.ThrowIfNullOrEmpty(configHash);
        ArgumentException.ThrowIfNullOrEmpty(secretName);
        ArgumentNullException.ThrowIfNull(options);
        var spec = edgeCache.Spec;
        var statefulSet = ObjectMetadata.Object("apps/v1", "StatefulSet", ObjectMetadata.For(edgeCache, tier.Name, FleetLabels.For(tier)));
        var setSpec = new JsonObject
        {
            ["replicas"] = tier.Replicas,
            ["serviceName"] = tier.Name,
            ["selector"] = new JsonObject { ["matchLabels"] = FleetLabels.Selector(tier) },

            // Cache pods do not depend on each other's ordinal; start and stop them together.
            ["podManagementPolicy"] = "Parallel",
            ["revisionHistoryLimit"] = 5,
            ["updateStrategy"] = UpdateStrategy(tier.Region?.UpdateStrategy ?? spec.UpdateStrategy),
            ["template"] = PodTemplate(origin, edgeCache, tier, configHash, secretName, options),
        };
        if (!spec.Cache.UseEmptyDir)
        {
            setSpec["volumeClaimTemplates"] = new JsonArray(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = CacheVolume, ["labels"] = FleetLabels.For(tier) },
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["storageClassName"] = spec.Cache.StorageClassName,
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = spec.Cache.DiskSize } },
                },
            });

            // A deleted region's local volumes go with it; a scaled-down pod keeps its cache for when it returns.
            setSpec["persistentVolumeClaimRetentionPolicy"] = new JsonObject { ["whenDeleted"] = "Delete", ["whenScaled"] = "Retain" };
        }

        statefulSet["spec"] = setSpec;
        return statefulSet;
    }

    /// <summary>The region's node labels: as given, or <c>topology.kubernetes.io/region=&lt;name&gt;</c>.</summary>
    public static IReadOnlyDictionary<string, string> NodeSelector(EdgeCacheRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.NodeSelector is { Count: > 0 } selector
            ? selector
            : new Dictionary<string, string> { [DefaultRegionLabel] = region.Name };
    }

    /// <summary>DNS TTL, then resolver slack, then in-flight requests: the pod leaves DNS before it stops serving.</summary>
    public static int TerminationGracePeriodSeconds(EdgeCache edgeCache, BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(edgeCache);
        ArgumentNullException.ThrowIfNull(options);
        return edgeCache.Spec.DnsTtlSeconds + options.ResolverSlackSeconds + options.DrainSeconds;
    }

    private static JsonObject PodTemplate(Origin origin, EdgeCache edgeCache, CacheTier tier, string configHash, string secretName, BuilderOptions options)
    {
        var spec = edgeCache.Spec;
        var annotations = new JsonObject();
        foreach (var (key, value) in spec.PodAnnotations ?? new Dictionary<string, string>())
        {
            annotations[key] = value;
        }

        annotations[FleetLabels.ConfigHashAnnotation] = configHash;
        var podSpec = new JsonObject
        {
            ["automountServiceAccountToken"] = false,
            ["enableServiceLinks"] = false,
            ["terminationGracePeriodSeconds"] = TerminationGracePeriodSeconds(edgeCache, options),
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = RunAsUser,
                ["runAsGroup"] = RunAsUser,
                ["fsGroup"] = RunAsUser,
                ["fsGroupChangePolicy"] = "OnRootMismatch",
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["affinity"] = Affinity(tier),
            ["containers"] = new JsonArray(Container(origin, edgeCache, tier, secretName, options)),
            ["volumes"] = Volumes(origin, edgeCache, tier),
        };
        if (spec.Tolerations is { Count: > 0 } tolerations)
        {
            podSpec["tolerations"] = JsonSerializer.SerializeToNode(tolerations, EdgeFleetJson.Options);
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = FleetLabels.For(tier), ["annotations"] = annotations },
            ["spec"] = podSpec,
        };
    }

    private static JsonObject Affinity(CacheTier tier)
    {
        var sameTier = new JsonObject
        {
            ["labelSelector"] = new JsonObject { ["matchLabels"] = FleetLabels.Selector(tier) },
            ["topologyKey"] = HostnameTopologyKey,
        };
        if (tier.Region is not { } region)
        {
            // Shields spread over nodes when they can; the region's edges are the ones that must.
            return new JsonObject
            {
                ["podAntiAffinity"] = new JsonObject
                {
                    ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject { ["weight"] = 100, ["podAffinityTerm"] = sameTier }),
                },
            };
        }

        var expressions = new JsonArray(NodeSelector(region).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["operator"] = "In", ["values"] = new JsonArray(p.Value) })
            .ToArray());
        return new JsonObject
        {
            ["nodeAffinity"] = new JsonObject
            {
                ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                {
                    ["nodeSelectorTerms"] = new JsonArray(new JsonObject { ["matchExpressions"] = expressions }),
                },
            },

            // One pod per node: each pod owns the node's NVMe and its own DNS record.
            ["podAntiAffinity"] = new JsonObject
            {
                ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(sameTier),
            },
        };
    }

    private static JsonObject Container(Origin origin, EdgeCache edgeCache, CacheTier tier, string secretName, BuilderOptions options)
    {
        var spec = edgeCache.Spec;
        var mounts = new JsonArray(
            Mount(ConfigVolume, CachePaths.ConfigDirectory, readOnly: true),
            Mount(CacheVolume, CachePaths.DiskPath, readOnly: false),
            Mount(TmpVolume, "/tmp", readOnly: false));
        if (origin.Spec.Tls?.CaSecretRef is not null)
        {
            mounts.Add(Mount(OriginCaVolume, CachePaths.OriginCaDirectory, readOnly: true));
        }

        if (origin.Spec.NotificationSecretRef is not null)
        {
            mounts.Add(Mount(OriginNotifyVolume, CachePaths.OriginNotifyDirectory, readOnly: true));
        }

        var container = new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = spec.Image ?? options.DefaultImage,
            ["imagePullPolicy"] = spec.ImagePullPolicy ?? "IfNotPresent",
            ["args"] = new JsonArray("--config", CachePaths.ConfigFile, "--role", tier.Component),
            ["ports"] = new JsonArray(
                new JsonObject { ["name"] = CachePaths.PublicPortName, ["containerPort"] = CachePaths.PublicPort, ["protocol"] = "TCP" },
                new JsonObject { ["name"] = CachePaths.AdminPortName, ["containerPort"] = CachePaths.AdminPort, ["protocol"] = "TCP" }),
            ["env"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = CachePaths.AdminTokenVariable,
                    ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secretName, ["key"] = CachePaths.AdminTokenKey } },
                },
                FieldEnv("EDGEFLEET__PODNAME", "metadata.name"),
                FieldEnv("EDGEFLEET__PODIP", "status.podIP")),
            ["resources"] = Resources(spec),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["runAsNonRoot"] = true,
                ["runAsUser"] = RunAsUser,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },

            // Opening the disk index and catching up on missed notices can take a while after a restart.
            ["startupProbe"] = Probe("/healthz", periodSeconds: 5, failureThreshold: 120),
            ["readinessProbe"] = Probe("/readyz", periodSeconds: 5, failureThreshold: 2),
            ["livenessProbe"] = Probe("/healthz", periodSeconds: 10, failureThreshold: 3),

            // The cache drains itself: /drain fails /readyz (the pod leaves DNS), keeps serving for the
            // DNS TTL plus slack, then returns, and only then does the kubelet send SIGTERM.
            ["lifecycle"] = new JsonObject
            {
                ["preStop"] = new JsonObject
                {
                    ["httpGet"] = new JsonObject { ["path"] = "/drain", ["port"] = CachePaths.AdminPortName },
                },
            },
            ["volumeMounts"] = mounts,
        };
        return container;
    }

    private static JsonArray Volumes(Origin origin, EdgeCache edgeCache, CacheTier tier)
    {
        var volumes = new JsonArray(
            new JsonObject { ["name"] = ConfigVolume, ["configMap"] = new JsonObject { ["name"] = tier.Name } },
            new JsonObject { ["name"] = TmpVolume, ["emptyDir"] = new JsonObject { ["sizeLimit"] = "64Mi" } });
        if (edgeCache.Spec.Cache.UseEmptyDir)
        {
            volumes.Add(new JsonObject { ["name"] = CacheVolume, ["emptyDir"] = new JsonObject { ["sizeLimit"] = edgeCache.Spec.Cache.DiskSize } });
        }

        if (origin.Spec.Tls?.CaSecretRef is { } ca)
        {
            volumes.Add(SecretVolume(OriginCaVolume, ca.Name, ca.Key, "ca.crt"));
        }

        if (origin.Spec.NotificationSecretRef is { } notify)
        {
            volumes.Add(SecretVolume(OriginNotifyVolume, notify.Name, notify.Key, "token"));
        }

        return volumes;
    }

    private static JsonObject Resources(EdgeCacheSpec spec)
    {
        if (spec.Resources is { } resources)
        {
            return JsonSerializer.SerializeToNode(resources, EdgeFleetJson.Options)!.AsObject();
        }

        // The memory tier plus room for the runtime, connections and the disk tier's page cache use.
        var memory = Quantities.ToMebibytes((Quantities.ParseBytes(spec.Cache.MemorySize) * 5 / 4) + (256L * 1024 * 1024));
        return new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = memory },
            ["limits"] = new JsonObject { ["memory"] = memory },
        };
    }

    private static JsonObject UpdateStrategy(UpdateStrategy? strategy)
    {
        var result = new JsonObject { ["type"] = strategy?.Type ?? "RollingUpdate" };
        if (strategy?.RollingUpdate is { } rolling && result["type"]!.GetValue<string>() == "RollingUpdate")
        {
            var rollingUpdate = new JsonObject();
            if (rolling.Partition is { } partition)
            {
                rollingUpdate["partition"] = partition;
            }

            if (rolling.MaxUnavailable is { } maxUnavailable)
            {
                rollingUpdate["maxUnavailable"] = JsonSerializer.SerializeToNode(maxUnavailable, EdgeFleetJson.Options);
            }

            result["rollingUpdate"] = rollingUpdate;
        }

        return result;
    }

    private static JsonObject Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = CachePaths.AdminPortName },
        ["periodSeconds"] = periodSeconds,
        ["failureThreshold"] = failureThreshold,
        ["timeoutSeconds"] = 2,
    };

    private static JsonObject Mount(string name, string path, bool readOnly) => new()
    {
        ["name"] = name,
        ["mountPath"] = path,
        ["readOnly"] = readOnly,
    };

    private static JsonObject FieldEnv(string name, string fieldPath) => new()
    {
        ["name"] = name,
        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = fieldPath } },
    };

    private static JsonObject SecretVolume(string name, string secretName, string key, string path) => new()
    {
        ["name"] = name,
        ["secret"] = new JsonObject
        {
            ["secretName"] = secretName,
            ["items"] = new JsonArray(new JsonObject { ["key"] = key, ["path"] = path }),
        },
    };
}
