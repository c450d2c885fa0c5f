// The family plan: one page with everything the person asking may see of one family, and an honest
// account of what is hidden and why. The server has already applied the policy: this page only
// shows what it was sent, and never guesses at what it was not.

import {api, seg} from './api.js';
import {
  announce, deadlineCell, deadlineNote, domainName, errorBox, formatDate, formatTime, h, kindName,
  reasonAdvice, reasonHeading, show, statusName,
} from './ui.js';
import {consentState, consentStateText, withdrawButton} from './toestemming.js';

export async function render(main, ctx, familyId) {
  show(main, h('h1', {}, 'Gezinsplan'), h('p', {class: 'laden'}, 'Het plan wordt geladen…'));
  let plan;
  let consents = null;
  try {
    const wantsConsents = ctx.user.role === 'gezinsmanager';
    [plan, consents] = await Promise.all([
      api.get(`/v1/plans/${seg(familyId)}`),
      wantsConsents
          ? api.get(`/v1/families/${seg(familyId)}/consents`).catch(() => null)
          : Promise.resolve(null),
    ]);
  } catch (err) {
    show(main, h('h1', {}, 'Gezinsplan'), errorBox(err));
    return;
  }
  const reload = () => render(main, ctx, familyId);
  show(main, ...planView(plan, consents, ctx, familyId, reload));
}

function planView(plan, consents, ctx, familyId, reload) {
  const domains = plan.domains ?? [];
  const items = domains.flatMap((d) => (d.items ?? []).map((item) => ({...item, domain: d.domain})));
  const isManager = ctx.user.role === 'gezinsmanager';
  return [
    h('div', {class: 'paginakop'},
        h('h1', {}, `Gezinsplan ${plan.label ?? ''}`.trim()),
        h('p', {class: 'ondertitel'},
            plan.gezinsmanager?.display_name
                ? `Gezinsmanager: ${plan.gezinsmanager.display_name}` : null,
            plan.policy_version
                ? h('span', {class: 'beleid'}, ` · beleidsversie ${String(plan.policy_version).slice(0, 12)}`)
                : null),
        h('ul', {class: 'acties'},
            isManager ? h('li', {}, h('a', {class: 'knop', href: `#/gezin/${seg(familyId)}/toestemming`},
                'Toestemming vastleggen')) : null,
            h('li', {}, h('a', {class: 'knop knop-licht', href: `#/gezin/${seg(familyId)}/doorbreking`},
                'Noodsituatie: doorbreken')))),
    plan.break_glass?.active
        ? h('div', {class: 'waarschuwing', role: 'note'},
            h('p', {}, `Doorbraak actief tot ${formatTime(plan.break_glass.expires_at)}. ` +
                'Wat u nu ziet, wordt achteraf beoordeeld door de privacyfunctionaris.'))
        : null,
    overview(domains),
    deadlines(items),
    h('section', {'aria-labelledby': 'kop-doelen'},
        h('h2', {id: 'kop-doelen'}, 'Doelen en acties per leefgebied'),
        domains.length === 0 ? h('p', {}, 'Er is nog niets gedeeld over dit gezin.') : null,
        domains.map((d) => domainSection(d))),
    organisations(plan.organisations ?? []),
    members(plan.members ?? [], consents, familyId, isManager, reload),
    plan.generated_at ? h('p', {class: 'klein'}, `Samengesteld op ${formatTime(plan.generated_at)}.`) : null,
  ];
}

function hiddenCount(d) {
  return d.hidden?.count ?? (d.hidden?.reasons ?? []).reduce((n, r) => n + (r.count ?? 1), 0);
}

function overview(domains) {
  return h('section', {'aria-labelledby': 'kop-overzicht'},
      h('h2', {id: 'kop-overzicht'}, 'Leefgebieden'),
      h('ul', {class: 'leefgebieden'}, domains.map((d) => {
        const shown = (d.items ?? []).length;
        const hidden = hiddenCount(d);
        const overdue = (d.items ?? []).filter((i) => dueOf(i) && deadlineNote(dueOf(i)).state === 'verlopen'
            && !finished(i)).length;
        return h('li', {class: 'leefgebied'},
            h('a', {href: `#kop-domein-${d.domain}`, 'data-domein': d.domain,
              onclick: (event) => jumpTo(event, `kop-domein-${d.domain}`)}, domainName(d.domain)),
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

const dueOf = (item) => item.due_date ?? item.end_date ?? null;
const finished = (item) => ['done', 'achieved', 'not-achieved', 'cancelled', 'ended', 'declined']
    .includes(item.status);

function deadlines(items) {
  const dated = items.filter((i) => dueOf(i) && !finished(i))
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
              h('tbody', {}, dated.map((i) => h('tr', {
                class: `rij-${deadlineNote(dueOf(i)).state}`},
                  h('td', {}, deadlineCell(dueOf(i))),
                  h('td', {}, itemTitle(i)),
                  h('td', {}, domainName(i.domain)),
                  h('td', {}, orgName(i)))))));
}

function itemTitle(i) {
  if (i.title) return i.title;
  return h('span', {class: 'zonder-tekst'}, `${kindName(i.kind)} (${statusName(i.status) || 'geen status'})`);
}

const orgName = (i) => i.organisation_name ?? i.organisation?.name ?? i.source_organisation ??
    i.organisation ?? '';

function domainSection(d) {
  const list = d.items ?? [];
  const hidden = hiddenCount(d);
  return h('section', {class: 'domein', 'aria-labelledby': `kop-domein-${d.domain}`},
      h('h3', {id: `kop-domein-${d.domain}`}, domainName(d.domain)),
      list.length === 0
          ? h('p', {class: 'klein'}, hidden ? 'Niets zichtbaar in dit leefgebied.' : 'Niets gedeeld.')
          : h('table', {class: 'tabel'},
              h('caption', {class: 'verborgen-tekst'}, `Doelen en acties: ${domainName(d.domain)}`),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Soort'),
                  h('th', {scope: 'col'}, 'Omschrijving'),
                  h('th', {scope: 'col'}, 'Status'),
                  h('th', {scope: 'col'}, 'Eigenaar'),
                  h('th', {scope: 'col'}, 'Termijn'),
                  h('th', {scope: 'col'}, 'Bron'))),
              h('tbody', {}, list.map((i) => h('tr', {'data-kind': i.kind},
                  h('td', {}, kindName(i.kind)),
                  h('td', {},
                      h('div', {class: 'titel'}, itemTitle(i)),
                      i.body ? h('p', {class: 'tekst'}, i.body) : null,
                      i.subject ? h('p', {class: 'klein'}, `Over: ${i.subject}`) : null),
                  h('td', {}, statusName(i.status)),
                  h('td', {}, orgName(i), i.owner_name ? h('div', {class: 'klein'}, i.owner_name) : null),
                  h('td', {}, deadlineCell(dueOf(i))),
                  h('td', {class: 'klein'}, orgName(i),
                      i.updated_at ? h('div', {}, `bijgewerkt ${formatDate(i.updated_at)}`) : null))))),
      hidden ? hiddenNotice(d, hidden) : null);
}

function hiddenNotice(d, count) {
  const reasons = d.hidden?.reasons ?? [];
  return h('div', {class: 'verborgen', role: 'note', 'data-domein': d.domain},
      h('p', {class: 'verborgen-kop'},
          `${count} ${count === 1 ? 'onderdeel' : 'onderdelen'} in dit leefgebied ${count === 1 ? 'is' : 'zijn'} verborgen voor u.`),
      reasons.length
          ? h('ul', {}, reasons.map((r) => h('li', {'data-reden': r.code ?? ''},
              h('strong', {}, `${reasonHeading(r.code)}: `),
              r.message ?? '',
              r.count > 1 ? ` (${r.count}×)` : '',
              ` — ${reasonAdvice(r.code)}`)))
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
                  h('th', {scope: 'row'}, o.name ?? o.organisation ?? o.id),
                  h('td', {}, o.sector ?? ''),
                  h('td', {}, (o.domains ?? []).map(domainName).join(', ')),
                  h('td', {}, o.contact ?? ''))))));
}

function members(list, consents, familyId, isManager, reload) {
  const all = consents?.consents ?? [];
  return h('section', {'aria-labelledby': 'kop-leden'},
      h('h2', {id: 'kop-leden'}, 'Gezinsleden en toestemming'),
      list.length === 0
          ? h('p', {}, 'Geen gezinsleden zichtbaar.')
          : h('table', {class: 'tabel'},
              h('caption', {class: 'verborgen-tekst'}, 'Gezinsleden, gezag en toestemming'),
              h('thead', {}, h('tr', {},
                  h('th', {scope: 'col'}, 'Gezinslid'),
                  h('th', {scope: 'col', class: 'getal'}, 'Leeftijd'),
                  h('th', {scope: 'col'}, 'Gezag bij'),
                  h('th', {scope: 'col'}, 'Toestemming'))),
              h('tbody', {}, list.map((m) => h('tr', {'data-lid': m.label},
                  h('th', {scope: 'row'}, m.label),
                  h('td', {class: 'getal'}, m.age ?? ''),
                  h('td', {}, gezagText(m)),
                  h('td', {}, consentCell(m, all, consents, familyId, isManager, reload)))))));
}

function gezagText(m) {
  const holders = m.gezag_holders ?? m.gezag_holder_labels ?? [];
  if (holders.length) return holders.join(', ');
  return m.role === 'child' ? 'onbekend' : '—';
}

function consentCell(member, all, consents, familyId, isManager, reload) {
  if (consents === null && member.consent) {
    return h('span', {class: `toestemming toestemming-${member.consent}`}, consentStateText(member.consent));
  }
  const mine = all.filter((c) => c.subject_member_id === member.member_id ||
      c.subject === member.label || c.subject_label === member.label);
  if (mine.length === 0) {
    return h('span', {class: 'toestemming toestemming-ontbreekt'}, 'Geen toestemming');
  }
  return h('ul', {class: 'toestemmingen'}, mine.map((c) => {
    const state = consentState(c);
    return h('li', {'data-toestemming': c.consent_id ?? c.id},
        h('span', {class: `toestemming toestemming-${state}`}, consentStateText(state)),
        ' ', scopeText(c),
        state === 'geldig' && isManager ? [' ', withdrawButton(familyId, c, async () => {
          announce('De toestemming is ingetrokken. Het plan is bijgewerkt.');
          await reload();
        })] : null);
  }));
}

function scopeText(c) {
  const parts = [];
  if (c.domains?.length) parts.push(c.domains.map(domainName).join(', '));
  if (c.recipient_organisations?.length) parts.push(`voor ${c.recipient_organisations.join(', ')}`);
  if (c.valid_until) parts.push(`tot ${formatDate(c.valid_until)}`);
  return parts.length ? h('span', {class: 'klein'}, parts.join(' · ')) : null;
}
