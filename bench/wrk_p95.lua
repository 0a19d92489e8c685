-- wrk: print the percentiles (µs) and the errors of a run as one line the load benchmark reads.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULTAAT p50=%d p95=%d p99=%d verzoeken=%d non2xx=%d fouten=%d\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.requests,
    e.status, e.connect + e.read + e.write + e.timeout))
end
