using EdgeFleet.Http;
using EdgeFleet.Storage;

namespace EdgeFleet.Cache;

/// <summary>A stored response that could not be reused as it is: revalidated, or served if the origin fails.</summary>
internal sealed record StaleCandidate(StoredObject Stored, CachedEntry Entry, string StorageKey, ReuseEvaluation Evaluation)
{
    public ResponseHead Head => Entry.Head!;
}
