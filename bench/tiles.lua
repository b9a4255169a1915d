-- wrk script: cycles through the tile paths listed in the file named by TILES, with the session
-- cookie in COOKIE, so that every tile of a zoom level is asked for in turn.
local paths = {}
for line in io.lines(os.getenv("TILES")) do paths[#paths + 1] = line end
local cookie = os.getenv("COOKIE")
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Cookie"] = cookie })
end
