// Real answers against the documented schemas (issue 10): the real `sluis` binary with the demo
// loaded is called on every route of gateway/api/openapi.yaml, as partner systems (mutual TLS) and
// as signed-in people, for a success and for refusals. Every answer must be documented for its
// route and status, with its content type, and its body must validate against the documented
// schema (Ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses), problem+json answers included. Every
// route of the document must have been called. Run by CTest (openapi_answers):
//
//   SLUIS_BINARY=build-debug-asan/sluis node tests/openapi/answers.spec.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import {after, before, test} from 'node:test';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

import {repo, startDemoGateway, totp} from '../support/demo_gateway.mjs';

const doc = YAML.parse(fs.readFileSync(path.join(repo, 'gateway/api/openapi.yaml'), 'utf8'));
const ajv = new Ajv2020({strict: false, allErrors: true});
addFormats(ajv);
ajv.addSchema(doc, 'openapi');

let gateway = null;
const answers = [];  // {method, template, status, type, body}

before(async () => {
  gateway = await startDemoGateway(process.env.SLUIS_BINARY);
});

after(async () => {
  await gateway?.stop();
});

// ---- calling the gateway ----

function tlsOptions(org) {
  const pki = path.join(gateway.data, 'pki');
  const options = {ca: fs.readFileSync(path.join(pki, 'ca.pem'))};
  if (org) {
    options.cert = fs.readFileSync(path.join(pki, 'clients', `${org}.pem`));
    options.key = fs.readFileSync(path.join(pki, 'clients', `${org}.key`));
  }
  return options;
}

// One request; the answer is recorded under its route template for the checks below.
function call({method, template, params = {}, query = '', body, type, org, headers = {}}) {
  let target = template;
  for (const [name, value] of Object.entries(params)) {
    target = target.replace(`{${name}}`, encodeURIComponent(value));
  }
  const payload = body === undefined ? undefined :
      (typeof body === 'string' ? body : JSON.stringify(body));
  const sent = {...headers};
  if (payload !== undefined) {
    sent['content-type'] = type ?? 'application/json';
    sent['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: gateway.port, servername: 'localhost', method,
      path: target + query, headers: sent, ...tlsOptions(org),
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => { text += chunk; });
      res.on('end', () => {
        const answer = {method: method.toLowerCase(), template, status: res.statusCode,
          type: (res.headers['content-type'] ?? '').split(';')[0].trim(), body: text,
          headers: res.headers};
        answers.push(answer);
        resolve(answer);
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

const json = (answer) => JSON.parse(answer.body);
const inDays = (n) => new Date(Date.now() + n * 86400_000).toISOString().slice(0, 10);

// A signed-in person: the session cookie and CSRF token go with every call.
async function signIn(login) {
  const u = gateway.demo.users.find((x) => x.id === login);
  const res = await call({method: 'POST', template: '/v1/session',
    body: {user: u.id, password: u.password, code: totp(u.totp_secret)}});
  assert.equal(res.status, 200, res.body);
  const cookie = res.headers['set-cookie'][0].split(';')[0];
  const csrf = json(res).csrf_token;
  return (options) => call({...options, headers: {cookie, 'x-csrf-token': csrf, ...options.headers}});
}

// ---- checking an answer against the document ----

function pointer(...parts) {
  return parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

function resolve(node) {
  let at = node;
  while (at?.$ref) {
    at = at.$ref.slice(2).split('/').reduce((o, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')], doc);
  }
  return at;
}

// The web UI's page and files are not part of the API; web_routes_test and the browser test hold
// them.
const webUi = new Set(['/', '/assets/{name}']);
const mediaType = (t) => t.split(';')[0].trim();

function problemsOf(answer) {
  if (webUi.has(answer.template)) return [];
  const operation = doc.paths[answer.template]?.[answer.method];
  if (!operation) return [`${answer.method} ${answer.template} is not in the document`];
  const responses = operation.responses ?? {};
  const code = String(answer.status);
  const key = code in responses ? code : (`${code[0]}XX` in responses ? `${code[0]}XX` : 'default');
  if (!(key in responses)) return [`status ${code} is not documented`];
  const response = resolve(responses[key]);
  const content = response.content;
  if (!content || answer.status === 204 || answer.method === 'head') {
    return answer.body.length > 0 && answer.status === 204 ? ['a 204 with a body'] : [];
  }
  const documented = Object.keys(content).find((t) => mediaType(t) === answer.type);
  if (!documented) {
    return [`content type ${answer.type || '(none)'} is not documented (${Object.keys(content)})`];
  }
  const schema = content[documented].schema;
  if (!schema || !answer.type.includes('json')) return [];
  // The schema by its place in the document, so its $refs resolve against the document.
  const where = responses[key].$ref ?
      responses[key].$ref.slice(1) :
      `/${pointer('paths', answer.template, answer.method, 'responses', key)}`;
  const validate = ajv.getSchema(`openapi#${where}/content/${pointer(documented)}/schema`);
  if (validate(JSON.parse(answer.body))) return [];
  return validate.errors.map((e) => `${e.instancePath || '(body)'} ${e.message}`);
}

// ---- the tour ----

test('every route answers as documented, successes and refusals alike', async () => {
  const families = gateway.demo.families;
  const gezinV = families.find((f) => f.label === 'Gezin V.').family_id;
  const wijkteam = 'wijkteam-noord';
  const unknownFamily = 'fam-000000000000000000000000';

  // Operations.
  await call({method: 'GET', template: '/healthz'});
  await call({method: 'GET', template: '/readyz'});
  await call({method: 'GET', template: '/metrics'});
  await call({method: 'GET', template: '/v1/openapi.yaml'});
  await call({method: 'GET', template: '/'});
  await call({method: 'GET', template: '/assets/{name}', params: {name: 'app.js'}});
  await call({method: 'GET', template: '/assets/{name}', params: {name: 'nothing.js'}});
  const huge = {'x-padding': 'x'.repeat(20 * 1024)};  // over the header limit: 431
  for (const template of ['/healthz', '/readyz', '/metrics', '/v1/openapi.yaml']) {
    await call({method: 'GET', template, headers: huge});
  }

  // A partner system: families, members, contributions, involvement.
  await call({method: 'GET', template: '/v1/contributions'});  // no certificate: 401
  const registered = await call({method: 'POST', template: '/v1/families', org: wijkteam,
    body: {gezinsmanager: {user_id: 'gm-jansen', name: 'A. Jansen'}, members: [
      {bsn: '111222333', role: 'parent', label: 'moeder', date_of_birth: '1985-03-01'},
      {bsn: '123456782', role: 'child', label: 'dochter', date_of_birth: '2011-06-15',
        gezag_holders: ['moeder']}]}});
  assert.equal(registered.status, 201, registered.body);
  const family = json(registered).family_id;
  const daughter = json(registered).members.find((m) => m.label === 'dochter').member_id;
  const mother = json(registered).members.find((m) => m.label === 'moeder').member_id;
  await call({method: 'POST', template: '/v1/families', org: wijkteam, body: {members: 3}});
  await call({method: 'GET', template: '/v1/families/{family_id}', params: {family_id: family},
    org: wijkteam});
  await call({method: 'GET', template: '/v1/families/{family_id}',
    params: {family_id: unknownFamily}, org: wijkteam});
  const member = await call({method: 'POST', template: '/v1/families/{family_id}/members',
    params: {family_id: family}, org: wijkteam,
    body: {bsn: '192837461', role: 'parent', label: 'vader', date_of_birth: '1980-01-01'}});
  await call({method: 'POST', template: '/v1/families/{family_id}/members',
    params: {family_id: family}, org: wijkteam, body: {bsn: '12'}});
  await call({method: 'DELETE', template: '/v1/families/{family_id}/members/{member_id}',
    params: {family_id: family, member_id: json(member).member_id}, org: wijkteam});
  await call({method: 'DELETE', template: '/v1/families/{family_id}/members/{member_id}',
    params: {family_id: family, member_id: 'mem-none'}, org: wijkteam});
  const contribution = {source_ref: 'conf-1', bsn: '111222333', domain: 'financien', kind: 'goal',
    category: 'regular', status: 'active', title: 'Schulden in beeld'};
  const submitted = await call({method: 'POST', template: '/v1/contributions', org: wijkteam,
    body: contribution});
  assert.equal(submitted.status, 201, submitted.body);
  await call({method: 'POST', template: '/v1/contributions', org: wijkteam, body: contribution});
  await call({method: 'POST', template: '/v1/contributions', org: 'ggz-noord',
    body: {...contribution, source_ref: 'conf-ggz'}});
  await call({method: 'POST', template: '/v1/contributions', org: wijkteam,
    body: {...contribution, kind: 'wish'}});
  await call({method: 'GET', template: '/v1/contributions', org: wijkteam});
  await call({method: 'GET', template: '/v1/contributions', query: '?limit=0', org: wijkteam});
  const id = json(submitted).contribution_id;
  await call({method: 'GET', template: '/v1/contributions/{contribution_id}',
    params: {contribution_id: id}, org: wijkteam});
  await call({method: 'GET', template: '/v1/contributions/{contribution_id}',
    params: {contribution_id: id}, org: 'ggz-noord'});
  await call({method: 'GET', template: '/v1/families/{family_id}/involvement',
    params: {family_id: family}, query: '?purpose=signalling', org: wijkteam});
  await call({method: 'GET', template: '/v1/families/{family_id}/involvement',
    params: {family_id: family}, org: wijkteam});
  await call({method: 'DELETE', template: '/v1/contributions/{contribution_id}',
    params: {contribution_id: id}, org: wijkteam});
  await call({method: 'DELETE', template: '/v1/contributions/{contribution_id}',
    params: {contribution_id: id}, org: 'ggz-noord'});

  // Legal grounds, recorded by the family's organisation for a named gezinsmanager.
  const named = {'x-sluis-user': 'gm-jansen'};
  const consent = await call({method: 'POST', template: '/v1/families/{family_id}/consents',
    params: {family_id: family}, org: wijkteam, headers: named, body: {
      subject_member_id: daughter, granted_by: [daughter, mother],
      recipient_organisations: [wijkteam], purposes: ['plan'], categories: ['special'],
      domains: ['psychische-gezondheid'], valid_until: inDays(200),
      evidence: {form_reference: 'TOESTEMMING-0042', signed_on: '2026-01-05'}}});
  assert.equal(consent.status, 201, consent.body);
  await call({method: 'POST', template: '/v1/families/{family_id}/consents',
    params: {family_id: family}, org: wijkteam, headers: named, body: {granted_by: 'me'}});
  await call({method: 'GET', template: '/v1/families/{family_id}/consents',
    params: {family_id: family}, org: wijkteam, headers: named});
  await call({method: 'GET', template: '/v1/families/{family_id}/consents',
    params: {family_id: unknownFamily}, org: wijkteam, headers: named});
  await call({method: 'POST', template: '/v1/families/{family_id}/consents/{consent_id}/withdraw',
    params: {family_id: family, consent_id: json(consent).consent_id}, org: wijkteam,
    headers: named, body: {}});
  await call({method: 'POST', template: '/v1/families/{family_id}/consents/{consent_id}/withdraw',
    params: {family_id: family, consent_id: 'cns-none'}, org: wijkteam, headers: named, body: {}});
  const ground = await call({method: 'POST', template: '/v1/families/{family_id}/grounds',
    params: {family_id: family}, org: wijkteam, headers: named, body: {
      decided_by: 'teamleider wijkteam',
      necessity: 'Vijf organisaties zonder onderlinge afstemming; schulden lopen op.',
      proportionality: 'Alleen koppen van reguliere gegevens, geen zorginhoud.',
      subsidiarity: 'Toestemming is gevraagd en niet verkregen; geen lichter middel.',
      family_informed_on: '2026-01-05', valid_until: '2099-01-01'}});
  assert.equal(ground.status, 201, ground.body);
  await call({method: 'POST', template: '/v1/families/{family_id}/grounds',
    params: {family_id: family}, org: wijkteam, headers: named, body: {necessity: 'nodig'}});
  await call({method: 'GET', template: '/v1/families/{family_id}/grounds',
    params: {family_id: family}, org: wijkteam, headers: named});
  await call({method: 'GET', template: '/v1/families/{family_id}/grounds',
    params: {family_id: unknownFamily}, org: wijkteam, headers: named});
  await call({method: 'POST', template: '/v1/families/{family_id}/grounds/{ground_id}/end',
    params: {family_id: family, ground_id: json(ground).ground_id}, org: wijkteam,
    headers: named, body: {}});
  await call({method: 'POST', template: '/v1/families/{family_id}/grounds/{ground_id}/end',
    params: {family_id: family, ground_id: 'grd-none'}, org: wijkteam, headers: named, body: {}});
  const glass = await call({method: 'POST', template: '/v1/families/{family_id}/break-glass',
    params: {family_id: family}, org: wijkteam, headers: named, body: {
      justification: 'Acute dreiging voor de dochter na een melding van de school vandaag.',
      minutes: 30}});
  assert.equal(glass.status, 201, glass.body);
  await call({method: 'POST', template: '/v1/families/{family_id}/break-glass',
    params: {family_id: family}, org: wijkteam, headers: named, body: {justification: 'kort'}});

  // People: sessions, the plan, my families, oversight, the privacy officer's API.
  await call({method: 'POST', template: '/v1/session',
    body: {user: 'gm-jansen', password: 'wrong', code: '000000'}});
  await call({method: 'GET', template: '/v1/session'});
  const gm = await signIn('gm-jansen');
  await gm({method: 'GET', template: '/v1/session'});
  await gm({method: 'GET', template: '/v1/vocabulary'});
  await call({method: 'GET', template: '/v1/vocabulary'});  // nobody signed in: 401
  await call({method: 'GET', template: '/v1/vocabulary', org: wijkteam});
  await gm({method: 'GET', template: '/v1/plans/{family_id}', params: {family_id: gezinV}});
  await gm({method: 'GET', template: '/v1/plans/{family_id}', params: {family_id: unknownFamily}});
  await gm({method: 'GET', template: '/v1/me/families'});
  await gm({method: 'GET', template: '/v1/oversight'});
  await gm({method: 'GET', template: '/v1/audit'});
  await gm({method: 'GET', template: '/v1/break-glass'});
  await gm({method: 'GET', template: '/v1/policy'});
  await gm({method: 'POST', template: '/v1/policy/check', type: 'text/plain', body: 'x = 1'});
  const pm = await signIn('pm-visser');
  await pm({method: 'GET', template: '/v1/oversight'});
  await pm({method: 'GET', template: '/v1/me/families'});
  const officer = await signIn('fg-dekker');
  await officer({method: 'GET', template: '/v1/audit', query: `?family_id=${gezinV}&limit=5`});
  await officer({method: 'GET', template: '/v1/audit', query: '?colour=blue'});
  await officer({method: 'POST', template: '/v1/audit/inzage', body: {bsn: '111222333'}});
  await officer({method: 'POST', template: '/v1/audit/inzage', body: {bsn: '123456789'}});
  const policy = await officer({method: 'GET', template: '/v1/policy'});
  const text = json(policy).text;
  const policyType = Object.keys(doc.paths['/v1/policy'].put.requestBody.content)[0];
  const checkType = Object.keys(doc.paths['/v1/policy/check'].post.requestBody.content)[0];
  await officer({method: 'POST', template: '/v1/policy/check', type: checkType, body: text});
  await officer({method: 'POST', template: '/v1/policy/check', type: checkType,
    body: '[[rule]]\nid = 1\n'});
  await officer({method: 'POST', template: '/v1/policy/simulate', body: {
    scenario: fs.readFileSync(path.join(repo, 'deploy/scenario.example.toml'), 'utf8')}});
  await officer({method: 'POST', template: '/v1/policy/simulate', body: {scenario: 'now = 1'}});
  await officer({method: 'POST', template: '/v1/policy/diff',
    body: {policy: text.replace('child_alone_from_age = 16', 'child_alone_from_age = 15')}});
  await officer({method: 'POST', template: '/v1/policy/diff', body: {policy: text, against: text}});
  await officer({method: 'POST', template: '/v1/policy/diff', body: {policy: '[[rule]]\nid = 1\n'}});
  await gm({method: 'POST', template: '/v1/policy/diff', body: {policy: text}});
  await officer({method: 'PUT', template: '/v1/policy', type: policyType,
    body: `${text}\n# activated again by the conformance test\n`});
  await officer({method: 'PUT', template: '/v1/policy', type: policyType, body: 'rule = 3'});
  await officer({method: 'POST', template: '/v1/policy/reload', body: {}});
  const grants = await officer({method: 'GET', template: '/v1/break-glass'});
  assert.equal(grants.status, 200, grants.body);
  const grant = json(grants).grants?.find((g) => g.family_id === family) ?? json(grants).grants?.[0];
  await officer({method: 'POST', template: '/v1/break-glass/{grant_id}/review',
    params: {grant_id: grant.grant_id}, body: {outcome: 'justified', note: 'Terecht.'}});
  await officer({method: 'POST', template: '/v1/break-glass/{grant_id}/review',
    params: {grant_id: grant.grant_id}, body: {outcome: 'justified', note: 'Nogmaals.'}});
  await gm({method: 'POST', template: '/v1/policy/reload', body: {}});
  await gm({method: 'DELETE', template: '/v1/session'});
  await gm({method: 'DELETE', template: '/v1/session'});

  // Every answer as documented, and none of them a server error.
  assert.deepEqual(answers.filter((a) => a.status >= 500).map((a) => `${a.method} ${a.template}`), []);
  const failures = [];
  for (const a of answers) {
    for (const p of problemsOf(a)) failures.push(`${a.method.toUpperCase()} ${a.template} ${a.status}: ${p}`);
  }
  assert.deepEqual(failures, []);

  // Every route of the document was called, with a success and a refusal where one exists.
  const called = new Set(answers.map((a) => `${a.method} ${a.template}`));
  const missing = [];
  for (const template of webUi) assert.ok([...called].some((c) => c.endsWith(` ${template}`)));
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      if (item[method] && !called.has(`${method} ${template}`)) missing.push(`${method} ${template}`);
    }
  }
  assert.deepEqual(missing, [], 'routes of the document that the tour did not call');
  // And a refusal (problem+json) checked on every route that documents one.
  const refusedOn = new Set(answers.filter((a) => a.status >= 400).map((a) => `${a.method} ${a.template}`));
  const noRefusal = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
      const codes = Object.keys(item[method]?.responses ?? {});
      if (codes.some((c) => c.startsWith('4')) && !refusedOn.has(`${method} ${template}`)) {
        noRefusal.push(`${method} ${template}`);
      }
    }
  }
  assert.deepEqual(noRefusal, [], 'routes whose refusals the tour did not check');
});
