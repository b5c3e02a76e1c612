-- wrk script: POST the form bodies of a file (one per line) in turn; count wrong answers.
-- wrk -s bench/post.lua URL -- BODIES_FILE [GET]
-- With GET, each line is sent as the URL's query string instead (a cacheable request).
local bodies = {}
local index = 0
local method = "POST"
wrong = 0  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    table.insert(bodies, line)
  end
  index = math.random(#bodies) - 1
  method = args[2] or "POST"
  wrk.method = method
  if method == "POST" then
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  wrk.headers["Accept"] = "application/sparql-results+json"
end

function request()
  index = index % #bodies + 1
  if method == "GET" then
    return wrk.format(nil, wrk.path .. "?" .. bodies[index])
  end
  return wrk.format(nil, nil, nil, bodies[index])
end

function response(status, headers, body)
  -- Every answer must be a 200 SPARQL JSON result (full result sets are compared by run.py).
  if status ~= 200 or not string.find(body, '"head"', 1, true) then
    wrong = wrong + 1
  end
end

function done(summary, latency, requests)
  local total_wrong = 0
  for _, thread in ipairs(threads) do
    total_wrong = total_wrong + (thread:get("wrong") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"wrong": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    total_wrong, e.connect, e.read, e.write, e.status, e.timeout))
end
