// Runs the Node portal guide end to end against a running Passerelle with the demo on (its mobile-ID provider
// is the citizen's key) and passerelle/city-portal-node.yml in its clients folder, moved to PORTAL_PORT:
//   PASSERELLE_ISSUER=http://localhost:8080 PORTAL_PORT=8081 PORTAL_CLIENT_KEY=./portal-key.pem node e2e.mjs
// A citizen signs in through the portal (Passerelle's key chooser, the demo mobile-ID, the consent page), the
// portal shows the verified claims, signs out through Passerelle and receives the back-channel logout; then a
// sign-out at Passerelle ends a live portal session, and a forged logout token is refused.
// Exit status 0 and a last line "e2e: OK" when every check held; 1 with the failed check otherwise.
import { generateKeyPairSync } from 'node:crypto';
import { startPortal } from './portal.mjs';

const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 90000);
const SUBSTANTIAL = 'http://eidas.europa.eu/LoA/substantial';
const issuer = required('PASSERELLE_ISSUER');
const port = Number(required('PORTAL_PORT'));
const portalUrl = `http://localhost:${port}`;
const clientId = process.env.PORTAL_CLIENT_ID ?? 'city-portal-node';

setTimeout(() => fail(`not finished within ${TIMEOUT_MS} ms`), TIMEOUT_MS).unref();


/** Portal home, Passerelle's key chooser, the demo mobile-ID (citizen), the consent page, back at the portal. */
async function signIn(browser, citizen) {
  const chooser = await browser.open(`${portalUrl}/`);
  check(chooser.url.startsWith(`${issuer}/signin?`), `the portal sent the browser to the key chooser, got ${chooser.url}`);
  const app = await browser.submit(chooser, '/signin/demo-mobile-id');
  check(new URL(app.url).pathname === '/demo/idp/authorize', `at the demo mobile-ID, got ${app.url}`);
  const consent = await browser.submit(app, '/demo/idp/authorize', { citizen });
  check(new URL(consent.url).pathname === '/consent', `at the consent page, got ${consent.url}`);
  const home = await browser.submit(consent, '/consent', { decision: 'allow' });
  check(home.status === 200 && home.url === `${portalUrl}/`, `back at the portal's home, got ${home.status} ${home.url}: ${home.body}`);
  check(home.visited.some((u) => u.startsWith(`${portalUrl}/callback?`)), 'through the portal\'s redirect_uri');
  return home;
}

/** The portal's record of a verified logout token for sid, once it arrived (10 s at most). */
async function awaitLogout(sid) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const found = portal.backChannelLogouts.find((l) => l.sid === sid);
    if (found) return found;
    if (Date.now() > deadline) fail(`no back-channel logout for sid ${sid} reached the portal within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function claim(page, name) {
  const match = page.body.match(new RegExp(`id="claim-${name}">([^<]*)<`));
  return match ? unescape(match[1]) : undefined;
}

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
}

function fail(message) {
  console.error(`e2e: FAILED: ${message}`);
  process.exit(1);
}

function required(name) {
  const value = process.env[name];
  if (!value) fail(`${name} is not set`);
  return value;
}

function unescape(html) {
  return html.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * A citizen's browser: a cookie jar (by host and path, as browsers keep them), redirects followed one by one
 * (every address kept), forms submitted with their hidden inputs, ticked checkboxes and the pressed button.
 */
class Browser {
  cookies = [];

  async open(url) {
    return this.follow(await this.send(url, { method: 'GET' }), url, [url]);
  }

  async submit(page, action, button = {}) {
    for (const [, attributes, content] of page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
      const target = unescape(attr(attributes, 'action') ?? '');
      if (!target.includes(action)) continue;
      const form = new URLSearchParams();
      for (const [, input] of content.matchAll(/<input\b([^>]*)>/g)) {
        const type = attr(input, 'type') ?? 'text';
        if (attr(input, 'name') && (type === 'hidden' || (type === 'checkbox' && attr(input, 'checked') !== undefined))) {
          form.append(attr(input, 'name'), unescape(attr(input, 'value') ?? ''));
        }
      }
      for (const [name, value] of Object.entries(button)) {
        const pressed = [...content.matchAll(/<button\b([^>]*)>/g)]
          .some(([, b]) => attr(b, 'name') === name && unescape(attr(b, 'value') ?? '') === value);
        check(pressed, `a button ${name}=${value} in the form ${target}`);
        form.append(name, value);
      }
      const url = new URL(target, page.url).href;
      const response = await this.send(url, {
        method: 'POST', body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      return this.follow(response, url, [...page.visited, url]);
    }
    throw new Error(`no form posting to ${action} on ${page.url}`);
  }

  async follow(response, url, visited) {
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || !location) {
        return { url, status: response.status, body: await response.text(), visited };
      }
      await response.body?.cancel();
      url = new URL(location, url).href;
      visited.push(url);
      response = await this.send(url, { method: 'GET' });
    }
    throw new Error(`more than 20 redirects: ${visited.join(' ')}`);
  }

  async send(url, init) {
    const target = new URL(url);
    const cookie = this.cookies.filter((c) => c.host === target.hostname && target.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await fetch(url, {
      ...init, redirect: 'manual', signal: AbortSignal.timeout(15000),
      headers: { ...init.headers, Accept: 'text/html', 'Accept-Language': 'en', ...(cookie ? { Cookie: cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...options] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const option = (key) => options.find((o) => o.toLowerCase().startsWith(`${key}=`))?.split('=')[1];
      const path = option('path') ?? target.pathname.replace(/\/[^/]*$/, '') ?? '/';
      const expired = option('max-age') === '0' || (option('expires') && new Date(option('expires')) < new Date());
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === target.hostname && c.path === path));
      if (!expired) this.cookies.push({ name, value, host: target.hostname, path: path || '/' });
    }
    return response;
  }
}

function attr(tag, name) {
  const match = tag.match(new RegExp(`(?:^|\\s)${name}(?:="([^"]*)")?(?=\\s|$|/)`, 'i'));
  return match ? (match[1] ?? '') : undefined;
}

// The checks run last: the helpers and the Browser class above are defined by then.
const portal = await startPortal({
  issuer, clientId, baseUrl: portalUrl, port, clientKeyFile: required('PORTAL_CLIENT_KEY'),
  acrValues: SUBSTANTIAL, acceptedAcr: [SUBSTANTIAL, 'http://eidas.europa.eu/LoA/high'],
});
try {
  // 1. Sign in through the portal, then sign out through Passerelle (RP-initiated logout).
  const browser = new Browser();
  const home = await signIn(browser, 'demo-sam');
  const authorize = home.visited.find((u) => u.startsWith(`${issuer}/oauth2/authorize?`));
  check(authorize, 'the portal sent the browser to Passerelle');
  const query = new URL(authorize).searchParams;
  check(query.get('code_challenge_method') === 'S256' && query.get('code_challenge'), 'PKCE S256 in the request');
  check(query.get('nonce') && query.get('state'), 'a nonce and a state in the request');
  check(query.get('acr_values') === SUBSTANTIAL, `acr_values ${SUBSTANTIAL} in the request`);
  check(claim(home, 'acr') === SUBSTANTIAL, `the portal shows acr ${SUBSTANTIAL}, got ${claim(home, 'acr')}`);
  check(claim(home, 'given_name') === 'Sam' && claim(home, 'family_name') === 'Janssens', 'the portal shows the citizen');
  check(claim(home, 'iss') === issuer && claim(home, 'aud').includes(clientId), 'iss and aud shown');
  const sid = claim(home, 'sid');
  check(sid, 'the ID token has a sid');
  console.log(`signed in: acr=${claim(home, 'acr')} sid=${sid}`);

  const signedOut = await browser.submit(home, '/logout');
  const endSession = signedOut.visited.find((u) => u.startsWith(`${issuer}/connect/logout?`));
  check(endSession && new URL(endSession).searchParams.get('id_token_hint'), 'sent to end_session_endpoint with id_token_hint');
  check(signedOut.url.startsWith(`${portalUrl}/signed-out`) && signedOut.body.includes('id="signed-out"'),
    `back at the post_logout_redirect_uri, got ${signedOut.url}`);
  await awaitLogout(sid);
  console.log(`RP-initiated logout: back-channel logout received for sid=${sid}`);
  const again = await browser.open(`${portalUrl}/`);
  check(again.url.startsWith(`${issuer}/signin?`), `signed out of both: sent to the key chooser, got ${again.url}`);

  // 2. A sign-out at Passerelle (not at the portal) ends the live portal session by back-channel logout.
  const second = new Browser();
  const live = await signIn(second, 'demo-luc');
  const liveSid = claim(live, 'sid');
  const confirm = await second.open(`${issuer}/connect/logout`);
  const done = await second.submit(confirm, '/signout', { decision: 'yes' });
  check(done.status === 200, `Passerelle signed the citizen out, got ${done.status}`);
  const received = await awaitLogout(liveSid);
  check(received.sessionsEnded === 1, `the logout token ended the portal session, ended ${received.sessionsEnded}`);
  check((await second.open(`${portalUrl}/`)).url.startsWith(`${issuer}/signin?`), 'the portal asks to sign in again');
  console.log(`sign-out at Passerelle: back-channel logout ended the portal session of sid=${liveSid}`);

  // 3. An authorization response the browser did not start signs nobody in.
  const stranger = new Browser();
  const forgedAnswer = await stranger.open(`${portalUrl}/callback?code=forged&state=forged`);
  check(forgedAnswer.status === 400 && !forgedAnswer.body.includes('id="claim-'), `a forged callback is refused, got ${forgedAnswer.status}`);
  check((await stranger.open(`${portalUrl}/`)).url.startsWith(`${issuer}/signin?`), 'nobody signed in by a forged callback');
  console.log('forged authorization response refused');

  // 4. A logout token not signed by Passerelle is refused.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { SignJWT } = await import('jose');
  const forged = await new SignJWT({ sid: liveSid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })
    .setProtectedHeader({ alg: 'RS256', typ: 'logout+jwt', kid: 'stranger' }).setIssuer(issuer).setAudience(clientId)
    .setIssuedAt().setJti('forged-1').sign(privateKey);
  const before = portal.backChannelLogouts.length;
  const answer = await fetch(`${portalUrl}/backchannel-logout`, {
    method: 'POST', body: new URLSearchParams({ logout_token: forged }),
  });
  check(answer.status === 400 && portal.backChannelLogouts.length === before, `a forged logout token is refused, got ${answer.status}`);
  console.log('forged logout token refused');
  console.log('e2e: OK');
} catch (error) {
  fail(error.message);
} finally {
  await portal.close();
}
process.exit(0);
