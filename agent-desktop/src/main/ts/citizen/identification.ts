// The citizen's side of the video identification: what to do now, step by step, the movement asked
// for while the document is tilted (chosen by the server only when the front has been shown), and
// the field for the code from the e-mail. It reads only the guide of the citizen's own case, with
// the visit token and the case token; no evidence ever reaches this screen. The server pushes
// identification.step whenever the identification changes; the guide is read over REST only when
// mounted and after a resumed connection, whose pushes may have been missed.

import { h, replaceChildren, uniqueId } from '../shared/dom.js';
import { announce, button, field, text } from '../shared/components.js';
import { t } from '../shared/i18n.js';
import { Envelope, Message } from '../shared/protocol.js';

/** The part of the app's connection the guide listens on. */
export interface PushSource {
  on(type: string, handler: (message: Envelope) => void): () => void;
}

export interface IdentificationGuideOptions {
  identificationApi: string;
  caseId: string;
  /** The visit token, or how to get it. */
  visitToken: string | (() => Promise<string>);
  caseToken: string;
  lang: string;
  /** Where identification.step pushes and resumed replies arrive. */
  connection: PushSource;
}

interface Guide {
  id: string; status: 'IN_PROGRESS' | 'ABORTED' | 'VERIFIED' | 'FAILED'; nextStep: string; attempt: number;
  tilt: string | null; codeSent: boolean; codeAttemptsLeft: number; failureReason: string | null;
}

export function mountIdentificationGuide(container: HTMLElement, opts: IdentificationGuideOptions): { destroy(): void } {
  const api = opts.identificationApi.replace(/\/+$/, '');
  const headers = async () => ({
    Authorization: `Bearer ${typeof opts.visitToken === 'string' ? opts.visitToken : await opts.visitToken()}`, 'Case-Token': opts.caseToken });
  const titleId = uniqueId('guide-title');
  const body = h('div', { class: 'identification-guide__body', 'aria-live': 'polite' });
  const error = h('div', { class: 'notice notice--error', role: 'alert', hidden: true });
  replaceChildren(container, h('section', { class: 'panel identification-guide', 'aria-labelledby': titleId },
    text('h2', 'identification.guide.title', { class: 'heading-m', id: titleId }), error, body));
  let shown = '';
  let stopped = false;

  function showError(message: string | null): void {
    error.hidden = !message;
    error.replaceChildren(message ? h('p', { class: 'notice__text' }, message) : '');
    if (message) announce(message, true);
  }

  function codeForm(guide: Guide): HTMLElement {
    const input = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*', id: uniqueId('code'),
      class: 'input input--medium' });
    const form = h('form', { class: 'identification-guide__code' }, field(input, t('identification.guide.codeLabel'),
      t('identification.guide.codeHint', { count: guide.codeAttemptsLeft })).element, button('identification.guide.codeSend', () => undefined));
    const submit = form.querySelector('button')!;
    submit.type = 'submit';
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        const response = await fetch(`${api}/guide/code?lang=${encodeURIComponent(opts.lang)}`, {
          method: 'POST', headers: { ...(await headers()), 'Content-Type': 'application/json' },
          body: JSON.stringify({ caseId: opts.caseId, code: input.value.trim() }) });
        const payload = await response.json();
        if (!response.ok) {
          showError(payload.code === 'wrong_code' ? t('identification.guide.codeWrong', { count: Number(payload.details?.attemptsLeft ?? 0) })
            : payload.message);
          input.value = '';
          input.focus();
        } else {
          showError(null);
          render(payload as Guide);
        }
      })();
    });
    return form;
  }

  function render(guide: Guide): void {
    const key = `${guide.status}:${guide.nextStep}:${guide.attempt}:${guide.tilt ?? ''}:${guide.codeAttemptsLeft}`;
    if (key === shown) return;
    shown = key;
    if (guide.status === 'IN_PROGRESS') {
      replaceChildren(body,
        h('p', { class: 'identification-guide__step' }, t(`identification.guide.${guide.nextStep}`)),
        guide.nextStep === 'TILT' && guide.tilt
          ? h('p', { class: 'identification-guide__tilt', role: 'status' }, t(`identification.tilt.${guide.tilt}`)) : null,
        guide.nextStep === 'CODE_CONFIRMED' ? codeForm(guide) : null);
      announce(guide.nextStep === 'TILT' && guide.tilt ? t(`identification.tilt.${guide.tilt}`) : t(`identification.guide.${guide.nextStep}`));
    } else {
      const message = guide.status === 'VERIFIED' ? t('identification.guide.verified')
        : guide.status === 'ABORTED' ? t('identification.guide.aborted') : t('identification.guide.failed');
      replaceChildren(body, h('p', { class: 'identification-guide__step' }, message));
      announce(message);
    }
  }

  async function load(): Promise<void> {
    try {
      const response = await fetch(`${api}/guide?caseId=${encodeURIComponent(opts.caseId)}&lang=${encodeURIComponent(opts.lang)}`,
        { headers: await headers() });
      if (stopped) return;
      if (response.status === 404) {
        replaceChildren(body, text('p', 'identification.guide.waiting'));
        shown = '';
      } else if (response.ok) {
        render((await response.json()) as Guide);
      }
    } catch {
      // The network dropped for a moment: the next push, or the read after resuming, brings the step.
    }
  }
  replaceChildren(body, text('p', 'identification.guide.waiting'));
  const unsubscribe = [
    opts.connection.on(Message.identificationStep, (message) => {
      if (!stopped && message.caseId === opts.caseId) render(message as unknown as Guide);
    }),
    opts.connection.on(Message.resumed, () => { void load(); }),
  ];
  void load();

  return {
    destroy() {
      stopped = true;
      unsubscribe.forEach((off) => off());
      container.replaceChildren();
    },
  };
}
