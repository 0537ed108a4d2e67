-- Prints one machine-readable line after a wrk run:
-- RESULT <rps> <p50 ms> <p99 ms> <non-2xx> <socket errors>
done = function(summary, latency, requests)
  local errors = summary.errors
  local sock = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, sock))
end
