-- wrk script: GET the request paths listed in the file named by $PATHS_FILE (one per line), in turn.
-- Each thread starts at its own offset, so concurrent connections ask for different documents, pages and
-- tokens. (wrk itself reports any non-2xx answer; run.sh refuses a run that has one.)
local counter = 0
function setup(thread)
   counter = counter + 1
   thread:set("thread_number", counter)
end

local paths = {}
local index = 1

function init(args)
   for line in io.lines(os.getenv("PATHS_FILE")) do
      if #line > 0 then paths[#paths + 1] = line end
   end
   index = ((thread_number or 1) * 7919) % #paths + 1
end

function request()
   local path = paths[index]
   index = index % #paths + 1
   return wrk.format("GET", path)
end
