-- wrk script: reports events as the 12345 hotline would, each with its own case number, at random
-- places in a box around 禄口街道, in the 54 urban-management categories with Zipf weights (the k-th
-- category 1/k as often as the first: a few, like 暴露垃圾, make most of the reports), with the
-- session cookie in COOKIE.
local cookie = os.getenv("COOKIE")
local categories = { "CG0101", "CG0102", "CG0103", "CG0104", "CG0105", "CG0106", "CG0107", "CG0108", "CG0199", "CG0201", "CG0202", "CG0203", "CG0204", "CG0299", "CG0301", "CG0302", "CG0303", "CG0304", "CG0305", "CG0306", "CG0399", "CG0401", "CG0402", "CG0403", "CG0404", "CG0405", "CG0406", "CG0407", "CG0408", "CG0499", "CG0501", "CG0502", "CG0503", "CG0504", "CG0505", "CG0506", "CG0507", "CG0599", "CG0601", "CG0602", "CG0603", "CG0604", "CG0605", "CG0699", "CG0701", "CG0702", "CG0703", "CG0704", "CG0705", "CG0799", "CG0801", "CG0802", "CG0803", "CG0899" }
local cumulative = {}
local total = 0
for k = 1, #categories do
  total = total + 1 / k
  cumulative[k] = total
end
local function category()
  local x = math.random() * total
  for k = 1, #categories do
    if x <= cumulative[k] then return categories[k] end
  end
  return categories[#categories]
end
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
    '"category_code":"%s","lon":%.6f,"lat":%.6f,"reporter_phone":"13912345678"}',
    prefix, counter, category(), lon, lat)
  return wrk.format("POST", "/api/v1/events", { ["Cookie"] = cookie, ["Content-Type"] = "application/json" }, body)
end
