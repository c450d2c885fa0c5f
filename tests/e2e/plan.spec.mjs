// The web UI in a real browser: Debian's chromium, headless, driven by playwright-core, against the
// real gateway binary on a fresh data directory with the demo data. Run by CTest (label e2e):
//
//   SLUIS_BINARY=build-debug-asan/sluis node tests/e2e/plan.spec.mjs
//
// Environment: SLUIS_BINARY (the sluis binary; required), SLUIS_E2E_ARTIFACTS (where screenshots
// and the server log go; default tests/e2e/artifacts), SLUIS_E2E_DOCS_SCREENSHOT=1 (also write the
// family plan to docs/screenshots/gezinsplan.png, for the README), SLUIS_CHROMIUM (default
// /usr/bin/chromium).
//
// The story (issue 5): a gezinsmanager logs in with a TOTP code computed here, opens a family, sees
// a GGZ item hidden with its reason, records the missing consent through the form, sees the item
// appear, withdraws the consent and sees it hidden again; a procesmanager then sees the families
// without any of the text the gezinsmanager saw. Throughout, the page may load nothing from
// another origin and must cause no Content-Security-Policy violation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';

import {startDemoGateway, totp} from '../support/demo_gateway.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const binary = process.env.SLUIS_BINARY;
const artifacts = path.resolve(process.env.SLUIS_E2E_ARTIFACTS || path.join(here, 'artifacts'));
const chromiumPath = process.env.SLUIS_CHROMIUM || '/usr/bin/chromium';

// RFC 6238 appendix B, SHA-1, truncated to 6 digits: the helper is right before anything uses it.
test('TOTP helper matches the RFC 6238 test vectors', () => {
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';  // "12345678901234567890"
  assert.equal(totp(secret, 59), '287082');
  assert.equal(totp(secret, 1111111109), '081804');
  assert.equal(totp(secret, 2000000000), '279037');
});

// ---- the gateway under test ----

let gateway = null;
let baseUrl = '';
let demo = null;
let browser = null;
let work = '';

async function newBrowser(timezoneId = 'Europe/Amsterdam', profileName = 'chromium-profile') {
  let chromium;
  try {
    ({chromium} = await import('playwright-core'));
  } catch {
    throw new Error('playwright-core is not installed: run `npm ci` in tests/e2e ' +
        '(./deploy/dev.sh test does this)');
  }
  assert.ok(fs.existsSync(chromiumPath), `no browser at ${chromiumPath}: apt-get install chromium`);
  const profile = path.join(work, profileName);  // fresh for every run
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic'],
    ignoreHTTPSErrors: true,  // the dev CA of this run's throw-away PKI
    viewport: {width: 1280, height: 900},
    locale: 'nl-NL',
    timezoneId,
  });
}

before(async () => {
  fs.mkdirSync(artifacts, {recursive: true});
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluis-e2e-'));
  gateway = await startDemoGateway(binary);
  ({baseUrl, demo} = gateway);
  browser = await newBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  if (gateway) fs.writeFileSync(path.join(artifacts, 'server.log'), gateway.log());
  await gateway?.stop();
  fs.rmSync(work, {recursive: true, force: true});
});

// ---- helpers ----

function user(id) {
  const u = demo.users.find((x) => x.id === id);
  assert.ok(u, `demo user ${id}`);
  return u;
}

// A page that records every request to another origin (and refuses it: the UI must work offline),
// every CSP violation and every script error.
async function openPage() {
  await browser.clearCookies();  // one profile for the run: each page starts signed out
  const page = await browser.newPage();
  const problems = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(baseUrl) || url.startsWith('data:')) return route.continue();
    problems.push(`request to another origin: ${url}`);
    return route.abort();
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource: the server responded/.test(msg.text())) {
      problems.push(`console error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('dialog', (dialog) => dialog.accept());  // the "withdraw this consent?" confirmation
  return {page, problems};
}

// A TOTP code is accepted once: a second login of the same person uses the next step's code
// (the server accepts one step of clock drift).
const lastStep = new Map();

async function logIn(page, id) {
  const u = user(id);
  let step = Math.floor(Date.now() / 1000 / 30);
  if (lastStep.has(id) && lastStep.get(id) >= step) step = lastStep.get(id) + 1;
  lastStep.set(id, step);
  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', {name: 'Inloggen'}).waitFor();
  await page.getByLabel('Gebruikersnaam').fill(u.id);
  await page.getByLabel('Wachtwoord').fill(u.password);
  await page.getByLabel('Code uit uw authenticator-app').fill(totp(u.totp_secret, step * 30));
  await page.getByRole('button', {name: 'Inloggen'}).click();
  await page.getByRole('button', {name: 'Uitloggen'}).waitFor();
}

async function shoot(page, name) {
  await page.screenshot({path: path.join(artifacts, `${name}.png`), fullPage: true});
}

// Every title and body the logged-in person can read in the plans of their families.
function textsOfAllPlans(page) {
  return page.evaluate(async () => {
    const get = async (url) => (await fetch(url, {credentials: 'same-origin'})).json();
    const out = [];
    for (const f of (await get('/v1/me/families')).families) {
      const plan = await get(`/v1/plans/${encodeURIComponent(f.family_id)}`);
      for (const d of plan.domains) {
        for (const list of ['goals', 'actions', 'evaluations', 'deadlines', 'notes', 'involvements']) {
          for (const item of d[list]) {
            if (item.title) out.push(item.title);
            if (item.body) out.push(item.body);
          }
        }
      }
    }
    return out;
  });
}

// What the gezinsmanager could read (with the GGZ consent in force), for the procesmanager test.
let gezinsmanagerTexts = [];

const ggzDomain = (page) => page.locator('section.domein[data-domein="psychische-gezondheid"]');
const ggzGoal = 'Behandeling van de depressieve klachten van moeder';

// ---- the story ----

// Runs `steps` on a fresh page; on failure keeps a screenshot of where it stopped.
async function onPage(name, steps) {
  const {page, problems} = await openPage();
  try {
    await steps(page, problems);
  } catch (err) {
    await page.screenshot({path: path.join(artifacts, `failed-${name}.png`), fullPage: true})
        .catch(() => {});
    throw err;
  } finally {
    await page.close();
  }
}

test('a gezinsmanager sees a GGZ item hidden, records consent, sees it, withdraws it', () =>
  onPage('gezinsmanager', async (page, problems) => {
  await logIn(page, 'gm-jansen');

  await page.getByRole('heading', {name: 'Mijn gezinnen'}).waitFor();
  const family = demo.families.find((f) => f.gezinsmanager === 'gm-jansen' && f.label === 'Gezin V.');
  assert.ok(family, 'the demo has Gezin V. for gm-jansen');
  await shoot(page, '01-mijn-gezinnen');
  await page.getByRole('link', {name: family.label, exact: true}).click();
  await page.waitForURL(`**/#/gezin/${family.family_id}`);
  // The URL holds the random family id and nothing else.
  assert.match(new URL(page.url()).hash, /^#\/gezin\/[A-Za-z0-9_-]+$/);

  // Hidden, with its reason and what to do about it.
  await page.getByRole('heading', {name: `Gezinsplan ${family.label}`}).waitFor();
  const notice = ggzDomain(page).locator('.verborgen');
  await notice.waitFor();
  const noticeText = await notice.innerText();
  assert.match(noticeText, /verborgen/);
  assert.match(noticeText, /Ontbrekende toestemming: /);
  assert.match(noticeText, /moeder/);
  assert.match(noticeText, / — vraag [^\n]*om toestemming/);  // what to do about it
  assert.equal(await page.getByText(ggzGoal).count(), 0, 'the GGZ goal is not on the page');
  await shoot(page, '02-gezinsplan-verborgen');
  if (process.env.SLUIS_E2E_DOCS_SCREENSHOT) {
    fs.mkdirSync(path.join(repo, 'docs/screenshots'), {recursive: true});
    await page.screenshot({path: path.join(repo, 'docs/screenshots/gezinsplan.png'), fullPage: true});
  }

  // Record the missing consent: the mother, for her GGZ (special category) data, to the
  // gezinsmanager.
  await page.getByRole('link', {name: 'Toestemming vastleggen'}).click();
  await page.getByRole('heading', {name: 'Toestemming vastleggen'}).waitFor();
  const moeder = await page.locator('#toestemming-over option', {hasText: /^moeder/}).getAttribute('value');
  await page.getByLabel('Over wie gaat de toestemming?').selectOption(moeder);
  await page.getByRole('group', {name: 'Getekend door'}).getByLabel(/^moeder/).check();
  await page.getByLabel('De gezinsmanager van dit gezin').check();
  await page.getByLabel(/^Bijzondere persoonsgegevens/).check();
  await page.getByLabel('Psychische gezondheid').check();
  await page.getByLabel('Kenmerk van het getekende formulier').fill('TV-E2E-0001');
  await shoot(page, '03-toestemming-formulier');
  await page.getByRole('button', {name: 'Toestemming vastleggen'}).click();

  // Back on the plan: the GGZ goal is there and the notice for that domain is gone.
  await page.getByRole('heading', {name: `Gezinsplan ${family.label}`}).waitFor();
  await ggzDomain(page).getByText(ggzGoal).waitFor();
  assert.equal(await ggzDomain(page).locator('.verborgen').count(), 0);
  await shoot(page, '04-gezinsplan-met-toestemming');
  gezinsmanagerTexts = await textsOfAllPlans(page);

  // Withdraw it: hidden again, at once.
  const consent = page.locator('li[data-toestemming][data-status="valid"]', {hasText: 'Psychische gezondheid'});
  assert.equal(await consent.count(), 1, 'exactly one valid consent covers GGZ data');
  await consent.getByRole('button', {name: /intrekken/i}).click();
  await page.getByText('De toestemming is ingetrokken').waitFor();
  await ggzDomain(page).locator('.verborgen').waitFor();
  assert.equal(await page.getByText(ggzGoal).count(), 0, 'the GGZ goal is hidden again');
  assert.match(await ggzDomain(page).locator('.verborgen').innerText(), /toestemming/);
  await shoot(page, '05-gezinsplan-ingetrokken');

  assert.deepEqual(problems, []);
}));

// The consent form starts from the date the server counts in (UTC), in any time zone. The browser
// runs in a zone whose date differs from UTC's right now (UTC+14 from 10:00 UTC, else UTC-12), so a
// form that took the local date fails here at any hour, not only between midnight in the
// Netherlands and midnight UTC (when a consent given "today" did not count for an hour or two).
test('the consent form starts from the UTC date the server counts in, in any time zone',
    async () => {
  const zone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Etc/GMT+12';
  const far = await newBrowser(zone, 'chromium-profile-far');
  try {
    const page = await far.newPage();
    await logIn(page, 'gm-jansen');
    const family = demo.families.find((f) => f.gezinsmanager === 'gm-jansen' && f.label === 'Gezin V.');
    const localDate = await page.evaluate(() => new Date().toLocaleDateString('sv-SE'));
    const utcDate = new Date().toISOString().slice(0, 10);
    assert.notEqual(localDate, utcDate, `${zone} has another date than UTC now`);
    await page.goto(`${baseUrl}/#/gezin/${family.family_id}`);
    await page.getByRole('link', {name: 'Toestemming vastleggen'}).click();
    await page.getByRole('heading', {name: 'Toestemming vastleggen'}).waitFor();
    assert.equal(await page.locator('#toestemming-van').inputValue(), utcDate);
    assert.equal(await page.locator('#toestemming-getekend').inputValue(), utcDate);
  } finally {
    await far.close();
  }
});

test('a procesmanager sees the families with status only, no text', () =>
  onPage('procesmanager', async (page, problems) => {
  assert.ok(gezinsmanagerTexts.length > 10, 'the gezinsmanager test gathered the texts she saw');
  await logIn(page, 'pm-visser');
  await page.getByRole('heading', {name: 'Overzicht gezinnen'}).waitFor();
  await page.locator('table tbody tr').first().waitFor();
  await shoot(page, '06-overzicht-procesmanager');
  const shown = await page.locator('body').innerText();
  for (const text of gezinsmanagerTexts) {
    assert.ok(!shown.includes(text), `the procesmanager's page shows contribution text: "${text}"`);
  }
  // And the JSON behind it carries no text fields either.
  const oversight = await page.evaluate(async () =>
    (await fetch('/v1/oversight', {credentials: 'same-origin'})).text());
  // The family's label ("Gezin V.") and its gezinsmanager are shown as the policy's [oversight]
  // allows; the plans' text never is.
  for (const key of ['"title"', '"body"', '"owner"']) {
    assert.ok(!oversight.includes(key), `oversight JSON has ${key}`);
  }
  assert.deepEqual(problems, []);
}));

// ---- every page of every role (issue 10) ----

const axeSource = fs.readFileSync(path.join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

// The pages a role has, as the menu and the family list lead to them.
const pagesOf = {
  'gm-bakker': ['#/gezinnen', 'FAMILY', 'FAMILY/toestemming', 'FAMILY/doorbreking'],
  'ggz-devries': ['#/gezinnen', 'FAMILY', 'FAMILY/doorbreking'],
  'pm-visser': ['#/overzicht'],
  'fg-dekker': ['#/privacy/audit', '#/privacy/doorbrekingen', '#/privacy/beleid'],
  'beheer': ['#/beheer'],
};

// What a page's buttons do, beyond loading: each must give its result, not an error.
const actionsOn = {
  '#/privacy/beleid': async (page) => {
    await page.getByRole('button', {name: 'Controleren'}).click();
    await page.getByText('Geen fouten gevonden.').waitFor();
    await page.getByLabel('Scenario (TOML)').fill(
        fs.readFileSync(path.join(repo, 'deploy/scenario.example.toml'), 'utf8'));
    await page.getByRole('button', {name: 'Simuleren'}).click();
    await page.locator('pre.code').waitFor();
    assert.match(await page.locator('pre.code').innerText(), /"level"/);
  },
  '#/beheer': async (page) => {
    await page.getByRole('button', {name: 'Beleid opnieuw inlezen'}).click();
    await page.getByText(/Beleid opnieuw ingelezen/).waitFor({state: 'attached'});
  },
};

// Waits until the page has rendered its content: a first-level heading in the main area and no
// "loading" state left.
async function settled(page) {
  await page.locator('#inhoud h1').first().waitFor();
  await page.waitForLoadState('networkidle');
}

async function axeViolations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') still holds for
  // the page itself.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {resultTypes: ['violations']});
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

for (const [login, pages] of Object.entries(pagesOf)) {
  test(`every page of ${login} loads without errors or accessibility violations`, () =>
    onPage(`pages-${login}`, async (page, problems) => {
    await logIn(page, login);
    // From here on (the signed-out check before the login answers 401 by design) every request
    // must succeed.
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`failed request: ${res.status()} ${res.url().replace(/fam-[0-9a-f]+/g, 'fam-…')}`);
    });
    page.on('requestfailed', (req) => problems.push(`failed request: ${req.url()}`));
    await settled(page);
    // A gezinsmanager's first own family; for a professional (who has no family list and opens a
    // family by its id) Gezin V., where her GGZ team contributes.
    const own = demo.families.find((f) => f.gezinsmanager === login);
    const family = (own ?? demo.families.find((f) => f.label === 'Gezin V.')).family_id;
    for (const [i, hash] of pages.entries()) {
      await page.goto(`${baseUrl}/${hash.replace('FAMILY', `#/gezin/${family}`)}`);
      await settled(page);
      await actionsOn[hash]?.(page);
      await shoot(page, `page-${login}-${i + 1}`);
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `axe-core on ${hash} of ${login}`);
    }
    assert.deepEqual(problems, []);
  }));
}

test('the page shell carries the security headers', async () => {
  const {page} = await openPage();
  const res = await page.goto(`${baseUrl}/`);
  const headers = res.headers();
  assert.match(headers['content-security-policy'], /script-src 'self'/);
  assert.doesNotMatch(headers['content-security-policy'], /unsafe-inline/);
  assert.equal(headers['x-frame-options'], 'DENY');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  await page.close();
});

// Issue 12: a privacy officer activates a changed policy only through its diff. Last in this
// file, and the policy in force is put back afterwards the same way.
test('the privacy officer activates a changed policy after reading what it grants', () =>
  onPage('policy-diff', async (page, problems) => {
  await logIn(page, 'fg-dekker');
  await page.goto(`${baseUrl}/#/privacy/beleid`);
  await settled(page);
  const editor = page.getByLabel('Beleidstekst (TOML)');
  const original = await editor.inputValue();
  assert.match(original, /child_alone_from_age = 16/);
  const before = await page.evaluate(async () =>
    (await (await fetch('/v1/policy', {credentials: 'same-origin'})).json()).version);

  // From 16 to 15: a 15-year-old's own consent now counts, and a family consent lacking a
  // 15-year-old's signature no longer does.
  await editor.fill(original.replace('child_alone_from_age = 16', 'child_alone_from_age = 15'));
  await page.getByRole('button', {name: 'Activeren'}).click();
  const added = page.locator('section.verschil').filter({hasText: 'Meer zichtbaar'});
  await added.waitFor();
  assert.match(await added.innerText(), /een gezinslid van 15 jaar · toestemming van het gezinslid zelf/);
  const removed = page.locator('section.verschil').filter({hasText: 'Minder zichtbaar'});
  assert.match(await removed.innerText(), /gezinstoestemming zonder handtekening van een gezinslid van 15 jaar/);
  assert.match(await page.locator('section.verschil').filter({hasText: 'Gewijzigde instellingen'}).innerText(),
      /\[consent\] child_alone_from_age: 16 → 15/);
  assert.match(await added.innerText(), /: niets → alles/);
  // Nothing is in force until it is confirmed.
  const stillBefore = await page.evaluate(async () =>
    (await (await fetch('/v1/policy', {credentials: 'same-origin'})).json()).version);
  assert.equal(stillBefore, before);
  await shoot(page, 'policy-diff');
  assert.deepEqual(await axeViolations(page), [], 'axe-core on the policy diff');

  await page.getByRole('button', {name: 'Bevestigen en activeren'}).click();
  await page.getByText(/Beleid geactiveerd/).waitFor({state: 'attached'});
  const after = await page.evaluate(async () =>
    (await (await fetch('/v1/policy', {credentials: 'same-origin'})).json()));
  assert.notEqual(after.version, before);
  assert.match(after.text, /child_alone_from_age = 15/);

  // The audit entry of the activation carries the diff's counts.
  const entries = await page.evaluate(async () =>
    (await (await fetch('/v1/audit?action=policy.activate&limit=1', {credentials: 'same-origin'})).json()));
  const entry = (entries.entries ?? entries.items ?? [])[0];
  assert.ok(entry, JSON.stringify(entries).slice(0, 300));
  assert.ok(entry.detail?.diff?.added > 0, JSON.stringify(entry));

  // Back to the policy the other tests expect, through the same two steps; cancelled once first,
  // which changes nothing.
  await page.getByLabel('Beleidstekst (TOML)').fill(original);
  await page.getByRole('button', {name: 'Activeren'}).click();
  await page.getByRole('button', {name: 'Annuleren'}).click();
  await page.locator('section.verschil').first().waitFor({state: 'detached'});
  const afterCancel = await page.evaluate(async () =>
    (await (await fetch('/v1/policy', {credentials: 'same-origin'})).json()).version);
  assert.equal(afterCancel, after.version);
  await page.getByRole('button', {name: 'Activeren'}).click();
  await page.getByRole('button', {name: 'Bevestigen en activeren'}).click();
  // The announcement of the first activation is still there: wait for this one's version.
  await page.getByText(`Beleid geactiveerd (versie ${before.slice(0, 12)}).`).waitFor({state: 'attached'});
  const restored = await page.evaluate(async () =>
    (await (await fetch('/v1/policy', {credentials: 'same-origin'})).json()).version);
  assert.equal(restored, before);
  assert.deepEqual(problems, []);
}));
