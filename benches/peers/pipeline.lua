-- wrk script: send DEPTH requests in one write and wait for all DEPTH answers before the next
-- write (TechEmpower's plaintext test pipelines 16).
--   wrk -t1 -c64 -d5s -s benches/peers/pipeline.lua http://127.0.0.1:PORT/ -- 16
-- wrk counts the requests in the string this returns and expects as many responses.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local batch = {}
  for i = 1, depth do
    batch[i] = wrk.format()
  end
  pipelined = table.concat(batch)
end

request = function()
  return pipelined
end
