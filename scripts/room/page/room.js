// @ts-nocheck: a browser script; tsconfig checks the Node side (lib has no DOM), the browser test checks this.
// The dashboard page: no build step, no library, no CDN. Every learner-provided
// string goes into the page as textContent, never as HTML.
'use strict';

const secret = decodeURIComponent(location.hash.slice(1));
const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = String(text);
  return node;
}

const pad = (n) => String(n).padStart(2, '0');

function renderGrid(view) {
  const head = el('tr');
  head.append(el('th', 'learner', `${view.learners.length} learner${view.learners.length === 1 ? '' : 's'}`));
  for (const lesson of view.lessons) {
    const th = el('th', '', pad(lesson.number));
    th.title = lesson.title;
    head.append(th);
  }
  const rows = view.learners.map((learner) => {
    const tr = el('tr', learner.stuck ? 'stuck' : '');
    tr.dataset.learner = learner.name;
    tr.append(el('td', 'learner', learner.name));
    learner.cells.forEach((cell, i) => {
      const text = cell.state === 'done' ? '✓' : cell.state === 'started' ? `${cell.passed}/${cell.total}` : '·';
      const td = el('td', `cell ${cell.state}`, text);
      td.dataset.lesson = String(view.lessons[i].number);
      td.title = `${learner.name} · lesson ${view.lessons[i].number}: ${cell.state}`;
      tr.append(td);
    });
    return tr;
  });
  $('grid').replaceChildren(head, ...rows);
  $('empty').hidden = view.learners.length > 0;
}

function renderFailing(view) {
  const items = view.mostFailing.map((f) => {
    const li = el('li');
    li.append(el('span', 'count', f.learners), el('span', 'spec', f.test), el('span', 'where', `lesson ${pad(f.lesson)} · ${f.file}`));
    return li;
  });
  $('failing').replaceChildren(...(items.length > 0 ? items : [el('li', 'none-yet', 'No failing specs right now.')]));
}

function renderStuck(view) {
  const after = view.stuckAfterMinutes < 1 ? `${Math.round(view.stuckAfterMinutes * 60)} s` : `${Math.round(view.stuckAfterMinutes)} min`;
  $('stuck-title').textContent = `Stuck ${after}+ on one spec`;
  const items = view.stuck.map((s) => {
    const li = el('li');
    li.dataset.learner = s.name;
    li.append(el('span', 'count', `${s.minutes}′`), el('span', 'spec', s.name), el('span', 'where', `lesson ${pad(s.lesson)} · ${s.test}`));
    return li;
  });
  $('stuck').replaceChildren(...(items.length > 0 ? items : [el('li', 'none-yet', 'Nobody.')]));
}

function render(view) {
  $('code').textContent = view.code;
  if (view.ended) {
    $('status').textContent = 'this room has ended';
    $('status').className = 'status ended';
  } else {
    $('status').textContent = `live · ${new Date().toLocaleTimeString()}`;
    $('status').className = 'status';
  }
  renderGrid(view);
  renderFailing(view);
  renderStuck(view);
}

if (!secret) {
  $('status').textContent = 'open the address `npm run room -- start` printed: it ends in #<secret>';
  $('status').className = 'status offline';
} else {
  const events = new EventSource(`/events?key=${encodeURIComponent(secret)}`);
  events.addEventListener('room', (event) => render(JSON.parse(event.data)));
  events.addEventListener('error', () => {
    $('status').textContent = 'reconnecting…';
    $('status').className = 'status offline';
  });
}
