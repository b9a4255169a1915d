-- wrk: GET each path of the file $PATHS in turn (one per line), with the session cookie $COOKIE.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { Cookie = os.getenv("COOKIE") })
end
