using System.Text.Json.Nodes;
using EdgeFleet.Kubernetes;

namespace EdgeFleet.Operator.Tests;

public sealed class OriginReconcilerTests : IAsyncLifetime
{
    private OperatorHarness _h = null!;

    public async Task InitializeAsync() => _h = await OperatorHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Reconcile_CaSecretMissing_ReadyFalseSecretNotFoundUntilItExists()
    {
        await _h.Client.CreateAsync(ResourceType.Secrets, OperatorHarness.Secret("www-origin-notify", "token", "t"));
        await _h.CreateExampleAsync("origin.yaml");

        await OperatorHarness.EventuallyAsync(() => Condition("Ready") is not null, "a status");
        Assert.Equal("False", (string?)Condition("Ready")!["status"]);
        Assert.Equal("SecretNotFound", (string?)Condition("Ready")!["reason"]);
        Assert.Equal("spec.tls.caSecretRef: Secret \"origin-ca\" not found in namespace default", (string?)Condition("Ready")!["message"]);
        Assert.Equal("True", (string?)Condition("Degraded")!["status"]);
        Assert.Equal(1L, (long?)_h.Get(ResourceType.Origins, "www")!["status"]!["observedGeneration"]);

        // Watching Secrets, the controller sees the missing one arrive.
        await _h.Client.CreateAsync(ResourceType.Secrets, OperatorHarness.Secret("origin-ca", "ca.crt", "pem"));

        await OperatorHarness.EventuallyAsync(() => (string?)Condition("Ready")?["status"] == "True", "Ready=True");
        Assert.Equal("ReferencesResolved", (string?)Condition("Ready")!["reason"]);
        Assert.Equal("False", (string?)Condition("Degraded")!["status"]);
    }

    [Fact]
    public async Task Reconcile_SecretWithoutTheKey_ReadyFalseSecretKeyNotFound()
    {
        await _h.Client.CreateAsync(ResourceType.Secrets, OperatorHarness.Secret("origin-ca", "ca.crt", "pem"));
        await _h.Client.CreateAsync(ResourceType.Secrets, OperatorHarness.Secret("www-origin-notify", "other", "t"));

        await _h.CreateExampleAsync("origin.yaml");

        await OperatorHarness.EventuallyAsync(() => Condition("Ready") is not null, "a status");
        Assert.Equal("SecretKeyNotFound", (string?)Condition("Ready")!["reason"]);
        Assert.Contains("spec.notificationSecretRef", (string?)Condition("Ready")!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_SpecChanged_ObservedGenerationFollowsAndTransitionTimeKept()
    {
        await _h.CreateOriginSecretsAsync();
        await _h.CreateExampleAsync("origin.yaml");
        await OperatorHarness.EventuallyAsync(() => (string?)Condition("Ready")?["status"] == "True", "Ready=True");
        var transition = (string?)Condition("Ready")!["lastTransitionTime"];

        await _h.Client.PatchAsync(ResourceType.Origins, OperatorHarness.Namespace, "www", new JsonObject { ["spec"] = new JsonObject { ["defaultTtl"] = "1m" } });

        await OperatorHarness.EventuallyAsync(() => (long?)_h.Get(ResourceType.Origins, "www")!["status"]!["observedGeneration"] == 2, "observedGeneration 2");
        Assert.Equal(transition, (string?)Condition("Ready")!["lastTransitionTime"]);
        Assert.Equal(2L, (long?)Condition("Ready")!["observedGeneration"]);
    }

    private JsonObject? Condition(string type) => OperatorHarness.Condition(_h.Get(ResourceType.Origins, "www"), type);
}
