// The family plan: one page with everything the person asking may see of one family, and an honest
// account of what is hidden and why. The server has already applied the policy: this page only
// shows what it was sent, and never guesses at what it was not.

import {api, seg} from './api.js';
import {
  announce, categoryName, consentStatusName, deadlineCell, deadlineNote, domainName, errorBox,
  formatDate, formatTime, h, kindName, reasonHeading, reasonOrder, reasonText, show, statusName,
} from './ui.js';
import {withdrawButton} from './toestemming.js';
import {familyLabel} from './gezinnen.js';

// The lists of a domain section, in the order the plan shows them.
const lists = ['goals', 'actions', 'deadlines', 'evaluations', 'notes', 'involvements'];
const itemsOf = (d) => lists.flatMap((name) => d[name] ?? []);

export async function render(main, ctx, familyId) {
  show(main, h('h1', {}, 'Gezinsplan'), h('p', {class: 'laden'}, 'Het plan wordt geladen…'));
  let plan;
  let label;
  try {
    [plan, label] = await Promise.all([
      api.get(`/v1/plans/${seg(familyId)}`),
      familyLabel(ctx, familyId),
    ]);
  } catch (err) {
    show(main, h('h1', {}, 'Gezinsplan'), errorBox(err));
    return;
  }
  const reload = () => render(main, ctx, familyId);
  show(main, ...planView(plan, label, ctx, familyId, reload));
}

function planView(plan, label, ctx, familyId, reload) {
  const orgs = new Map((plan.organisations ?? []).map((o) => [o.id, o]));
  const domains = (plan.domains ?? []).filter((d) => itemsOf(d).length || d.hidden?.count);
  const items = domains.flatMap(itemsOf);
  const isManager = plan.own_gezinsmanager === true;
  return [
    h('div', {class: 'paginakop'},
        h('h1', {}, label ? `Gezinsplan ${label}` : 'Gezinsplan'),
        h('p', {class: 'ondertitel'},
            plan.gezinsmanager?.name
                ? `Gezinsmanager: ${plan.gezinsmanager.name}` +
                  (orgs.get(plan.gezinsmanager.organisation)?.name
                      ? ` (${orgs.get(plan.gezinsmanager.organisation).name})` : '')
                : null,
            plan.policy_version
                ? h('span', {class: 'beleid'}, ` · beleidsversie ${String(plan.policy_version).slice(0, 12)}`)
                : null),
        h('ul', {class: 'acties'},
            isManager ? h('li', {}, h('a', {class: 'knop', href: `#/gezin/${seg(familyId)}/toestemming`},
                'Toestemming vastleggen')) : null,
            h('li', {}, h('a', {class: 'knop knop-licht', href: `#/gezin/${seg(familyId)}/doorbreking`},
                'Noodsituatie: doorbreken')))),
    plan.totals?.flagged
        ? h('div', {class: 'waarschuwing', role: 'note'},
            h('p', {}, `U ziet ${plan.totals.flagged} ${plan.totals.flagged === 1 ? 'onderdeel' : 'onderdelen'} ` +
                'dankzij een doorbraak (noodsituatie). Dit wordt achteraf beoordeeld door de privacyfunctionaris.'))
        : null,
    summary(plan.totals),
    overview(domains),
    deadlines(items, orgs),
    h('section', {'aria-labelledby': 'kop-doelen'},
        h('h2', {id: 'kop-doelen'}, 'Doelen en acties per leefgebied'),
        domains.length === 0 ? h('p', {}, 'Er is nog niets gedeeld over dit gezin.') : null,
        domains.map((d) => domainSection(d, orgs))),
    organisations(plan.organisations ?? []),
    members(plan.members ?? [], plan.family_consent, familyId, isManager, reload, orgs),
    plan.generated_at ? h('p', {class: 'klein'}, `Samengesteld op ${formatTime(plan.generated_at)}.`) : null,
  ];
}

const hiddenCount = (d) => d.hidden?.count ?? 0;

function summary(totals) {
  if (!totals) return null;
  const parts = [`${totals.shown} zichtbaar`];
  if (totals.hidden) parts.push(`${totals.hidden} verborgen`);
  if (totals.overdue) parts.push(`${totals.overdue} termijn${totals.overdue === 1 ? '' : 'en'} verlopen`);
  if (totals.due_soon) parts.push(`${totals.due_soon} binnenkort`);
  return h('p', {class: 'samenvatting'}, parts.join(' · '),
      totals.next_due ? ` · eerstvolgende termijn ${formatDate(totals.next_due)}` : '');
}

function overview(domains) {
  if (domains.length === 0) return null;
  return h('section', {'aria-labelledby': 'kop-overzicht'},
      h('h2', {id: 'kop-overzicht'}, 'Leefgebieden'),
      h('ul', {class: 'leefgebieden'}, domains.map((d) => {
        const list = itemsOf(d);
        const shown = list.length;
        const hidden = hiddenCount(d);
        const overdue = list.filter((i) => i.due === 'overdue').length;
        return h('li', {class: 'leefgebied'},
            h('a', {href: `#kop-domein-${d.id}`, 'data-domein': d.id,
              onclick: (event) => jumpTo(event, `kop-domein-${d.id}`)}, d.name ?? domainName(d.id)),
            h('span', {class: 'telling'}, `${shown} zichtbaar`),
            hidden ? h('span', {class: 'telling verborgen-telling'}, `${hidden} verborgen`) : null,
            overdue ? h('span', {class: 'telling termijn-verlopen'}, `${overdue} verlopen`) : null);
      })));
}

// In-page links must not change the hash: the hash is the route.
function jumpTo(event, id) {
  event.preventDefault();
  const target = document.getElementById(id);
  if (!target) return;
  target.setAttribute('tabindex', '-1');
  target.focus();
  target.scrollIntoView({block: 'start'});
}

const dueOf = (item) => item.due_date ?? null;

// Open items with a due date (the server flags overdue and due-soon ones), earliest first.
function deadlines(items, orgs) {
  const dated = items.filter((i) => i.due || (dueOf(i) && deadlineNote(dueOf(i)).state === 'later'))
      .filter((i) => !i.withdrawn)
      .sort((a, b) => dueOf(a).localeCompare(dueOf(b)));
  return h('section', {'aria-labelledby': 'kop-termijnen'},
      h('h2', {id: 'kop-termijnen'}, 'Termijnen'),
      dated.length === 0
          ? h('p', {}, 'Geen openstaande termijnen in wat u mag zien.')
          : h('table', {class: 'tabel'},
              h('caption', {class: 'verborgen-tekst'}, 'Openstaande termijnen, de eerste bovenaan'),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Datum'),
                  h('th', {scope: 'col'}, 'Wat'),
                  h('th', {scope: 'col'}, 'Leefgebied'),
                  h('th', {scope: 'col'}, 'Organisatie'))),
              h('tbody', {}, dated.map((i) => h('tr', {class: `rij-${dueState(i)}`},
                  h('td', {}, deadlineCell(dueOf(i), i.due)),
                  h('td', {}, itemTitle(i)),
                  h('td', {}, domainName(i.domain)),
                  h('td', {}, orgName(i, orgs)))))));
}

const dueState = (i) => ({overdue: 'verlopen', due_soon: 'binnenkort'})[i.due] ?? 'later';

function itemTitle(i) {
  if (i.title) return i.title;
  return h('span', {class: 'zonder-tekst'}, `${kindName(i.kind)} (${statusName(i.status) || 'geen status'})`);
}

const orgName = (i, orgs) => orgs.get(i.source_organisation)?.name ?? i.source_organisation ?? '';

function domainSection(d, orgs) {
  const list = itemsOf(d);
  const hidden = hiddenCount(d);
  return h('section', {class: 'domein', 'aria-labelledby': `kop-domein-${d.id}`, 'data-domein': d.id},
      h('h3', {id: `kop-domein-${d.id}`}, d.name ?? domainName(d.id)),
      list.length === 0
          ? h('p', {class: 'klein'}, hidden ? 'Niets zichtbaar in dit leefgebied.' : 'Niets gedeeld.')
          : h('table', {class: 'tabel'},
              h('caption', {class: 'verborgen-tekst'}, `Doelen en acties: ${d.name ?? domainName(d.id)}`),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Soort'),
                  h('th', {scope: 'col'}, 'Omschrijving'),
                  h('th', {scope: 'col'}, 'Status'),
                  h('th', {scope: 'col'}, 'Eigenaar'),
                  h('th', {scope: 'col'}, 'Termijn'),
                  h('th', {scope: 'col'}, 'Bron'))),
              h('tbody', {}, list.map((i) => h('tr', {'data-item': i.id, 'data-niveau': i.level},
                  h('td', {}, kindName(i.kind)),
                  h('td', {},
                      h('div', {class: 'titel'}, itemTitle(i)),
                      i.body ? h('p', {class: 'tekst'}, i.body) : null,
                      i.subject ? h('p', {class: 'klein'}, `Over: ${i.subject}`) : null,
                      i.flagged ? h('p', {class: 'klein doorbraak'}, 'Zichtbaar door doorbraak') : null,
                      partialNote(i)),
                  h('td', {}, statusName(i.status), i.withdrawn ? h('div', {class: 'klein'}, 'ingetrokken') : null),
                  h('td', {}, orgName(i, orgs), i.owner ? h('div', {class: 'klein'}, i.owner) : null),
                  h('td', {}, deadlineCell(dueOf(i), i.due)),
                  h('td', {class: 'klein'}, orgName(i, orgs),
                      i.updated_at ? h('div', {}, `bijgewerkt ${formatDate(i.updated_at)}`) : null))))),
      hidden ? hiddenNotice(d, hidden) : null);
}

// An item shown below `full` says why, so that "no text" is never mistaken for "nothing written".
function partialNote(i) {
  if (i.level === 'full' || !(i.reasons ?? []).length) return null;
  const what = i.level === 'summary' ? 'Alleen de titel is zichtbaar' : 'Alleen de status is zichtbaar';
  const sorted = [...i.reasons].sort((a, b) => reasonOrder(a.code) - reasonOrder(b.code));
  return h('details', {class: 'klein gedeeltelijk'},
      h('summary', {}, `${what}: ${reasonHeading(sorted[0].code).toLowerCase()}`),
      h('ul', {}, sorted.map((r) => h('li', {}, reasonText(r)))));
}

function hiddenNotice(d, count) {
  const reasons = d.hidden?.reasons ?? [];
  return h('div', {class: 'verborgen', role: 'note', 'data-domein': d.id},
      h('p', {class: 'verborgen-kop'},
          `${count} ${count === 1 ? 'onderdeel' : 'onderdelen'} in dit leefgebied ${count === 1 ? 'is' : 'zijn'} verborgen voor u.`),
      reasons.length
          ? h('ul', {}, [...reasons].sort((a, b) => reasonOrder(a.code) - reasonOrder(b.code))
              .map((r) => h('li', {'data-reden': r.code ?? ''},
                  h('strong', {}, `${reasonHeading(r.code)}: `),
                  reasonText(r),
                  r.items > 1 && r.items !== count ? ` (${r.items} onderdelen)` : '')))
          : null);
}

function organisations(orgs) {
  return h('section', {'aria-labelledby': 'kop-organisaties'},
      h('h2', {id: 'kop-organisaties'}, 'Betrokken organisaties'),
      orgs.length === 0
          ? h('p', {}, 'Geen organisaties zichtbaar.')
          : h('table', {class: 'tabel'},
              h('caption', {class: 'verborgen-tekst'}, 'Betrokken organisaties en hun contactpunt'),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Organisatie'),
                  h('th', {scope: 'col'}, 'Sector'),
                  h('th', {scope: 'col'}, 'Leefgebieden'),
                  h('th', {scope: 'col'}, 'Contact'))),
              h('tbody', {}, orgs.map((o) => h('tr', {},
                  h('th', {scope: 'row'}, o.name ?? o.id),
                  h('td', {}, o.sector ?? '',
                      o.professional_secrecy ? h('div', {class: 'klein'}, 'beroepsgeheim') : null),
                  h('td', {}, (o.domains ?? []).map(domainName).join(', ')),
                  h('td', {}, o.contact ?? ''))))));
}

function members(list, familyConsent, familyId, isManager, reload, orgs) {
  const withConsent = isManager;
  const rows = list.map((m) => h('tr', {'data-lid': m.label},
      h('th', {scope: 'row'}, m.label),
      h('td', {class: 'getal'}, m.age ?? ''),
      withConsent ? h('td', {}, gezagText(m)) : null,
      withConsent ? h('td', {}, consentCell(m.consent, familyId, reload, orgs)) : null));
  if (withConsent && familyConsent) {
    rows.push(h('tr', {'data-lid': ''},
        h('th', {scope: 'row'}, 'Het gezin als geheel'),
        h('td', {}), h('td', {}),
        h('td', {}, consentCell(familyConsent, familyId, reload, orgs))));
  }
  return h('section', {'aria-labelledby': 'kop-leden'},
      h('h2', {id: 'kop-leden'}, withConsent ? 'Gezinsleden en toestemming' : 'Gezinsleden'),
      list.length === 0
          ? h('p', {}, 'Geen gezinsleden zichtbaar.')
          : h('table', {class: 'tabel'},
              h('caption', {class: 'verborgen-tekst'}, 'Gezinsleden, gezag en toestemming'),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Gezinslid'),
                  h('th', {scope: 'col', class: 'getal'}, 'Leeftijd'),
                  withConsent ? h('th', {scope: 'col'}, 'Gezag bij') : null,
                  withConsent ? h('th', {scope: 'col'}, 'Toestemming') : null)),
              h('tbody', {}, rows)));
}

function gezagText(m) {
  const holders = [...(m.gezag_holders ?? [])];
  if (m.gezag_holders_elsewhere) {
    holders.push(m.gezag_holders_elsewhere === 1 ? 'iemand buiten het gezin'
        : `${m.gezag_holders_elsewhere} mensen buiten het gezin`);
  }
  if (holders.length) return holders.join(', ');
  return m.role === 'child' ? 'niet vastgelegd' : '—';
}

function consentCell(status, familyId, reload, orgs) {
  const consents = status?.consents ?? [];
  const missing = status?.missing ?? [];
  if (consents.length === 0 && missing.length === 0) {
    return h('span', {class: 'toestemming toestemming-ontbreekt'}, 'Geen toestemming vastgelegd');
  }
  return h('ul', {class: 'toestemmingen'},
      consents.map((c) => {
        const state = c.state;
        return h('li', {'data-toestemming': c.id, 'data-status': state},
            h('span', {class: `toestemming toestemming-${state}`}, consentStatusName(state)),
            ' ', scopeText(c),
            state === 'valid' ? [' ', withdrawButton(familyId, c, async () => {
              await reload();
              announce('De toestemming is ingetrokken. Het plan is bijgewerkt.');
            })] : null);
      }),
      missing.map((m) => h('li', {'data-ontbreekt': m.domain},
          h('span', {class: 'toestemming toestemming-ontbreekt'}, 'Ontbreekt'),
          ` voor ${categoryName(m.category).toLowerCase()} over ${domainName(m.domain).toLowerCase()}` +
          ` van ${orgs.get(m.source_organisation)?.name ?? m.source_organisation}` +
          (m.items > 1 ? ` (${m.items} onderdelen)` : ''))));
}

function scopeText(c) {
  const parts = [];
  if (c.domains?.length) parts.push(c.domains.map(domainName).join(', '));
  if (c.valid_until) parts.push(`tot ${formatDate(c.valid_until)}`);
  return parts.length ? h('span', {class: 'klein'}, parts.join(' · ')) : null;
}
