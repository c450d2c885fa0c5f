// Small DOM helpers shared by every page. Text is always set as text (never as HTML), so nothing a
// partner organisation sent can become markup or script in this page.

import {api} from './api.js';

// h('p', {class: 'x'}, 'text', child, [more]) -> an element. Attributes named on* take a function.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Replaces the page content and moves focus to its heading, so that keyboard and screen-reader
// users start at the top of the new page.
export function show(main, ...children) {
  clear(main);
  append(main, children);
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: false});
  }
}

export function announce(message) {
  const box = document.getElementById('meldingen');
  clear(box);
  if (message) box.append(h('p', {}, message));
}

// A problem+json answer as a sentence a person can act on.
export function errorMessage(err) {
  if (err?.status === 0) return 'De server is niet bereikbaar. Probeer het zo opnieuw.';
  if (err?.status === 403) return 'U heeft geen toegang tot deze gegevens.';
  if (err?.status === 404) return 'Niet gevonden.';
  if (err?.status === 429) return 'Te veel pogingen. Wacht even en probeer het opnieuw.';
  const p = err?.problem;
  if (p?.detail) return p.field ? `${p.detail} (veld: ${p.field})` : p.detail;
  if (p?.title) return p.title;
  return 'Er ging iets mis. Probeer het opnieuw.';
}

export function errorBox(err) {
  return h('div', {class: 'fout', role: 'alert'}, h('p', {}, errorMessage(err)));
}

const dateFormat = new Intl.DateTimeFormat('nl-NL', {day: 'numeric', month: 'long', year: 'numeric'});
const timeFormat = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

// "2026-03-12" or an RFC 3339 time -> "12 maart 2026"; "" for nothing.
export function formatDate(value) {
  if (!value) return '';
  const d = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(d.getTime()) ? value : dateFormat.format(d);
}

export function formatTime(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : timeFormat.format(d);
}

export function todayIso() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

export function daysFromToday(isoDate) {
  const day = Date.parse(`${isoDate.slice(0, 10)}T00:00:00Z`);
  const today = Date.parse(`${todayIso()}T00:00:00Z`);
  return Math.round((day - today) / 86400000);
}

// How urgent a deadline is, in words: colour alone never carries the meaning.
export function deadlineNote(isoDate) {
  if (!isoDate) return null;
  const days = daysFromToday(isoDate);
  if (days < 0) {
    return {state: 'verlopen', text: `Verlopen, ${-days} ${-days === 1 ? 'dag' : 'dagen'} geleden`};
  }
  if (days === 0) return {state: 'binnenkort', text: 'Vandaag'};
  if (days <= 14) return {state: 'binnenkort', text: `Over ${days} ${days === 1 ? 'dag' : 'dagen'}`};
  return {state: 'later', text: `Over ${days} dagen`};
}

// A due date with its urgency in words. `flag` is the server's "overdue" / "due_soon" for open
// items; without it (closed items) the date is shown plainly.
export function deadlineCell(isoDate, flag) {
  if (!isoDate) return h('span', {class: 'leeg'}, '—');
  const note = deadlineNote(isoDate);
  const state = flag === undefined ? note.state
      : ({overdue: 'verlopen', due_soon: 'binnenkort'})[flag] ?? 'later';
  return h('span', {class: `termijn termijn-${state}`},
      h('time', {datetime: isoDate}, formatDate(isoDate)),
      state === 'later' ? null : h('span', {class: 'termijn-tekst'}, ` (${note.text})`));
}

// The one vocabulary: ids with their Dutch names, from GET /v1/vocabulary (policy/vocabulary.hpp
// on the server), with the life domains, roles and purposes of the policy in force. No page keeps
// a copy. Loaded when a person is signed in; before that, and for a name the policy added itself,
// an id is shown as itself.
const words = {
  domains: [], roles: [], purposes: [], categories: [], kinds: [], statuses: [],
  consent_statuses: [], levels: [], legal_bases: [], reasons: [],
};
const names = new Map(Object.keys(words).map((key) => [key, new Map()]));
let rules = {};

export async function loadVocabulary() {
  const v = await api.get('/v1/vocabulary');
  for (const key of Object.keys(words)) {
    words[key] = v?.[key] ?? [];
    names.set(key, new Map(words[key].map((w) => [w.id, w.name])));
  }
  rules = v?.consent ?? {};
}

// The consent settings of the policy in force: who signs from which age, the longest validity.
export const consentRules = () => rules;

const nameIn = (key) => (id) => names.get(key).get(id) ?? id;
export const domainName = nameIn('domains');
export const kindName = nameIn('kinds');
export const roleName = nameIn('roles');
export const categoryName = nameIn('categories');
export const purposeName = nameIn('purposes');
export const statusName = (id) => (id ? nameIn('statuses')(id) : '');
export const consentStatusName = nameIn('consent_statuses');
export const levelName = nameIn('levels');
export const basisName = nameIn('legal_bases');
// [id, name] pairs in display order, for a list of choices.
export const choices = (key) => words[key].map((w) => [w.id, w.name]);

// A heading for each kind of reason the policy engine gives (policy/decision.hpp: reason_code),
// so that a list of reasons reads as "what is missing: the engine's sentence — what to do".
export const reasonHeading = (code) => names.get('reasons').get(code) ?? 'Niet toegestaan door het beleid';

// Reasons a person can act on first (consent, then grounds); "only in an emergency" last.
export function reasonOrder(code) {
  const heading = reasonHeading(code);
  if (/toestemming|Handtekening/i.test(heading)) return 0;
  if (/Afstemmingsgrond/.test(heading)) return 1;
  if (code === 'no_break_glass' || code === 'break_glass_expired') return 3;
  return 2;
}

// The engine's sentence, with what to do after " — " (the engine usually includes it already).
export function reasonText(r) {
  const message = r.message ?? '';
  if (!r.action || message.includes(r.action)) return message;
  return `${message} — ${r.action}`;
}

export function field(label, input, help) {
  const id = input.id || `veld-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const helpId = help ? `${id}-uitleg` : null;
  if (helpId) input.setAttribute('aria-describedby', helpId);
  return h('div', {class: 'veld'},
      h('label', {for: id}, label),
      help ? h('p', {class: 'uitleg', id: helpId}, help) : null,
      input);
}

export function link(href, text, attrs = {}) {
  return h('a', {href, ...attrs}, text);
}
