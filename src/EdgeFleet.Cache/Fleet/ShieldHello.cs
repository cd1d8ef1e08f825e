namespace EdgeFleet.Cache.Fleet;

/// <summary>A shield's answer to an edge's registration: who it is and where its notice sequence stands.</summary>
public sealed record ShieldHello(string Shield, string Epoch, long Seq);
