using System.Globalization;
using System.Text.Json.Nodes;
using EdgeFleet.Api;
using EdgeFleet.Api.V1Alpha1;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Kubectl;

/// <summary>Invalidations as a table: the CRD's printer columns, with the namespace for -A.</summary>
internal static class InvalidationTable
{
    public static void Write(TextWriter output, IEnumerable<JsonObject> invalidations, DateTimeOffset now, bool withNamespace)
    {
        string[] headers = ["NAME", "EDGECACHE", "MODE", "PHASE", "ACKED", "TARGETED", "AGE"];
        var table = new TableWriter(withNamespace ? ["NAMESPACE", .. headers] : headers);
        foreach (var obj in invalidations)
        {
            var invalidation = KubernetesJson.ToObject<Invalidation>(obj, EdgeFleetJson.Options);
            var status = invalidation.Status;
            string[] cells =
            [
                invalidation.Metadata.Name,
                invalidation.Spec.EdgeCacheRef.Name,
                invalidation.Spec.Mode,
                status?.Phase ?? InvalidationPhases.Pending,
                Count(status?.Acknowledged),
                Count(status?.Targeted),
                Age.Since(invalidation.Metadata.CreationTimestamp, now),
            ];
            table.Add(withNamespace ? [invalidation.Metadata.Namespace ?? "", .. cells] : cells);
        }

        table.WriteTo(output);
    }

    private static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
