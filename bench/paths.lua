-- wrk: GET each path of the file $PATHS in turn (one per line), with the session cookie $COOKIE
-- (and Accept-Encoding $ENCODING when set, as a browser sends it).
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  local headers = { Cookie = os.getenv("COOKIE") }
  local encoding = os.getenv("ENCODING")
  if encoding and encoding ~= "" then headers["Accept-Encoding"] = encoding end
  return wrk.format("GET", paths[i], headers)
end
