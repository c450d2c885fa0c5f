// For the Node.js tests (the browser test, the API conformance test): the real `sluis` binary on
// a throw-away data directory with the demo loaded, and TOTP codes as an authenticator app makes.

import {spawn, spawnSync} from 'node:child_process';
import {createHmac} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// ---- TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) ----

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error('TOTP secret is not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secretBase32, unixSeconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) |
      (mac[offset + 2] << 8) | mac[offset + 3];
  return String(number % 1_000_000).padStart(6, '0');
}

// ---- the gateway ----

function run(args) {
  const r = spawnSync(args[0], args.slice(1), {cwd: repo, encoding: 'utf8'});
  if (r.status !== 0) {
    throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

// Makes a dev PKI, initialises a data directory with the example configuration and policy, loads
// the demo and starts `sluis serve` on a free port. Resolves to {baseUrl, port, data, demo, log(),
// stop()}; stop() ends the server and removes the directory.
export async function startDemoGateway(binary) {
  if (!binary) throw new Error('set SLUIS_BINARY to the sluis binary (CTest does)');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluis-node-'));
  const data = path.join(work, 'data');
  const keyFile = path.join(data, 'kek.key');
  run([path.join(repo, 'deploy/dev-pki.sh'), data]);
  run([binary, 'init', '--data', data, '--key-file', keyFile, '--create-key-file', '--config',
    path.join(repo, 'deploy/config.example.toml'), '--policy',
    path.join(repo, 'deploy/policy.example.toml')]);
  const demo = JSON.parse(
      run([binary, 'demo', 'load', '--data', data, '--key-file', keyFile, '--json'])
          .trim().split('\n').pop());
  let log = '';
  const server = spawn(binary, ['serve', '--data', data, '--key-file', keyFile, '--listen',
    '127.0.0.1', '--port', '0'], {cwd: repo});
  const port = await new Promise((resolve, reject) => {
    const onOutput = (chunk) => {
      log += chunk;
      const m = /listening on https:\/\/[^:/]+:(\d+)\//.exec(log);
      if (m) resolve(Number(m[1]));
    };
    server.stdout.setEncoding('utf8').on('data', onOutput);
    server.stderr.setEncoding('utf8').on('data', onOutput);
    server.on('exit', (code) => reject(new Error(`sluis serve exited (${code}):\n${log}`)));
  });
  return {
    // The dev certificate names localhost.
    baseUrl: `https://localhost:${port}`,
    port,
    data,
    demo,
    log: () => log,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(work, {recursive: true, force: true});
    },
  };
}
