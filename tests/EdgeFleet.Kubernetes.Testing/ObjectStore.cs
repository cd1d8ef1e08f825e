using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes.Testing;

/// <summary>
/// The double's storage and API semantics, independent of HTTP: one global resourceVersion
/// counter (as etcd's revision), a bounded event history that watches replay from, field
/// ownership for server-side apply, finalizers and owner-reference garbage collection. One lock
/// serializes everything: the double favours obvious correctness over throughput.
/// </summary>
internal sealed class ObjectStore(TimeProvider time)
{
    private static readonly string[] ServerMetadata =
        ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion", "managedFields"];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _objects = new(StringComparer.Ordinal);
    private readonly List<HistoryEvent> _history = [];
    private readonly List<Watcher> _watchers = [];
    private long _resourceVersion;
    private long _compactedThrough;
    private int _historyLimit = 1000;

    /// <summary>Events retained for watches; a watch from before the oldest retained one gets 410.</summary>
    public int HistoryLimit
    {
        get { lock (_lock) { return _historyLimit; } }
        set { lock (_lock) { _historyLimit = Math.Max(0, value); Trim(); } }
    }

    public long ResourceVersion
    {
        get { lock (_lock) { return _resourceVersion; } }
    }

    public void Register(ResourceRegistration registration)
    {
        var type = registration.Type;
        lock (_lock)
        {
            _registrations[$"{type.Group}/{type.Version}/{type.Plural}"] = registration;
            _objects.TryAdd(registration.StorageKey, new SortedDictionary<string, StoredObject>(StringComparer.Ordinal));
        }
    }

    public ResourceRegistration? Find(string group, string version, string plural)
    {
        lock (_lock)
        {
            return _registrations.GetValueOrDefault($"{group}/{version}/{plural}");
        }
    }

    public ResourceRegistration? Find(ResourceType type) => Find(type.Group, type.Version, type.Plural);

    public JsonObject? TryGet(ResourceRegistration registration, string? @namespace, string name)
    {
        lock (_lock)
        {
            return Objects(registration).TryGetValue(Key(registration, @namespace, name), out var stored)
                ? (JsonObject)stored.Object.DeepClone()
                : null;
        }
    }

    public JsonObject Get(ResourceRegistration registration, string? @namespace, string name) =>
        TryGet(registration, @namespace, name) ?? throw ApiError.NotFound(registration.Type, name);

    public JsonObject List(
        ResourceRegistration registration, string? @namespace, Selector? labels, Selector? fields, int? limit, string? continueToken)
    {
        lock (_lock)
        {
            var filter = new Watcher(registration, registration.Type.Namespaced ? @namespace : null, labels, fields, false);
            var after = continueToken is null ? null : DecodeContinue(continueToken);
            var matching = Objects(registration)
                .Where(pair => after is null || string.CompareOrdinal(pair.Key, after) > 0)
                .Where(pair => filter.Matches(pair.Value.Object))
                .ToList();
            var page = limit is > 0 ? matching.Take(limit.Value).ToList() : matching;
            var metadata = new JsonObject { ["resourceVersion"] = Text(_resourceVersion) };
            if (page.Count < matching.Count)
            {
                metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Key));
                metadata["remainingItemCount"] = matching.Count - page.Count;
            }

            var items = new JsonArray();
            foreach (var pair in page)
            {
                items.Add(pair.Value.Object.DeepClone());
            }

            return new JsonObject
            {
                ["apiVersion"] = registration.Type.ApiVersion,
                ["kind"] = registration.Type.Kind + "List",
                ["metadata"] = metadata,
                ["items"] = items,
            };
        }
    }

    public JsonObject Create(ResourceRegistration registration, string? @namespace, JsonObject body, string? fieldManager)
    {
        lock (_lock)
        {
            return CreateLocked(registration, @namespace, body, fieldManager, apply: false);
        }
    }

    private JsonObject CreateLocked(ResourceRegistration registration, string? @namespace, JsonObject body, string? fieldManager, bool apply)
    {
        var type = registration.Type;
        var obj = (JsonObject)body.DeepClone();
        var meta = obj.Metadata();
        var name = obj.Name();
        if (string.IsNullOrEmpty(name))
        {
            var prefix = (string?)meta["generateName"];
            if (string.IsNullOrEmpty(prefix))
            {
                throw Invalid(type, "", [new FieldViolation("metadata.name", "Required value: name or generateName is required")]);
            }

            name = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        var bodyNamespace = obj.Namespace();
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != @namespace)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var key = Key(registration, @namespace, name);
        if (Objects(registration).ContainsKey(key))
        {
            throw ApiError.AlreadyExists(type, name);
        }

        foreach (var field in ServerMetadata)
        {
            meta.Remove(field);
        }

        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        meta["name"] = name;
        if (type.Namespaced)
        {
            meta["namespace"] = @namespace;
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = KubernetesTime.Format(time.GetUtcNow());
        meta["generation"] = 1;
        if (registration.StatusSubresource)
        {
            obj.Remove("status"); // status is written through /status only
        }

        obj = Defaulted(registration, obj);
        meta = obj.Metadata();
        Validate(registration, obj);
        var stored = new StoredObject(obj);
        var manager = fieldManager ?? "unknown";
        foreach (var path in JsonTree.OwnablePaths(obj))
        {
            stored.Owners[path] = manager;
        }

        stored.Operations[manager] = apply ? "Apply" : "Update";
        meta["resourceVersion"] = Text(++_resourceVersion);
        meta["managedFields"] = ManagedFields(stored, type);
        Objects(registration)[key] = stored;
        Publish(new HistoryEvent(_resourceVersion, registration.StorageKey, WatchEventType.Added, (JsonObject)obj.DeepClone(), null));
        return (JsonObject)obj.DeepClone();
    }

    public JsonObject Update(
        ResourceRegistration registration, string? @namespace, string name, JsonObject body, bool status, string? fieldManager)
    {
        lock (_lock)
        {
            var stored = Existing(registration, @namespace, name);
            if (body.Name() is { Length: > 0 } bodyName && bodyName != name)
            {
                throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            CheckResourceVersion(registration, stored, body.ResourceVersion(), name);
            JsonObject next;
            if (status)
            {
                next = (JsonObject)stored.Object.DeepClone();
                SetOrRemove(next, "status", body["status"]);
            }
            else
            {
                next = (JsonObject)body.DeepClone();
                if (registration.StatusSubresource)
                {
                    SetOrRemove(next, "status", stored.Object["status"]);
                }
            }

            return CommitUpdate(registration, stored, next, fieldManager);
        }
    }

    public JsonObject Patch(
        ResourceRegistration registration, string? @namespace, string name, JsonObject patch, bool status, string? fieldManager)
    {
        lock (_lock)
        {
            var stored = Existing(registration, @namespace, name);
            if (patch["metadata"] is JsonObject patchMeta)
            {
                CheckResourceVersion(registration, stored, (string?)patchMeta["resourceVersion"], name);
            }

            var patched = (JsonObject)stored.Object.DeepClone();
            JsonTree.MergePatch(patched, patch);
            JsonObject next;
            if (status)
            {
                next = (JsonObject)stored.Object.DeepClone();
                SetOrRemove(next, "status", patched["status"]);
            }
            else
            {
                next = patched;
                if (registration.StatusSubresource)
                {
                    SetOrRemove(next, "status", stored.Object["status"]);
                }
            }

            return CommitUpdate(registration, stored, next, fieldManager);
        }
    }

    /// <summary>
    /// Server-side apply, approximated: maps merge, lists are atomic (no merge keys), ownership is
    /// per leaf field, and a field this manager applied before but omits now is removed.
    /// </summary>
    public JsonObject Apply(
        ResourceRegistration registration, string? @namespace, string name, JsonObject body, bool status, string fieldManager, bool force)
    {
        lock (_lock)
        {
            var type = registration.Type;
            var applied = (JsonObject)body.DeepClone();
            if (applied.Name() is { Length: > 0 } bodyName && bodyName != name)
            {
                throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            Func<string, bool> inScope = status
                ? IsStatusPath
                : registration.StatusSubresource ? p => !IsStatusPath(p) : _ => true;
            if (status)
            {
                applied = new JsonObject { ["metadata"] = applied["metadata"]?.DeepClone(), ["status"] = applied["status"]?.DeepClone() };
            }
            else if (registration.StatusSubresource)
            {
                applied.Remove("status");
            }

            var applyMeta = applied.Metadata();
            var precondition = (string?)applyMeta["resourceVersion"];
            foreach (var field in ServerMetadata)
            {
                applyMeta.Remove(field);
            }

            applied.Remove("apiVersion");
            applied.Remove("kind");
            if (!Objects(registration).TryGetValue(Key(registration, @namespace, name), out var stored))
            {
                if (status)
                {
                    throw ApiError.NotFound(type, name);
                }

                applyMeta["name"] = name;
                return CreateLocked(registration, @namespace, applied, fieldManager, apply: true);
            }

            CheckResourceVersion(registration, stored, precondition, name);
            var paths = JsonTree.OwnablePaths(applied).Where(inScope).ToHashSet(StringComparer.Ordinal);
            var conflicts = new List<string>();
            foreach (var path in paths)
            {
                if (stored.Owners.TryGetValue(path, out var owner) && owner != fieldManager
                    && (!JsonTree.TryGet(stored.Object, path, out var current) || !JsonTree.TryGet(applied, path, out var wanted)
                        || !JsonNode.DeepEquals(current, wanted)))
                {
                    conflicts.Add($"conflict with \"{owner}\": {JsonTree.Display(path)}");
                }
            }

            if (conflicts.Count > 0 && !force)
            {
                throw new ApiError(409, "Conflict",
                    $"Apply failed with {conflicts.Count} conflict{(conflicts.Count == 1 ? "" : "s")}: {string.Join("; ", conflicts)}",
                    ApiError.Describe(type, name));
            }

            var next = (JsonObject)stored.Object.DeepClone();
            var owners = new Dictionary<string, string>(stored.Owners, StringComparer.Ordinal);
            foreach (var dropped in owners.Where(o => o.Value == fieldManager && inScope(o.Key) && !paths.Contains(o.Key)).Select(o => o.Key).ToList())
            {
                JsonTree.Remove(next, dropped);
                owners.Remove(dropped);
            }

            JsonTree.ApplyMerge(next, applied);
            foreach (var path in paths)
            {
                owners[path] = fieldManager;
            }

            var operations = new Dictionary<string, string>(stored.Operations, StringComparer.Ordinal) { [fieldManager] = "Apply" };
            return Commit(registration, stored, next, owners, operations);
        }
    }

    public JsonObject Delete(ResourceRegistration registration, string? @namespace, string name, JsonObject? options)
    {
        lock (_lock)
        {
            return DeleteLocked(registration, @namespace, name, options);
        }
    }

    private JsonObject DeleteLocked(ResourceRegistration registration, string? @namespace, string name, JsonObject? options)
    {
        var stored = Existing(registration, @namespace, name);
        var obj = stored.Object;
        if (options?["preconditions"] is JsonObject preconditions)
        {
            if ((string?)preconditions["uid"] is { } uid && uid != obj.Uid())
            {
                throw ApiError.Conflict(registration.Type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {obj.Uid()}");
            }

            if ((string?)preconditions["resourceVersion"] is { } rv && rv != obj.ResourceVersion())
            {
                throw ApiError.Conflict(registration.Type, name,
                    $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {obj.ResourceVersion()}");
            }
        }

        var policy = (string?)options?["propagationPolicy"] ?? "Background";
        if (obj.Finalizers().Count > 0)
        {
            // Finalizers hold the object: mark it and let their controllers clean up.
            if (obj.DeletionTimestamp() is null)
            {
                var next = (JsonObject)obj.DeepClone();
                next.Metadata()["deletionTimestamp"] = KubernetesTime.Format(time.GetUtcNow());
                next.Metadata()["deletionGracePeriodSeconds"] = 0;
                next.Metadata()["resourceVersion"] = Text(++_resourceVersion);
                stored.Object = next;
                Publish(new HistoryEvent(_resourceVersion, registration.StorageKey, WatchEventType.Modified, (JsonObject)next.DeepClone(), obj));
            }

            return (JsonObject)stored.Object.DeepClone();
        }

        return Remove(registration, stored, policy);
    }

    public Watcher Watch(ResourceRegistration registration, string? @namespace, string? resourceVersion, Selector? labels, Selector? fields, bool bookmarks)
    {
        lock (_lock)
        {
            var watcher = new Watcher(registration, registration.Type.Namespaced ? @namespace : null, labels, fields, bookmarks);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                // No starting point: the current state as synthetic ADDED events, then changes.
                foreach (var stored in Objects(registration).Values.Where(s => watcher.Matches(s.Object)))
                {
                    watcher.Write(WatchEventType.Added, stored.Object);
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiError.BadRequest($"invalid resourceVersion \"{resourceVersion}\"");
                }

                if (from < _compactedThrough)
                {
                    throw ApiError.Gone($"too old resource version: {from} ({_compactedThrough})");
                }

                foreach (var change in _history.Where(h => h.ResourceVersion > from))
                {
                    watcher.Deliver(change);
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    public void Unwatch(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
            watcher.Lines.Writer.TryComplete();
        }
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion, behind every event already queued.</summary>
    public void Bookmark(Watcher watcher)
    {
        lock (_lock)
        {
            var type = watcher.Registration.Type;
            watcher.Write(WatchEventType.Bookmark, new JsonObject
            {
                ["apiVersion"] = type.ApiVersion,
                ["kind"] = type.Kind,
                ["metadata"] = new JsonObject { ["resourceVersion"] = Text(_resourceVersion) },
            });
        }
    }

    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Lines.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Forgets the whole history, as an etcd compaction: every older resourceVersion becomes 410.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    public List<JsonObject> All(ResourceRegistration registration)
    {
        lock (_lock)
        {
            return Objects(registration).Values.Select(s => (JsonObject)s.Object.DeepClone()).ToList();
        }
    }

    private JsonObject CommitUpdate(ResourceRegistration registration, StoredObject stored, JsonObject next, string? fieldManager)
    {
        var manager = fieldManager ?? "unknown";
        var owners = new Dictionary<string, string>(stored.Owners, StringComparer.Ordinal);
        var changed = false;
        foreach (var path in JsonTree.OwnablePaths(next))
        {
            if (!JsonTree.TryGet(stored.Object, path, out var before) || !JsonTree.TryGet(next, path, out var after)
                || !JsonNode.DeepEquals(before, after))
            {
                owners[path] = manager;
                changed = true;
            }
        }

        var operations = new Dictionary<string, string>(stored.Operations, StringComparer.Ordinal);
        if (changed)
        {
            operations[manager] = "Update";
        }

        return Commit(registration, stored, next, owners, operations);
    }

    private JsonObject Commit(
        ResourceRegistration registration, StoredObject stored, JsonObject next,
        Dictionary<string, string> owners, Dictionary<string, string> operations)
    {
        var old = stored.Object;
        var meta = next.Metadata();
        var oldMeta = old.Metadata();
        foreach (var field in ServerMetadata)
        {
            SetOrRemove(meta, field, oldMeta[field]);
        }

        next["apiVersion"] = old["apiVersion"]?.DeepClone();
        next["kind"] = old["kind"]?.DeepClone();
        next = Defaulted(registration, next);
        meta = next.Metadata();
        // API conventions, "Metadata": generation counts changes of the desired state only.
        if (!JsonNode.DeepEquals(JsonTree.SpecPart(old), JsonTree.SpecPart(next)))
        {
            meta["generation"] = old.Generation() + 1;
        }

        Validate(registration, next);
        foreach (var path in owners.Keys.Where(p => !JsonTree.TryGet(next, p, out _)).ToList())
        {
            owners.Remove(path);
        }

        foreach (var manager in operations.Keys.Where(m => !owners.ContainsValue(m)).ToList())
        {
            operations.Remove(manager);
        }

        var candidate = new StoredObject(next);
        foreach (var (path, manager) in owners)
        {
            candidate.Owners[path] = manager;
        }

        foreach (var (manager, operation) in operations)
        {
            candidate.Operations[manager] = operation;
        }

        meta["managedFields"] = ManagedFields(candidate, registration.Type);
        stored.Owners.Clear();
        stored.Operations.Clear();
        foreach (var (path, manager) in candidate.Owners)
        {
            stored.Owners[path] = manager;
        }

        foreach (var (manager, operation) in candidate.Operations)
        {
            stored.Operations[manager] = operation;
        }

        if (old.DeletionTimestamp() is not null && next.Finalizers().Count == 0)
        {
            stored.Object = next; // the last finalizer is gone: the deletion completes
            return Remove(registration, stored, "Background");
        }

        if (JsonNode.DeepEquals(old, next))
        {
            return (JsonObject)old.DeepClone(); // a no-op write does not move resourceVersion
        }

        meta["resourceVersion"] = Text(++_resourceVersion);
        stored.Object = next;
        Publish(new HistoryEvent(_resourceVersion, registration.StorageKey, WatchEventType.Modified, (JsonObject)next.DeepClone(), old));
        return (JsonObject)next.DeepClone();
    }

    private JsonObject Remove(ResourceRegistration registration, StoredObject stored, string policy)
    {
        var obj = stored.Object;
        Objects(registration).Remove(Key(registration, obj.Namespace(), obj.Name()!));
        obj.Metadata()["resourceVersion"] = Text(++_resourceVersion);
        Publish(new HistoryEvent(_resourceVersion, registration.StorageKey, WatchEventType.Deleted, (JsonObject)obj.DeepClone(), null));
        CollectDependents(obj.Uid(), orphan: policy == "Orphan");
        return (JsonObject)obj.DeepClone();
    }

    // Background garbage collection, done at once: a dependent of the removed owner goes when none
    // of its owners exists any more; with Orphan the reference is dropped instead. Foreground
    // deletion is treated as Background.
    private void CollectDependents(string? ownerUid, bool orphan)
    {
        if (ownerUid is null)
        {
            return;
        }

        var liveUids = _objects.Values.SelectMany(o => o.Values).Select(s => s.Object.Uid()).ToHashSet(StringComparer.Ordinal);
        var dependents = _registrations.Values.DistinctBy(r => r.StorageKey)
            .SelectMany(r => Objects(r).Values.Select(s => (Registration: r, Stored: s)))
            .Where(d => OwnerUids(d.Stored.Object).Contains(ownerUid))
            .ToList();
        foreach (var (registration, stored) in dependents)
        {
            if (orphan)
            {
                var next = (JsonObject)stored.Object.DeepClone();
                var refs = (JsonArray)next.Metadata()["ownerReferences"]!;
                foreach (var reference in refs.Where(r => (string?)r?["uid"] == ownerUid).ToList())
                {
                    refs.Remove(reference);
                }

                CommitUpdate(registration, stored, next, "garbage-collector");
            }
            else if (OwnerUids(stored.Object).All(uid => !liveUids.Contains(uid)))
            {
                DeleteLocked(registration, stored.Object.Namespace(), stored.Object.Name()!, null);
            }
        }
    }

    private static List<string> OwnerUids(JsonObject obj) =>
        obj.Metadata()["ownerReferences"] is JsonArray refs
            ? refs.Select(r => (string?)r?["uid"]).OfType<string>().ToList()
            : [];

    private void Publish(HistoryEvent change)
    {
        _history.Add(change);
        Trim();
        foreach (var watcher in _watchers)
        {
            watcher.Deliver(change);
        }
    }

    private void Trim()
    {
        var excess = _history.Count - _historyLimit;
        if (excess > 0)
        {
            _compactedThrough = _history[excess - 1].ResourceVersion;
            _history.RemoveRange(0, excess);
        }
    }

    private StoredObject Existing(ResourceRegistration registration, string? @namespace, string name) =>
        Objects(registration).TryGetValue(Key(registration, @namespace, name), out var stored)
            ? stored
            : throw ApiError.NotFound(registration.Type, name);

    // API conventions, "Concurrency Control and Consistency".
    private static void CheckResourceVersion(ResourceRegistration registration, StoredObject stored, string? resourceVersion, string name)
    {
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != stored.Object.ResourceVersion())
        {
            throw ApiError.Conflict(registration.Type, name,
                "the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    private static JsonObject Defaulted(ResourceRegistration registration, JsonObject obj) =>
        registration.Default is { } defaulter ? defaulter(obj) : obj;

    private static void Validate(ResourceRegistration registration, JsonObject obj)
    {
        if (registration.Validate?.Invoke(obj) is { Count: > 0 } violations)
        {
            throw Invalid(registration.Type, obj.Name() ?? "", violations);
        }
    }

    private static ApiError Invalid(ResourceType type, string name, IReadOnlyList<FieldViolation> violations)
    {
        var causes = new JsonArray();
        foreach (var v in violations)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = v.Message, ["field"] = v.Field });
        }

        var details = ApiError.Describe(type, name);
        details["kind"] = type.Kind;
        details["causes"] = causes;
        var qualified = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new ApiError(422, "Invalid",
            $"{qualified} \"{name}\" is invalid: {string.Join(", ", violations.Select(v => $"{v.Field}: {v.Message}"))}", details);
    }

    private static JsonArray ManagedFields(StoredObject stored, ResourceType type)
    {
        var entries = new JsonArray();
        foreach (var (manager, operation) in stored.Operations.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            entries.Add(new JsonObject
            {
                ["manager"] = manager,
                ["operation"] = operation,
                ["apiVersion"] = type.ApiVersion,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = JsonTree.FieldsV1(stored.Owners.Where(o => o.Value == manager).Select(o => o.Key).Order(StringComparer.Ordinal)),
            });
        }

        return entries;
    }

    private static bool IsStatusPath(string path) => path == "status" || path.StartsWith("status" + JsonTree.Separator, StringComparison.Ordinal);

    private static void SetOrRemove(JsonObject target, string key, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value.DeepClone();
        }
    }

    private SortedDictionary<string, StoredObject> Objects(ResourceRegistration registration) => _objects[registration.StorageKey];

    private static string Key(ResourceRegistration registration, string? @namespace, string name) =>
        KubernetesObjectExtensions.KeyOf(registration.Type.Namespaced ? @namespace : null, name);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string DecodeContinue(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw ApiError.BadRequest("invalid continue token");
        }
    }
}
