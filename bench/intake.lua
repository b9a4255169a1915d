-- wrk script: reports events as the 12345 hotline would, each with its own case number, at random
-- places in a box around 禄口街道, with the session cookie in COOKIE.
local cookie = os.getenv("COOKIE")
local counter = 0
local prefix
init = function(args)
  -- each thread its own seed and case-number prefix
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000003)
  prefix = string.format("B%d-%d", os.time(), math.random(1, 1000000000))
end
request = function()
  counter = counter + 1
  local lon = 118.80 + math.random() * 0.12
  local lat = 31.62 + math.random() * 0.10
  local body = string.format(
    '{"channel":"hotline_12345","external_id":"%s-%d","title":"暴露垃圾","description":"路边垃圾桶满溢，垃圾散落",' ..
    '"category_code":"CG0101","lon":%.6f,"lat":%.6f,"reporter_phone":"13912345678"}',
    prefix, counter, lon, lat)
  return wrk.format("POST", "/api/v1/events", { ["Cookie"] = cookie, ["Content-Type"] = "application/json" }, body)
end
