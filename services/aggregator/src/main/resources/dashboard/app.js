// Strix live dashboard: one WebSocket to /ws (protocol in docs/websocket-api.md), one canvas per camera.
// Plain JavaScript, no build step. Redraws a camera only when something about it changed.
'use strict';

const STREAMS = ['tracks', 'alerts', 'status', 'preview', 'rules'];
const TRAIL_MS = 3000;        // how much of each track's path is drawn
const FPS_WINDOW_MS = 3000;   // snapshot rate measured over this window
const MAX_ALERTS = 200;
const DPR = window.devicePixelRatio || 1;

const cameras = new Map();    // cameraId -> camera view
const openIncidents = new Map(); // incidentId -> alert
const endedIncidents = new Set();
let clockOffset = 0;          // browser clock minus server clock, from hello and pongs
let socket = null;
let retryMs = 1000;
let dropped = 0;
let pinger = null;

function token() {
  const params = new URLSearchParams(location.search);
  const given = params.get('access_token') || params.get('token');
  if (given) {
    sessionStorage.setItem('strix.token', given);
  }
  return given || sessionStorage.getItem('strix.token');
}

function connect() {
  const t = token();
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws'
      + (t ? '?access_token=' + encodeURIComponent(t) : '');
  setConnection('connecting', 'connecting…');
  socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => { retryMs = 1000; };
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') {
      onMessage(JSON.parse(event.data));
    } else {
      onPreview(event.data);
    }
  };
  socket.onclose = (event) => {
    const why = event.code === 1006 && !t ? ' (if the server needs an API token, open this page with ?access_token=TOKEN)'
        : event.reason ? ' (' + event.reason + ')' : '';
    setConnection('closed', 'disconnected' + why + ', retrying…');
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  };
}

function send(message) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(message));
  }
}

function setConnection(state, text) {
  document.body.dataset.connection = state;
  document.getElementById('connection').textContent = text;
}

function onMessage(m) {
  switch (m.type) {
    case 'hello':
      clockOffset = Date.now() - m.serverTime;
      setConnection('open', 'live');
      m.cameras.forEach(camera);
      send({ op: 'subscribe', id: 'dashboard', cameras: '*', streams: STREAMS });
      if (!pinger) {
        pinger = setInterval(() => send({ op: 'ping', t: Date.now() }), 10000);
      }
      break;
    case 'pong':
      if (m.t) {
        // Half the round trip is the best guess of when the server read the clock.
        clockOffset = (m.t + Date.now()) / 2 - m.serverTime;
      }
      break;
    case 'cameras':
      m.cameras.forEach(camera);
      break;
    case 'tracks':
      onTracks(m);
      break;
    case 'alert':
      onAlert(m);
      break;
    case 'status':
      onStatus(m);
      break;
    case 'rules':
      camera({ cameraId: m.cameraId }).rules = m.rules;
      markDirty(m.cameraId);
      break;
    case 'dropped':
      dropped = m.total;
      updateSummary();
      break;
    case 'error':
      console.warn('Strix gateway:', m.message);
      break;
  }
}

/** The view of a camera, created on first mention. */
function camera(info) {
  let view = cameras.get(info.cameraId);
  if (!view) {
    view = createTile(info.cameraId);
    cameras.set(info.cameraId, view);
    document.getElementById('empty').hidden = true;
    updateSummary();
    loadOpenIncidents(info.cameraId);
  }
  if (info.name) {
    view.el.querySelector('.name').textContent = info.name;
    view.el.querySelector('.id').textContent = info.cameraId;
  }
  return view;
}

function createTile(id) {
  const el = document.createElement('article');
  el.className = 'tile';
  el.dataset.camera = id;
  el.dataset.tracks = '0';
  el.dataset.previews = '0';
  el.innerHTML = '<header><span class="name"></span><span class="id"></span><span class="state">UNKNOWN</span></header>'
      + '<canvas></canvas>'
      + '<footer><span class="fps">– fps</span><span class="latency">– ms</span><span class="objects">0 objects</span>'
      + '<span class="alerting"></span></footer>';
  el.querySelector('.name').textContent = id;
  const canvas = el.querySelector('canvas');
  const grid = document.getElementById('grid');
  const after = [...grid.querySelectorAll('.tile')].find(t => t.dataset.camera > id);
  grid.insertBefore(el, after || null);
  const view = {
    id, el, canvas, ctx: canvas.getContext('2d'),
    image: null, aspect: 16 / 9, tracks: [], trails: new Map(), rules: null, status: null,
    snapshotTimes: [], latencyMs: null, dirty: true,
  };
  // Drawn at the canvas's real size on screen, so that lines and labels stay sharp and readable.
  const fit = () => {
    const width = Math.max(1, Math.round(canvas.clientWidth * DPR));
    if (canvas.width !== width) {
      canvas.width = width;
      canvas.height = Math.round(width * 9 / 16);
      view.dirty = true;
    }
  };
  fit();
  new ResizeObserver(fit).observe(canvas);
  return view;
}

function onTracks(m) {
  const view = camera({ cameraId: m.cameraId });
  view.tracks = m.tracks;
  for (const t of m.tracks) {
    const [x, y, w, h] = t.box;
    let trail = view.trails.get(t.id);
    if (!trail) {
      trail = [];
      view.trails.set(t.id, trail);
    }
    trail.push({ x: x + w / 2, y: y + h, t: m.captureTime });
  }
  for (const [id, trail] of view.trails) {
    while (trail.length && m.captureTime - trail[0].t > TRAIL_MS) {
      trail.shift();
    }
    if (!trail.length) {
      view.trails.delete(id);
    }
  }
  view.snapshotTimes.push(m.captureTime);
  while (view.snapshotTimes.length > 1 && m.captureTime - view.snapshotTimes[0] > FPS_WINDOW_MS) {
    view.snapshotTimes.shift();
  }
  const latency = Date.now() - clockOffset - m.captureTime;
  view.latencyMs = view.latencyMs === null ? latency : 0.8 * view.latencyMs + 0.2 * latency;
  view.dirty = true;
}

function onStatus(m) {
  const view = camera({ cameraId: m.cameraId });
  view.status = m;
  const badge = view.el.querySelector('.state');
  badge.textContent = m.state;
  badge.className = 'state ' + m.state;
  badge.title = m.error || ('since ' + new Date(m.since).toLocaleTimeString());
  view.el.dataset.state = m.state;
  view.dirty = true;
}

function onAlert(m) {
  if (m.phase === 'ENDED') {
    openIncidents.delete(m.incidentId);
    endedIncidents.add(m.incidentId);
  } else {
    openIncidents.set(m.incidentId, m);
  }
  camera({ cameraId: m.cameraId });
  markDirty(m.cameraId);
  const li = document.createElement('li');
  li.className = 'alert ' + m.phase;
  li.dataset.incident = m.incidentId;
  li.dataset.phase = m.phase;
  li.dataset.camera = m.cameraId;
  li.innerHTML = '<div class="meta"><span class="phase"></span><span class="camera"></span><span class="time"></span>'
      + '</div><div class="message"></div>';
  li.querySelector('.phase').textContent = m.phase;
  li.querySelector('.camera').textContent = m.cameraId;
  li.querySelector('.time').textContent = new Date(m.emittedAt).toLocaleTimeString();
  li.querySelector('.message').textContent = m.message || (m.ruleType + ' ' + m.ruleId);
  li.title = m.incidentId + ' · tracks ' + m.trackIds.join(', ') + ' · frames ' + m.firstFrame.frameSeq + '–'
      + m.lastFrame.frameSeq;
  const list = document.getElementById('alerts');
  list.insertBefore(li, list.firstChild);
  while (list.children.length > MAX_ALERTS) {
    list.removeChild(list.lastChild);
  }
  document.getElementById('open-count').textContent = openIncidents.size ? openIncidents.size + ' open' : '';
}

/** Incidents that were open before this page connected: the live feed only brings what happens from now on. */
function loadOpenIncidents(cameraId) {
  const t = token();
  fetch('/api/incidents/' + encodeURIComponent(cameraId) + (t ? '?access_token=' + encodeURIComponent(t) : ''))
    .then(response => (response.ok ? response.json() : { incidents: [] }))
    .then(body => body.incidents.forEach(incident => {
      if (!openIncidents.has(incident.incidentId) && !endedIncidents.has(incident.incidentId)) {
        onAlert(incident);
      }
    }))
    .catch(() => { /* the live feed will do */ });
}

function onPreview(buffer) {
  const length = new DataView(buffer).getUint32(0);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  const view = camera({ cameraId: header.cameraId });
  const blob = new Blob([new Uint8Array(buffer, 4 + length)], { type: 'image/jpeg' });
  createImageBitmap(blob).then(bitmap => {
    if (view.image) {
      view.image.close();
    }
    view.image = bitmap;
    view.aspect = header.width / header.height;
    view.el.dataset.previews = String(Number(view.el.dataset.previews) + 1);
    view.dirty = true;
  }).catch(e => console.warn('preview of', header.cameraId, 'unreadable:', e));
}

function markDirty(cameraId) {
  const view = cameras.get(cameraId);
  if (view) {
    view.dirty = true;
  }
}

function updateSummary() {
  document.getElementById('summary').textContent = cameras.size + (cameras.size === 1 ? ' camera' : ' cameras')
      + (dropped ? ' · ' + dropped + ' messages dropped (slow connection)' : '');
}

// ---- drawing ----

/** Where the picture sits in the canvas (letterboxed to keep its aspect ratio). */
function pictureArea(view) {
  const cw = view.canvas.width, ch = view.canvas.height;
  if (view.aspect > cw / ch) {
    const h = cw / view.aspect;
    return { x: 0, y: (ch - h) / 2, w: cw, h };
  }
  const w = ch * view.aspect;
  return { x: (cw - w) / 2, y: 0, w, h: ch };
}

/** A font of {@code size} CSS pixels. */
function font(size, weight) {
  return (weight || '') + ' ' + Math.round(size * DPR) + 'px system-ui, sans-serif';
}

function colorOf(className) {
  let hash = 0;
  for (const c of className) {
    hash = (hash * 31 + c.charCodeAt(0)) | 0;
  }
  return 'hsl(' + (Math.abs(hash) % 360) + ', 85%, 60%)';
}

function alertingRules(cameraId) {
  const rules = new Set();
  for (const a of openIncidents.values()) {
    if (a.cameraId === cameraId) {
      rules.add(a.ruleId);
    }
  }
  return rules;
}

function draw(view) {
  const ctx = view.ctx;
  const area = pictureArea(view);
  const px = (x) => area.x + x * area.w;
  const py = (y) => area.y + y * area.h;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, view.canvas.width, view.canvas.height);
  if (view.image) {
    ctx.drawImage(view.image, area.x, area.y, area.w, area.h);
  } else {
    ctx.fillStyle = '#555';
    ctx.font = font(15);
    ctx.fillText('waiting for a picture…', 16 * DPR, 28 * DPR);
  }
  const alerting = alertingRules(view.id);
  ctx.lineWidth = 2 * DPR;
  ctx.font = font(12);

  if (view.rules) {
    const zonesOnAlert = new Set();
    for (const z of view.rules.zones) {
      if (alerting.has(z.id)) zonesOnAlert.add(z.id);
    }
    for (const r of view.rules.dwellRules.concat(view.rules.countRules)) {
      if (alerting.has(r.id)) zonesOnAlert.add(r.zoneId);
    }
    for (const z of view.rules.zones) {
      const hot = zonesOnAlert.has(z.id);
      ctx.beginPath();
      z.polygon.forEach((p, i) => (i ? ctx.lineTo(px(p.x), py(p.y)) : ctx.moveTo(px(p.x), py(p.y))));
      ctx.closePath();
      ctx.fillStyle = hot ? 'rgba(248, 81, 73, 0.28)' : 'rgba(88, 166, 255, 0.14)';
      ctx.fill();
      ctx.strokeStyle = hot ? '#f85149' : '#58a6ff';
      ctx.lineWidth = 2 * DPR;
      ctx.setLineDash([8 * DPR, 5 * DPR]);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.font = font(12, 'bold');
      ctx.fillText(z.name || z.id, px(z.polygon[0].x) + 4 * DPR, py(z.polygon[0].y) + 15 * DPR);
    }
    for (const l of view.rules.lines) {
      drawLine(ctx, l, px, py, alerting.has(l.id));
    }
  }

  for (const [id, trail] of view.trails) {
    if (trail.length < 2) continue;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.6)';
    ctx.lineWidth = 2 * DPR;
    ctx.beginPath();
    trail.forEach((p, i) => (i ? ctx.lineTo(px(p.x), py(p.y)) : ctx.moveTo(px(p.x), py(p.y))));
    ctx.stroke();
  }

  for (const t of view.tracks) {
    const [x, y, w, h] = t.box;
    const color = colorOf(t.cls);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2 * DPR;
    ctx.setLineDash(t.lost ? [4 * DPR, 4 * DPR] : []);
    ctx.strokeRect(px(x), py(y), w * area.w, h * area.h);
    ctx.setLineDash([]);
    const label = '#' + t.id + ' ' + t.cls + ' ' + Math.round(t.conf * 100) + '%';
    ctx.font = font(12);
    const width = ctx.measureText(label).width + 8 * DPR;
    const height = 16 * DPR;
    ctx.fillStyle = color;
    ctx.fillRect(px(x), py(y) - height, width, height);
    ctx.fillStyle = '#000';
    ctx.fillText(label, px(x) + 4 * DPR, py(y) - 4 * DPR);
  }

  const fps = view.snapshotTimes.length > 1
      ? (view.snapshotTimes.length - 1) * 1000 / (view.snapshotTimes[view.snapshotTimes.length - 1] - view.snapshotTimes[0])
      : view.status ? view.status.fps : null;
  view.el.querySelector('.fps').textContent = fps === null || !isFinite(fps) ? '– fps' : fps.toFixed(1) + ' fps';
  view.el.querySelector('.latency').textContent = view.latencyMs === null ? '– ms'
      : 'latency ' + Math.round(view.latencyMs) + ' ms';
  view.el.querySelector('.objects').textContent = view.tracks.length + (view.tracks.length === 1 ? ' object' : ' objects');
  view.el.querySelector('.alerting').textContent = alerting.size ? '● ' + alerting.size + ' open' : '';
  view.el.dataset.tracks = String(view.tracks.length);
  view.el.dataset.alerting = String(alerting.size);
}

/** A line with an arrow from a to b, and its left and right sides as docs/alerts.md defines them. */
function drawLine(ctx, l, px, py, hot) {
  const ax = px(l.a.x), ay = py(l.a.y), bx = px(l.b.x), by = py(l.b.y);
  ctx.strokeStyle = hot ? '#f85149' : '#e3b341';
  ctx.fillStyle = ctx.strokeStyle;
  ctx.lineWidth = 3 * DPR;
  ctx.beginPath();
  ctx.moveTo(ax, ay);
  ctx.lineTo(bx, by);
  ctx.stroke();
  const len = Math.hypot(bx - ax, by - ay) || 1;
  const dx = (bx - ax) / len, dy = (by - ay) / len;
  const mx = (ax + bx) / 2, my = (ay + by) / 2;
  const k = 7 * DPR;
  ctx.beginPath();
  ctx.moveTo(mx + dx * k * 1.5, my + dy * k * 1.5);
  ctx.lineTo(mx - dx * k + dy * k, my - dy * k - dx * k);
  ctx.lineTo(mx - dx * k - dy * k, my - dy * k + dx * k);
  ctx.closePath();
  ctx.fill();
  // Left of a->b as a viewer standing at a, facing b, sees it: (dy, -dx) in screen coordinates.
  const lx = dy, ly = -dx, d = 16 * DPR;
  ctx.font = font(12, 'bold');
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText('L', mx + lx * d, my + ly * d);
  ctx.fillText('R', mx - lx * d, my - ly * d);
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
  const name = (l.name || l.id) + (l.direction === 'ANY' ? '' : ' ' + (l.direction === 'LEFT_TO_RIGHT' ? 'L→R' : 'R→L'));
  ctx.fillText(name, bx + 6 * DPR, by);
}

function frame() {
  for (const view of cameras.values()) {
    if (view.dirty) {
      view.dirty = false;
      draw(view);
    }
  }
  requestAnimationFrame(frame);
}

// Headless and background tabs may not run animation frames; keep the page current anyway.
setInterval(() => {
  for (const view of cameras.values()) {
    if (view.dirty) {
      view.dirty = false;
      draw(view);
    }
  }
}, 250);

connect();
requestAnimationFrame(frame);
