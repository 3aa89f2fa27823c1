-- wrk reporter for bench/transfer: one JSON line with exact counts, so that MB/s comes from bytes read and
-- errors (non-2xx included) are visible. Latencies are in microseconds.
done = function(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"duration_us": %d, "requests": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
      '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
      summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99)))
end
