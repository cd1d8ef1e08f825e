using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeFleet.Kubernetes;

/// <summary>
/// An API request that the server refused, carrying the fields of the <c>Status</c> body
/// (API conventions, "Response Status Kind"): <see cref="Code"/>, <see cref="Reason"/> and the
/// server's message as <see cref="Exception.Message"/>, so a tool can print
/// <c>Error from server (Forbidden): ...</c> without reformatting.
/// </summary>
public class KubernetesException : Exception
{
    public KubernetesException()
        : this(0, "Unknown", "unknown Kubernetes API error")
    {
    }

    public KubernetesException(string message)
        : this(0, "Unknown", message)
    {
    }

    public KubernetesException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "Unknown";
    }

    public KubernetesException(int code, string reason, string message, JsonObject? status = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Status = status;
    }

    /// <summary>The HTTP status code (Status.code).</summary>
    public int Code { get; }

    /// <summary>The machine-readable reason, e.g. <c>NotFound</c>, <c>Conflict</c>, <c>Forbidden</c>, <c>Invalid</c>, <c>Expired</c>.</summary>
    public string Reason { get; }

    /// <summary>The whole Status object when the server sent one (details.causes names invalid fields).</summary>
    public JsonObject? Status { get; }

    public bool IsNotFound => Code == (int)HttpStatusCode.NotFound;

    public bool IsConflict => Code == (int)HttpStatusCode.Conflict;

    public bool IsAlreadyExists => Reason == "AlreadyExists";

    /// <summary>410: the requested resourceVersion is older than the server's history; relist.</summary>
    public bool IsGone => Code == (int)HttpStatusCode.Gone;

    /// <summary>Builds the exception for a Status object (from a response body or a watch ERROR event).</summary>
    public static KubernetesException FromStatus(JsonObject status, int fallbackCode = 0)
    {
        var code = status["code"] is JsonValue c && c.TryGetValue(out int parsed) ? parsed : fallbackCode;
        var reason = status["reason"]?.GetValue<string>() ?? ReasonFor(code);
        var message = status["message"]?.GetValue<string>() ?? reason;
        return Create(code, reason, message, status);
    }

    /// <summary>Builds the exception for an error response whose body may or may not be a Status.</summary>
    public static KubernetesException FromResponse(HttpStatusCode statusCode, string body)
    {
        var code = (int)statusCode;
        try
        {
            if (JsonNode.Parse(body) is JsonObject obj && (string?)obj["kind"] == "Status")
            {
                return FromStatus(obj, code);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): fall through to the HTTP status alone.
        }

        var reason = ReasonFor(code);
        var text = string.IsNullOrWhiteSpace(body) ? reason : body.Trim();
        return Create(code, reason, text, null);
    }

    private static KubernetesException Create(int code, string reason, string message, JsonObject? status) =>
        code == (int)HttpStatusCode.Conflict
            ? new KubernetesConflictException(reason, message, status)
            : new KubernetesException(code, reason, message, status);

    // The reasons the API server uses for bare HTTP codes (API conventions, "HTTP Status codes").
    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        410 => "Expired",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };
}
