'use strict';

// The search page of `lede serve`: the state lives in the URL, the data comes
// from the JSON API, and every piece of text from the index is set as text.

const PAGE_SIZE = 10;
const FACETS = 10;
const TYPES = ['person', 'organization', 'place'];
const PARAM = { person: 'person', organization: 'org', place: 'place' };
const LABEL = { person: 'Person', organization: 'Organisation', place: 'Place' };
const TOKEN_KEY = 'lede.token';
const DATE_DEBOUNCE_MS = 600;

const $ = (selector, root = document) => root.querySelector(selector);

const els = {
  form: $('#search'),
  q: $('#q'),
  since: $('#since'),
  until: $('#until'),
  source: $('#source'),
  error: $('#error'),
  auth: $('#auth'),
  authText: $('#auth-text'),
  token: $('#token'),
  chips: $('#chips'),
  clear: $('#clear'),
  main: $('#main'),
  resultsView: $('#results-view'),
  intro: $('#intro'),
  stats: $('#stats'),
  total: $('#total'),
  warnings: $('#warnings'),
  results: $('#results'),
  pager: $('.pager'),
  prev: $('#prev'),
  next: $('#next'),
  pageNumber: $('#page-number'),
  facets: $('#facets'),
  toFacets: $('.to-facets'),
  facetsHeading: $('#facets-heading'),
  article: $('#article'),
  back: $('#article .back'),
  articleTitle: $('#article .title'),
  articleMeta: $('#article .meta'),
  passages: $('#article .passages'),
  articleEntities: $('#article .groups'),
};

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC',
});
const fmt = (n) => numberFormat.format(n);
const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

// ---- Elements -------------------------------------------------------------

function make(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined && text !== null) el.textContent = text;
  return el;
}

// A date as "23 Mar 2024" in the reader's locale, from an RFC 3339 string.
function formatDate(rfc3339) {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

function dateElement(article) {
  const time = make('time', 'date');
  const shown = article.published ? formatDate(article.published) : '';
  if (shown) {
    time.dateTime = article.published;
    time.textContent = shown;
    if (article.date_text) time.title = article.date_text;
  } else if (article.date_text) {
    time.textContent = article.date_text;
  }
  time.hidden = !time.textContent;
  return time;
}

// Only web links are followed; anything else is shown as text.
function webUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

// ---- Byte offsets ---------------------------------------------------------

// The UTF-16 index of each UTF-8 byte offset into `text`; an offset inside a
// character moves to the character's end.
function utf16Indices(text, offsets) {
  const wanted = [...new Set(offsets)].sort((a, b) => a - b);
  const found = new Map();
  let byte = 0;
  let i = 0;
  for (const offset of wanted) {
    while (byte < offset && i < text.length) {
      const cp = text.codePointAt(i);
      byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += cp > 0xffff ? 2 : 1;
    }
    found.set(offset, i);
  }
  return found;
}

// Appends `text` to `parent`, with each byte range [start, end) wrapped in the
// element `wrap(range)` returns. Ranges that overlap an earlier one are skipped.
function appendMarked(parent, text, ranges, wrap) {
  const sorted = ranges
    .filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.end > r.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const at = utf16Indices(text, sorted.flatMap((r) => [r.start, r.end]));
  let pos = 0;
  for (const range of sorted) {
    const start = at.get(range.start);
    const end = at.get(range.end);
    if (start < pos || end <= start) continue;
    if (start > pos) parent.append(text.slice(pos, start));
    const mark = wrap(range);
    mark.textContent = text.slice(start, end);
    parent.append(mark);
    pos = end;
  }
  if (pos < text.length) parent.append(text.slice(pos));
}

// Highlight pairs as ranges, overlapping and touching ones merged.
function mergedHighlights(pairs) {
  const ranges = (pairs || [])
    .map(([start, end]) => ({ start, end }))
    .sort((a, b) => a.start - b.start);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

// ---- URL state ------------------------------------------------------------

function readState(search = location.search) {
  const p = new URLSearchParams(search);
  const all = (name) => p.getAll(name).map((v) => v.trim()).filter(Boolean);
  const entities = {};
  for (const type of TYPES) entities[type] = [...new Set(all(PARAM[type]))];
  return {
    article: (p.get('article') || '').trim(),
    q: p.get('q') || '',
    entities,
    since: (p.get('since') || '').trim(),
    until: (p.get('until') || '').trim(),
    source: (p.get('source') || '').trim(),
    offset: Math.max(0, Number.parseInt(p.get('offset'), 10) || 0),
  };
}

function hasFilters(state) {
  return TYPES.some((t) => state.entities[t].length > 0)
    || Boolean(state.since || state.until || state.source);
}

function hasSearch(state) {
  return state.q.trim() !== '' || hasFilters(state);
}

// The search's own parameters, in the order the URL shows them.
function searchParams(state) {
  const p = new URLSearchParams();
  if (state.q.trim()) p.set('q', state.q.trim());
  for (const type of TYPES) for (const name of state.entities[type]) p.append(PARAM[type], name);
  if (state.since) p.set('since', state.since);
  if (state.until) p.set('until', state.until);
  if (state.source) p.set('source', state.source);
  if (state.offset > 0) p.set('offset', String(state.offset));
  return p;
}

function urlOf(state) {
  const rest = searchParams(state).toString();
  const search = state.article
    ? [`article=${encodeURIComponent(state.article)}`, rest].filter(Boolean).join('&')
    : rest;
  return search ? `?${search}` : location.pathname;
}

function withEntity(state, type, name) {
  const entities = { ...state.entities };
  const names = entities[type];
  if (!names.some((n) => sameName(n, name))) entities[type] = [...names, name];
  return { ...state, entities, article: '', offset: 0 };
}

function withoutEntity(state, type, name) {
  const entities = { ...state.entities, [type]: state.entities[type].filter((n) => n !== name) };
  return { ...state, entities, article: '', offset: 0 };
}

const fold = (name) => name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const sameName = (a, b) => fold(a) === fold(b);

function isActive(state, type, entity) {
  const names = [entity.name, ...(entity.aliases || [])];
  return state.entities[type].some((active) => names.some((n) => sameName(n, active)));
}

function navigate(state, historyState = {}) {
  history.replaceState({ ...history.state, scroll: window.scrollY }, '');
  history.pushState(historyState, '', urlOf(state));
  render({ fresh: true });
}

// ---- The access token -----------------------------------------------------

let tokenInMemory = '';

function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return tokenInMemory;
  }
}

function setToken(token) {
  tokenInMemory = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage is off: the token lasts as long as the page.
  }
}

// A link may carry the token as #token=...; it is kept and taken off the URL.
function takeTokenFromFragment() {
  if (!location.hash.startsWith('#')) return;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token === null) return;
  setToken(token.trim());
  history.replaceState(history.state, '', location.pathname + location.search);
}

// ---- The API --------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, signal) {
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, 'The server could not be reached. Is `lede serve` still running?');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
  }
  if (!response.ok) {
    const message = body && typeof body.error === 'string'
      ? body.error
      : `The server answered ${response.status} ${response.statusText}`.trim();
    throw new ApiError(response.status, message);
  }
  if (body === null) throw new ApiError(response.status, 'The server sent an answer this page cannot read.');
  return body;
}

function showError(message) {
  els.error.textContent = message;
  els.error.hidden = !message;
}

function askForToken() {
  const rejected = getToken() !== '';
  els.authText.textContent = rejected
    ? 'That access token was not accepted. Enter the right one.'
    : 'This server needs an access token. Enter the one you were given.';
  if (els.auth.hidden) {
    els.auth.hidden = false;
    els.token.focus();
  }
}

// Shows what went wrong with a request; a stopped request is no failure.
function fail(err) {
  if (err.name === 'AbortError') return;
  if (err.status === 401) {
    showError('');
    askForToken();
    return;
  }
  showError(err instanceof ApiError ? err.message : `Something went wrong: ${err.message}`);
}

// ---- Index statistics and the overview ------------------------------------

let stats = null;
let overview = null;

async function loadStats() {
  try {
    stats = await api('/api/stats');
  } catch (err) {
    fail(err);
    return;
  }
  fillSources(stats.sources || []);
  els.stats.textContent = statsText(stats);
}

function statsText(s) {
  if (!s.articles) return 'The index holds no articles yet.';
  let text = `The index holds ${plural(s.articles, 'article', 'articles')} in ${plural(s.passages, 'passage', 'passages')}`;
  const sources = (s.sources || []).filter((x) => x.name).length;
  if (sources) text += ` from ${plural(sources, 'source', 'sources')}`;
  if (s.first_published && s.last_published) {
    text += `, published between ${formatDate(s.first_published)} and ${formatDate(s.last_published)}`;
  }
  text += '.';
  if (s.undated) text += ` ${plural(s.undated, 'article has', 'articles have')} no date.`;
  return text;
}

function fillSources(sources) {
  const chosen = readState().source;
  const options = sources
    .filter((s) => s.name)
    .map((s) => new Option(`${s.name} (${fmt(s.articles)})`, s.name));
  els.source.replaceChildren(new Option('All sources', ''), ...options);
  setSource(chosen);
}

function setSource(name) {
  if (name && ![...els.source.options].some((o) => o.value === name)) {
    els.source.append(new Option(name, name));
  }
  els.source.value = name;
}

// The most mentioned entities of the whole index, for the page before a search.
async function loadOverview(signal) {
  if (overview) return overview;
  const lists = await Promise.all(TYPES.map((type) => {
    const p = new URLSearchParams({ type, n: String(FACETS) });
    return api(`/api/entities?${p}`, signal).then((answer) => answer.entities || []);
  }));
  overview = Object.fromEntries(TYPES.map((type, i) => [type, lists[i]]));
  return overview;
}

// ---- The form, chips and facets -------------------------------------------

function syncForm(state) {
  if (document.activeElement !== els.q || els.q.value.trim() !== state.q.trim()) els.q.value = state.q;
  syncDate(els.since, state.since);
  syncDate(els.until, state.until);
  setSource(state.source);
}

// A date input shows full dates only; a period such as "2024-03" or "7d"
// from the URL is kept aside and shown beside the chips.
function syncDate(input, value) {
  const full = /^\d{4}-\d{2}-\d{2}$/.test(value);
  input.value = full ? value : '';
  input.dataset.period = full ? '' : value;
}

function dateValue(input) {
  return input.value || input.dataset.period || '';
}

function formState() {
  const state = readState();
  return {
    ...state,
    q: els.q.value.trim(),
    since: dateValue(els.since),
    until: dateValue(els.until),
    source: els.source.value,
    article: '',
    offset: 0,
  };
}

function renderChips(state) {
  const chips = [];
  for (const type of TYPES) {
    for (const name of state.entities[type]) {
      const chip = make('button', 'chip');
      chip.type = 'button';
      chip.dataset.type = type;
      chip.dataset.name = name;
      chip.setAttribute('aria-label', `Remove filter ${LABEL[type]}: ${name}`);
      chip.append(make('span', 'chip-type', LABEL[type]), make('span', 'chip-name', name));
      const x = make('span', 'chip-x', '×');
      x.setAttribute('aria-hidden', 'true');
      chip.append(x);
      chips.push(chip);
    }
  }
  for (const [input, label] of [[els.since, 'From'], [els.until, 'Until']]) {
    if (!input.dataset.period) continue;
    const period = make('button', 'period');
    period.type = 'button';
    period.dataset.field = input.id;
    period.setAttribute('aria-label', `Remove filter ${label}: ${input.dataset.period}`);
    period.append(make('span', 'chip-type', label), make('span', 'chip-name', input.dataset.period));
    const x = make('span', 'chip-x', '×');
    x.setAttribute('aria-hidden', 'true');
    period.append(x);
    chips.push(period);
  }
  els.chips.replaceChildren(...chips);
  els.clear.hidden = !hasFilters(state);
}

function showFacets(shown) {
  els.facets.hidden = !shown;
  els.toFacets.hidden = !shown;
}

function renderFacets(lists, state, heading) {
  showFacets(true);
  els.facetsHeading.textContent = heading;
  for (const type of TYPES) {
    const list = $(`section[data-type="${type}"] ul`, els.facets);
    const entities = ((lists && lists[type]) || []).filter((e) => !isActive(state, type, e));
    const items = entities.map((entity) => {
      const item = make('li');
      const button = make('button', 'facet');
      button.type = 'button';
      button.dataset.type = type;
      button.dataset.name = entity.name;
      button.append(make('span', 'facet-name', entity.name), make('span', 'count', fmt(entity.articles)));
      button.setAttribute('aria-label', `${entity.name}, ${plural(entity.articles, 'article', 'articles')}`);
      button.title = facetTitle(entity);
      item.append(button);
      return item;
    });
    if (!items.length) items.push(make('li', 'none', 'None'));
    list.replaceChildren(...items);
  }
}

function facetTitle(entity) {
  const lines = [`${plural(entity.articles, 'article', 'articles')}, ${plural(entity.passages, 'passage', 'passages')}`];
  if (entity.aliases && entity.aliases.length) lines.push(`Also written: ${entity.aliases.join(', ')}`);
  if (entity.geo && entity.geo.country) lines.push(`Country: ${entity.geo.country}`);
  return lines.join('\n');
}

// Small buttons for a passage's or an article's entities, by type.
function entityTags(lists, state) {
  const tags = make('div', 'tags');
  for (const type of TYPES) {
    for (const name of lists[type] || []) {
      const tag = make('button', 'tag', name);
      tag.type = 'button';
      tag.dataset.type = type;
      tag.dataset.name = name;
      const active = isActive(state, type, { name });
      tag.classList.toggle('active', active);
      tag.title = active ? `${LABEL[type]}: already a filter` : `${LABEL[type]}: add as a filter`;
      tags.append(tag);
    }
  }
  return tags;
}

// ---- Results --------------------------------------------------------------

function apiSearchParams(state) {
  const p = searchParams(state);
  p.set('n', String(PAGE_SIZE));
  p.set('facets', String(FACETS));
  return p.toString();
}

function hitElement(hit, state) {
  const { article, passage } = hit;
  const el = make('article', 'hit');
  const heading = make('h3', 'hit-title');
  const link = make('a', 'title', article.title || article.path || 'Untitled');
  link.href = urlOf({ ...state, article: article.id });
  link.dataset.id = article.id;
  link.dataset.passage = String(passage.index);
  heading.append(link);

  const meta = make('p', 'meta');
  const source = make('span', 'source', article.source || '');
  source.hidden = !article.source;
  meta.append(source, dateElement(article));

  const passageHeading = make('h4', 'heading', passage.heading || '');
  passageHeading.hidden = !passage.heading;

  const text = make('p', 'text');
  appendMarked(text, passage.text || '', mergedHighlights(passage.highlights), () => make('mark'));

  el.append(heading, meta, passageHeading, text, entityTags(hit.entities || {}, state));
  return el;
}

function totalText(answer) {
  const passages = answer.total.passages;
  const where = `in ${plural(answer.total.articles, 'article', 'articles')}`;
  if (!passages) return 'No passages match. Try fewer words or filters.';
  const from = answer.offset + 1;
  const to = answer.offset + answer.hits.length;
  if (!answer.hits.length) return `No more passages: ${plural(passages, 'passage', 'passages')} ${where}.`;
  // The server returns at most a few passages of each article, so the last
  // page can end before the count of every matching passage.
  const capped = answer.hits.length < (answer.n || PAGE_SIZE) && to < passages
    ? ', the best of each shown' : '';
  if (from === to) return `Passage ${fmt(from)} of ${fmt(passages)} ${where}${capped}`;
  return `Passages ${fmt(from)}–${fmt(to)} of ${fmt(passages)} ${where}${capped}`;
}

function renderResults(answer, state) {
  els.total.textContent = totalText(answer);
  els.results.replaceChildren(...answer.hits.map((hit) => hitElement(hit, state)));
  const warnings = answer.warnings || [];
  els.warnings.replaceChildren(...warnings.map((w) => make('li', '', w)));
  els.warnings.hidden = !warnings.length;

  const size = answer.n || PAGE_SIZE;
  const more = answer.hits.length >= size && answer.offset + answer.hits.length < answer.total.passages;
  els.prev.disabled = answer.offset === 0;
  els.next.disabled = !more;
  els.pageNumber.textContent = `Page ${fmt(Math.floor(answer.offset / size) + 1)}`;
  els.pager.hidden = els.prev.disabled && els.next.disabled;
  renderFacets(answer.facets, state, 'Refine');
}

function clearResults() {
  els.total.textContent = '';
  els.results.replaceChildren();
  els.warnings.replaceChildren();
  els.warnings.hidden = true;
  els.pager.hidden = true;
  shownResults = null;
}

let shownResults = null; // the API query of the results on screen
let shownArticle = null; // the id of the article on screen

async function showResults(state, signal) {
  els.article.hidden = true;
  els.resultsView.hidden = false;
  document.title = state.q.trim() ? `${state.q.trim()} – lede` : 'lede';
  if (!hasSearch(state)) {
    els.intro.hidden = false;
    clearResults();
    renderFacets(await loadOverview(signal), state, 'Most mentioned');
    return;
  }
  els.intro.hidden = true;
  const key = apiSearchParams(state);
  if (key === shownResults) return;
  const answer = await api(`/api/search?${key}`, signal);
  renderResults(answer, state);
  shownResults = key;
}

// ---- The article view -----------------------------------------------------

function metaRow(term, value) {
  const row = make('div');
  row.append(make('dt', '', term));
  const dd = make('dd');
  dd.append(value);
  row.append(dd);
  return row;
}

function renderArticle(view, state) {
  const { article } = view;
  els.articleTitle.textContent = article.title || article.path || 'Untitled';
  document.title = `${els.articleTitle.textContent} – lede`;

  const rows = [];
  if (article.source) rows.push(metaRow('Source', article.source));
  const date = dateElement(article);
  if (!date.hidden) {
    if (article.date_text && date.textContent !== article.date_text) date.append(` (${article.date_text})`);
    rows.push(metaRow('Published', date));
  }
  if (article.author) rows.push(metaRow('Author', article.author));
  if (article.url) {
    const href = webUrl(article.url);
    let value = article.url;
    if (href) {
      value = make('a', 'url', article.url);
      value.href = href;
      value.rel = 'noopener noreferrer';
      value.target = '_blank';
    }
    rows.push(metaRow('Original', value));
  }
  rows.push(metaRow('File', article.path));
  els.articleMeta.replaceChildren(...rows);

  const passages = (view.passages || []).map((passage) => {
    const block = make('div', 'passage');
    block.dataset.index = String(passage.index);
    if (passage.heading) block.append(make('h3', '', passage.heading));
    const text = make('p', 'text');
    appendMarked(text, passage.text || '', passage.marks || [], (m) => {
      const mark = make('mark', 'entity');
      mark.dataset.type = m.type;
      mark.dataset.name = m.name;
      mark.title = `${LABEL[m.type] || m.type}: ${m.name}`;
      return mark;
    });
    block.append(text);
    return block;
  });
  els.passages.replaceChildren(...passages);

  const groups = [];
  for (const type of TYPES) {
    const names = (view.entities || []).filter((e) => e.type === type).map((e) => e.name);
    if (!names.length) continue;
    const group = make('div', 'group');
    group.append(make('h4', '', type === 'person' ? 'People' : type === 'place' ? 'Places' : 'Organisations'));
    group.append(entityTags({ [type]: names }, state));
    groups.push(group);
  }
  if (!groups.length) groups.push(make('p', 'none', 'No people, organisations or places were found in it.'));
  els.articleEntities.replaceChildren(...groups);
}

async function showArticle(state, signal) {
  els.resultsView.hidden = true;
  els.article.hidden = false;
  els.back.href = urlOf({ ...state, article: '' });
  els.back.textContent = hasSearch(state) ? '← Back to results' : '← Back to the search';
  if (shownArticle === state.article) return;
  shownArticle = null;
  els.articleTitle.textContent = 'Loading…';
  els.articleMeta.replaceChildren();
  els.passages.replaceChildren();
  els.articleEntities.replaceChildren();
  try {
    const view = await api(`/api/articles/${encodeURIComponent(state.article)}`, signal);
    renderArticle(view, state);
    shownArticle = state.article;
  } catch (err) {
    if (err.name !== 'AbortError') els.articleTitle.textContent = 'The article could not be shown';
    throw err;
  }
}

// The passage a hit pointed at, scrolled to and marked.
function showPassage(index) {
  for (const old of els.passages.querySelectorAll('.passage.current')) old.classList.remove('current');
  const block = els.passages.querySelector(`.passage[data-index="${CSS.escape(String(index))}"]`);
  if (!block) return;
  block.classList.add('current');
  if (block.getBoundingClientRect().bottom > window.innerHeight) block.scrollIntoView({ block: 'center' });
}

// ---- Rendering a URL ------------------------------------------------------

let loading = null;
let renderedSearch = null; // the query string on screen; a change of #fragment alone keeps it

// Shows what the URL asks for. `fresh` is a navigation from this page;
// otherwise `restore` is the scroll position to return to.
async function render({ fresh = false, restore = null } = {}) {
  if (loading) loading.abort();
  const controller = new AbortController();
  loading = controller;
  const state = readState();
  renderedSearch = location.search;
  const leavingArticle = !state.article && !els.article.hidden ? shownArticle : null;
  syncForm(state);
  renderChips(state);
  showError('');
  els.main.setAttribute('aria-busy', 'true');
  try {
    if (state.article) await showArticle(state, controller.signal);
    else await showResults(state, controller.signal);
  } catch (err) {
    if (loading === controller && !state.article && err.name !== 'AbortError') {
      clearResults();
      showFacets(false);
    }
    if (loading === controller) fail(err);
    return;
  } finally {
    if (loading === controller) {
      els.main.removeAttribute('aria-busy');
      loading = null;
    }
  }
  if (controller.signal.aborted) return;
  place(state, { fresh, restore, leavingArticle });
}

// Scroll and focus once a view is on screen.
function place(state, { fresh, restore, leavingArticle }) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (state.article) {
    const passage = history.state && history.state.passage;
    if (fresh) {
      window.scrollTo(0, 0);
      if (Number.isInteger(passage)) showPassage(passage);
      els.articleTitle.focus({ preventScroll: true });
    } else if (restore !== null) {
      window.scrollTo(0, restore);
    }
    return;
  }
  if (restore !== null) window.scrollTo(0, restore);
  else if (fresh && els.main.getBoundingClientRect().top < 0) els.main.scrollIntoView();
  const link = leavingArticle && els.results.querySelector(`a.title[data-id="${CSS.escape(leavingArticle)}"]`);
  if (link) link.focus({ preventScroll: restore !== null });
  else if (fresh && lost) els.total.focus({ preventScroll: true });
}

// ---- Events ---------------------------------------------------------------

const plainClick = (e) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

function submitSearch() {
  clearTimeout(dateTimer);
  navigate(formState());
}

let dateTimer = 0;

function onDateChange(e) {
  e.target.dataset.period = '';
  clearTimeout(dateTimer);
  dateTimer = setTimeout(submitSearch, DATE_DEBOUNCE_MS);
}

function onClick(e) {
  const target = e.target.closest('button, a');
  if (!target) return;
  const state = readState();

  if (target.matches('button.facet, button.tag')) {
    navigate(withEntity(state, target.dataset.type, target.dataset.name));
  } else if (target.matches('button.chip')) {
    const chips = [...els.chips.querySelectorAll('button')];
    const at = chips.indexOf(target);
    navigate(withoutEntity(state, target.dataset.type, target.dataset.name));
    const left = [...els.chips.querySelectorAll('button')];
    (left[at] || left[at - 1] || els.q).focus();
  } else if (target.matches('button.period')) {
    const field = target.dataset.field;
    navigate({ ...state, [field]: '', article: '', offset: 0 });
    els.q.focus();
  } else if (target === els.clear) {
    navigate({ ...readState(''), q: state.q });
    els.q.focus();
  } else if (target === els.prev || target === els.next) {
    const step = target === els.next ? PAGE_SIZE : -PAGE_SIZE;
    navigate({ ...state, offset: Math.max(0, state.offset + step) });
  } else if (target.matches('a.title') && plainClick(e)) {
    e.preventDefault();
    navigate({ ...state, article: target.dataset.id }, {
      fromResults: true,
      passage: Number(target.dataset.passage),
    });
  } else if (target === els.back && plainClick(e)) {
    e.preventDefault();
    if (history.state && history.state.fromResults) history.back();
    else navigate({ ...state, article: '' });
  } else if (target.matches('.brand a') && plainClick(e)) {
    e.preventDefault();
    navigate(readState(''));
    els.q.focus();
  }
}

function onAuth(e) {
  e.preventDefault();
  const token = els.token.value.trim();
  if (!token) return;
  setToken(token);
  els.token.value = '';
  els.auth.hidden = true;
  overview = null;
  shownResults = null;
  shownArticle = null;
  loadStats();
  render();
}

function start() {
  takeTokenFromFragment();
  if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  els.error.hidden = true;
  els.form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitSearch();
  });
  els.since.addEventListener('change', onDateChange);
  els.until.addEventListener('change', onDateChange);
  els.source.addEventListener('change', submitSearch);
  els.auth.addEventListener('submit', onAuth);
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', (e) => {
    if (location.search === renderedSearch) return;
    render({ restore: (e.state && e.state.scroll) || 0 });
  });
  loadStats();
  render({ restore: (history.state && history.state.scroll) || null });
}

start();
