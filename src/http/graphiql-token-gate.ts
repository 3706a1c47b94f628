import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

type RenderOptions = Parameters<typeof renderGraphiQL>[0];

/**
 * GraphiQL with a token gate, so a newcomer's first screen works: the page asks for the token
 * before GraphiQL starts, checks it (`{ me { name } }`), keeps it in this browser's
 * localStorage, and starts GraphiQL with it as the `Authorization` header, so the schema loads
 * at once. Authentication is unchanged: the token only ever travels in that header, every request
 * is checked as before, and the page itself holds nothing secret.
 *
 * The one dependency on how @graphql-yoga/render-graphiql works inside: its page defines the
 * global `YogaGraphiQL` and then calls `YogaGraphiQL.renderYogaGraphiQL(root, options)`. The
 * gate takes that call over (see GATE_SCRIPT); test/unit/graphiql-token-gate.test.ts fails when
 * the page no longer makes it, and the browser test when the gate no longer works.
 */
export function renderGraphiQLWithTokenGate(options?: RenderOptions): string {
  const page = renderGraphiQL(options);
  return page.replace(
    '</head>',
    `<style>${GATE_STYLE}</style><script>${GATE_SCRIPT}</script></head>`,
  );
}

/** Where the browser keeps the token. */
export const TOKEN_STORAGE_KEY = 'streamgate:token';

const GATE_SCRIPT = `
(() => {
  const KEY = ${JSON.stringify(TOKEN_STORAGE_KEY)};
  let graphiql;
  // The library's page assigns the global, then calls renderYogaGraphiQL on it: hand it a view
  // whose renderYogaGraphiQL waits for a token first.
  Object.defineProperty(globalThis, 'YogaGraphiQL', {
    configurable: true,
    set(value) { graphiql = value; },
    get() {
      if (!graphiql) return graphiql;
      return new Proxy(graphiql, {
        get(target, name) {
          return name === 'renderYogaGraphiQL' ? gatedRender(target.renderYogaGraphiQL) : target[name];
        },
      });
    },
  });

  const storage = {
    get() { try { return localStorage.getItem(KEY); } catch { return null; } },
    set(token) { try { localStorage.setItem(KEY, token); } catch {} },
    clear() { try { localStorage.removeItem(KEY); } catch {} },
  };

  async function whoIs(endpoint, token) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    const body = await response.json();
    if (body.data && body.data.me) return { name: body.data.me.name };
    const error = (body.errors && body.errors[0]) || {};
    const code = (error.extensions && error.extensions.code) || 'HTTP ' + response.status;
    return { error: code + ': ' + (error.message || 'the token was refused') };
  }

  function gatedRender(render) {
    return (root, options) => {
      const endpoint = (options && options.endpoint) || location.pathname;
      const start = (token, name) => {
        storage.set(token);
        showIdentity(name);
        render(root, Object.assign({}, options, {
          headers: JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2),
        }));
      };
      const saved = storage.get();
      if (!saved) return askForToken(endpoint, start);
      whoIs(endpoint, saved).then(
        (who) => {
          if (who.name !== undefined) return start(saved, who.name);
          storage.clear();
          askForToken(endpoint, start, 'The saved token was refused (' + who.error + '). Enter a token.');
        },
        () => askForToken(endpoint, start, 'The gateway could not be reached. Try again.'),
      );
    };
  }

  function askForToken(endpoint, start, problem) {
    const form = document.createElement('form');
    form.className = 'streamgate-gate';
    form.innerHTML =
      '<h1>Streamgate</h1>' +
      '<p>Enter a token to load the schema and run queries and subscriptions.</p>' +
      '<label for="streamgate-token">Token</label>' +
      '<input id="streamgate-token" name="token" type="password" autocomplete="off" spellcheck="false" required>' +
      '<p class="streamgate-problem" role="alert"></p>' +
      '<button type="submit">Open GraphiQL</button>' +
      '<p class="streamgate-hint">Kept in this browser only and sent as the Authorization header. ' +
      'The admin token of <code>npm start</code> is in <code>./data/admin-token</code>.</p>';
    const input = form.querySelector('input');
    const problemLine = form.querySelector('.streamgate-problem');
    problemLine.textContent = problem || '';
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const token = input.value.trim().replace(/^bearer\\s+/i, '');
      problemLine.textContent = 'Checking…';
      try {
        const who = await whoIs(endpoint, token);
        if (who.name === undefined) { problemLine.textContent = who.error; return; }
        form.remove();
        start(token, who.name);
      } catch {
        problemLine.textContent = 'The gateway could not be reached. Try again.';
      }
    });
    document.body.appendChild(form);
    input.focus();
  }

  function showIdentity(name) {
    const bar = document.createElement('div');
    bar.className = 'streamgate-identity';
    const who = document.createElement('span');
    who.textContent = 'Token: ' + name;
    const change = document.createElement('button');
    change.type = 'button';
    change.textContent = 'Change token';
    change.addEventListener('click', () => { storage.clear(); location.reload(); });
    bar.append(who, change);
    document.body.appendChild(bar);
  }
})();
`;

const GATE_STYLE = `
.streamgate-gate { position: fixed; inset: 0; margin: auto; width: min(28rem, 90vw); height: fit-content;
  padding: 2rem; border-radius: 12px; background: #fff; color: #1b2240; z-index: 1000;
  box-shadow: 0 10px 40px rgba(0,0,0,.25); font: 15px/1.5 system-ui, sans-serif; }
.streamgate-gate h1 { margin: 0 0 .5rem; font-size: 1.4rem; }
.streamgate-gate label { display: block; font-weight: 600; margin-top: 1rem; }
.streamgate-gate input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem;
  font: 14px ui-monospace, monospace; border: 1px solid #9aa3b8; border-radius: 6px; }
.streamgate-gate button { margin-top: .5rem; padding: .5rem 1rem; border: 0; border-radius: 6px;
  background: #e10098; color: #fff; font-weight: 600; cursor: pointer; }
.streamgate-problem { color: #b00020; min-height: 1.5em; margin: .5rem 0 0; }
.streamgate-hint { color: #5c6684; font-size: 13px; }
.streamgate-identity { position: fixed; bottom: 8px; right: 16px; z-index: 1000; display: flex; gap: .5rem;
  align-items: center; font: 12px system-ui, sans-serif; color: #5c6684; }
.streamgate-identity button { font: inherit; padding: 2px 8px; border: 1px solid #9aa3b8;
  border-radius: 4px; background: transparent; color: inherit; cursor: pointer; }
`;
