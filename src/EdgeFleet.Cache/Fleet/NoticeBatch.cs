namespace EdgeFleet.Cache.Fleet;

/// <summary>The body of <c>POST /admin/notices</c> on an edge, and of <c>GET /admin/notices</c> on a shield.</summary>
public sealed class NoticeBatch
{
    /// <summary>The sending shield's id.</summary>
    public string Shield { get; set; } = "";

    /// <summary>The shield's epoch: changes when it restarts, and its sequence numbers start again.</summary>
    public string Epoch { get; set; } = "";

    /// <summary>The notices, in increasing sequence order.</summary>
    public List<Notice> Notices { get; set; } = [];

    /// <summary>The first problem of a batch, naming the field, or null: a batch is accepted or refused whole.</summary>
    public static string? Validate(NoticeBatch? batch)
    {
        if (batch is null)
        {
            return "body must be a JSON object with shield, epoch and notices";
        }

        if (string.IsNullOrWhiteSpace(batch.Shield) || string.IsNullOrWhiteSpace(batch.Epoch))
        {
            return "shield and epoch are required";
        }

        if (batch.Notices is null)
        {
            return "notices must be an array";
        }

        long previous = 0;
        for (var i = 0; i < batch.Notices.Count; i++)
        {
            var n = batch.Notices[i];
            if (n is null || n.Seq <= previous)
            {
                return $"notices[{i}].seq must be positive and increasing";
            }

            previous = n.Seq;
            if (string.IsNullOrEmpty(n.Key) || !n.Key.StartsWith('/'))
            {
                return $"notices[{i}].key must be a path starting with /";
            }

            if (n.Kind == Notice.UpdateKind)
            {
                if (n.Status is < 200 or > 599 || n.Headers is null || n.Body is null || string.IsNullOrEmpty(n.Version) || n.LeaseExpires <= 0 ||
                    n.Headers.Exists(h => h is not { Length: 2 } || string.IsNullOrEmpty(h[0]) || h[1] is null) ||
                    !IsBase64(n.Body))
                {
                    return $"notices[{i}]: an update needs status, headers as [name, value] pairs, a base64 body, version and leaseExpires";
                }
            }
            else if (n.Kind != Notice.InvalidateKind)
            {
                return $"notices[{i}].kind must be invalidate or update";
            }
        }

        return null;
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }
}
