-- wrk script: POST one small non-streaming chat completion, then print one machine-readable line.
-- The model comes from $MODEL (the mock ignores it; Caravan routes on it). The URL's path is used
-- as given on the command line, so the same script loads the mock and Caravan.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "bench")
wrk.body = '{"model":"' .. (os.getenv("MODEL") or "bench/fast") ..
           '","messages":[{"role":"user","content":"Say hello."}],"max_tokens":16}'

-- Count non-2xx answers ourselves: wrk only reports status >= 400 as errors, and we want any
-- answer that is not 200 to be visible.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  non200 = 0
end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

-- Latencies are in microseconds; printed in ms with 3 decimals.
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non200") or 0) end
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50=%.3f p90=%.3f p99=%.3f max=%.3f requests=%d non200=%d socket_errors=%d timeouts=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, bad, e.connect + e.read + e.write, e.timeout))
end
