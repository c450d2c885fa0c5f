// Timing class of POST /v1/contributions for an organisation that is not the family's own
// (issue 10, "no membership oracle"): the answer must not tell, by its time either, whether the BSN
// belongs to a member of one family, of two, or of nobody. A measurement, not a test: it prints the
// median and 90th percentile per case, interleaved in a random order so that drift and wake-ups hit
// every case alike.
//
//   node tests/bench/oracle_timing.mjs [ROUNDS]      (SLUIS_BINARY: default build/sluis)

import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import {repo, startDemoGateway} from '../support/demo_gateway.mjs';

const rounds = Number(process.argv[2] ?? 300);
const gateway = await startDemoGateway(process.env.SLUIS_BINARY ?? path.join(repo, 'build/sluis'));
const pki = path.join(gateway.data, 'pki');
const tls = (org) => ({
  ca: fs.readFileSync(path.join(pki, 'ca.pem')),
  cert: fs.readFileSync(path.join(pki, 'clients', `${org}.pem`)),
  key: fs.readFileSync(path.join(pki, 'clients', `${org}.key`)),
});
const agents = {};
function post(org, target, body) {
  agents[org] ??= new https.Agent({keepAlive: true, maxSockets: 1, ...tls(org)});
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const begin = process.hrtime.bigint();
    const req = https.request({host: '127.0.0.1', port: gateway.port, servername: 'localhost',
      method: 'POST', path: target, agent: agents[org],
      headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(payload)}},
    (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c) => { text += c; });
      res.on('end', () => resolve({status: res.statusCode, text,
        micros: Number(process.hrtime.bigint() - begin) / 1000}));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// The wijkteam registers two families that share a child, and a third with one mother.
const family = (members) => post('wijkteam-noord', '/v1/families',
    {gezinsmanager: {user_id: 'gm-bench', name: 'Bench'}, members});
const person = (bsn, label, role = 'parent') =>
  ({bsn, role, label, date_of_birth: role === 'child' ? '2012-01-01' : '1980-01-01'});
await family([person('111222333', 'moeder')]);
await family([person('123456782', 'kind', 'child')]);
await family([person('123456782', 'pleegkind', 'child')]);

const cases = {'member of one family': '111222333', 'member of two families': '123456782',
  'member of no family': '192837461'};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const shapes = Object.fromEntries(Object.keys(cases).map((k) => [k, new Set()]));
// The example configuration allows an organisation 50 requests per second: stay under it.
const pause = () => new Promise((resolve) => setTimeout(resolve, 70));
for (let i = 0; i < rounds; ++i) {
  await pause();
  // In a random order each round: the first request after the pause wakes the writer and pays
  // for it, and that must not fall on one case.
  const order = Object.entries(cases).map((c, k) => [k, c]).sort(() => Math.random() - 0.5);
  for (const [k, [name, bsn]] of order) {
    const r = await post('ggz-noord', '/v1/contributions', {source_ref: `t-${k}-${i}`, bsn,
      domain: 'psychische-gezondheid', kind: 'goal', category: 'special', status: 'active',
      title: 'Meting'});
    times[name].push(r.micros);
    const body = JSON.parse(r.text);
    delete body.contribution_id;
    delete body.instance;
    shapes[name].add(`${r.status} ${JSON.stringify(body)}`);
  }
}
const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
console.log(`${rounds} submissions per case as ggz-noord, interleaved in random order, one keep-alive connection`);
for (const [name, list] of Object.entries(times)) {
  const sorted = [...list].sort((a, b) => a - b);
  console.log(`${name.padEnd(24)} median ${(at(sorted, 0.5) / 1000).toFixed(2)} ms  ` +
      `p90 ${(at(sorted, 0.9) / 1000).toFixed(2)} ms  answers: ${[...shapes[name]].join(' | ')}`);
}
for (const a of Object.values(agents)) a.destroy();
await gateway.stop();
