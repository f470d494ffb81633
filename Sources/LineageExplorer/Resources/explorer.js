// The lineage explorer: plain JavaScript, no dependencies, no network when exported.
// Untrusted text (ids, names, descriptions, owners, columns) reaches the DOM only
// through text nodes and attribute setters; the diagram is Graphviz's SVG, parsed by
// DOMParser and imported, never assigned as HTML.
(function () {
  'use strict';
  const T0 = performance.now();
  const api = { ready: false, interactiveMs: null, error: null };
  window.lineageExplorer = api;

  // ---- DOM helpers: text only ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === 'onclick') e.addEventListener('click', v);
      else if (k === 'onchange') e.addEventListener('change', v);
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }
  const $ = (id) => document.getElementById(id);
  const SVGNS = 'http://www.w3.org/2000/svg';
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // ---- Data ----
  async function gunzip(b64) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return await new Response(stream).text();
  }
  async function loadData() {
    const inline = $('lineage-data');
    if (inline) {
      const raw = JSON.parse(inline.textContent);
      return raw.gz ? JSON.parse(await gunzip(raw.gz)) : raw;
    }
    const r = await apiFetch('api/explorer/data');
    if (!r.ok) throw new Error('the server answered ' + r.status + ' for the explorer data');
    return await r.json();
  }

  // ---- Served with API keys: the key is asked for when the API answers 401, kept in
  // this tab's sessionStorage only, and sent as Authorization: Bearer KEY. A link may
  // carry it in its fragment (#key=...), which never reaches a server; it is taken out
  // of the address bar as soon as it is read. ----
  const KEY_SLOT = 'lineage-api-key';
  function storedKey() {
    try { return sessionStorage.getItem(KEY_SLOT); } catch (e) { return null; }
  }
  function storeKey(key) {
    try { if (key) sessionStorage.setItem(KEY_SLOT, key); else sessionStorage.removeItem(KEY_SLOT); } catch (e) { /* no storage: ask again next time */ }
  }
  let apiKey = null;
  function takeKeyFromFragment() {
    const parts = location.hash.replace(/^#/, '').split('&');
    const rest = [];
    let found = null;
    for (const part of parts) {
      if (part.startsWith('key=')) {
        try { found = decodeURIComponent(part.slice(4)); } catch (e) { found = part.slice(4); }
      } else if (part) rest.push(part);
    }
    if (found === null) return;
    history.replaceState(null, '', rest.length ? '#' + rest.join('&') : location.pathname + location.search);
    if (found) { apiKey = found; storeKey(found); }
  }
  let keyWaiter = null;
  function askKey(message) {
    const box = $('key-box');
    box.hidden = false;
    $('key-error').textContent = message || '';
    $('status').textContent = 'This server needs an API key.';
    const input = $('api-key');
    input.value = '';
    input.focus();
    return new Promise((resolve) => { keyWaiter = resolve; });
  }
  function setupKeyBox() {
    const give = () => {
      const key = $('api-key').value.trim();
      if (!key) { $('key-error').textContent = 'Enter the key.'; return; }
      if (keyWaiter) { const w = keyWaiter; keyWaiter = null; w(key); }
    };
    $('key-go').addEventListener('click', give);
    $('api-key').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); give(); } });
  }
  // A fetch of the server's API, with the key when there is one; a 401 asks for a key
  // (again, saying the last one was refused) and tries once more with it.
  async function apiFetch(url) {
    for (;;) {
      const headers = { Accept: 'application/json' };
      if (apiKey) headers.Authorization = 'Bearer ' + apiKey;
      const r = await fetch(url, { headers });
      if (r.status !== 401) {
        if (apiKey && !$('key-box').hidden) { $('key-box').hidden = true; $('key-error').textContent = ''; }
        return r;
      }
      const refused = apiKey !== null;
      apiKey = null;
      storeKey(null);
      apiKey = await askKey(refused ? 'The server did not accept that key.' : '');
      storeKey(apiKey);
    }
  }

  let D, S, N, ids, byId, fwd, rev, colsOf, teams, cyclicNodes, findingsOf, domainColour;
  const VERDICT = ['breaks', 'may-break'];
  const PALETTE = ['#dbeafe', '#dcfce7', '#fef3c7', '#fce7f3', '#e0e7ff', '#ccfbf1', '#fee2e2',
    '#ede9fe', '#ecfccb', '#ffedd5', '#cffafe', '#f5d0fe', '#e7e5e4', '#d9f99d', '#fde68a', '#bae6fd'];

  function str(i) { return i < 0 || i === undefined ? null : S[i]; }
  function prepare(data) {
    D = data; S = D.s; N = D.n.id.length;
    ids = D.n.id.map(str);
    byId = new Map();
    ids.forEach((id, v) => byId.set(id, v));
    fwd = Array.from({ length: N }, () => []);
    rev = Array.from({ length: N }, () => []);
    for (let i = 0; i < D.e.length; i += 2) { fwd[D.e[i]].push(D.e[i + 1]); rev[D.e[i + 1]].push(D.e[i]); }
    colsOf = D.n.cols;
    teams = new Map(D.teams.map(([t, c]) => [str(t), str(c)]));
    cyclicNodes = new Set(D.cyc);
    findingsOf = new Map();
    D.f.forEach((f, i) => { for (const v of f[3]) { if (!findingsOf.has(v)) findingsOf.set(v, []); findingsOf.get(v).push(i); } });
    const domains = [...new Set(D.n.d.filter((d) => d >= 0).map(str))].sort();
    domainColour = new Map(domains.map((d, i) => [d, PALETTE[i % PALETTE.length]]));
  }
  const node = {
    name: (v) => str(D.n.nm[v]), kind: (v) => str(D.n.k[v]), domain: (v) => str(D.n.d[v]),
    owner: (v) => str(D.n.o[v]), status: (v) => str(D.n.st[v]), desc: (v) => str(D.n.ds[v]),
    access: (v) => str(D.n.ac[v]), sens: (v) => str(D.n.se[v]), tags: (v) => D.n.tg[v].map(str),
    prov: (v) => D.n.pv[v].map(str),
  };
  const col = {
    node: (c) => D.c.n[c], name: (c) => str(D.c.nm[c]), type: (c) => str(D.c.t[c]),
    cls: (c) => str(D.c.cl[c]), masked: (c) => D.c.m[c] === 1,
  };

  // ---- Selectors (a subset of the command line's) ----
  // argument := term (" " term)*; term := atom ("," atom)*;
  // atom := [N]"+"? value "+"?[M]; value := EXACT-ID | METHOD:PATTERN | PATTERN;
  // METHOD := id | name | domain | owner | tag | kind | status; PATTERN: * and ? globs.
  function glob(p) {
    let r = '^';
    for (const ch of p) r += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    return new RegExp(r + '$');
  }
  function matchValue(value) {
    if (byId.has(value)) return [byId.get(value)];
    const m = /^(id|name|domain|owner|tag|kind|status):(.*)$/.exec(value);
    const method = m ? m[1] : 'id', pattern = m ? m[2] : value;
    if (!m && !/[*?]/.test(value)) throw new Error('no node \u2018' + value + '\u2019 (use * or ? for a pattern)');
    const re = glob(pattern), out = [];
    for (let v = 0; v < N; v++) {
      let hit;
      switch (method) {
        case 'id': hit = re.test(ids[v]); break;
        case 'name': hit = re.test(node.name(v) || ids[v]); break;
        case 'domain': hit = re.test(node.domain(v) || ''); break;
        case 'owner': hit = re.test(node.owner(v) || ''); break;
        case 'kind': hit = re.test(node.kind(v)); break;
        case 'status': hit = re.test(node.status(v)); break;
        case 'tag': hit = node.tags(v).some((t) => re.test(t)); break;
      }
      if (hit) out.push(v);
    }
    return out;
  }
  function reach(start, adj, depth) {
    const seen = new Set(start);
    let frontier = start;
    for (let d = 0; frontier.length && (depth < 0 || d < depth); d++) {
      const next = [];
      for (const v of frontier) for (const w of adj[v]) if (!seen.has(w)) { seen.add(w); next.push(w); }
      frontier = next;
    }
    return seen;
  }
  function select(argument) {
    const result = new Set();
    for (const term of argument.trim().split(/\s+/).filter(Boolean)) {
      let acc = null;
      for (const atom of term.split(',')) {
        let set;
        if (byId.has(atom)) set = new Set([byId.get(atom)]);
        else {
          const m = /^(?:(\d*)\+)?(.*?)(?:\+(\d*))?$/.exec(atom);
          const base = matchValue(m[2]);
          set = new Set(base);
          if (m[1] !== undefined) for (const v of reach(base, rev, m[1] === '' ? -1 : +m[1])) set.add(v);
          if (m[3] !== undefined) for (const v of reach(base, fwd, m[3] === '' ? -1 : +m[3])) set.add(v);
        }
        acc = acc === null ? set : new Set([...acc].filter((v) => set.has(v)));
      }
      for (const v of acc || []) result.add(v);
    }
    return [...result].sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  }
  function looksLikeSelector(q) { return /[:*?+,\s]/.test(q.trim()); }
  function suggestions(q) {
    q = q.trim();
    if (!q) return { nodes: [] };
    if (looksLikeSelector(q)) {
      try { return { nodes: select(q), selector: true }; } catch (e) { return { nodes: [], error: e.message }; }
    }
    const lower = q.toLowerCase(), exact = [], prefix = [], inside = [];
    for (let v = 0; v < N; v++) {
      const id = ids[v], name = node.name(v), li = id.toLowerCase();
      if (id === q) exact.push(v);
      else if (li.startsWith(lower) || (name && name.toLowerCase().startsWith(lower))) prefix.push(v);
      else if (li.includes(lower) || (name && name.toLowerCase().includes(lower))) inside.push(v);
      if (prefix.length + inside.length > 400) break;
    }
    return { nodes: exact.concat(prefix, inside) };
  }

  // ---- State and the URL ----
  const state = { focus: [], up: new Set(), down: new Set(), level: 'product', impact: null, sel: -1 };
  function encodeState() {
    const p = [];
    const list = (xs) => [...xs].map((v) => encodeURIComponent(ids[v])).join(',');
    if (state.focus.length) p.push('focus=' + list(state.focus));
    if (state.up.size) p.push('up=' + list(state.up));
    if (state.down.size) p.push('down=' + list(state.down));
    if (state.level !== 'product') p.push('level=' + state.level);
    if (state.impact) p.push('impact=' + encodeURIComponent(state.impact.target) + '&change=' + encodeURIComponent(state.impact.change));
    if (state.sel >= 0) p.push('sel=' + encodeURIComponent(ids[state.sel]));
    return p.join('&');
  }
  function decodeState(hash) {
    try { readState(hash); } catch (e) {
      // A malformed link (a bad %-escape): start from the whole view instead.
      Object.assign(state, { focus: [], up: new Set(), down: new Set(), level: 'product', impact: null, sel: -1 });
    }
  }
  function readState(hash) {
    const q = new Map();
    for (const part of hash.replace(/^#/, '').split('&')) {
      if (!part) continue;
      const i = part.indexOf('=');
      q.set(i < 0 ? part : part.slice(0, i), i < 0 ? '' : part.slice(i + 1));
    }
    const nodes = (key) => (q.get(key) || '').split(',').filter(Boolean).map((x) => byId.get(decodeURIComponent(x))).filter((v) => v !== undefined);
    state.focus = nodes('focus');
    state.up = new Set(nodes('up'));
    state.down = new Set(nodes('down'));
    state.level = q.get('level') === 'column' ? 'column' : 'product';
    const target = q.has('impact') ? decodeURIComponent(q.get('impact')) : null;
    state.impact = target ? { target, change: decodeURIComponent(q.get('change') || 'drop') } : null;
    const sel = q.has('sel') ? byId.get(decodeURIComponent(q.get('sel'))) : undefined;
    state.sel = sel === undefined ? -1 : sel;
  }
  let writingHash = false;
  function commit() {
    const h = encodeState();
    const target = h ? '#' + h : location.pathname + location.search;
    writingHash = true;
    history.replaceState(null, '', h ? '#' + h : target);
    writingHash = false;
    render();
  }

  // ---- Diagrams ----
  const parsed = new Map();
  let current = null; // { name, svg, graph, nodes: Map(v -> g), edges: [{el, a, b}], clusters: [{el, members}], others: [] }
  function viewName(level) {
    const V = D.views;
    if (level === 'column') return V.column ? 'column' : V.focusColumn ? 'focusColumn' : null;
    return V.product ? 'product' : V.focus ? 'focus' : V.overview ? 'overview' : null;
  }
  function parseView(name) {
    if (parsed.has(name)) return parsed.get(name);
    const view = D.views[name];
    const doc = new DOMParser().parseFromString(view.svg, 'image/svg+xml');
    if (doc.getElementsByTagName('parsererror').length) throw new Error('the diagram could not be read');
    const svg = document.importNode(doc.documentElement, true);
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'lineage diagram, ' + view.level + ' level');
    const graph = svg.querySelector('g.graph');
    const info = { name, view, svg, graph, nodes: new Map(), edges: [], clusters: [], others: [], badged: false,
      boxes: new Map(), offsets: null, moved: new Set() };
    for (const g of svg.querySelectorAll('g.node')) {
      const m = /^g(\d+)$/.exec(g.id);
      if (m) {
        const v = +m[1];
        info.nodes.set(v, g);
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'button');
        g.setAttribute('aria-label', ids[v]);
        g.dataset.v = String(v);
      } else info.others.push(g);
    }
    for (const g of svg.querySelectorAll('g.edge')) {
      const m = /^e(\d+)_(\d+)_\d+$/.exec(g.id);
      if (m) info.edges.push({ el: g, a: +m[1], b: +m[2] });
      else info.others.push(g);
    }
    for (const g of svg.querySelectorAll('g.cluster')) {
      const t = g.querySelector('title');
      const m = t && /^cluster_(\d+)$/.exec(t.textContent);
      if (!m) continue;
      const members = view.cl[+m[1]] || [];
      info.clusters.push({ el: g, members });
      const d = members.length ? node.domain(members[0]) : null;
      const fill = d && domainColour.get(d);
      const shape = g.querySelector('path, polygon');
      if (fill && shape) shape.setAttribute('fill', fill);
    }
    parsed.set(name, info);
    return info;
  }
  function addBadges(info) {
    if (info.badged) return;
    info.badged = true;
    for (const [v, g] of info.nodes) {
      const fs = findingsOf.get(v);
      if (!fs) continue;
      const worst = fs.some((i) => str(D.f[i][0]) === 'error') ? 'error' : 'warning';
      const b = g.getBBox();
      info.boxes.set(v, { x: b.x, y: b.y, w: b.width, h: b.height }); // before the badge widens it
      const circle = document.createElementNS(SVGNS, 'circle');
      circle.setAttribute('cx', String(b.x + b.width - 2));
      circle.setAttribute('cy', String(b.y + 2));
      circle.setAttribute('r', '7');
      circle.setAttribute('class', 'badge ' + worst);
      const title = document.createElementNS(SVGNS, 'title');
      title.textContent = fs.length + (fs.length === 1 ? ' finding' : ' findings');
      circle.append(title);
      const text = document.createElementNS(SVGNS, 'text');
      text.setAttribute('x', String(b.x + b.width - 2));
      text.setAttribute('y', String(b.y + 5));
      text.setAttribute('text-anchor', 'middle');
      text.setAttribute('class', 'badge-text');
      text.textContent = String(fs.length);
      g.append(circle, text);
    }
  }
  function show(name) {
    const host = $('diagram');
    if (current && current.name === name) return;
    clear(host);
    current = null;
    if (!name) return;
    const info = parseView(name);
    host.append(info.svg);
    current = info;
    addBadges(info);
  }

  // ---- Compact focused views ----
  // A focused view of a larger diagram is laid out again in the page, so that it is not
  // spread over the whole diagram's space: the nodes in view keep the boxes Graphviz drew,
  // in layers by the longest path along the view's edges (a cycle is broken at the node
  // the diagram put furthest left), each layer in the diagram's top-to-bottom order; each
  // edge is redrawn between its old ends, moved with its nodes. Since the order comes
  // from the diagram, a view that grows keeps what was there in the same order, and the
  // node clicked stays where it was on screen (keepAnchor). Domains, whose boxes would
  // no longer hold their nodes, are marked by a stripe of their colour on each node.
  const LAYER_GAP = 56, ROW_GAP = 16;
  // A node's box in the diagram's coordinates, as Graphviz drew it (before any move).
  function box(info, v) {
    let b = info.boxes.get(v);
    if (!b) {
      const r = info.nodes.get(v).getBBox();
      b = { x: r.x, y: r.y, w: r.width, h: r.height };
      info.boxes.set(v, b);
    }
    return b;
  }
  // An edge's path, its two ends and its other marks (the arrowhead, a label).
  function edgeGeometry(e) {
    if (e.d !== undefined) return e.p0 ? e : null;
    e.path = e.el.querySelector('path');
    e.d = e.path ? e.path.getAttribute('d') : null;
    const nums = ((e.d || '').match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) || []).map(Number);
    if (nums.length >= 4) {
      e.p0 = [nums[0], nums[1]];
      e.p1 = [nums[nums.length - 2], nums[nums.length - 1]];
    }
    e.marks = [...e.el.children].filter((c) => c !== e.path && c.tagName !== 'title');
    return e.p0 ? e : null;
  }
  // Where each node in view moves to (an offset from where Graphviz put it).
  function compactLayout(info, vs) {
    const cx = (v) => { const b = box(info, v); return b.x + b.w / 2; };
    const cy = (v) => { const b = box(info, v); return b.y + b.h / 2; };
    const inView = new Set(vs);
    const out = new Map(vs.map((v) => [v, []])), indeg = new Map(vs.map((v) => [v, 0]));
    const pairs = new Set();
    for (const e of info.edges) {
      const k = e.a + '>' + e.b;
      if (e.a === e.b || !inView.has(e.a) || !inView.has(e.b) || pairs.has(k)) continue;
      pairs.add(k);
      out.get(e.a).push(e.b);
      indeg.set(e.b, indeg.get(e.b) + 1);
    }
    const byX = vs.slice().sort((a, b) => cx(a) - cx(b) || cy(a) - cy(b));
    const layer = new Map(vs.map((v) => [v, 0]));
    const done = new Set();
    let ready = byX.filter((v) => indeg.get(v) === 0), next = 0;
    while (done.size < vs.length) {
      let v;
      if (ready.length) v = ready.shift();
      else { while (done.has(byX[next])) next++; v = byX[next]; } // a cycle
      if (done.has(v)) continue;
      done.add(v);
      for (const w of out.get(v)) {
        if (done.has(w)) continue;
        layer.set(w, Math.max(layer.get(w), layer.get(v) + 1));
        indeg.set(w, indeg.get(w) - 1);
        if (indeg.get(w) === 0) ready.push(w);
      }
    }
    const layers = [];
    for (const v of vs) { const l = layer.get(v); (layers[l] = layers[l] || []).push(v); }
    const pos = new Map();
    let x = 0;
    for (const list of layers) {
      if (!list) continue;
      list.sort((a, b) => cy(a) - cy(b) || cx(a) - cx(b));
      let width = 0, height = ROW_GAP * (list.length - 1);
      for (const v of list) { const b = box(info, v); width = Math.max(width, b.w); height += b.h; }
      let y = -height / 2;
      for (const v of list) {
        const b = box(info, v);
        pos.set(v, { dx: x + (width - b.w) / 2 - b.x, dy: y - b.y });
        y += b.h + ROW_GAP;
      }
      x += width + LAYER_GAP;
    }
    return pos;
  }
  // Moves the nodes by `pos` (null: back where Graphviz put them) and redraws the edges
  // between moved nodes.
  function applyLayout(info, pos) {
    for (const v of info.moved) if (!pos || !pos.has(v)) info.nodes.get(v).removeAttribute('transform');
    info.moved = new Set();
    info.offsets = pos;
    if (pos) {
      for (const [v, p] of pos) {
        const g = info.nodes.get(v);
        g.setAttribute('transform', 'translate(' + p.dx + ' ' + p.dy + ')');
        info.moved.add(v);
        if (info.clusters.length) stripe(info, v, g);
      }
    }
    for (const e of info.edges) {
      const pa = pos && pos.get(e.a), pb = pos && pos.get(e.b);
      if (!pa || !pb) {
        if (e.bent) {
          e.path.setAttribute('d', e.d);
          for (const m of e.marks) m.removeAttribute('transform');
          e.bent = false;
        }
        continue;
      }
      if (!edgeGeometry(e)) continue;
      const x0 = e.p0[0] + pa.dx, y0 = e.p0[1] + pa.dy, x1 = e.p1[0] + pb.dx, y1 = e.p1[1] + pb.dy;
      const h = Math.max(24, Math.abs(x1 - x0) / 2);
      e.path.setAttribute('d', 'M' + x0 + ',' + y0 + 'C' + (x0 + h) + ',' + y0 + ' ' + (x1 - h) + ',' + y1 + ' ' + x1 + ',' + y1);
      for (const m of e.marks) m.setAttribute('transform', 'translate(' + pb.dx + ' ' + pb.dy + ')');
      e.bent = true;
    }
  }
  // The stripe of a node's domain colour, shown while the view is compact.
  function stripe(info, v, g) {
    if (g.querySelector('.domain-stripe')) return;
    const fill = domainColour.get(node.domain(v));
    if (!fill) return;
    const b = box(info, v);
    const r = document.createElementNS(SVGNS, 'rect');
    r.setAttribute('class', 'domain-stripe');
    r.setAttribute('x', String(b.x + 1));
    r.setAttribute('y', String(b.y + 1));
    r.setAttribute('width', '6');
    r.setAttribute('height', String(Math.max(b.h - 2, 1)));
    r.setAttribute('fill', fill);
    const t = document.createElementNS(SVGNS, 'title');
    t.textContent = 'domain ' + node.domain(v);
    r.append(t);
    const shape = g.querySelector('polygon, path, ellipse');
    if (shape) shape.after(r); else g.append(r);
  }
  // The centre of node v in the diagram's coordinates (its move and the diagram's
  // transform applied).
  function centre(info, v, mat) {
    const b = box(info, v), o = info.offsets && info.offsets.get(v);
    let x = b.x + b.w / 2 + (o ? o.dx : 0), y = b.y + b.h / 2 + (o ? o.dy : 0);
    if (mat) [x, y] = [mat.a * x + mat.c * y + mat.e, mat.b * x + mat.d * y + mat.f];
    return [x, y];
  }

  // What the view holds.
  function impactOutcome() {
    if (!state.impact) return null;
    const { target, change } = state.impact;
    const key = impactKey(target);
    const byChange = key && D.imp[key];
    let outcome = byChange ? byChange[change] : null;
    if (!outcome && key && served()) {
      // Served: what the page did not get precomputed (a retype, a large mesh) the
      // server's /api/mesh/impact answers, as lineage impact does.
      const k = target + '|' + change;
      const got = servedImpact.get(k);
      if (got && got !== 'pending') outcome = got;
      else if (!got) fetchImpact(target, change, k);
    }
    return { key, outcome: outcome || null };
  }
  const servedImpact = new Map();
  async function fetchImpact(target, change, k) {
    servedImpact.set(k, 'pending');
    const intern = (x) => { if (x === null || x === undefined) return -1; S.push(String(x)); return S.length - 1; };
    try {
      const r = await apiFetch('api/mesh/impact?target=' + encodeURIComponent(target) + '&change=' + encodeURIComponent(change));
      const j = await r.json();
      if (!r.ok) servedImpact.set(k, { err: j.error || 'the server answered ' + r.status });
      else {
        servedImpact.set(k, {
          a: j.affected.filter((x) => byId.has(x.id)).map((x) => [byId.get(x.id), x.verdict === 'breaks' ? 0 : 1, intern(x.reason)]
            .concat(x.path.map((p) => byId.get(p)).filter((v) => v !== undefined))),
          t: j.teams.map((t) => [intern(t.id), intern(t.contact), t.breaks, t.mayBreak, t.changingTeam ? 1 : 0]),
          cv: columnVerdicts(j.columnVerdicts || []),
        });
      }
    } catch (e) {
      servedImpact.set(k, { err: e.message });
    }
    if (state.impact && state.impact.target + '|' + state.impact.change === k) render();
  }
  // The server's per-column verdicts ({id, column, verdict}) as the data's cv pairs.
  function columnVerdicts(list) {
    const cv = [];
    for (const x of list) {
      const v = byId.get(x.id);
      const c = v === undefined ? undefined : colsOf[v].find((c) => col.name(c) === x.column);
      if (c !== undefined) cv.push(c, x.verdict === 'breaks' ? 0 : 1);
    }
    return cv;
  }
  function impactKey(target) {
    if (byId.has(target)) return String(byId.get(target));
    const dot = target.lastIndexOf('.');
    if (dot < 0) return null;
    const v = byId.get(target.slice(0, dot));
    if (v === undefined) return null;
    const name = target.slice(dot + 1);
    const c = colsOf[v].find((c) => col.name(c) === name);
    return c === undefined ? null : v + '.' + c;
  }
  function visibleSet() {
    const imp = impactOutcome();
    if (imp && imp.outcome && imp.outcome.a) {
      const set = new Set([+imp.key.split('.')[0]]);
      for (const a of imp.outcome.a) for (const v of a.slice(3)) set.add(v);
      return set;
    }
    if (!state.focus.length) return null; // the whole diagram
    const set = new Set(state.focus);
    for (const v of state.focus) { for (const w of rev[v]) set.add(w); for (const w of fwd[v]) set.add(w); }
    for (const v of state.up) for (const w of rev[v]) set.add(w);
    for (const v of state.down) for (const w of fwd[v]) set.add(w);
    for (const v of state.up) set.add(v);
    for (const v of state.down) set.add(v);
    return set;
  }

  // ---- Served: a view past the diagrams the page has is laid out by the server ----
  const served = () => !$('lineage-data');
  const servedViews = { product: null, column: null };
  let pending = null, servedCount = 0, anchorNext = null;
  function covers(name, visible) {
    if (!name) return false;
    const info = parseView(name);
    for (const v of visible) if (!info.nodes.has(v)) return false;
    return true;
  }
  function pickView(level, visible) {
    const base = viewName(level);
    if (!served() || !visible) return base;
    if (covers(base, visible)) return base;
    const own = servedViews[level];
    if (own && covers(own, visible)) return own;
    requestView(level, visible);
    return current && (current.name === own || current.name === base) ? current.name : own || base;
  }
  // Where node v's centre is on screen, relative to the diagram's box: computed as
  // keepAnchor computes it, so that anchoring a node that did not move moves nothing.
  function screenPos(v) {
    const g = current && current.nodes.get(v);
    if (!g || g.classList.contains('hidden') || !vb) return null;
    const m = current.graph.transform.baseVal.consolidate();
    const [cx, cy] = centre(current, v, m ? m.matrix : null);
    const r = $('diagram').getBoundingClientRect();
    const s = Math.max(vb.w / r.width, vb.h / r.height);
    return { v, x: (cx - (vb.x + vb.w / 2 - (r.width * s) / 2)) / s, y: (cy - (vb.y + vb.h / 2 - (r.height * s) / 2)) / s };
  }
  async function requestView(level, visible) {
    const list = [...visible].sort((a, b) => a - b);
    const key = level + '|' + list.join(',');
    if (pending === key) return;
    pending = key;
    $('status').textContent = 'laying out ' + list.length + ' nodes\u2026';
    try {
      const query = list.map((v) => 'nodes=' + encodeURIComponent(ids[v])).join('&');
      const r = await apiFetch('api/explorer/view?level=' + level + '&' + query);
      if (!r.ok) throw new Error('the server answered ' + r.status);
      const view = await r.json();
      if (pending !== key) return;
      const name = 'served-' + ++servedCount;
      D.views[name] = view;
      servedViews[level] = name;
      const anchor = state.sel >= 0 ? state.sel : state.focus[0];
      anchorNext = anchor === undefined ? null : screenPos(anchor);
      render();
    } catch (e) {
      $('status').textContent = 'could not lay the view out: ' + e.message;
    } finally {
      if (pending === key) pending = null;
    }
  }
  // Keeps the anchor node where it was on screen, at the new fit's scale.
  function keepAnchor() {
    const a = anchorNext;
    anchorNext = null;
    if (!a || !current || !vb) return;
    if (!current.nodes.has(a.v)) return;
    const m = current.graph.transform.baseVal.consolidate();
    const [cx, cy] = centre(current, a.v, m ? m.matrix : null);
    const r = $('diagram').getBoundingClientRect();
    const s = Math.max(vb.w / r.width, vb.h / r.height);
    const ox = cx - a.x * s, oy = cy - a.y * s;
    setViewBox({ x: ox - vb.w / 2 + (r.width * s) / 2, y: oy - vb.h / 2 + (r.height * s) / 2, w: vb.w, h: vb.h });
  }

  let shown = [];
  function render() {
    const wantColumn = state.level === 'column' && (viewName('column') || (served() && visibleSet()));
    const name = pickView(wantColumn ? 'column' : 'product', visibleSet());
    show(name);
    $('level').setAttribute('aria-pressed', String(state.level === 'column'));
    $('level').disabled = !viewName('column') && !served();
    const host = $('diagram');
    const visible = visibleSet();
    shown = [];
    let missing = 0;
    if (current && current.view.level !== 'domain') {
      for (const [v, g] of current.nodes) {
        const on = !visible || visible.has(v);
        g.classList.toggle('hidden', !on);
        if (on) shown.push(v);
      }
      if (visible) for (const v of visible) if (!current.nodes.has(v)) missing++;
      for (const e of current.edges) e.el.classList.toggle('hidden', !!visible && !(visible.has(e.a) && visible.has(e.b)));
      for (const o of current.others) o.classList.toggle('hidden', !!visible);
      for (const c of current.clusters) c.el.classList.toggle('hidden', !!visible && !c.members.some((v) => visible.has(v)));
      for (const [v, g] of current.nodes) g.classList.toggle('selected', v === state.sel);
    }
    // A focused part of a larger diagram is laid out compactly; laid out again, and fit,
    // only when what is in view changes (a click that selects moves nothing).
    const compact = !!(current && visible && current.view.level !== 'domain' && shown.length < current.nodes.size);
    const key = current ? current.name + '|' + (compact ? shown.slice().sort((a, b) => a - b).join(',') : '*') : '';
    const relayout = key !== layoutKey;
    if (current && relayout) applyLayout(current, compact ? compactLayout(current, shown) : null);
    if (current && compact) for (const c of current.clusters) c.el.classList.add('hidden');
    layoutKey = key;
    host.classList.toggle('compact', compact);
    paintImpact();
    host.classList.toggle('impact', !!state.impact);
    const st = [];
    if (current) st.push(current.view.level + ' level' + (visible ? ', ' + shown.length + ' of ' + N + ' nodes in view' : ', ' + shown.length + ' nodes'));
    if (missing) st.push(missing + ' more ' + (missing === 1 ? 'node is' : 'nodes are') + ' not in this export\u2019s diagram (listed in the panel)');
    if (state.level === 'column' && !wantColumn) st.push('no column-level diagram in this export');
    $('status').textContent = st.join(' \u00b7 ');
    renderPanel();
    renderImpact();
    if (relayout) fit();
    keepAnchor();
  }
  let layoutKey = null;

  function paintImpact() {
    if (!current) return;
    for (const g of current.nodes.values()) g.classList.remove('imp-changed', 'imp-breaks', 'imp-may', 'imp-none');
    for (const e of current.edges) e.el.classList.remove('imp-path', 'imp-breaks', 'imp-may');
    for (const r of current.svg.querySelectorAll('.imp-row')) r.remove();
    const imp = impactOutcome();
    if (!imp || !imp.outcome || !imp.outcome.a) return;
    if (current.view.level === 'column') paintRows(imp);
    const changed = +imp.key.split('.')[0];
    const verdict = new Map(imp.outcome.a.map((a) => [a[0], a[1]]));
    const onPath = new Map();
    for (const a of imp.outcome.a) {
      const path = a.slice(3);
      for (let i = 0; i + 1 < path.length; i++) {
        const k = path[i] + '>' + path[i + 1];
        onPath.set(k, Math.min(onPath.has(k) ? onPath.get(k) : 1, verdict.get(path[path.length - 1])));
      }
    }
    for (const [v, g] of current.nodes) {
      g.classList.add(v === changed ? 'imp-changed' : verdict.has(v) ? (verdict.get(v) === 0 ? 'imp-breaks' : 'imp-may') : 'imp-none');
    }
    for (const e of current.edges) {
      const k = e.a + '>' + e.b;
      if (onPath.has(k)) e.el.classList.add('imp-path', onPath.get(k) === 0 ? 'imp-breaks' : 'imp-may');
    }
  }

  // At the column level, the changed column and the columns the change reaches get a
  // coloured row, as lineage render --impact colours them. A table's cells are drawn by
  // Graphviz as bordered polygons in row order (the title first), one per column of the
  // node, in the order of the data's columns.
  function paintRows(imp) {
    const verdict = new Map();
    for (let i = 0; i + 1 < imp.outcome.cv.length; i += 2) verdict.set(imp.outcome.cv[i], imp.outcome.cv[i + 1]);
    const [changedNode, changedCol] = imp.key.split('.').map(Number);
    for (const [v, g] of current.nodes) {
      const cols = colsOf[v];
      if (!cols.length) continue;
      const cells = [...g.querySelectorAll('polygon[fill="none"]')];
      if (cells.length !== cols.length + 1) continue;
      cols.forEach((c, i) => {
        const changed = v === changedNode && (Number.isNaN(changedCol) || c === changedCol);
        const fill = changed ? '#b6e3ff' : verdict.get(c) === 0 ? '#ffcecb' : verdict.get(c) === 1 ? '#fff1a8' : null;
        if (!fill) return;
        const row = cells[i + 1].cloneNode(false);
        row.setAttribute('fill', fill);
        row.setAttribute('stroke', 'none');
        row.setAttribute('class', 'imp-row');
        row.dataset.column = ids[v] + '.' + col.name(c);
        cells[i + 1].parentNode.insertBefore(row, cells[i + 1]);
      });
    }
  }

  // ---- Pan, zoom, fit ----
  let vb = null;
  function setViewBox(b) {
    vb = b;
    if (current) current.svg.setAttribute('viewBox', b.x + ' ' + b.y + ' ' + b.w + ' ' + b.h);
  }
  function fit() {
    if (!current) return;
    const m = current.graph.transform.baseVal.consolidate();
    const mat = m ? m.matrix : null;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const extend = (px, py) => {
      const x = mat ? mat.a * px + mat.c * py + mat.e : px, y = mat ? mat.b * px + mat.d * py + mat.f : py;
      x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
    };
    if (current.view.level === 'domain' || shown.length === 0) {
      const b = current.graph.getBBox();
      extend(b.x, b.y); extend(b.x + b.width, b.y + b.height);
    } else {
      for (const v of shown) {
        const b = box(current, v), o = current.offsets && current.offsets.get(v);
        const dx = o ? o.dx : 0, dy = o ? o.dy : 0;
        extend(b.x + dx, b.y + dy); extend(b.x + b.w + dx, b.y + b.h + dy);
      }
    }
    if (!isFinite(x0)) return;
    const pad = 20;
    setViewBox({ x: x0 - pad, y: y0 - pad, w: Math.max(x1 - x0 + 2 * pad, 200), h: Math.max(y1 - y0 + 2 * pad, 120) });
  }
  function zoom(factor, cx, cy) {
    if (!vb) return;
    const x = cx === undefined ? vb.x + vb.w / 2 : cx, y = cy === undefined ? vb.y + vb.h / 2 : cy;
    setViewBox({ x: x - (x - vb.x) * factor, y: y - (y - vb.y) * factor, w: vb.w * factor, h: vb.h * factor });
  }
  function clientToView(ev) {
    const r = $('diagram').getBoundingClientRect();
    const s = Math.max(vb.w / r.width, vb.h / r.height);
    const ox = vb.x + vb.w / 2 - (r.width * s) / 2, oy = vb.y + vb.h / 2 - (r.height * s) / 2;
    return { x: ox + (ev.clientX - r.left) * s, y: oy + (ev.clientY - r.top) * s, s };
  }
  function setupPanZoom() {
    const host = $('diagram');
    let drag = null;
    host.addEventListener('wheel', (ev) => {
      if (!vb) return;
      ev.preventDefault();
      const p = clientToView(ev);
      zoom(ev.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    host.addEventListener('pointerdown', (ev) => {
      if (!vb || ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, vb: { ...vb }, moved: false, id: ev.pointerId };
    });
    host.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) { drag.moved = true; host.setPointerCapture(drag.id); host.classList.add('panning'); }
      const s = clientToView(ev).s;
      setViewBox({ x: drag.vb.x - dx * s, y: drag.vb.y - dy * s, w: drag.vb.w, h: drag.vb.h });
    });
    const end = (ev) => {
      if (drag && drag.moved) { host.classList.remove('panning'); ev.preventDefault(); suppressClick = true; }
      drag = null;
    };
    host.addEventListener('pointerup', end);
    host.addEventListener('pointercancel', end);
  }
  let suppressClick = false;

  // ---- Actions ----
  function selectNode(v) { state.sel = v; commit(); }
  function focusOn(nodes) {
    state.focus = nodes.slice(0, 500);
    state.up = new Set(); state.down = new Set();
    state.impact = null;
    state.sel = nodes.length === 1 ? nodes[0] : state.sel;
    commit();
  }
  function ensureVisible(v) {
    const vis = visibleSet();
    if (vis && !vis.has(v)) {
      state.focus = state.focus.concat([v]);
      if (state.sel >= 0) anchorNext = screenPos(state.sel);
    }
    state.sel = v;
    commit();
  }
  function expand(v, direction) {
    anchorNext = screenPos(v);
    if (!state.focus.length) state.focus = [v];
    (direction === 'up' ? state.up : state.down).add(v);
    state.sel = v;
    commit();
  }
  function startImpact(target, change) {
    state.impact = { target, change };
    commit();
  }

  // ---- The panel ----
  function nodeButton(v) {
    return el('button', { type: 'button', class: 'linklike', onclick: () => ensureVisible(v) }, ids[v]);
  }
  function renderPanel() {
    const p = $('panel');
    clear(p);
    const v = state.sel;
    if (v < 0) {
      p.append(el('p', null, 'Click a node, or press Tab to reach one and Enter to open it. Search with / .'));
      return;
    }
    const name = node.name(v);
    p.append(el('h2', { id: 'panel-title' }, ids[v]));
    if (name && name !== ids[v]) p.append(el('p', null, name));
    const owner = node.owner(v);
    const contact = owner ? teams.get(owner) : null;
    const dl = el('dl');
    const row = (k, val) => { if (val) dl.append(el('dt', null, k), el('dd', null, val)); };
    row('kind', node.kind(v));
    row('domain', node.domain(v) || '(none)');
    row('owner', owner || '(none)');
    row('contact', contact);
    row('status', node.status(v));
    row('access', node.access(v));
    row('sensitivity', node.sens(v));
    const tags = node.tags(v);
    if (tags.length) dl.append(el('dt', null, 'tags'), el('dd', null, ...tags.map((t) => el('span', { class: 'tag' }, t))));
    if (cyclicNodes.has(v)) row('cycle', 'on a cycle (red edges)');
    p.append(dl);
    if (node.desc(v)) p.append(el('p', { class: 'desc' }, node.desc(v)));
    const vis = visibleSet();
    const hiddenUp = vis ? rev[v].filter((w) => !vis.has(w)).length : 0;
    const hiddenDown = vis ? fwd[v].filter((w) => !vis.has(w)).length : 0;
    const retire = D.imp[String(v)];
    p.append(el('div', { class: 'actions' },
      el('button', { type: 'button', id: 'act-focus', onclick: () => focusOn([v]) }, 'Focus here'),
      el('button', { type: 'button', id: 'act-up', disabled: vis && hiddenUp === 0 ? true : null, onclick: () => expand(v, 'up') },
        '\u2190 Expand upstream' + (hiddenUp ? ' (+' + hiddenUp + ')' : '')),
      el('button', { type: 'button', id: 'act-down', disabled: vis && hiddenDown === 0 ? true : null, onclick: () => expand(v, 'down') },
        'Expand downstream' + (hiddenDown ? ' (+' + hiddenDown + ')' : '') + ' \u2192'),
      retire || served() ? el('button', { type: 'button', id: 'act-retire', onclick: () => startImpact(ids[v], 'retire') }, 'Impact: retire') : null));
    const cols = colsOf[v];
    if (cols.length) {
      p.append(el('h3', null, 'Columns (' + cols.length + ')'));
      const table = el('table', { id: 'columns' }, el('thead', null, el('tr', null,
        el('th', null, 'column'), el('th', null, 'type'), el('th', null, 'class'), el('th', null, 'impact'))));
      const body = el('tbody');
      for (const c of cols) {
        const cls = col.cls(c);
        const pii = cls === 'pii' && !col.masked(c);
        const key = v + '.' + c;
        let control = null;
        if (D.imp[key] || served()) {
          control = el('select', {
            'aria-label': 'impact of a change to ' + col.name(c), 'data-column': col.name(c),
            onchange: (ev) => { if (ev.target.value) startImpact(ids[v] + '.' + col.name(c), ev.target.value); },
          }, el('option', { value: '' }, 'change\u2026'), el('option', { value: 'drop' }, 'drop'),
          el('option', { value: 'rename' }, 'rename'), el('option', { value: 'nullable' }, 'nullable'));
        }
        body.append(el('tr', { class: pii ? 'pii' : null }, el('td', null, col.name(c)), el('td', null, col.type(c) || ''),
          el('td', null, (cls || '') + (col.masked(c) ? ' masked' : '')), el('td', null, control)));
      }
      table.append(body);
      p.append(table);
      if (!served() && !Object.keys(D.imp).length) p.append(el('p', { class: 'note' }, D.impNote || 'No blast radius was precomputed in this export.'));
    }
    const list = (title, xs) => {
      if (!xs.length) return;
      p.append(el('h3', null, title + ' (' + xs.length + ')'));
      const ul = el('ul');
      for (const w of xs.slice(0, 200)) ul.append(el('li', null, nodeButton(w)));
      if (xs.length > 200) ul.append(el('li', null, '\u2026 and ' + (xs.length - 200) + ' more'));
      p.append(ul);
    };
    list('Inputs', rev[v]);
    list('Readers', fwd[v]);
    const prov = node.prov(v);
    if (prov.length) { p.append(el('h3', null, 'Provenance')); p.append(el('ul', null, ...prov.map((x) => el('li', null, x)))); }
    const fs = findingsOf.get(v) || [];
    if (fs.length) {
      p.append(el('h3', null, 'Findings (' + fs.length + ')'));
      p.append(el('ul', null, ...fs.map((i) => findingItem(D.f[i]))));
    }
  }
  function findingItem(f) {
    const sev = str(f[0]);
    return el('li', null, el('span', { class: 'sev-' + sev }, sev), ' ', str(f[2]), ' [' + str(f[1]) + ']');
  }

  function renderImpact() {
    const box = $('impact');
    clear(box);
    if (!state.impact) { box.hidden = true; return; }
    box.hidden = false;
    const { target, change } = state.impact;
    box.append(el('h2', null, 'Impact of ' + change + ' ' + target));
    box.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'impact-close', onclick: () => { state.impact = null; commit(); } }, 'Leave impact mode')));
    if (served() && target.lastIndexOf('.') > 0 && impactKey(target) && impactKey(target).includes('.')) {
      const input = el('input', { id: 'retype', type: 'text', placeholder: 'new type, e.g. bigint', 'aria-label': 'new type of ' + target });
      box.append(el('div', { class: 'actions' }, input,
        el('button', { type: 'button', id: 'retype-go', onclick: () => { if (input.value.trim()) startImpact(target, 'retype:' + input.value.trim()); } }, 'Retype')));
    }
    const imp = impactOutcome();
    if (imp.outcome === null && served() && imp.key) {
      box.append(el('p', null, 'Asking the server\u2026'));
      return;
    }
    if (!imp.outcome) {
      box.append(el('p', { class: 'note' }, Object.keys(D.imp).length
        ? 'No precomputed blast radius for ' + change + ' ' + target + '. A retype needs the new type: ask lineage impact or the server.'
        : D.impNote || 'No blast radius was precomputed in this export.'));
      return;
    }
    if (imp.outcome.err) { box.append(el('p', { class: 'note' }, imp.outcome.err)); return; }
    const a = imp.outcome.a;
    const breaks = a.filter((x) => x[1] === 0).length;
    box.append(el('p', { id: 'impact-summary' }, breaks + ' break, ' + (a.length - breaks) + ' may break'));
    if (imp.outcome.t.length) {
      box.append(el('h3', null, 'Teams to notify'));
      const t = el('table', { id: 'impact-teams' }, el('thead', null, el('tr', null, el('th', null, 'team'), el('th', null, 'contact'), el('th', null, 'break'), el('th', null, 'may break'))));
      const tb = el('tbody');
      for (const [team, contact, b, m, changing] of imp.outcome.t) {
        tb.append(el('tr', null, el('td', null, str(team) + (changing ? ' (the changing team)' : '')), el('td', null, str(contact) || '-'), el('td', null, String(b)), el('td', null, String(m))));
      }
      t.append(tb);
      box.append(t);
    }
    if (a.length) {
      box.append(el('h3', null, 'Affected'));
      const ul = el('ul', { id: 'impact-affected' });
      for (const x of a) {
        const verdict = VERDICT[x[1]];
        ul.append(el('li', null, nodeButton(x[0]), ' ', el('span', { class: 'v-' + verdict }, verdict), ' \u2014 ', str(x[2]),
          el('div', { class: 'path' }, x.slice(3).map((v) => ids[v]).join(' \u2192 '))));
      }
      box.append(ul);
    }
    if (!served()) box.append(el('p', { class: 'desc' }, 'A retype needs the new type, so it is not precomputed here: ask lineage impact, or the server.'));
  }

  function renderStatic() {
    $('title').textContent = D.name + ' \u00b7 lineage explorer';
    const notes = $('notes');
    for (const n of D.notes || []) notes.append(el('p', { class: 'note' }, n));
    for (const name of ['product', 'overview', 'focus']) {
      const v = D.views[name];
      if (v) for (const n of v.notes) notes.append(el('p', { class: 'note' }, n));
    }
    const f = $('findings');
    f.append(el('h2', null, 'Findings (' + D.f.length + ')'));
    if (D.f.length) {
      const ul = el('ul');
      for (const x of D.f.slice(0, 300)) {
        const li = findingItem(x);
        for (const v of x[3].slice(0, 3)) li.append(' ', nodeButton(v));
        ul.append(li);
      }
      f.append(ul);
    } else f.append(el('p', null, 'No findings.'));
    const lg = $('legend');
    lg.append(el('h2', null, 'Legend'));
    const items = el('ul', { class: 'legend' });
    for (const [d, c] of domainColour) {
      const sw = el('span', { class: 'swatch' });
      sw.style.background = c;
      items.append(el('li', null, sw, d));
    }
    items.append(el('li', null, 'cylinder: source \u00b7 rounded box: product \u00b7 note: consumer'));
    items.append(el('li', null, 'red edges: a cycle \u00b7 red/amber dot: findings (errors/warnings)'));
    items.append(el('li', null, 'impact: blue changed, red breaks, amber may break, faded unaffected'));
    items.append(el('li', null, 'keys: / search, Enter open, Escape close, u/d expand, f focus, + \u2212 zoom, 0 fit'));
    lg.append(items);
  }

  // ---- Search ----
  let sugg = [], active = -1;
  function renderSuggestions() {
    const q = $('q').value;
    const box = $('suggest');
    clear(box);
    const r = suggestions(q);
    sugg = r.nodes.slice(0, 20);
    active = sugg.length ? 0 : -1;
    if (r.error) box.append(el('li', { class: 'error', role: 'option' }, r.error));
    else if (q.trim() && !sugg.length) box.append(el('li', { role: 'option' }, 'no match'));
    if (r.selector && r.nodes.length > 1) {
      box.append(el('li', { role: 'option', id: 'sugg-all', onclick: () => pick(-2) }, 'Focus on all ' + r.nodes.length + ' matches'));
    }
    sugg.forEach((v, i) => {
      box.append(el('li', { role: 'option', 'aria-selected': i === active ? 'true' : 'false', 'data-i': i, onclick: () => pick(i) },
        el('span', null, ids[v]), el('span', { class: 'meta' }, [node.kind(v), node.domain(v)].filter(Boolean).join(' \u00b7 '))));
    });
    box.hidden = !q.trim();
    $('q').setAttribute('aria-expanded', String(!box.hidden));
    box.lastMatches = r.nodes;
  }
  function pick(i) {
    const box = $('suggest');
    const all = box.lastMatches || [];
    box.hidden = true;
    $('q').setAttribute('aria-expanded', 'false');
    if (i === -2) { if (all.length) focusOn(all); return; }
    if (i >= 0 && sugg[i] !== undefined) focusOn([sugg[i]]);
  }
  function setupSearch() {
    const q = $('q');
    q.addEventListener('input', renderSuggestions);
    q.addEventListener('keydown', (ev) => {
      const items = [...$('suggest').querySelectorAll('li[data-i]')];
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (!items.length) return;
        active = (active + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        items.forEach((li, i) => li.setAttribute('aria-selected', i === active ? 'true' : 'false'));
      } else if (ev.key === 'Enter') {
        ev.preventDefault();
        const r = $('suggest').lastMatches || [];
        if (looksLikeSelector(q.value) && r.length > 1) pick(-2); else pick(active);
      } else if (ev.key === 'Escape') {
        $('suggest').hidden = true;
        q.blur();
      }
    });
  }

  // ---- Export ----
  function download(name, blob) {
    const a = el('a', { download: name });
    a.href = URL.createObjectURL(blob);
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function viewSVG() {
    const copy = current.svg.cloneNode(true);
    for (const h of copy.querySelectorAll('.hidden')) h.remove();
    copy.setAttribute('xmlns', SVGNS);
    copy.setAttribute('width', String(Math.round(vb.w)));
    copy.setAttribute('height', String(Math.round(vb.h)));
    return new XMLSerializer().serializeToString(copy);
  }
  // The view as PNG, at twice its size: the SVG drawn into a canvas through a blob: URL.
  function viewPNG() {
    return new Promise((resolve, reject) => {
      const img = new Image();
      const url = URL.createObjectURL(new Blob([viewSVG()], { type: 'image/svg+xml' }));
      img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('the view could not be drawn as PNG')); };
      img.onload = () => {
        const scale = 2, canvas = document.createElement('canvas');
        canvas.width = Math.round(vb.w * scale); canvas.height = Math.round(vb.h * scale);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        URL.revokeObjectURL(url);
        try { canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'); } catch (e) { reject(e); }
      };
      img.src = url;
    });
  }
  function exportPNG() {
    viewPNG().then((b) => download('lineage-view.png', b), (e) => { $('status').textContent = e.message; });
  }
  api.pngSize = async () => (await viewPNG()).size;
  // A cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR) gets a
  // leading apostrophe; every cell is quoted.
  function csvCell(s) {
    s = s === null || s === undefined ? '' : String(s);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return '"' + s.replace(/"/g, '""') + '"';
  }
  function nodesCSV(list) {
    const lines = [['id', 'kind', 'domain', 'owner', 'contact', 'status', 'description'].join(',')];
    for (const v of list) {
      const o = node.owner(v);
      lines.push([ids[v], node.kind(v), node.domain(v), o, o ? teams.get(o) : '', node.status(v), node.desc(v)].map(csvCell).join(','));
    }
    return lines.join('\r\n') + '\r\n';
  }
  api.csvCell = csvCell;
  api.nodesCSV = () => nodesCSV(shown);
  api.viewSVG = () => viewSVG();

  // ---- Keyboard and clicks ----
  function setupEvents() {
    $('diagram').addEventListener('click', (ev) => {
      if (suppressClick) { suppressClick = false; return; }
      const g = ev.target.closest && ev.target.closest('g.node');
      if (g && g.dataset.v !== undefined) { ev.preventDefault(); selectNode(+g.dataset.v); }
    });
    $('diagram').addEventListener('dblclick', (ev) => {
      const g = ev.target.closest && ev.target.closest('g.node');
      if (g && g.dataset.v !== undefined) focusOn([+g.dataset.v]);
    });
    $('diagram').addEventListener('keydown', (ev) => {
      const g = ev.target.closest && ev.target.closest('g.node');
      if (g && g.dataset.v !== undefined && ev.key === 'Enter') { ev.preventDefault(); selectNode(+g.dataset.v); }
    });
    $('level').addEventListener('click', () => { state.level = state.level === 'column' ? 'product' : 'column'; commit(); });
    $('all').addEventListener('click', () => { state.focus = []; state.up = new Set(); state.down = new Set(); state.impact = null; commit(); });
    $('fit').addEventListener('click', fit);
    $('zoom-in').addEventListener('click', () => zoom(1 / 1.25));
    $('zoom-out').addEventListener('click', () => zoom(1.25));
    $('export-svg').addEventListener('click', () => download('lineage-view.svg', new Blob([viewSVG()], { type: 'image/svg+xml' })));
    $('export-png').addEventListener('click', exportPNG);
    $('export-csv').addEventListener('click', () => download('lineage-nodes.csv', new Blob([nodesCSV(shown)], { type: 'text/csv' })));
    document.addEventListener('keydown', (ev) => {
      const typing = ev.target && (ev.target.tagName === 'INPUT' || ev.target.tagName === 'SELECT' || ev.target.tagName === 'TEXTAREA');
      if (typing) return;
      if (ev.key === '/') { ev.preventDefault(); $('q').focus(); $('q').select(); }
      else if (ev.key === 'Escape') {
        if (state.impact) state.impact = null; else state.sel = -1;
        commit();
      } else if (ev.key === '+' || ev.key === '=') zoom(1 / 1.25);
      else if (ev.key === '-') zoom(1.25);
      else if (ev.key === '0') fit();
      else if (state.sel >= 0 && ev.key === 'u') expand(state.sel, 'up');
      else if (state.sel >= 0 && ev.key === 'd') expand(state.sel, 'down');
      else if (state.sel >= 0 && ev.key === 'f') focusOn([state.sel]);
    });
    window.addEventListener('hashchange', () => {
      if (writingHash) return;
      if (served()) takeKeyFromFragment();
      decodeState(location.hash);
      render();
    });
    window.addEventListener('resize', () => fit());
  }

  async function main() {
    try {
      if (served()) {
        takeKeyFromFragment();
        if (apiKey === null) apiKey = storedKey();
        setupKeyBox();
      }
      prepare(await loadData());
      renderStatic();
      decodeState(location.hash);
      // The export's focus (--focus), when the URL names no view.
      if (!location.hash && D.start && D.start.length) state.focus = D.start.slice();
      setupPanZoom();
      setupSearch();
      setupEvents();
      render();
      api.ready = true;
      api.interactiveMs = performance.now();
      api.scriptMs = performance.now() - T0;
      document.body.dataset.ready = 'true';
    } catch (e) {
      api.error = String(e && e.message || e);
      $('status').textContent = 'The explorer could not start: ' + api.error;
      document.body.dataset.ready = 'error';
    }
  }
  api.viewBox = () => (vb ? { x: vb.x, y: vb.y, w: vb.w, h: vb.h } : null);
  api.state = () => ({ focus: state.focus.map((v) => ids[v]), level: state.level, impact: state.impact, sel: state.sel >= 0 ? ids[state.sel] : null, shown: shown.map((v) => ids[v]) });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main); else main();
})();
