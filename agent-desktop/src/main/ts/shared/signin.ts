// Staff sign-in (clerk desktop, wallboard): a password form posting to the session endpoint; the
// server answers with a Secure, HttpOnly session cookie that the WebSocket hello then relies on.

import { h } from './dom.js';
import { button, field, text } from './components.js';
import { t } from './i18n.js';
import { Rest } from './protocol.js';

/** The User of docs/openapi.yaml. */
export interface StaffUser { id: string; name: string; role: string; expiresAt: number }

/** The signed-in staff member, or null (401) so the page shows the sign-in form. */
export async function currentUser(): Promise<StaffUser | null> {
  const response = await fetch(Rest.me, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).catch(() => null);
  if (!response || response.status !== 200) return null;
  return (await response.json().catch(() => null)) as StaffUser | null;
}

export async function signOut(): Promise<void> {
  await fetch(Rest.logout, { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
}

export function signInForm(onSignedIn: (user: StaffUser) => void): HTMLElement {
  const username = h('input', { id: 'signin-username', class: 'input', autocomplete: 'username', spellcheck: 'false', required: true });
  const password = h('input', { id: 'signin-password', class: 'input', type: 'password', autocomplete: 'current-password', required: true });
  const userField = field(username, text('span', 'signin.username'));
  const passwordField = field(password, text('span', 'signin.password'));
  const problem = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
  const submit = async (event: Event) => {
    event.preventDefault();
    userField.setError(username.value.trim() ? null : t('signin.usernameMissing'));
    passwordField.setError(password.value ? null : t('signin.passwordMissing'));
    if (!username.value.trim()) { username.focus(); return; }
    if (!password.value) { password.focus(); return; }
    problem.hidden = true;
    const response = await fetch(Rest.login, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: username.value.trim(), password: password.value }),
    }).catch(() => null);
    if (response?.ok) {
      password.value = '';
      onSignedIn((await response.json()) as StaffUser);
      return;
    }
    const key = response?.status === 401 ? 'signin.refused' : response?.status === 429 ? 'signin.locked' : 'signin.unavailable';
    problem.replaceChildren(h('p', {}, t(key)));
    problem.hidden = false;
    password.focus();
  };
  return h('form', { class: 'panel signin', novalidate: true, onsubmit: submit as EventListener },
    text('h1', 'signin.title', { class: 'heading-l' }),
    problem, userField.element, passwordField.element,
    h('div', { class: 'actions' }, button('signin.submit', () => undefined, 'primary', { type: 'submit' })));
}
