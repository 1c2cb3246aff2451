/* The event store console: a small single-page front end over /api, no framework. Pages are chosen by the URL
   fragment (#/events?..., #/event/42, #/stream/Order/o-1, #/projections, #/overview), so every view has a link. */
(function () {
  'use strict';
  const view = document.getElementById('view');
  const errorBox = document.getElementById('error');
  let me = { user: null, operator: false, payloadsHidden: false };
  let refreshTimer = null;

  const FILTERS = [
    ['aggregateType', 'Aggregate type'], ['aggregateId', 'Aggregate id'],
    ['eventType', 'Event type (* one word, # any)'], ['topic', 'Topic pattern'],
    ['metadata', 'Metadata contains (JSON)'], ['correlationId', 'Correlation id'],
    ['causationId', 'Causation id'], ['eventId', 'Event id'],
    ['createdFrom', 'Created from (ISO, incl.)'], ['createdBefore', 'Created before (ISO, excl.)'],
    ['positionFrom', 'Position from'], ['positionTo', 'Position to']
  ];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
      else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : v);
    });
    children.flat(Infinity).forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : c)));
    return node;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    setTimeout(() => { errorBox.hidden = true; }, 8000);
  }

  async function api(path, options) {
    const response = await fetch('api/' + path, Object.assign({ headers: { 'Accept': 'application/json' },
      credentials: 'same-origin' }, options || {}));
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text }; }
    if (!response.ok) {
      const message = (body && body.message) || ('HTTP ' + response.status);
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function action(path) {
    return api(path, { method: 'POST', headers: { 'Accept': 'application/json',
      'X-Requested-By': 'eventstore-console' } });
  }

  function eventLink(position) {
    return el('a', { href: '#/event/' + position, class: 'event-link' }, String(position));
  }

  function searchLink(params, text) {
    return el('a', { href: '#/events?' + new URLSearchParams(params).toString() }, text);
  }

  function streamLink(type, id) {
    return el('a', { href: '#/stream/' + encodeURIComponent(type) + '/' + encodeURIComponent(id) }, id);
  }

  function eventTable(events) {
    return el('table', { id: 'events' },
      el('thead', {}, el('tr', {}, ['Position', 'Created', 'Aggregate', 'Id', 'Version', 'Event type', 'Topic']
        .map(h => el('th', {}, h)))),
      el('tbody', {}, events.map(e => el('tr', {},
        el('td', { class: 'num' }, eventLink(e.position)), el('td', {}, e.createdAt),
        el('td', {}, e.aggregateType), el('td', {}, streamLink(e.aggregateType, e.aggregateId)),
        el('td', { class: 'num' }, String(e.version)), el('td', {}, e.eventType), el('td', {}, e.topic || '')))));
  }

  async function eventsPage(params) {
    const form = el('form', { class: 'filters', id: 'search' },
      FILTERS.filter(([name]) => !(name === 'metadata' && me.payloadsHidden)).map(([name, label]) =>
        el('label', {}, label, el('input', { name: name, id: 'f-' + name, value: params.get(name) || '' }))),
      el('label', {}, 'Order', el('select', { name: 'order', id: 'f-order' },
        el('option', { value: 'desc', selected: params.get('order') !== 'asc' }, 'newest first'),
        el('option', { value: 'asc', selected: params.get('order') === 'asc' }, 'oldest first'))),
      el('label', {}, 'Page size', el('input', { name: 'limit', id: 'f-limit', value: params.get('limit') || '50' })),
      el('div', {}, el('button', { type: 'submit', id: 'search-button' }, 'Search')));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      const query = new URLSearchParams();
      new FormData(form).forEach((v, k) => { if (String(v).trim()) query.set(k, String(v).trim()); });
      location.hash = '#/events?' + query.toString();
    });
    view.replaceChildren(form, el('p', { class: 'muted' }, 'Searching...'));
    const query = new URLSearchParams(params);
    if (!query.has('order')) query.set('order', 'desc');
    try {
      const page = await api('events?' + query.toString());
      const next = new URLSearchParams(params);
      next.set('after', page.next);
      const first = new URLSearchParams(params);
      first.delete('after');
      view.replaceChildren(form,
        el('p', { id: 'total' }, page.total + ' matching event' + (page.total === 1 ? '' : 's')),
        eventTable(page.events),
        el('p', {}, params.has('after') ? el('a', { href: '#/events?' + first.toString(), id: 'first-page' },
          'First page') : '', ' ', page.next !== null ? el('a', { href: '#/events?' + next.toString(),
          id: 'next-page' }, 'Next page') : ''));
    } catch (e) {
      view.replaceChildren(form, el('p', { class: 'error', id: 'search-error' }, e.message));
    }
  }

  async function eventPage(position) {
    const e = await api('events/' + encodeURIComponent(position));
    const links = e.links;
    const fields = [
      ['Position', String(e.position)], ['Event type', e.eventType + ' (v' + e.eventVersion + ')'],
      ['Aggregate', [e.aggregateType + ' / ', streamLink(e.aggregateType, e.aggregateId), ' version ' + e.version]],
      ['Topic', e.topic || '-'], ['Created', e.createdAt], ['Event id', e.eventId],
      ['Trace id', e.traceId || '-'],
      ['Correlation id', e.correlationId ? [e.correlationId, ' ', searchLink({ correlationId: e.correlationId,
        order: 'asc' }, 'all ' + links.correlated + ' correlated events')] : '-'],
      ['Causation id', e.causationId ? [e.causationId, ' ', links.causedBy != null
        ? el('span', {}, 'caused by event ', eventLink(links.causedBy)) : ''] : '-'],
      ['Caused', links.caused.length ? links.caused.map(p => [eventLink(p), ' ']) : '-']
    ];
    view.replaceChildren(el('h2', {}, 'Event ' + e.position),
      el('dl', { class: 'fields', id: 'event-fields' }, fields.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      ...(e.hidden ? [el('p', { class: 'muted', id: 'payload-hidden' }, 'Payload and metadata are hidden from viewers.')]
        : [el('h3', {}, 'Payload (' + e.payload.format + ', ' + e.payload.bytes + ' bytes)'),
          el('pre', { id: 'payload' }, e.payload.text), el('h3', {}, 'Metadata'),
          el('pre', { id: 'metadata' }, e.metadata)]));
  }

  async function streamPage(type, id) {
    const s = await api('streams/' + encodeURIComponent(type) + '/' + encodeURIComponent(id));
    view.replaceChildren(el('h2', {}, s.aggregateType + ' / ' + s.aggregateId + ' (version ' + s.version + ')'),
      eventTable(s.events));
  }

  function ms(value) {
    return value < 1000 ? value + ' ms' : (value / 1000).toFixed(1) + ' s';
  }

  async function act(name, verb, segment) {
    const target = name + (segment == null ? '' : ' segment ' + segment);
    if (!window.confirm(verb.charAt(0).toUpperCase() + verb.slice(1) + ' ' + target + '?'
        + (verb === 'rebuild' ? '\nThe read model is cleared and every event replayed.' : ''))) {
      return;
    }
    try {
      await action('projections/' + encodeURIComponent(name) + '/' + verb
        + (segment == null ? '' : '?segment=' + segment));
    } catch (e) {
      showError(verb + ' ' + target + ': ' + e.message);
    }
    route();
  }

  function buttons(name, state, segment) {
    if (!me.operator) return '';
    const verbs = state === 'PARKED' ? ['unpark'] : state === 'PAUSED' ? ['resume'] : ['pause'];
    if (segment == null) verbs.push('rebuild');
    return verbs.map(verb => el('button', { type: 'button', class: verb === 'rebuild' ? 'danger' : '',
      'data-action': verb, 'data-projection': name, onclick: () => act(name, verb, segment) }, verb));
  }

  function statusRow(p, segment) {
    return el('tr', { 'data-projection': p.name, 'data-segment': segment == null ? null : segment },
      el('td', {}, segment == null ? p.name : '\u2003segment ' + segment),
      el('td', { class: 'state-' + p.state }, p.state), el('td', { class: 'num' }, String(p.lastPosition)),
      el('td', { class: 'num' }, String(p.lagEvents)), el('td', { class: 'num' }, ms(p.lagMillis)),
      el('td', {}, p.leaseOwner || '-'),
      el('td', {}, p.lastError || '', p.failedPosition != null ? [' at event ', eventLink(p.failedPosition)] : ''),
      el('td', {}, buttons(p.name, p.state, segment)));
  }

  async function projectionsPage() {
    const list = await api('projections');
    const rows = [];
    list.forEach(p => {
      rows.push(statusRow(p, null));
      if (p.segments.length > 1) p.segments.forEach(s => rows.push(statusRow(Object.assign({ name: p.name }, s),
        s.segment)));
    });
    view.replaceChildren(el('h2', {}, 'Projections'),
      el('p', { class: 'muted' }, 'Refreshes every 5 seconds.', list.some(p => p.horizonHolder)
        ? ' Held back by ' + list.find(p => p.horizonHolder).horizonHolder + '.' : ''),
      el('table', { id: 'projections' }, el('thead', {}, el('tr', {}, ['Projection', 'State', 'Position',
        'Lag (events)', 'Lag (time)', 'Lease owner', 'Last error', ''].map(h => el('th', {}, h)))),
        el('tbody', {}, rows)));
    refreshTimer = setTimeout(route, 5000);
  }

  async function overviewPage() {
    const o = await api('overview');
    const max = Math.max(1, ...o.appendsPerMinute.map(m => m.events));
    view.replaceChildren(el('h2', {}, 'Overview'),
      el('dl', { class: 'fields', id: 'overview' }, el('dt', {}, 'Events'), el('dd', { id: 'event-count' },
        String(o.events)), el('dt', {}, 'Latest position'), el('dd', {}, String(o.latestPosition)),
        el('dt', {}, 'Last hour'), el('dd', {}, String(o.appendsPerMinute.reduce((a, m) => a + m.events, 0))
          + ' events')),
      el('h3', {}, 'Appends per minute, last hour (by created-at)'),
      el('div', { class: 'bars' }, o.appendsPerMinute.map(m => el('div', { title: m.minute + ': ' + m.events,
        style: 'height:' + Math.round(100 * m.events / max) + '%' }))),
      el('h3', {}, 'Largest streams'),
      el('table', {}, el('thead', {}, el('tr', {}, ['Aggregate type', 'Id', 'Version'].map(h => el('th', {}, h)))),
        el('tbody', {}, o.largestStreams.map(s => el('tr', {}, el('td', {}, s.aggregateType),
          el('td', {}, streamLink(s.aggregateType, s.aggregateId)), el('td', { class: 'num' }, String(s.version)))))));
  }

  async function route() {
    clearTimeout(refreshTimer);
    const hash = location.hash || '#/events';
    const [path, query] = hash.substring(1).split('?');
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active',
      a.id === 'nav-' + (parts[0] === 'event' || parts[0] === 'stream' ? 'events' : parts[0])));
    try {
      if (parts[0] === 'event') await eventPage(parts[1]);
      else if (parts[0] === 'stream') await streamPage(parts[1], parts.slice(2).join('/'));
      else if (parts[0] === 'projections') await projectionsPage();
      else if (parts[0] === 'overview') await overviewPage();
      else await eventsPage(new URLSearchParams(query || ''));
    } catch (e) {
      view.replaceChildren(el('p', { class: 'error', id: 'page-error' }, e.message));
    }
  }

  async function start() {
    try {
      me = await api('me');
      document.getElementById('me').textContent = me.user + (me.operator ? ' (operator)' : ' (viewer)');
    } catch (e) {
      showError('Not signed in: ' + e.message);
    }
    window.addEventListener('hashchange', route);
    route();
  }

  start();
}());
