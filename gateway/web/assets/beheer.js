// The administrator's page: the policy in force and reloading it from its file (as SIGHUP does).
// Accounts are managed on the server with `sluis user`, keys with `sluis keys`: not from a browser.

import {api} from './api.js';
import {policySummary} from './privacy.js';
import {announce, errorBox, h, show} from './ui.js';

export async function render(main) {
  show(main, h('h1', {}, 'Beheer'), h('p', {class: 'laden'}, 'Laden…'));
  let policy;
  try {
    policy = await api.get('/v1/policy');
  } catch (err) {
    show(main, h('h1', {}, 'Beheer'), errorBox(err));
    return;
  }
  const out = h('div', {'aria-live': 'polite'});
  const reload = async () => {
    out.replaceChildren(h('p', {class: 'laden'}, 'Inlezen…'));
    try {
      const result = await api.post('/v1/policy/reload', {});
      announce(`Beleid opnieuw ingelezen (versie ${String(result?.version ?? '').slice(0, 12)}).`);
      await render(main);
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  show(main,
      h('h1', {}, 'Beheer'),
      h('section', {'aria-labelledby': 'kop-beleid'},
          h('h2', {id: 'kop-beleid'}, 'Beleid in werking'),
          h('p', {}, 'Versie ', h('code', {}, String(policy.version ?? '').slice(0, 16)),
              ' uit het bestand ', h('code', {}, String(policy.file ?? '')), '.'),
          policySummary(policy),
          h('p', {}, 'Is het bestand op de server aangepast? Lees het dan opnieuw in. Een bestand met fouten verandert niets.'),
          h('div', {class: 'knoppen'},
              h('button', {type: 'button', class: 'knop', onclick: reload}, 'Beleid opnieuw inlezen')),
          out),
      h('section', {'aria-labelledby': 'kop-server'},
          h('h2', {id: 'kop-server'}, 'Op de server'),
          h('ul', {},
              h('li', {}, 'Accounts: ', h('code', {}, 'sluis user add | list | disable | reset')),
              h('li', {}, 'Sleutels: ', h('code', {}, 'sluis keys status | rotate')),
              h('li', {}, 'Auditlog controleren: ', h('code', {}, 'sluis audit verify')))));
}
