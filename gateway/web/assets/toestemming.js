// Record a consent (with the reference of the signed form and its validity) and withdraw one.
// A consent is specific: about whom, signed by whom, for which recipients, purposes, data
// categories and life domains, and for how long (AVG art. 7); the form asks for each of these.

import {api, seg} from './api.js';
import {
  announce, choices, consentRules, consentStatusName, domainName, errorBox, errorMessage, field,
  formatDate, h, show,
} from './ui.js';

// Where a consent stands is the server's answer (c.state, decided by policy::engine::status_of):
// an id of the vocabulary's consent_statuses, shown by its Dutch name from there.

// Who signs, by the ages of the policy in force ([consent] in the policy file).
function signersHint({child_with_gezag_from_age: together, child_alone_from_age: alone}) {
  if (together == null || alone == null) return 'Wie moet tekenen, hangt af van de leeftijd en het gezag.';
  return `Voor een kind van ${together} tot ${alone} tekenen het kind en een ouder met gezag; ` +
    `onder ${together} een ouder met gezag; vanaf ${alone} de persoon zelf.`;
}

// A button that withdraws `consent` after a confirmation, then calls `done`.
export function withdrawButton(familyId, consent, done) {
  const id = consent.id;
  const button = h('button', {type: 'button', class: 'knop knop-klein knop-gevaar',
    'aria-label': `Toestemming ${id} intrekken`}, 'Intrekken');
  button.addEventListener('click', async () => {
    if (!window.confirm('Deze toestemming intrekken? Dit gaat direct in en kan niet ongedaan worden gemaakt.')) {
      return;
    }
    button.disabled = true;
    try {
      await api.post(`/v1/families/${seg(familyId)}/consents/${seg(id)}/withdraw`, {});
      await done();
    } catch (err) {
      button.disabled = false;
      announce(`Intrekken is niet gelukt: ${errorMessage(err)}`);
    }
  });
  return button;
}

function checkboxes(legend, name, options, checked = [], help) {
  return h('fieldset', {class: 'keuzes'},
      h('legend', {}, legend),
      help ? h('p', {class: 'uitleg'}, help) : null,
      options.map(([value, text]) => {
        const id = `${name}-${value}`;
        return h('div', {class: 'keuze'},
            h('input', {type: 'checkbox', id, name, value, checked: checked.includes(value)}),
            h('label', {for: id}, text));
      }));
}

const chosen = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)]
    .map((i) => i.value);

function plusDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function render(main, ctx, familyId) {
  show(main, h('h1', {}, 'Toestemming vastleggen'), h('p', {class: 'laden'}, 'Laden…'));
  let plan;
  try {
    plan = await api.get(`/v1/plans/${seg(familyId)}`);
  } catch (err) {
    show(main, h('h1', {}, 'Toestemming vastleggen'), errorBox(err));
    return;
  }
  const members = plan.members ?? [];
  const orgs = plan.organisations ?? [];
  // The server counts calendar days in UTC: "signed on" is checked against its clock, and a
  // consent counts from 00:00 UTC of its first day. So both start from the UTC date: between
  // midnight in the Netherlands and 01:00 or 02:00 UTC the local date would be a day ahead, and a
  // consent given now would not count until then.
  const todayUtc = new Date().toISOString().slice(0, 10);

  const subject = h('select', {id: 'toestemming-over', name: 'subject', required: true},
      h('option', {value: ''}, 'Het gezin als geheel'),
      members.map((m) => h('option', {value: m.member_id ?? m.id}, memberText(m))));
  const reference = h('input', {id: 'toestemming-formulier', name: 'reference', required: true,
    maxlength: '100', autocomplete: 'off'});
  const signedOn = h('input', {id: 'toestemming-getekend', type: 'date', name: 'signed_on',
    required: true, max: todayUtc, value: todayUtc});
  const from = h('input', {id: 'toestemming-van', type: 'date', name: 'valid_from', required: true,
    value: todayUtc});
  const until = h('input', {id: 'toestemming-tot', type: 'date', name: 'valid_until', required: true,
    value: plusDays(todayUtc, 364)});
  const note = h('textarea', {id: 'toestemming-notitie', name: 'note', rows: '2', maxlength: '500'});
  const problem = h('div', {class: 'fout', role: 'alert', hidden: true});
  const submit = h('button', {type: 'submit', class: 'knop'}, 'Toestemming vastleggen');

  const form = h('form', {class: 'formulier', novalidate: true},
      field('Over wie gaat de toestemming?', subject,
          'Kies het gezinslid over wie de gegevens gaan, of het gezin als geheel.'),
      checkboxes('Getekend door', 'granted_by',
          members.map((m) => [m.member_id ?? m.id, memberText(m)]), [],
          signersHint(consentRules())),
      checkboxes('Ontvangers', 'recipient', [
        ['rol:gezinsmanager', 'De gezinsmanager van dit gezin'],
        ...orgs.map((o) => [`org:${o.organisation_id ?? o.id}`, o.name ?? o.organisation_id ?? o.id]),
      ], ['rol:gezinsmanager']),
      checkboxes('Soort gegevens', 'categories', choices('categories'), ['regular'],
          'Bijzondere persoonsgegevens gaan over gezondheid, GGZ en verslaving.'),
      checkboxes('Leefgebieden', 'domains', choices('domains'), []),
      h('div', {class: 'naast-elkaar'},
          field('Geldig vanaf', from), field('Geldig tot en met', until)),
      h('div', {class: 'naast-elkaar'},
          field('Kenmerk van het getekende formulier', reference,
              'Het nummer van het toestemmingsformulier in uw dossier, geen naam.'),
          field('Getekend op', signedOn)),
      field('Notitie (optioneel)', note, 'Geen namen of andere persoonsgegevens.'),
      problem,
      h('div', {class: 'knoppen'}, submit,
          h('a', {class: 'knop knop-licht', href: `#/gezin/${seg(familyId)}`}, 'Annuleren')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    const recipients = chosen(form, 'recipient');
    const body = {
      subject_member_id: subject.value,
      granted_by: chosen(form, 'granted_by'),
      recipient_roles: recipients.filter((r) => r.startsWith('rol:')).map((r) => r.slice(4)),
      recipient_organisations: recipients.filter((r) => r.startsWith('org:')).map((r) => r.slice(4)),
      purposes: ['plan'],
      categories: chosen(form, 'categories'),
      domains: chosen(form, 'domains'),
      valid_from: from.value,  // calendar days: from the start of valid_from to the end of valid_until
      valid_until: until.value,
      evidence: {form_reference: reference.value.trim(), signed_on: signedOn.value},
    };
    if (note.value.trim()) body.note = note.value.trim();
    const missing = [];
    if (!form.reportValidity()) return;
    if (body.granted_by.length === 0) missing.push('wie getekend heeft');
    if (recipients.length === 0) missing.push('een ontvanger');
    if (body.categories.length === 0) missing.push('de soort gegevens');
    if (body.domains.length === 0) missing.push('minstens één leefgebied');
    if (missing.length) {
      problem.textContent = `Vul nog in: ${missing.join(', ')}.`;
      problem.hidden = false;
      problem.focus?.();
      return;
    }
    submit.disabled = true;
    try {
      await api.post(`/v1/families/${seg(familyId)}/consents`, body);
      ctx.navigate(`#/gezin/${seg(familyId)}`, 'De toestemming is vastgelegd. Het plan is bijgewerkt.');
    } catch (err) {
      problem.textContent = errorMessage(err);
      problem.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  show(main,
      h('p', {class: 'kruimel'}, h('a', {href: `#/gezin/${seg(familyId)}`}, `← Gezinsplan ${plan.label ?? ''}`)),
      h('h1', {}, 'Toestemming vastleggen'),
      h('p', {class: 'inleiding'},
          'Leg alleen toestemming vast die het gezin schriftelijk heeft gegeven. ' +
          'Toestemming kan altijd worden ingetrokken; dat gaat direct in.'),
      form,
      existing(recorded(plan), members, familyId, () => render(main, ctx, familyId)));
}

// Every consent of the family as the plan reports it: per member and for the family as a whole.
function recorded(plan) {
  const list = (plan.members ?? []).flatMap((m) =>
    (m.consent?.consents ?? []).map((c) => ({...c, subject_member_id: m.id})));
  return list.concat((plan.family_consent?.consents ?? []).map((c) => ({...c, subject_member_id: ''})));
}

function memberText(m) {
  return m.age !== undefined && m.age !== null ? `${m.label} (${m.age})` : m.label;
}

function existing(list, members, familyId, reload) {
  const label = (id) => members.find((m) => (m.member_id ?? m.id) === id)?.label ?? (id ? id : 'gezin');
  return h('section', {'aria-labelledby': 'kop-bestaand'},
      h('h2', {id: 'kop-bestaand'}, 'Vastgelegde toestemmingen'),
      list.length === 0 ? h('p', {}, 'Nog geen toestemmingen vastgelegd.') :
        h('table', {class: 'tabel'},
            h('thead', {}, h('tr', {},
                h('th', {scope: 'col'}, 'Over'),
                h('th', {scope: 'col'}, 'Leefgebieden'),
                h('th', {scope: 'col'}, 'Geldig'),
                h('th', {scope: 'col'}, 'Status'),
                h('th', {scope: 'col'}, h('span', {class: 'verborgen-tekst'}, 'Actie')))),
            h('tbody', {}, list.map((c) => {
              const state = c.state;
              return h('tr', {},
                  h('td', {}, label(c.subject_member_id)),
                  h('td', {}, (c.domains ?? []).map(domainName).join(', ')),
                  h('td', {}, `${formatDate(c.valid_from)} – ${formatDate(c.valid_until)}`),
                  h('td', {}, h('span', {class: `toestemming toestemming-${state}`}, consentStatusName(state))),
                  h('td', {}, state === 'valid' ? withdrawButton(familyId, c, reload) : null));
            }))));
}
