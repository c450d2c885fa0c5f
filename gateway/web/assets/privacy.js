// The privacy officer's pages: audit search, the break-the-glass review queue and the active policy
// with validation and simulation. None of these shows case content.

import {api, seg} from './api.js';
import {announce, basisName, categoryName, domainName, errorBox, errorMessage, field, formatTime, h,
  kindName, levelName, purposeName, roleName, show} from './ui.js';

// ---- audit search ----

export function renderAudit(main) {
  const input = (id, name, attrs = {}) => h('input', {id, name, autocomplete: 'off', ...attrs});
  const family = input('audit-gezin', 'family_id', {pattern: '[A-Za-z0-9_-]*'});
  const user = input('audit-gebruiker', 'actor_user');
  const org = input('audit-organisatie', 'actor_org');
  const action = input('audit-actie', 'action', {placeholder: 'bijv. plan.view'});
  const from = input('audit-van', 'from', {type: 'date'});
  const until = input('audit-tot', 'until', {type: 'date'});
  const results = h('div', {id: 'audit-resultaten', 'aria-live': 'polite'});

  const form = h('form', {class: 'formulier', role: 'search'},
      h('div', {class: 'naast-elkaar'},
          field('Gezinsnummer', family), field('Gebruiker', user), field('Organisatie', org)),
      h('div', {class: 'naast-elkaar'},
          field('Handeling', action), field('Vanaf', from), field('Tot', until)),
      h('div', {class: 'knoppen'}, h('button', {type: 'submit', class: 'knop'}, 'Zoeken')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const el of [family, user, org, action]) if (el.value.trim()) query.set(el.name, el.value.trim());
    if (from.value) query.set('from', `${from.value}T00:00:00Z`);
    if (until.value) query.set('until', `${until.value}T00:00:00Z`);
    query.set('limit', '100');
    results.replaceChildren(h('p', {class: 'laden'}, 'Zoeken…'));
    try {
      const data = await api.get(`/v1/audit?${query}`);
      results.replaceChildren(auditTable(data.entries ?? []));
    } catch (err) {
      results.replaceChildren(errorBox(err));
    }
  });

  show(main, h('h1', {}, 'Auditlog doorzoeken'),
      h('p', {class: 'inleiding'},
          'Wie heeft wanneer welke gegevens bekeken of gewijzigd, en op welke grondslag. ' +
          'Gebruik dit ook voor een inzageverzoek van een burger.'),
      form, results);
}

function auditTable(entries) {
  if (entries.length === 0) return h('p', {}, 'Geen vermeldingen gevonden.');
  return h('table', {class: 'tabel'},
      h('caption', {}, `${entries.length} vermeldingen, nieuwste eerst`),
      h('thead', {}, h('tr', {},
          ['Nr.', 'Tijd', 'Wie', 'Handeling', 'Gezin', 'Doel', 'Grondslag', 'Uitkomst']
              .map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, entries.map((e) => h('tr', {class: e.break_glass ? 'rij-doorbraak' : null},
          h('td', {class: 'getal'}, String(e.seq ?? '')),
          h('td', {}, formatTime(e.time)),
          h('td', {}, [e.actor_user, e.actor_org].filter(Boolean).join(' @ ')),
          h('td', {}, e.action, e.break_glass ? h('strong', {}, ' (doorbraak)') : null),
          h('td', {}, e.family_id ?? ''),
          h('td', {}, e.purpose ? purposeName(e.purpose) : ''),
          h('td', {}, (e.legal_basis ?? '').split(',').filter(Boolean).map(basisName).join(', ')),
          h('td', {}, outcomeText(e.outcome))))));
}

function outcomeText(outcome) {
  if (!outcome) return '';
  if (typeof outcome === 'string') return outcome;
  return [outcome.result ?? outcome.kind, outcome.code].filter(Boolean).join(': ');
}

// ---- break-the-glass review queue ----

export async function renderReviews(main, ctx) {
  show(main, h('h1', {}, 'Doorbrekingen beoordelen'), h('p', {class: 'laden'}, 'Laden…'));
  let data;
  try {
    data = await api.get('/v1/break-glass?state=pending');
  } catch (err) {
    show(main, h('h1', {}, 'Doorbrekingen beoordelen'), errorBox(err));
    return;
  }
  const list = data.grants ?? [];
  show(main, h('h1', {}, 'Doorbrekingen beoordelen'),
      h('p', {class: 'inleiding'},
          'Elke doorbraak wordt achteraf beoordeeld: was de noodsituatie de inzage waard?'),
      list.length === 0 ? h('p', {}, 'Er wachten geen doorbrekingen op beoordeling.') :
        h('ul', {class: 'kaarten'}, list.map((b) => reviewCard(b, () => renderReviews(main, ctx)))));
}

function reviewCard(b, reload) {
  const id = b.grant_id;
  const note = h('textarea', {id: `beoordeling-${id}`, rows: '2', maxlength: '1000'});
  const problem = h('div', {class: 'fout', role: 'alert', hidden: true});
  const decide = (outcome) => async () => {
    problem.hidden = true;
    try {
      await api.post(`/v1/break-glass/${seg(id)}/review`, {outcome, note: note.value.trim()});
      announce('De beoordeling is vastgelegd.');
      await reload();
    } catch (err) {
      problem.textContent = errorMessage(err);
      problem.hidden = false;
    }
  };
  return h('li', {class: 'kaart'},
      h('h2', {}, `Doorbraak bij gezin ${b.family_id}`),
      h('dl', {class: 'gegevens'},
          h('dt', {}, 'Door'), h('dd', {}, [b.user, b.organisation].filter(Boolean).join(' @ ')),
          h('dt', {}, 'Status'), h('dd', {}, b.active ? 'nog actief' : 'afgelopen'),
          h('dt', {}, 'Van'), h('dd', {}, formatTime(b.started_at)),
          h('dt', {}, 'Tot'), h('dd', {}, formatTime(b.expires_at)),
          h('dt', {}, 'Reden'), h('dd', {class: 'tekst'}, b.justification ?? '')),
      field('Toelichting bij uw oordeel', note),
      problem,
      h('div', {class: 'knoppen'},
          h('button', {type: 'button', class: 'knop', onclick: decide('justified')}, 'Terecht'),
          h('button', {type: 'button', class: 'knop knop-gevaar', onclick: decide('unjustified')},
              'Niet terecht')));
}

// ---- policy: read, check, simulate, activate ----

export async function renderPolicy(main) {
  show(main, h('h1', {}, 'Deelbeleid'), h('p', {class: 'laden'}, 'Laden…'));
  let policy;
  try {
    policy = await api.get('/v1/policy');
  } catch (err) {
    show(main, h('h1', {}, 'Deelbeleid'), errorBox(err));
    return;
  }
  const text = h('textarea', {id: 'beleid-tekst', class: 'code', rows: '24', spellcheck: 'false'});
  text.value = policy.text ?? '';
  const scenario = h('textarea', {id: 'beleid-scenario', class: 'code', rows: '10', spellcheck: 'false',
    placeholder: '# Een scenario in TOML: een verzoeker, een gezin en records (zie deploy/scenario.example.toml)'});
  const checkOut = h('div', {'aria-live': 'polite'});
  const simulateOut = h('div', {'aria-live': 'polite'});

  const check = async () => {
    checkOut.replaceChildren(h('p', {class: 'laden'}, 'Controleren…'));
    try {
      checkOut.replaceChildren(diagnostics(await api.postText('/v1/policy/check', text.value)));
    } catch (err) {
      checkOut.replaceChildren(err.problem ? diagnostics(err.problem) : errorBox(err));
    }
  };
  const simulate = async () => {
    simulateOut.replaceChildren(h('p', {class: 'laden'}, 'Simuleren…'));
    try {
      // Focusable, so a keyboard can scroll the result.
      simulateOut.replaceChildren(h('pre', {class: 'code', tabindex: '0', 'aria-label': 'Uitkomst van de simulatie'},
          // The text in the editor, as it would decide: what an officer checks before activating.
          JSON.stringify(await api.post('/v1/policy/simulate',
              {scenario: scenario.value, policy: text.value}), null, 2)));
    } catch (err) {
      simulateOut.replaceChildren(err.problem?.diagnostics ? diagnostics(err.problem) : errorBox(err));
    }
  };
  // Activating is two steps: first what the text grants that the policy in force does not (the
  // complete diff of POST /v1/policy/diff), then an explicit confirmation.
  const diffOut = h('div', {'aria-live': 'polite'});
  const confirmActivate = async () => {
    try {
      const result = await api.putText('/v1/policy', text.value);
      announce(`Beleid geactiveerd (versie ${String(result?.version ?? '').slice(0, 12)}).`);
      await renderPolicy(main);
    } catch (err) {
      diffOut.replaceChildren();
      checkOut.replaceChildren(err.problem?.diagnostics ? diagnostics(err.problem) : errorBox(err));
    }
  };
  const activate = async () => {
    checkOut.replaceChildren();
    diffOut.replaceChildren(h('p', {class: 'laden'}, 'Verschil met het actieve beleid berekenen…'));
    try {
      const d = await api.post('/v1/policy/diff', {policy: text.value});
      diffOut.replaceChildren(policyDiff(d, confirmActivate, () => diffOut.replaceChildren()));
      diffOut.querySelector('h2')?.focus();
    } catch (err) {
      diffOut.replaceChildren();
      checkOut.replaceChildren(err.problem?.diagnostics ? diagnostics(err.problem) : errorBox(err));
    }
  };

  show(main, h('h1', {}, 'Deelbeleid'),
      h('p', {class: 'inleiding'}, `Actieve versie: `, h('code', {}, String(policy.version ?? '').slice(0, 16))),
      policySummary(policy),
      h('section', {'aria-labelledby': 'kop-bewerken'},
          h('h2', {id: 'kop-bewerken'}, 'Beleid controleren en activeren'),
          field('Beleidstekst (TOML)', text),
          h('div', {class: 'knoppen'},
              h('button', {type: 'button', class: 'knop knop-licht', onclick: check}, 'Controleren'),
              h('button', {type: 'button', class: 'knop', onclick: activate}, 'Activeren')),
          checkOut, diffOut),
      h('section', {'aria-labelledby': 'kop-simuleren'},
          h('h2', {id: 'kop-simuleren'}, 'Simuleren: wat zou deze persoon zien?'),
          field('Scenario (TOML)', scenario),
          h('div', {class: 'knoppen'},
              h('button', {type: 'button', class: 'knop knop-licht', onclick: simulate}, 'Simuleren')),
          simulateOut));
}

// The diff of a new text against the policy in force, grouped as the CLI prints it, with the
// confirmation. Each line is a group of requests, in Dutch from its `where` (the value ids per
// axis, policy/diff.hpp), then old → new level.
const diffShown = 50;
const other = (text) => (id) => (id === '*' ? text : id);
const consentWords = (id) => {
  const [kind, band] = id.split(':');
  return {
    none: 'geen toestemming',
    subject: 'toestemming van het gezinslid zelf',
    gezag: 'toestemming van een ouder met gezag',
    separately: 'toestemming van het gezinslid en, apart, van een ouder met gezag',
    both: 'toestemming van het gezinslid én een ouder met gezag',
    all: 'gezinstoestemming van ieder gezinslid',
    unsigned: `gezinstoestemming zonder handtekening van een gezinslid van ${band} jaar`,
  }[kind] ?? id;
};
// Per axis: how one value reads, what the whole axis is called, and a word before the values.
const axisWords = {
  role: {value: roleName, every: 'elke rol'},
  purpose: {prefix: 'doel ', value: purposeName, every: 'elk doel'},
  sector: {prefix: 'sector ', value: other('die geen van beide noemt'), every: 'elke sector'},
  organisation: {prefix: 'bij ', value: other('een organisatie die geen van beide noemt'), every: 'elke organisatie'},
  own_gezinsmanager: {value: (id) => (id === 'yes' ? 'de eigen gezinsmanager van het gezin' : 'niet de gezinsmanager van het gezin')},
  source_organisation: {prefix: 'gegevens van ', value: (id) => ({'=': 'de eigen organisatie', '*': 'een andere organisatie'}[id] ?? id), every: 'elke organisatie'},
  source_sector: {prefix: 'uit sector ', value: other('die geen van beide noemt'), every: 'elke sector'},
  source_secrecy: {value: (id) => (id === 'yes' ? 'met beroepsgeheim' : 'zonder beroepsgeheim')},
  domain: {value: domainName, every: 'elk leefgebied'},
  category: {value: (id) => categoryName(id).toLowerCase()},
  kind: {prefix: 'soort ', value: kindName, every: 'elke soort'},
  subject: {value: (id) => {
    const [kind, band] = id.split(':');
    return kind === 'family' ? `het hele gezin (oudste ${band} jaar)` : `een gezinslid van ${band} jaar`;
  }},
  consent: {value: consentWords},
  older_consent: {prefix: 'oudere toestemming: ', value: consentWords},
  ground: {value: (id) => ({'in-force': 'afstemmingsbesluit van kracht', 'none': 'geen afstemmingsbesluit', 'not-started': 'afstemmingsbesluit gaat later in'}[id] ?? id)},
  break_glass: {value: (id) => ({none: 'geen doorbraak', active: 'doorbraak actief', older: 'doorbraak langer geleden gestart'}[id] ?? id)},
};

export function cubeText(cube, axes) {
  const parts = Object.entries(cube.where ?? {}).map(([axis, ids]) => {
    const words = axisWords[axis] ?? {};
    const value = words.value ?? String;
    const all = axes?.[axis] ?? [];
    if (words.every && all.length > 3 && ids.length > all.length / 2) {
      return `${words.every} behalve ${words.prefix ?? ''}${all.filter((id) => !ids.includes(id)).map(value).join(', ')}`;
    }
    return `${words.prefix ?? ''}${ids.map(value).join(' of ')}`;
  });
  const where = parts.length ? parts.join(' · ') : 'elk verzoek';
  const level = (id) => levelName(id).toLowerCase();
  if (cube.old_level !== cube.new_level) return `${where}: ${level(cube.old_level)} → ${level(cube.new_level)}`;
  return `${where}: ${level(cube.old_level)}, ${(cube.old_reasons ?? []).join('; ')} → ${(cube.new_reasons ?? []).join('; ')}`;
}

function policyDiff(d, onConfirm, onCancel) {
  const group = (title, cubes) => {
    const list = cubes ?? [];
    const items = list.slice(0, diffShown).map((c) => h('li', {}, cubeText(c, d.axes)));
    if (list.length > diffShown) items.push(h('li', {}, `en nog ${list.length - diffShown} meer (zie sluis policy diff)`));
    return h('section', {class: 'verschil'},
        h('h3', {}, `${title} (${list.length})`),
        list.length === 0 ? h('p', {}, 'Geen.') : h('ul', {}, ...items));
  };
  const body = d.equal
    ? [h('p', {class: 'goed'}, 'Dit beleid beslist in elk geval hetzelfde als het actieve beleid: zelfde niveau, grondslag en uitleg.')]
    : [settingsChanged(d.settings ?? []), group('Meer zichtbaar', d.added),
      group('Minder zichtbaar', d.removed),
      group('Zelfde niveau, andere grondslag of uitleg', d.reasons_changed)];
  return h('section', {'aria-labelledby': 'kop-verschil', class: 'kaart'},
      h('h2', {id: 'kop-verschil', tabindex: '-1'}, 'Wat verandert er ten opzichte van het actieve beleid?'),
      ...body,
      h('p', {}, 'Het nieuwe beleid geldt direct voor elke volgende beslissing.'),
      h('div', {class: 'knoppen'},
          h('button', {type: 'button', class: 'knop', onclick: onConfirm}, 'Bevestigen en activeren'),
          h('button', {type: 'button', class: 'knop knop-licht', onclick: onCancel}, 'Annuleren')));
}

function settingsChanged(settings) {
  if (settings.length === 0) return null;
  return h('section', {class: 'verschil'},
      h('h3', {}, `Gewijzigde instellingen (${settings.length})`),
      h('ul', {}, ...settings.map((c) => h('li', {}, h('code', {}, `${c.setting}: ${c.old} → ${c.new}`)))));
}

// GET /v1/policy gives the number of rules and the highest level any permit grants; the rules
// themselves are in the text below.
export function policySummary(policy) {
  const rules = Number(policy.rules ?? 0);
  return h('p', {}, `${rules} ${rules === 1 ? 'regel' : 'regels'}; hoogste zichtbaarheid die een regel toestaat: `,
      h('code', {}, String(policy.highest_level ?? '')), '.');
}

function diagnostics(result) {
  const list = result?.diagnostics ?? result?.errors ?? [];
  if (list.length === 0) return h('p', {class: 'goed'}, 'Geen fouten gevonden.');
  return h('ul', {class: 'fout'}, list.map((d) => h('li', {},
      typeof d === 'string' ? d : `regel ${d.line}:${d.column}: ${d.message}${d.hint ? ` (tip: ${d.hint})` : ''}`)));
}
