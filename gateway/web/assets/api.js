// The JSON API of the gateway, as the pages use it. Same origin only; the session cookie is
// HttpOnly, so scripts never see it: they hold only the CSRF token, which every state-changing
// request sends in X-CSRF-Token.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function request(method, path, {json, text} = {}) {
  const headers = {'Accept': 'application/json'};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    body = text;
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, {method, headers, body, credentials: 'same-origin', cache: 'no-store'});
  } catch {
    throw new ApiError(0, null);
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) {
    const err = new ApiError(res.status, typeof data === 'object' ? data : null);
    // An expired session anywhere sends the person back to the login page.
    if (res.status === 401 && path !== '/v1/session') {
      window.dispatchEvent(new CustomEvent('sluis:sessie-verlopen'));
    }
    throw err;
  }
  return data;
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, json) => request('POST', path, {json: json ?? {}}),
  postText: (path, text) => request('POST', path, {text}),
  putText: (path, text) => request('PUT', path, {text}),
  del: (path) => request('DELETE', path),
};

// Path segments from data (ids) are always encoded.
export const seg = (value) => encodeURIComponent(String(value));
