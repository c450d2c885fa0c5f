// My families: the gezinsmanager's own families with their next deadline and overdue count.
// A professional has no list (they see families through their own organisation's system) and can
// open a family by its id.

import {api, seg} from './api.js';
import {deadlineCell, errorBox, field, h, show} from './ui.js';

// Labels of the families listed this session, so the plan page can show its family's label: the
// plan itself carries only the random id.
const labels = new Map();

export async function familyLabel(ctx, familyId) {
  if (!labels.has(familyId) && ctx.user.role === 'gezinsmanager') {
    try {
      for (const f of (await api.get('/v1/me/families')).families ?? []) labels.set(f.family_id, f.label);
    } catch {
      // The label is a courtesy; the plan shows without it.
    }
  }
  return labels.get(familyId) ?? null;
}

export async function render(main, ctx) {
  if (ctx.user.role !== 'gezinsmanager') {
    renderOpenById(main, ctx);
    return;
  }
  show(main, h('h1', {}, 'Mijn gezinnen'), h('p', {class: 'laden'}, 'Gezinnen worden geladen…'));
  let data;
  try {
    data = await api.get('/v1/me/families');
  } catch (err) {
    show(main, h('h1', {}, 'Mijn gezinnen'), errorBox(err));
    return;
  }
  const families = data.families ?? [];
  for (const f of families) labels.set(f.family_id, f.label);
  show(main,
      h('h1', {}, 'Mijn gezinnen'),
      families.length === 0
          ? h('p', {}, 'U bent nog geen gezinsmanager van een gezin.')
          : h('table', {class: 'tabel'},
              h('caption', {}, `${families.length} ${families.length === 1 ? 'gezin' : 'gezinnen'} waarvan u gezinsmanager bent`),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Gezin'),
                  h('th', {scope: 'col'}, 'Gezinsleden'),
                  h('th', {scope: 'col', class: 'getal'}, 'Organisaties'),
                  h('th', {scope: 'col'}, 'Eerstvolgende termijn'),
                  h('th', {scope: 'col', class: 'getal'}, 'Verlopen'))),
              h('tbody', {}, families.map((f) => h('tr', {},
                  h('th', {scope: 'row'},
                      h('a', {href: `#/gezin/${seg(f.family_id)}`}, f.label || f.family_id)),
                  h('td', {}, (f.members ?? []).join(', ')),
                  h('td', {class: 'getal'}, String(f.organisations ?? 0)),
                  h('td', {}, deadlineCell(f.next_deadline)),
                  h('td', {class: 'getal'}, f.overdue
                      ? h('span', {class: 'termijn-verlopen'}, `${f.overdue} verlopen`)
                      : '0'))))));
}

function renderOpenById(main, ctx) {
  const id = h('input', {id: 'gezin-id', name: 'family', required: true, pattern: '[A-Za-z0-9_-]+',
    autocomplete: 'off', spellcheck: 'false'});
  show(main,
      h('h1', {}, 'Gezin openen'),
      h('p', {class: 'inleiding'},
          'U ziet de bijdragen van uw eigen organisatie, en wat het beleid u verder toestaat.'),
      h('form', {class: 'formulier smal', onsubmit: (event) => {
        event.preventDefault();
        if (event.target.reportValidity()) ctx.navigate(`#/gezin/${seg(id.value.trim())}`);
      }},
      field('Gezinsnummer', id, 'Het nummer dat begint met "fam-", uit uw eigen systeem.'),
      h('button', {type: 'submit', class: 'knop'}, 'Openen')));
}
