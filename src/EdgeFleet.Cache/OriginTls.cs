using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EdgeFleet.Cache;

/// <summary>Builds the TLS client options for an https origin from <see cref="OriginTlsOptions"/>.</summary>
internal static class OriginTls
{
    public static SslClientAuthenticationOptions ClientOptions(OriginTlsOptions tls, Uri origin)
    {
        var options = new SslClientAuthenticationOptions { TargetHost = tls.ServerName ?? origin.IdnHost };
        if (tls.InsecureSkipVerify)
        {
            // The operator asked for it explicitly (Origin.spec.tls.insecureSkipVerify), for trials.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (tls.CaFile is { Length: > 0 } caFile)
        {
            // Trust exactly the given CAs (a private origin CA from a Kubernetes Secret).
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        return options;
    }
}
