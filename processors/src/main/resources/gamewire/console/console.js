// gamewire's web console: plain JavaScript over the admin API (/v1/admin/*), no build step, nothing
// from elsewhere (uPlot comes from gamewire's jar too).
// Every call goes with the session cookie (same origin); calls that change state add the header
// X-Gamewire-Console: 1, without which gamewire refuses them (a defence against forged requests).
// Everything from the server is put into the page as text (textContent), never as HTML.
// Each part of the page shows its own errors (the JSON "message" of the API's answer) in its
// element <part>-error, and clears it on the next success.
'use strict';

const LOGIN_PAGE = '/console/login';
const RATES_EVERY_MS = 1500;
const QUEUES_EVERY_MS = 2000;
const PULLS_EVERY_MS = 5000;
const CAPACITY_EVERY_MS = 15000;
const TITLES_EVERY_MS = 30000;
const PULL_RUN_EVERY_MS = 1000;
const TAIL_MAX_ROWS = 200;
/** Thrown once the browser is on its way to the login page: nothing to show the user. */
const LOGGED_OUT = 'not logged in';

const $ = (id) => document.getElementById(id);

/** A call of the admin API; 401/403 (no session, or it expired or ended) send the browser to the login page. */
async function api(path, options = {}) {
  const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
  const method = (options.method || 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-Gamewire-Console'] = '1';
  }
  let response;
  try {
    response = await fetch(path, Object.assign({}, options, { method, headers, credentials: 'same-origin', cache: 'no-store' }));
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new Error('gamewire does not answer (' + e.message + ')');
  }
  if (response.status === 401 || response.status === 403) {
    window.location.assign(LOGIN_PAGE);
    throw new Error(LOGGED_OUT);
  }
  return response;
}

/** The JSON of a successful answer, or an Error carrying the API's message. */
async function json(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw new Error((body && body.message) || ('HTTP ' + response.status + ' ' + response.statusText));
  }
  return body;
}

function status(message) {
  $('status').textContent = message;
}

/** Shows error (or clears the part's error when it is null) in the element errorId. */
function showError(errorId, error) {
  if (error && error.message === LOGGED_OUT) {
    return;
  }
  $(errorId).textContent = error ? error.message : '';
}

/** '1 event', '3 events'. */
function counted(n, noun) {
  return n + ' ' + noun + (n === 1 ? '' : 's');
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

/** A table cell: a node as it is, else its text ('–' for none), right-aligned for numbers. */
function cell(value) {
  const td = document.createElement('td');
  if (value instanceof Node) {
    td.appendChild(value);
  } else {
    td.textContent = value === null || value === undefined ? '–' : String(value);
    if (typeof value === 'number') {
      td.className = 'number';
    }
  }
  return td;
}

function row(id, values) {
  const tr = document.createElement('tr');
  tr.id = id;
  tr.append(...values.map(cell));
  return tr;
}

function button(id, text, onClick) {
  const made = element('button', text);
  made.type = 'button';
  made.id = id;
  made.addEventListener('click', onClick);
  return made;
}

/** Runs task, showing its failure in errorId and clearing it on success. */
async function guarded(task, errorId) {
  try {
    await task();
    showError(errorId, null);
  } catch (e) {
    showError(errorId, e);
  }
}

/** Runs task now and every ms, never twice at once (a slow answer delays the next call). */
function every(ms, task, errorId) {
  let running = false;
  const run = async () => {
    if (running) {
      return;
    }
    running = true;
    try {
      await guarded(task, errorId);
    } finally {
      running = false;
    }
  };
  run();
  return setInterval(run, ms);
}

// --- titles ------------------------------------------------------------------------------------

async function loadTitles() {
  const body = await json(await api('/v1/admin/titles'));
  const titles = (body.titles || []).map((title) => ({
    name: title.title,
    description: title.description,
    environments: title.environments || [],
    services: (title.services || []).map((service) => service.service),
    pulls: (title.pulls || []).length,
  }));
  renderTitles(titles, body.notInForce || []);
  $('titles-source').textContent = body.loaded === false ? 'the title files are still being loaded' : '';
}

function renderTitles(titles, problems) {
  const rows = titles.map((title) => {
    const focus = button('title-focus-' + title.name, title.name, () => focusTitle(title.name));
    focus.className = 'chip';
    focus.title = (title.description ? title.description + '\n' : '') + 'show only this title in the rates and the tail';
    return row('title-' + title.name, [focus, title.environments.join(', '), title.services.join(', '), title.pulls]);
  });
  // a file refused as written: its last good version, if any, is among the titles above
  for (const problem of problems) {
    const notice = row('title-problem-' + problem.title, [problem.title, 'not in force as written'
      + (problem.lastGoodVersionInForce ? ' (its last good version is): ' : ': ') + problem.problem]);
    notice.className = 'problem';
    notice.cells[1].colSpan = 3;
    rows.push(notice);
  }
  $('titles-rows').replaceChildren(...rows);
}

/** Narrows the rates and the next tail to one title's routing keys. */
function focusTitle(name) {
  $('rates-pattern').value = name + '.#';
  $('tail-pattern').value = name + '.#';
  guarded(loadRates, 'rates-error');
}

// --- rates (uPlot) -------------------------------------------------------------------------------
// One chart per routing key of GET /v1/admin/stats?series=true&window=1m: series holds the events of
// each second of the window, oldest first, the last one the current second (drawn at 0, "now").

const charts = new Map();

function chartFor(routingKey) {
  let chart = charts.get(routingKey);
  if (chart) {
    return chart;
  }
  const box = element('div', null, 'chart');
  box.id = 'rate-' + routingKey;
  box.dataset.routingKey = routingKey;
  const count = element('span', '', 'count');
  count.id = 'rate-count-' + routingKey;
  const detail = element('div', '', 'detail');
  detail.id = 'rate-detail-' + routingKey;
  const plotArea = element('div');
  box.append(element('h3', routingKey), count, detail, plotArea);
  $('rates-charts').appendChild(box);
  const plot = new uPlot({
    width: chartWidth(box),
    height: 130,
    legend: { show: false },
    cursor: { show: false },
    // x: seconds before the last poll (so the page's clock and gamewire's need not agree)
    scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    series: [{}, { label: 'events/s', stroke: '#1f6feb', fill: 'rgba(31,111,235,.12)', width: 1.5 }],
    axes: [{ values: (u, splits) => splits.map((s) => (s === 0 ? 'now' : s + ' s')) }, { size: 40 }],
  }, [[], []], plotArea);
  chart = { box, count, detail, plot };
  charts.set(routingKey, chart);
  return chart;
}

function chartWidth(box) {
  return Math.max(300, (box.clientWidth || 420) - 4);
}

async function loadRates() {
  const pattern = $('rates-pattern').value.trim() || '#';
  const body = await json(await api('/v1/admin/stats?series=true&window=1m&pattern=' + encodeURIComponent(pattern)));
  const step = body.seriesStepSeconds || 1;
  const seen = new Set();
  for (const key of body.routingKeys || []) {
    seen.add(key.routingKey);
    const chart = chartFor(key.routingKey);
    const series = key.series || [];
    chart.plot.setData([series.map((_, i) => -(series.length - 1 - i) * step), series]);
    const events = key.events || {};
    chart.count.textContent = counted(events.total ?? 0, 'event') + ', ' + (events.perSecond ?? 0).toFixed(2) + '/s';
    chart.detail.textContent = details(key);
    chart.box.dataset.total = String(events.total ?? 0);
    // what the chart itself now holds, read back from it: a chart that failed to update shows the old sum
    chart.box.dataset.plotted = String(chart.plot.data[1].reduce((sum, n) => sum + n, 0));
  }
  for (const [key, chart] of charts) {
    if (!seen.has(key)) {
      chart.plot.destroy();
      chart.box.remove();
      charts.delete(key);
    }
  }
  $('rates-empty').hidden = seen.size > 0;
  const totals = (body.totals && body.totals.events) || {};
  $('rates-total').textContent = String(totals.total ?? 0);
  status('updated ' + new Date().toLocaleTimeString());
}

/** The line under a chart: sources that sent, delay received→stored, dead letters, refusals. */
function details(key) {
  const parts = [];
  const bySource = (key.events && key.events.bySource) || {};
  const sources = Object.entries(bySource).filter(([, n]) => n > 0).map(([source, n]) => source + ' ' + n);
  if (sources.length > 0) {
    parts.push(sources.join(' · '));
  }
  const delay = key.delayMillis || {};
  if (delay.count > 0) {
    parts.push('delay p50 ' + delay.p50 + ' ms, p95 ' + delay.p95 + ' ms, max ' + delay.max + ' ms');
  }
  if (key.deadLetters && key.deadLetters.total > 0) {
    parts.push(key.deadLetters.total + ' dead-lettered');
  }
  if (key.refusals && key.refusals.total > 0) {
    parts.push(key.refusals.total + ' refused (' + Object.entries(key.refusals.byCode || {})
      .map(([code, n]) => code + ' ' + n).join(', ') + ')');
  }
  return parts.join(' — ');
}

window.addEventListener('resize', () => {
  for (const chart of charts.values()) {
    chart.plot.setSize({ width: chartWidth(chart.box), height: 130 });
  }
});

// --- queues --------------------------------------------------------------------------------------

async function loadQueues() {
  const body = await json(await api('/v1/admin/queues'));
  const queues = body.queues || [];
  $('queues-rows').replaceChildren(...queues.map((queue) => {
    const dead = queue.deadLetters > 0
      ? button('queue-dlq-' + queue.queue, String(queue.deadLetters), () => showDeadLetters(queue.queue))
      : queue.deadLetters;
    return row('queue-' + queue.queue, [queue.queue, queue.messages, queue.unacked, queue.consumers, dead]);
  }));
  const polled = body.polledAt ? ', polled ' + new Date(body.polledAt).toLocaleTimeString() : '';
  // the answer is the last poll's figures; a failed poll says why beside them
  const source = $('queues-source');
  source.textContent = 'from the broker by ' + body.source + polled
    + (body.source === 'passive-declare' ? ' (no unacknowledged counts that way)' : '')
    + (body.error ? '; the last poll failed: ' + body.error : '');
  source.classList.toggle('error', !!body.error);
  $('dlq-queues').replaceChildren(...queues.map((queue) => {
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
    $('tail-state').textContent = 'streaming ' + pattern + ($('tail-dead-letters').checked ? ' with dead letters' : '');
    await readEvents(response.body, onTailEvent);
    $('tail-state').textContent = 'ended by gamewire';
  } catch (e) {
    if (e.name === 'AbortError') {
      $('tail-state').textContent = 'stopped';
    } else if (e.message !== LOGGED_OUT) {
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
    $('tail-dropped').textContent = event.totalDropped + ' dropped so far (over the tail\'s rate, or this page read too slowly)';
    return;
  }
  if (type !== 'message') {
    return;
  }
  const deadLetter = event.exchange === 'dead-letters';
  const item = element('li', null, deadLetter ? 'dead-letter' : '');
  item.dataset.messageId = id || event.messageId;
  item.dataset.routingKey = event.routingKey;
  item.dataset.exchange = event.exchange;
  const received = event.receivedAt ? new Date(event.receivedAt).toLocaleTimeString() : '–';
  const payload = typeof event.payload === 'string' ? event.payload : JSON.stringify(event.payload);
  item.append(element('span', received, 'time'), document.createTextNode(' '),
    element('span', deadLetter ? 'DLQ ' : '', 'marker'),
    element('span', event.routingKey, 'key'),
    document.createTextNode(' ' + (event.source || '–') + ' ' + (event.type || '?') + ' ' + event.messageId + '\n'),
    element('span', payload, 'payload'));
  if (event.error) {
    item.append(element('span', '\n' + event.error, 'error'));
  }
  const list = $('tail-events');
  list.prepend(item);
  while (list.childElementCount > TAIL_MAX_ROWS) {
    list.lastElementChild.remove();
  }
}

// --- dead letters --------------------------------------------------------------------------------

/** Lists a queue's dead letters, e.g. after a click on its count in the queues table. */
function showDeadLetters(queue) {
  $('dlq-queue').value = queue;
  guarded(listDeadLetters, 'dlq-error');
}

async function listDeadLetters() {
  const queue = $('dlq-queue').value.trim();
  if (!queue) {
    throw new Error('name a service queue (title.env.service)');
  }
  const body = await json(await api('/v1/admin/dlq?queue=' + encodeURIComponent(queue) + '&limit=100'));
  const rows = (body.deadLetters || []).map((dead) => row('dlq-' + dead.messageId, [dead.messageId, dead.routingKey,
    dead.reason, dead.attempts === null ? null : Number(dead.attempts), dead.lastFailure,
    button('dlq-replay-' + dead.messageId, 'Replay',
      () => guarded(() => replayDeadLetters(queue, [dead.messageId]), 'dlq-error'))]));
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
  $('dlq-result').textContent = 'replayed ' + body.replayed + ' of ' + body.queue + '.dlq';
}

// --- pulls ---------------------------------------------------------------------------------------

async function loadPulls() {
  const body = await json(await api('/v1/admin/pulls'));
  const pulls = body.pulls || [];
  $('pulls-rows').replaceChildren(...pulls.map((pull) => {
    const name = pull.title + '.' + pull.pull;
    const run = button('pull-run-' + name, pull.running ? 'Running' : 'Run now',
      () => guarded(() => runPull(pull.title, pull.pull), 'pulls-error'));
    run.disabled = !!pull.running;
    return row('pull-' + name, [pull.title + '/' + pull.pull,
      pull.schedule + (pull.scheduled ? '' : ' (not scheduled here)'), pull.breaker, pull.watermark,
      pull.lastRunAt ? new Date(pull.lastRunAt).toLocaleString() : null, pull.lastError, run]);
  }));
  $('pulls-empty').hidden = pulls.length > 0;
}

/** Starts a run (202) and follows it until it is done, showing its progress and then its summary. */
async function runPull(title, pull) {
  const path = '/v1/admin/pulls/' + encodeURIComponent(title) + '/' + encodeURIComponent(pull) + '/runs';
  let run = await json(await api(path, { method: 'POST' }));
  const result = $('pull-result');
  result.dataset.runId = run.id;
  result.dataset.status = run.status;
  result.textContent = title + '/' + pull + ': run ' + run.id + ' ' + run.status;
  await loadPulls();
  while (run.status !== 'done') {
    await new Promise((resolve) => setTimeout(resolve, PULL_RUN_EVERY_MS));
    run = await json(await api('/v1/admin/pulls/runs/' + encodeURIComponent(run.id)));
    result.dataset.status = run.status;
    result.textContent = title + '/' + pull + ': run ' + run.id + ' ' + run.status + ', ' + run.pages + ' page(s), '
      + run.items + ' item(s), ' + run.published + ' published';
  }
  result.dataset.outcome = run.outcome;
  result.textContent = run.summary || (title + '/' + pull + ': ' + run.outcome);
  await loadPulls();
}

// --- capacity --------------------------------------------------------------------------------------

async function loadCapacity() {
  const body = await json(await api('/v1/admin/capacity'));
  const services = body.services || [];
  $('capacity-rows').replaceChildren(...services.map((decision) => row('capacity-' + decision.service, [
    decision.service, decision.mode, decision.current, decision.planned, decision.applied ? 'yes' : 'no',
    new Date(decision.at).toLocaleString(), decision.reason,
    button('capacity-show-' + decision.service, 'Show', () => {
      $('capacity-service').value = decision.service;
      guarded(showCapacity, 'capacity-report-error');
    })])));
  $('capacity-empty').hidden = services.length > 0;
  $('capacity-services').replaceChildren(...services.map((decision) => {
    const option = document.createElement('option');
    option.value = decision.service;
    return option;
  }));
}

function number(value) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(1);
}

/**
 * The chosen service's summary, then its picture: an <img> of /v1/admin/capacity/{service}.png, which the
 * browser asks for with the session cookie. The report is asked first, so a refusal (no archive, unknown
 * service, a bad parameter) is shown as the API's message instead of a broken image.
 */
async function showCapacity() {
  const service = $('capacity-service').value.trim();
  const picture = $('capacity-picture');
  if (!service) {
    throw new Error('name a service: title.env.service');
  }
  const hours = $('capacity-hours').value.trim() || '24';
  const path = '/v1/admin/capacity/' + encodeURIComponent(service);
  const query = '?hours=' + encodeURIComponent(hours);
  let report;
  try {
    report = await json(await api(path + query));
  } catch (e) {
    picture.hidden = true;
    $('capacity-summary').textContent = '';
    throw e;
  }
  const lines = [service + ' at ' + new Date(report.now).toLocaleString(),
    'now            ' + number(report.currentRate) + ' msg/s'];
  lines.push('forecast peak  ' + (report.peak
    ? number(report.peak.prediction) + ' msg/s at ' + new Date(report.peak.at).toLocaleString()
      + ' (upper band ' + number(report.peak.upper) + ')'
    : 'none yet (the forecast needs a full day of the archive)'));
  const decision = report.decision;
  lines.push('consumers      ' + (decision
    ? decision.current + ' now, ' + decision.planned + ' planned (' + decision.mode + ', '
      + (decision.applied ? 'applied' : 'not applied') + '): ' + decision.reason
    : (report.currentConsumers === null ? 'unknown' : report.currentConsumers)
      + (report.planner === 'off' ? ' (the planner is off)' : ' (no decision yet)')));
  $('capacity-summary').textContent = lines.join('\n');
  const width = Math.max(200, Math.min(2000, Math.floor($('capacity-section').clientWidth - 40)));
  picture.alt = 'capacity of ' + service;
  picture.src = path + '.png' + query + '&width=' + width + '&height=300&at=' + Date.now();
  picture.hidden = false;
}

// --- wiring --------------------------------------------------------------------------------------

function submitted(form, task, errorId) {
  $(form).addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(task, errorId);
  });
}

document.addEventListener('DOMContentLoaded', () => {
  submitted('rates-form', loadRates, 'rates-error');
  // startTail shows its own state and refusals in tail-state
  $('tail-form').addEventListener('submit', (event) => {
    event.preventDefault();
    startTail();
  });
  submitted('dlq-form', listDeadLetters, 'dlq-error');
  submitted('capacity-form', showCapacity, 'capacity-report-error');
  $('tail-stop').addEventListener('click', stopTail);
  $('dlq-replay-all').addEventListener('click',
    () => guarded(() => replayDeadLetters($('dlq-queue').value.trim(), null), 'dlq-error'));
  $('logout').addEventListener('click', () => guarded(async () => {
    stopTail();
    await api('/console/logout', { method: 'POST' });
    window.location.assign(LOGIN_PAGE);
  }, 'status'));
  every(TITLES_EVERY_MS, loadTitles, 'titles-error');
  every(RATES_EVERY_MS, loadRates, 'rates-error');
  every(QUEUES_EVERY_MS, loadQueues, 'queues-error');
  every(PULLS_EVERY_MS, loadPulls, 'pulls-error');
  every(CAPACITY_EVERY_MS, loadCapacity, 'capacity-error');
});
