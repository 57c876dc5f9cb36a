-- wrk script for scripts/serve_load.sh: the search page's request (a page of
-- hits with facets; FACETS=0 for none), over a rotating set of news queries.
local queries = {
  "election", "oil prices", "champions league", "mobile phone", "tony blair",
  "interest rates", "film festival", "broadband", "chelsea", "iraq",
  "music awards", "tax", "microsoft", "olympic", "bank of england", "games console",
}
local facets = os.getenv("FACETS") or "10"
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  if os.getenv("COLD") == "1" then
    -- Two words a request, 256 pairs: few searches repeat within a run.
    q = q .. " " .. queries[(math.floor(i / #queries) % #queries) + 1]
  end
  q = q:gsub(" ", "+")
  return wrk.format("GET", "/api/search?n=10&facets=" .. facets .. "&q=" .. q)
end
