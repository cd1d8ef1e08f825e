using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// Operations on JSON trees that the API semantics need: merge patch, field paths (for field
/// ownership of server-side apply) and comparison. A path is a list of map keys joined by a
/// separator that cannot occur in a key.
/// </summary>
internal static class JsonTree
{
    public const char Separator = '\u001f';

    // Metadata a client cannot own or set: the server assigns it.
    private static readonly HashSet<string> OwnableMetadata = new(StringComparer.Ordinal)
    {
        "labels", "annotations", "finalizers", "ownerReferences",
    };

    /// <summary>RFC 7386: objects merge recursively, null deletes, anything else replaces.</summary>
    public static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                MergePatch(targetObject, patchObject);
            }
            else
            {
                target[key] = value is JsonObject o ? StripNulls(o) : value.DeepClone();
            }
        }
    }

    /// <summary>The leaf paths of the fields a manager can own: everything but identity and server metadata.</summary>
    public static List<string> OwnablePaths(JsonObject obj)
    {
        var paths = new List<string>();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (metaKey, metaValue) in metadata)
                {
                    if (OwnableMetadata.Contains(metaKey))
                    {
                        Collect(metaValue, $"metadata{Separator}{metaKey}", paths);
                    }
                }

                continue;
            }

            Collect(value, key, paths);
        }

        return paths;
    }

    public static bool TryGet(JsonObject obj, string path, out JsonNode? value)
    {
        JsonNode? node = obj;
        foreach (var segment in path.Split(Separator))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out node))
            {
                value = null;
                return false;
            }
        }

        value = node;
        return true;
    }

    /// <summary>Removes the field at <paramref name="path"/> and any maps it leaves empty below the top level.</summary>
    public static void Remove(JsonObject obj, string path)
    {
        var segments = path.Split(Separator);
        var parents = new List<JsonObject> { obj };
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (parents[^1][segments[i]] is not JsonObject next)
            {
                return;
            }

            parents.Add(next);
        }

        parents[^1].Remove(segments[^1]);
        for (var i = parents.Count - 1; i >= 2 && parents[i].Count == 0; i--)
        {
            parents[i - 1].Remove(segments[i - 1]);
        }
    }

    /// <summary>Server-side apply's merge: maps merge recursively, lists and scalars are replaced whole.</summary>
    public static void ApplyMerge(JsonObject target, JsonObject applied)
    {
        foreach (var (key, value) in applied)
        {
            if (value is JsonObject appliedObject && target[key] is JsonObject targetObject)
            {
                ApplyMerge(targetObject, appliedObject);
            }
            else if (value is null)
            {
                target.Remove(key);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>The object without metadata and status: what a change of generation is about.</summary>
    public static JsonObject SpecPart(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        copy.Remove("apiVersion");
        copy.Remove("kind");
        return copy;
    }

    /// <summary>
    /// managedFields' FieldsV1 form of a set of paths: <c>{"f:spec":{"f:replicas":{}}}</c>.
    /// </summary>
    public static JsonObject FieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var segment in path.Split(Separator))
            {
                var key = "f:" + segment;
                if (node[key] is not JsonObject child)
                {
                    child = [];
                    node[key] = child;
                }

                node = child;
            }
        }

        return root;
    }

    /// <summary>A path as users read it, e.g. <c>.spec.replicas</c>.</summary>
    public static string Display(string path) => "." + path.Replace(Separator, '.');

    private static void Collect(JsonNode? node, string prefix, List<string> into)
    {
        if (node is JsonObject o && o.Count > 0)
        {
            foreach (var (key, value) in o)
            {
                Collect(value, prefix + Separator + key, into);
            }
        }
        else
        {
            into.Add(prefix);
        }
    }

    private static JsonObject StripNulls(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (value is not null)
            {
                copy[key] = value is JsonObject o ? StripNulls(o) : value.DeepClone();
            }
        }

        return copy;
    }
}
