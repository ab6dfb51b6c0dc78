-- wrk script: the session cookie and proxy header from the environment, a
-- count of every answer other than 200, and a JSON summary at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  other = 0
  first_other = 0
  local cookie = os.getenv("BENCH_COOKIE")
  if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  wrk.headers["X-Forwarded-Proto"] = "https"
  wrk.headers["Accept-Language"] = "sv"
end

function response(status, headers, body)
  if status ~= 200 then
    other = other + 1
    if first_other == 0 then
      first_other = status
    end
  end
end

function done(summary, latency, requests)
  local others, status = 0, 0
  for _, thread in ipairs(threads) do
    others = others + thread:get("other")
    local seen = thread:get("first_other")
    if seen ~= 0 then
      status = seen
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "bytes": %d, ' ..
    '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"non_200": %d, "first_non_200": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    others, status,
    errors.connect + errors.read + errors.write, errors.timeout))
end
