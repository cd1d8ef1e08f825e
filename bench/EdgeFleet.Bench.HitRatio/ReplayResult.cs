namespace EdgeFleet.Bench.HitRatio;

/// <summary>One line of <c>artifacts/hitratio.json</c>: one trace replayed through one policy at one cache size.</summary>
internal sealed record ReplayResult(
    string Trace,
    string Policy,
    bool IsDefault,
    double SizeFraction,
    double ObjectMissRatio,
    double ByteMissRatio);
