// gamewire's web console: plain JavaScript over the admin API (/v1/admin/*), no build step.
// Every call goes with the session cookie (same origin); calls that change state add the header
// X-Gamewire-Console: 1, without which gamewire refuses them (a defence against forged requests).
// Everything from the server is put into the page as text (textContent), never as HTML.
'use strict';

const LOGIN_PAGE = '/console/login';
const RATES_EVERY_MS = 1500;
const QUEUES_EVERY_MS = 2000;
const PULLS_EVERY_MS = 5000;
const TITLES_EVERY_MS = 30000;
const TAIL_MAX_ROWS = 200;

const $ = (id) => document.getElementById(id);

/** A call of the admin API; 401/403 (no session, or it expired) send the browser to the login page. */
async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  const method = (options.method || 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-Gamewire-Console'] = '1';
  }
  const response = await fetch(path, Object.assign({}, options, { method, headers, credentials: 'same-origin', cache: 'no-store' }));
  if (response.status === 401 || response.status === 403) {
    window.location.assign(LOGIN_PAGE);
    throw new Error('not logged in');
  }
  return response;
}

/** The JSON of a successful answer, or an Error carrying the problem's message. */
async function json(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw new Error((body && body.message) || ('HTTP ' + response.status));
  }
  return body;
}

function status(message, error) {
  const element = $('status');
  element.textContent = message;
  element.classList.toggle('error', !!error);
}

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined && text !== null) {
    made.textContent = String(text);
  }
  if (className) {
    made.className = className;
  }
  return made;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    tr.appendChild(cell instanceof Node ? wrap(cell) : element('td', cell === null || cell === undefined ? '–' : cell));
  }
  return tr;
}

function wrap(node) {
  const td = document.createElement('td');
  td.appendChild(node);
  return td;
}

/** Runs task now and every ms, never twice at once (a slow answer delays the next call). */
function every(ms, task) {
  let running = false;
  const run = async () => {
    if (running) {
      return;
    }
    running = true;
    try {
      await task();
    } catch (e) {
      if (e.message !== 'not logged in') {
        status(e.message, true);
      }
    } finally {
      running = false;
    }
  };
  run();
  return setInterval(run, ms);
}

// --- titles ------------------------------------------------------------------------------------

async function loadTitles() {
  const response = await api('/v1/admin/titles');
  const list = $('titles-list');
  if (response.status === 404) {
    list.replaceChildren(element('li', 'GET /v1/admin/titles is not available on this gamewire'));
    return;
  }
  const body = await json(response);
  const titles = Array.isArray(body) ? body : (body.titles || []);
  list.replaceChildren(...titles.map((title) => {
    const name = typeof title === 'string' ? title : title.title;
    const item = element('li', name);
    item.id = 'title-' + name;
    if (typeof title === 'object' && Array.isArray(title.environments)) {
      item.title = 'environments: ' + title.environments.join(', ');
    }
    return item;
  }));
}

// --- rates (uPlot) -------------------------------------------------------------------------------

const charts = new Map();

function chartFor(routingKey) {
  let chart = charts.get(routingKey);
  if (chart) {
    return chart;
  }
  const box = element('div', null, 'chart');
  box.id = 'rate-' + routingKey;
  box.dataset.routingKey = routingKey;
  const title = element('h3', routingKey);
  const count = element('span', '', 'count');
  count.id = 'rate-count-' + routingKey;
  const plotArea = element('div');
  box.append(title, count, plotArea);
  $('rates-charts').appendChild(box);
  const width = Math.max(360, box.clientWidth || 420);
  const plot = new uPlot({
    width,
    height: 140,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    series: [{}, { label: 'events/s', stroke: '#1f6feb', fill: 'rgba(31,111,235,.12)', width: 1.5 }],
    axes: [{}, { size: 40 }],
  }, [[], []], plotArea);
  chart = { box, count, plot };
  charts.set(routingKey, chart);
  return chart;
}

async function loadRates() {
  const pattern = $('rates-pattern').value.trim() || '#';
  const body = await json(await api('/v1/admin/stats?series=true&window=1m&pattern=' + encodeURIComponent(pattern)));
  const now = Math.floor(Date.now() / 1000);
  const seen = new Set();
  for (const key of body.routingKeys || []) {
    seen.add(key.routingKey);
    const chart = chartFor(key.routingKey);
    const series = key.series || [];
    const xs = series.map((_, i) => now - series.length + 1 + i);
    chart.plot.setData([xs, series]);
    const events = key.events || {};
    chart.count.textContent = (events.total ?? 0) + ' events, ' + (events.perSecond ?? 0).toFixed(2) + '/s';
    chart.box.dataset.total = String(events.total ?? 0);
  }
  for (const [key, chart] of charts) {
    if (!seen.has(key)) {
      chart.plot.destroy();
      chart.box.remove();
      charts.delete(key);
    }
  }
  const totals = (body.totals && body.totals.events) || {};
  $('rates-total').textContent = String(totals.total ?? 0);
  status('updated ' + new Date().toLocaleTimeString());
}

// --- queues --------------------------------------------------------------------------------------

async function loadQueues() {
  const response = await api('/v1/admin/queues');
  if (response.status === 404) {
    $('queues-source').textContent = 'GET /v1/admin/queues is not available on this gamewire';
    return;
  }
  const body = await json(response);
  const rows = (body.queues || []).map((queue) => {
    const tr = row([queue.queue, queue.messages, queue.unacked, queue.consumers, queue.deadLetters]);
    tr.id = 'queue-' + queue.queue;
    return tr;
  });
  $('queues-rows').replaceChildren(...rows);
  $('queues-source').textContent = 'from ' + body.source;
  $('dlq-queues').replaceChildren(...(body.queues || []).map((queue) => {
    const option = document.createElement('option');
    option.value = queue.queue;
    return option;
  }));
}

// --- tail (Server-Sent Events over fetch) ----------------------------------------------------------
// fetch() and a stream reader rather than EventSource: EventSource hides the HTTP status (a refused
// pattern, 400, or an expired session, 401/403, would only look like a dropped connection) and
// reconnects by itself forever; with fetch the console shows the refusal, goes to the login page
// when the session is gone, and ends the stream itself with an AbortController.

let tail = null;

async function startTail() {
  stopTail();
  const controller = new AbortController();
  tail = controller;
  const pattern = $('tail-pattern').value.trim() || '#';
  const query = 'pattern=' + encodeURIComponent(pattern) + ($('tail-dead-letters').checked ? '&deadLetters=true' : '');
  $('tail-events').replaceChildren();
  $('tail-dropped').textContent = '';
  $('tail-start').disabled = true;
  $('tail-stop').disabled = false;
  $('tail-state').textContent = 'connecting…';
  try {
    const response = await api('/v1/admin/tail?' + query, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
    if (!response.ok) {
      await json(response);
    }
    $('tail-state').textContent = 'streaming ' + pattern;
    await readEvents(response.body, onTailEvent);
    $('tail-state').textContent = 'ended by gamewire';
  } catch (e) {
    if (e.name === 'AbortError') {
      $('tail-state').textContent = 'stopped';
    } else {
      $('tail-state').textContent = 'refused: ' + e.message;
    }
  } finally {
    if (tail === controller) {
      tail = null;
      $('tail-start').disabled = false;
      $('tail-stop').disabled = true;
    }
  }
}

function stopTail() {
  if (tail) {
    tail.abort();
  }
}

/** Reads a text/event-stream body, calling onEvent(type, id, data) for each event; comments are skipped. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      let id = null;
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') {
          type = text;
        } else if (field === 'id') {
          id = text;
        } else if (field === 'data') {
          data.push(text);
        }
      }
      if (data.length > 0) {
        onEvent(type, id, data.join('\n'));
      }
    }
  }
}

function onTailEvent(type, id, data) {
  const event = JSON.parse(data);
  if (type === 'dropped') {
    $('tail-dropped').textContent = event.totalDropped + ' dropped (this client read too slowly)';
    return;
  }
  if (type !== 'message') {
    return;
  }
  const item = element('li', null, event.exchange === 'dead-letters' ? 'dead-letter' : '');
  item.dataset.messageId = id || event.messageId;
  item.dataset.routingKey = event.routingKey;
  const received = event.receivedAt ? new Date(event.receivedAt).toLocaleTimeString() : '';
  item.append(element('span', event.routingKey, 'key'),
    document.createTextNode(' ' + received + ' ' + (event.source || '') + ' ' + (event.type || '') + ' '
      + event.messageId + '\n' + JSON.stringify(event.payload)));
  const list = $('tail-events');
  list.prepend(item);
  while (list.childElementCount > TAIL_MAX_ROWS) {
    list.lastElementChild.remove();
  }
}

// --- dead letters --------------------------------------------------------------------------------

async function listDeadLetters() {
  const queue = $('dlq-queue').value.trim();
  if (!queue) {
    $('dlq-result').textContent = 'name a service queue (title.env.service)';
    return;
  }
  const body = await json(await api('/v1/admin/dlq?queue=' + encodeURIComponent(queue) + '&limit=100'));
  const rows = (body.deadLetters || []).map((dead) => {
    const replay = element('button', 'Replay');
    replay.type = 'button';
    replay.id = 'dlq-replay-' + dead.messageId;
    replay.addEventListener('click', () => guarded(() => replayDeadLetters(queue, [dead.messageId])));
    const tr = row([dead.messageId, dead.routingKey, dead.reason, dead.attempts, dead.lastFailure, replay]);
    tr.id = 'dlq-' + dead.messageId;
    return tr;
  });
  $('dlq-rows').replaceChildren(...rows);
  $('dlq-replay-all').disabled = rows.length === 0;
  $('dlq-result').textContent = body.count + ' dead letter(s) in ' + body.queue + '.dlq';
}

async function replayDeadLetters(queue, messageIds) {
  const request = { queue };
  if (messageIds) {
    request.messageIds = messageIds;
  }
  const body = await json(await api('/v1/admin/dlq/replay', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request),
  }));
  await listDeadLetters();
  $('dlq-result').textContent = 'replayed ' + body.replayed + ' of ' + body.queue;
}

// --- pulls ---------------------------------------------------------------------------------------

async function loadPulls() {
  const body = await json(await api('/v1/admin/pulls'));
  const rows = (body.pulls || []).map((pull) => {
    const name = pull.title + '.' + pull.pull;
    const run = element('button', pull.running ? 'Running' : 'Run now');
    run.type = 'button';
    run.id = 'pull-run-' + name;
    run.disabled = !!pull.running;
    run.addEventListener('click', () => guarded(() => runPull(pull.title, pull.pull)));
    const tr = row([pull.title + '/' + pull.pull, pull.schedule, pull.breaker, pull.watermark, pull.lastRunAt,
      pull.lastError, run]);
    tr.id = 'pull-' + name;
    return tr;
  });
  $('pulls-rows').replaceChildren(...rows);
}

async function runPull(title, pull) {
  const path = '/v1/admin/pulls/' + encodeURIComponent(title) + '/' + encodeURIComponent(pull) + '/runs';
  const run = await json(await api(path, { method: 'POST' }));
  $('pull-result').textContent = 'run ' + run.id + ' of ' + title + '/' + pull + ': ' + run.status;
  await loadPulls();
}

// --- wiring --------------------------------------------------------------------------------------

async function guarded(task) {
  try {
    await task();
  } catch (e) {
    if (e.message !== 'not logged in') {
      status(e.message, true);
    }
  }
}

function submitted(form, task) {
  $(form).addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(task);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  submitted('rates-form', loadRates);
  submitted('tail-form', startTail);
  submitted('dlq-form', listDeadLetters);
  $('tail-stop').addEventListener('click', stopTail);
  $('dlq-replay-all').addEventListener('click', () => guarded(() => replayDeadLetters($('dlq-queue').value.trim(), null)));
  $('logout').addEventListener('click', () => guarded(async () => {
    stopTail();
    await api('/console/logout', { method: 'POST' });
    window.location.assign(LOGIN_PAGE);
  }));
  every(TITLES_EVERY_MS, loadTitles);
  every(RATES_EVERY_MS, loadRates);
  every(QUEUES_EVERY_MS, loadQueues);
  every(PULLS_EVERY_MS, loadPulls);
});
