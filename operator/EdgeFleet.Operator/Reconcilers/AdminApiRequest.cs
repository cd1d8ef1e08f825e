using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EdgeFleet.Api.V1Alpha1;
using Polly;

namespace EdgeFleet.Operator.Reconcilers;

/// <summary>
/// One request to a cache pod's admin API (docs/admin-api.md), shared by the shield client and the
/// direct edge purge: the fleet's bearer credential, a JSON body, and the per-request timeout.
/// Transport failures surface as <see cref="HttpRequestException"/> or
/// <see cref="Polly.Timeout.TimeoutRejectedException"/>; each caller decides what they mean.
/// </summary>
internal static class AdminApiRequest
{
    public static async Task<(HttpStatusCode Code, string Text)> SendAsync(
        HttpClient http, ResiliencePipeline perRequest, HttpMethod method, Uri uri, string token, string? body, CancellationToken cancellationToken) =>
        await perRequest.ExecuteAsync(
            async attemptToken =>
            {
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request, attemptToken);
                return (response.StatusCode, await response.Content.ReadAsStringAsync(attemptToken));
            },
            cancellationToken);

    /// <summary>The body that both <c>POST /admin/invalidations</c> (shield) and <c>POST /admin/purge</c> (any pod) take.</summary>
    public static string PurgeBody(InvalidationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new JsonObject
        {
            ["urls"] = Strings(spec.Urls),
            ["prefixes"] = Strings(spec.Prefixes),
            ["tags"] = Strings(spec.Tags),
            ["soft"] = spec.Mode == InvalidationModes.Soft,
        }.ToJsonString();
    }

    /// <summary>An answer's text cut to a length that fits a condition message.</summary>
    public static string Trim(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";

    private static JsonArray Strings(IReadOnlyList<string>? values) => new((values ?? []).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
