-- wrk reporter for build/bench.sh: prints one JSON line with exact counters and latency percentiles,
-- so the script does not parse wrk's human-readable units.
done = function(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"bytes":%d,"durationUs":%d,"errorsConnect":%d,"errorsRead":%d,' ..
    '"errorsWrite":%d,"errorsStatus":%d,"errorsTimeout":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.bytes, summary.duration,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
