// A city portal that signs citizens in with Passerelle, with openid-client (README.md explains each step).
// Node's own http server, sessions in memory: the smallest portal that does everything a Passerelle portal
// must. `node portal.mjs` starts it with the settings below (environment variables).
import { createServer } from 'node:http';
import { createPrivateKey, createPublicKey, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as client from 'openid-client';
import * as jose from 'jose';

const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const SESSION_COOKIE = 'portal_session';
const LOGIN_COOKIE = 'portal_login';
const SESSION_MS = 60 * 60 * 1000; // a portal session lasts an hour at most

/**
 * Starts the portal. Settings:
 * - issuer: Passerelle's issuer URL (discovery is read from it at start);
 * - clientId: the portal's client_id, the name of its file at Passerelle (passerelle/city-portal-node.yml);
 * - baseUrl: where the portal is reached (its redirect_uri, post_logout_redirect_uri and jwks_uri derive from it);
 * - port: the port it listens on;
 * - clientKeyFile: the PKCS#8 PEM file of its RSA key (private_key_jwt);
 * - acrValues: the level of assurance asked for; acceptedAcr: the acr values an ID token may carry.
 * Returns { server, close, backChannelLogouts, sessionCount }.
 */
export async function startPortal(settings) {
  const { issuer, clientId, baseUrl, port, clientKeyFile, acrValues, acceptedAcr } = settings;
  if (!acceptedAcr.includes(acrValues)) {
    throw new Error(`acceptedAcr must contain acrValues (${acrValues})`);
  }

  // Step 4: private_key_jwt. The private key signs the client assertions; the public half is served at /jwks.json.
  const pem = readFileSync(clientKeyFile, 'utf8');
  const publicJwk = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
  const kid = await jose.calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] };
  const signingKey = { key: await jose.importPKCS8(pem, 'RS256'), kid };

  // Step 2: discovery, and the portal's registration as Passerelle knows it. allowInsecureRequests only because
  // the local Passerelle of this guide is http://localhost: leave it out against an https issuer.
  const insecure = new URL(issuer).protocol === 'http:';
  const config = await client.discovery(new URL(issuer), clientId, {
    // Step 5: the ID token's signing algorithm, pinned as in the portal's file (id_token_signed_response_alg).
    id_token_signed_response_alg: 'RS256',
  }, client.PrivateKeyJwt(signingKey), {
    execute: [
      ...(insecure ? [client.allowInsecureRequests] : []),
      // Step 5: verify the ID token's signature against Passerelle's jwks_uri too (openid-client otherwise
      // relies on the TLS connection to the token endpoint alone).
      client.enableNonRepudiationChecks,
    ],
  });
  const metadata = config.serverMetadata();
  const passerelleKeys = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));

  const sessions = new Map();          // portal session id -> { claims, idToken, csrf, expires }
  const logins = new Map();            // login cookie -> { state, nonce, codeVerifier, expires }
  const seenLogoutTokens = new Map();  // jti -> expiry (a logout token is used once)
  const backChannelLogouts = [];       // the verified logout tokens received, newest first (kept: 50)

  async function login(req, res) {
    // Step 3: authorization code with PKCE (S256), a nonce and a state, and the level of assurance asked for.
    const pending = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      expires: Date.now() + 10 * 60 * 1000,
    };
    const id = randomBytes(32).toString('base64url');
    purgeExpired();
    logins.set(id, pending);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: `${baseUrl}/callback`,
      scope: 'openid profile',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      nonce: pending.nonce,
      state: pending.state,
      acr_values: acrValues,
    });
    redirect(res, url.href, cookie(LOGIN_COOKIE, id, 600));
  }

  async function callback(req, res, url) {
    const id = cookies(req)[LOGIN_COOKIE];
    const pending = id && logins.get(id);
    logins.delete(id);
    if (!pending || pending.expires < Date.now()) {
      return page(res, 400, 'Sign-in failed', '<p>This sign-in is unknown or expired. <a href="/">Try again</a>.</p>');
    }
    if (url.searchParams.has('error')) {
      // The citizen cancelled, or Passerelle could not sign them in (access_denied, temporarily_unavailable...).
      console.warn('sign-in not completed:', url.searchParams.get('error'));
      return page(res, 400, 'Not signed in', '<p>The sign-in was not completed. <a href="/">Try again</a>.</p>');
    }
    let tokens;
    try {
      // Step 5: openid-client checks the state, the code exchange (PKCE verifier, client assertion) and the
      // ID token: signature (RS256 only), iss, aud, azp, exp, iat and the nonce.
      tokens = await client.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
        idTokenExpected: true,
      });
    } catch (error) {
      console.warn('sign-in refused:', error.code ?? '', error.message);
      return page(res, 400, 'Sign-in failed', '<p>Passerelle\'s answer did not verify. <a href="/">Try again</a>.</p>');
    }
    const claims = tokens.claims();
    // Step 5: the level of assurance Passerelle verified must be one this portal accepts; otherwise nobody is signed in.
    if (!acceptedAcr.includes(claims.acr)) {
      console.warn(`sign-in refused: acr ${claims.acr} is not one of ${acceptedAcr}`);
      return page(res, 403, 'Sign-in refused', '<p>This portal needs a higher level of assurance.</p>');
    }
    const session = randomBytes(32).toString('base64url');
    sessions.set(session, {
      claims, idToken: tokens.id_token, csrf: randomBytes(16).toString('base64url'), expires: Date.now() + SESSION_MS,
    });
    redirect(res, '/', cookie(SESSION_COOKIE, session, SESSION_MS / 1000), cookie(LOGIN_COOKIE, '', 0));
  }

  // Logins never finished and sessions past their hour are dropped, so memory does not grow with every visit.
  function purgeExpired() {
    const now = Date.now();
    for (const [id, pending] of logins) if (pending.expires < now) logins.delete(id);
    for (const [id, session] of sessions) if (session.expires < now) sessions.delete(id);
  }

  function home(req, res, session) {
    const rows = Object.keys(session.claims).sort().map((name) =>
      `<tr><th>${escape(name)}</th><td id="claim-${escape(name)}">${escape(String(session.claims[name]))}</td></tr>`);
    page(res, 200, `Welcome, ${escape(session.claims.given_name ?? '')}`, `
      <p>Passerelle signed you in at level <strong id="acr">${escape(session.claims.acr)}</strong>.</p>
      <table>${rows.join('\n')}</table>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf" value="${escape(session.csrf)}">
        <button type="submit">Sign out</button>
      </form>`);
  }

  async function logout(req, res, sessionId, session) {
    const form = new URLSearchParams(await body(req));
    if (!session || !equal(form.get('csrf') ?? '', session.csrf)) {
      return redirect(res, '/signed-out', cookie(SESSION_COOKIE, '', 0));
    }
    sessions.delete(sessionId);
    // Step 6: RP-initiated logout at Passerelle's end_session_endpoint, with the ID token as id_token_hint.
    const url = client.buildEndSessionUrl(config, {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: `${baseUrl}/signed-out`,
    });
    redirect(res, url.href, cookie(SESSION_COOKIE, '', 0));
  }

  async function backChannelLogout(req, res) {
    // Step 7: Passerelle posts a logout token when the citizen's Passerelle session ends (OIDC Back-Channel Logout 1.0).
    const token = new URLSearchParams(await body(req)).get('logout_token');
    let claims;
    try {
      ({ payload: claims } = await jose.jwtVerify(token ?? '', passerelleKeys, {
        issuer: metadata.issuer,
        audience: clientId,
        algorithms: ['RS256'],
        typ: 'logout+jwt',
        maxTokenAge: '2 minutes',
        requiredClaims: ['iat', 'jti', 'events'],
      }));
      if (typeof claims.events !== 'object' || !(BACKCHANNEL_LOGOUT_EVENT in claims.events)) {
        throw new Error('no back-channel logout event');
      }
      if (claims.nonce !== undefined) {
        throw new Error('a logout token has no nonce');
      }
      if (!claims.sid && !claims.sub) {
        throw new Error('neither sid nor sub');
      }
      if (seenLogoutTokens.has(claims.jti)) {
        throw new Error('jti already used');
      }
    } catch (error) {
      console.warn('back-channel logout refused:', error.message);
      return json(res, 400, { error: 'invalid_request', error_description: 'the logout token did not verify' });
    }
    const now = Date.now();
    for (const [jti, expiry] of seenLogoutTokens) {
      if (expiry < now) seenLogoutTokens.delete(jti);
    }
    seenLogoutTokens.set(claims.jti, now + 5 * 60 * 1000);
    // End every portal session of that Passerelle session (sid), or of that citizen when only sub is given.
    let ended = 0;
    for (const [id, session] of sessions) {
      if (claims.sid ? session.claims.sid === claims.sid : session.claims.sub === claims.sub) {
        sessions.delete(id);
        ended += 1;
      }
    }
    backChannelLogouts.unshift({ sid: claims.sid, sub: claims.sub, sessionsEnded: ended, at: new Date() });
    backChannelLogouts.length = Math.min(backChannelLogouts.length, 50);
    console.log(`back-channel logout from Passerelle: sid=${claims.sid} ended ${ended} portal session(s)`);
    res.writeHead(200, { 'Cache-Control': 'no-store' }).end();
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, baseUrl);
      const sessionId = cookies(req)[SESSION_COOKIE];
      const found = sessionId && sessions.get(sessionId);
      const session = found && found.expires > Date.now() ? found : undefined;
      const route = `${req.method} ${url.pathname}`;
      if (route === 'GET /') return session ? home(req, res, session) : redirect(res, '/login');
      if (route === 'GET /login') return await login(req, res);
      if (route === 'GET /callback') return await callback(req, res, url);
      if (route === 'POST /logout') return await logout(req, res, sessionId, session);
      if (route === 'POST /backchannel-logout') return await backChannelLogout(req, res);
      if (route === 'GET /jwks.json') return json(res, 200, jwks);
      if (route === 'GET /signed-out') {
        return page(res, 200, 'Signed out', '<p id="signed-out">You are signed out of the portal and of Passerelle.</p>'
          + '<p><a href="/">Sign in again</a></p>');
      }
      page(res, 404, 'Not found', '<p>No such page.</p>');
    } catch (error) {
      console.error('portal error:', error);
      if (!res.headersSent) page(res, 500, 'Error', '<p>Something went wrong.</p>');
    }
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, resolve));
  return {
    server,
    backChannelLogouts,
    sessionCount: () => sessions.size,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function redirect(res, location, ...setCookies) {
  res.writeHead(302, { Location: location, 'Set-Cookie': setCookies, 'Cache-Control': 'no-store' }).end();
}

function page(res, status, title, content) {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    .end(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>City portal</title></head>`
      + `<body><main><h1>${title}</h1>${content}</main></body></html>`);
}

function json(res, status, value) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(value));
}

// HttpOnly: scripts never read it; SameSite=Lax: other sites' forms never post with it. Add Secure behind https.
function cookie(name, value, maxAge) {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;
}

function cookies(req) {
  return Object.fromEntries((req.headers.cookie ?? '').split(';').map((c) => c.trim().split('='))
    .filter(([name, value]) => name && value !== undefined));
}

async function body(req) {
  let data = '';
  for await (const chunk of req) {
    data += chunk;
    if (data.length > 64 * 1024) throw new Error('request body too large');
  }
  return data;
}

function equal(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// `node portal.mjs`: the settings from the environment.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = process.env;
  const port = Number(env.PORTAL_PORT ?? 8081);
  const portal = await startPortal({
    issuer: env.PASSERELLE_ISSUER ?? 'http://localhost:8080',
    clientId: env.PORTAL_CLIENT_ID ?? 'city-portal-node',
    baseUrl: env.PORTAL_BASE_URL ?? `http://localhost:${port}`,
    port,
    clientKeyFile: env.PORTAL_CLIENT_KEY ?? './portal-key.pem',
    acrValues: env.PORTAL_ACR_VALUES ?? 'http://eidas.europa.eu/LoA/substantial',
    acceptedAcr: (env.PORTAL_ACCEPTED_ACR ?? 'http://eidas.europa.eu/LoA/substantial http://eidas.europa.eu/LoA/high').split(' '),
  });
  console.log(`city portal on http://localhost:${port}`);
  process.on('SIGTERM', () => portal.close().then(() => process.exit(0)));
}
