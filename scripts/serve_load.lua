-- wrk script for scripts/serve_load.sh: the search page's request (a page of
-- hits with facets), over a rotating set of news queries.
local queries = {
  "election", "oil prices", "champions league", "mobile phone", "tony blair",
  "interest rates", "film festival", "broadband", "chelsea", "iraq",
  "music awards", "tax", "microsoft", "olympic", "bank of england", "games console",
}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]:gsub(" ", "+")
  return wrk.format("GET", "/api/search?n=10&facets=10&q=" .. q)
end
