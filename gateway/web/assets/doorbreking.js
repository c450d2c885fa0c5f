// Break the glass: in an emergency (vital interest, child safety) open the whole plan for a short
// time, with a written justification. It is flagged in the audit log and always reviewed afterwards.

import {api, seg} from './api.js';
import {errorMessage, field, formatTime, h, show} from './ui.js';

export function render(main, ctx, familyId) {
  const justification = h('textarea', {id: 'doorbreking-reden', name: 'justification', rows: '5',
    required: true, minlength: '30', maxlength: '2000'});
  const minutes = h('select', {id: 'doorbreking-duur', name: 'minutes'},
      [[30, '30 minuten'], [60, '1 uur'], [120, '2 uur'], [240, '4 uur']].map(([v, t]) =>
        h('option', {value: String(v), selected: v === 60}, t)));
  const confirm = h('input', {type: 'checkbox', id: 'doorbreking-bevestig', required: true});
  const problem = h('div', {class: 'fout', role: 'alert', hidden: true});
  const submit = h('button', {type: 'submit', class: 'knop knop-gevaar'}, 'Doorbreken');

  const form = h('form', {class: 'formulier', novalidate: true},
      field('Waarom is dit nodig? (minstens 30 tekens)', justification,
          'Beschrijf de noodsituatie zonder namen: wat dreigt er, en waarom kan het niet wachten op toestemming?'),
      field('Hoe lang?', minutes, 'Zo kort als mogelijk; het beleid begrenst de duur.'),
      h('div', {class: 'keuze'}, confirm,
          h('label', {for: 'doorbreking-bevestig'},
              'Ik begrijp dat deze doorbraak wordt vastgelegd en door de privacyfunctionaris wordt beoordeeld.')),
      problem,
      h('div', {class: 'knoppen'}, submit,
          h('a', {class: 'knop knop-licht', href: `#/gezin/${seg(familyId)}`}, 'Annuleren')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problem.hidden = true;
    if (!form.reportValidity()) return;
    submit.disabled = true;
    try {
      const grant = await api.post(`/v1/families/${seg(familyId)}/break-glass`,
          {justification: justification.value.trim(), minutes: Number(minutes.value)});
      ctx.navigate(`#/gezin/${seg(familyId)}`, grant?.expires_at
          ? `Doorbraak actief tot ${formatTime(grant.expires_at)}.`
          : 'Doorbraak actief.');
    } catch (err) {
      problem.textContent = errorMessage(err);
      problem.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  show(main,
      h('p', {class: 'kruimel'}, h('a', {href: `#/gezin/${seg(familyId)}`}, '← Terug naar het gezinsplan')),
      h('h1', {}, 'Noodsituatie: doorbreken'),
      h('div', {class: 'waarschuwing', role: 'note'},
          h('p', {}, 'Gebruik dit alleen bij acuut gevaar, bijvoorbeeld voor de veiligheid van een kind. ' +
              'U ziet dan tijdelijk alles wat over dit gezin is gedeeld, ook zonder toestemming.')),
      form);
}
