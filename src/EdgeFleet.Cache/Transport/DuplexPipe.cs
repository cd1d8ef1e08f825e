using System.IO.Pipelines;

namespace EdgeFleet.Cache.Transport;

/// <summary>A reader and a writer, as a connection's transport.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input => input;

    public PipeWriter Output => output;
}
