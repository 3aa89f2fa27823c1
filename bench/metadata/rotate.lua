-- wrk script: GET the request paths listed in the file named by $PATHS_FILE (one per line), in turn, signed in
-- with the bearer token in $BEARER_TOKEN (every API call needs a signed-in user).
-- Each thread starts at its own offset, so concurrent connections ask for different documents, pages and
-- tokens. (wrk itself reports any non-2xx answer; run.sh refuses a run that has one.)
local counter = 0
function setup(thread)
   counter = counter + 1
   thread:set("thread_number", counter)
end

local paths = {}
local index = 1
local headers = {}

function init(args)
   for line in io.lines(os.getenv("PATHS_FILE")) do
      if #line > 0 then paths[#paths + 1] = line end
   end
   index = ((thread_number or 1) * 7919) % #paths + 1
   local token = os.getenv("BEARER_TOKEN")
   if token and #token > 0 then headers["Authorization"] = "Bearer " .. token end
end

function request()
   local path = paths[index]
   index = index % #paths + 1
   return wrk.format("GET", path, headers)
end
