// The procesmanager's overview: per family only the process (organisations involved, goals by
// status, overdue deadlines, open escalations), never the content of a goal or action.

import {api} from './api.js';
import {deadlineCell, errorBox, h, show, statusName} from './ui.js';

export async function render(main) {
  show(main, h('h1', {}, 'Overzicht gezinnen'), h('p', {class: 'laden'}, 'Laden…'));
  let data;
  try {
    data = await api.get('/v1/oversight');
  } catch (err) {
    show(main, h('h1', {}, 'Overzicht gezinnen'), errorBox(err));
    return;
  }
  const families = data.families ?? [];
  show(main,
      h('h1', {}, 'Overzicht gezinnen'),
      h('p', {class: 'inleiding'},
          'Overzicht op hoofdlijnen: wie is betrokken, hoe staan de doelen ervoor en wat is verlopen. ' +
          'De inhoud van plannen is hier bewust niet zichtbaar.'),
      families.length === 0 ? h('p', {}, 'Geen gezinnen onder uw overzicht.') :
        h('table', {class: 'tabel'},
            h('caption', {}, `${families.length} ${families.length === 1 ? 'gezin' : 'gezinnen'}`),
            h('thead', {}, h('tr', {},
                h('th', {scope: 'col'}, 'Gezin'),
                h('th', {scope: 'col'}, 'Gezinsmanager'),
                h('th', {scope: 'col'}, 'Betrokken organisaties'),
                h('th', {scope: 'col'}, 'Doelen naar status'),
                h('th', {scope: 'col', class: 'getal'}, 'Verlopen termijnen'),
                h('th', {scope: 'col', class: 'getal'}, 'Binnenkort'),
                h('th', {scope: 'col'}, 'Eerstvolgende termijn'))),
            h('tbody', {}, families.map((f) => h('tr', {'data-gezin': f.family_id},
                h('th', {scope: 'row'}, f.label ? f.label : h('code', {}, f.family_id)),
                h('td', {}, f.gezinsmanager
                    ? `${f.gezinsmanager.name} (${f.gezinsmanager.organisation})` : '—'),
                h('td', {}, f.coordination_ground ? orgList(f.organisations)
                    : h('span', {class: 'zacht'}, 'Geen afstemmingsbesluit: niet zichtbaar')),
                h('td', {}, f.coordination_ground ? goalCounts(f.goals_by_status) : '—'),
                h('td', {class: 'getal'}, f.overdue
                    ? h('span', {class: 'termijn-verlopen'}, `${f.overdue} verlopen`) : '0'),
                h('td', {class: 'getal'}, String(f.due_soon ?? 0)),
                h('td', {}, deadlineCell(f.next_due)))))));
}

function orgList(orgs) {
  if (!orgs) return '';
  if (typeof orgs === 'number') return String(orgs);
  return orgs.map((o) => (typeof o === 'string' ? o : o.name ?? o.organisation_id ?? o.id)).join(', ');
}

function goalCounts(goals) {
  if (!goals || typeof goals !== 'object') return '—';
  const entries = Object.entries(goals).filter(([, n]) => n > 0);
  if (entries.length === 0) return 'Geen doelen';
  return h('ul', {class: 'kaal'}, entries.map(([status, n]) => h('li', {}, `${statusName(status)}: ${n}`)));
}
