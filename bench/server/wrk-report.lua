-- wrk script: rotates over the paths given after "--" (if any) and prints one JSON line of results.
local requests = {}
local next_index = 0

function init(args)
  for index, path in ipairs(args) do
    requests[index] = wrk.format(nil, path)
  end
  if #requests > 0 then
    -- Defined only when paths were given: wrk sends a static request much faster than a scripted one.
    request = function()
      next_index = next_index % #requests + 1
      return requests[next_index]
    end
  end
end

function done(summary, latency)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
