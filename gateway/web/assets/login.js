// Log in: user name, password and the six-digit code of the authenticator app (TOTP).

import {api} from './api.js';
import {errorMessage, field, h, show} from './ui.js';

export function render(main, ctx) {
  const user = h('input', {id: 'login-gebruiker', name: 'user', autocomplete: 'username',
    required: true, autocapitalize: 'off', spellcheck: 'false'});
  const password = h('input', {id: 'login-wachtwoord', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true});
  const code = h('input', {id: 'login-code', name: 'code', inputmode: 'numeric',
    autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', required: true});
  const problem = h('div', {class: 'fout', role: 'alert', hidden: true});
  const submit = h('button', {type: 'submit', class: 'knop'}, 'Inloggen');

  const form = h('form', {class: 'formulier smal', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    problem.hidden = true;
    if (!form.reportValidity()) return;
    submit.disabled = true;
    try {
      const session = await api.post('/v1/session',
          {user: user.value.trim(), password: password.value, code: code.value.trim()});
      password.value = '';
      ctx.signedIn(session);
    } catch (err) {
      problem.textContent = err.status === 401
          ? 'Inloggen is niet gelukt. Controleer uw gebruikersnaam, wachtwoord en code.'
          : errorMessage(err);
      problem.hidden = false;
      code.value = '';
      code.focus();
    } finally {
      submit.disabled = false;
    }
  }},
  field('Gebruikersnaam', user),
  field('Wachtwoord', password),
  field('Code uit uw authenticator-app', code, 'Zes cijfers; de code wisselt elke 30 seconden.'),
  problem,
  submit);

  show(main,
      h('h1', {}, 'Inloggen'),
      h('p', {class: 'inleiding'},
          'Sluis toont het plan van een gezin over alle betrokken organisaties heen, ' +
          'binnen wat de wet en de toestemming van het gezin toelaten.'),
      form);
}
