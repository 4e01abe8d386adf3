// Real-time text beside voice and video (EN 301 549 §6.2): each keystroke reaches the far side as
// it is typed (chat.text with final=false), Enter sends the line (final=true) into the shared log.

import { h } from './dom.js';
import { button, text } from './components.js';
import { Connection } from './connection.js';
import { Message } from './protocol.js';
import { t } from './i18n.js';

export interface Chat {
  element: HTMLElement;
  close(): void;
}

export function realTimeText(connection: Connection, callId: string, selfKey: string, peerKey: string): Chat {
  // Focusable so keyboard users can scroll back through a long conversation (WCAG 2.1.1).
  const log = h('ol', { class: 'chat__log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: 0, 'aria-labelledby': `chat-title-${callId}` });
  const draft = h('p', { class: 'chat__draft', hidden: true });
  const input = h('textarea', { id: `chat-${callId}`, class: 'textarea chat__input', rows: 2, maxlength: 2000 });
  let lastSent = '';
  let timer = 0;

  const line = (who: string, message: string, mine: boolean) =>
    log.append(h('li', { class: `chat__line${mine ? ' chat__line--mine' : ''}` }, h('span', { class: 'chat__who' }, `${t(who)}: `), message));

  const sendDraft = () => {
    window.clearTimeout(timer);
    if (input.value === lastSent) return;
    lastSent = input.value;
    connection.notify(Message.chatText, { callId, text: input.value, final: false });
  };
  const sendLine = () => {
    const message = input.value.trim();
    if (!message) return;
    connection.notify(Message.chatText, { callId, text: message, final: true });
    line(selfKey, message, true);
    input.value = '';
    lastSent = '';
  };
  input.addEventListener('input', () => { window.clearTimeout(timer); timer = window.setTimeout(sendDraft, 120); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); sendLine(); }
  });

  const unsubscribe = connection.on(Message.chatText, (message) => {
    if (message.callId !== callId) return;
    const incoming = String(message.text ?? '');
    if (message.final) {
      draft.hidden = true;
      line(peerKey, incoming, false);
    } else {
      draft.hidden = incoming === '';
      draft.textContent = `${t(peerKey)} ${t('chat.typing')}: ${incoming}`;
    }
  });

  const element = h('section', { class: 'chat', 'aria-labelledby': `chat-title-${callId}` },
    text('h2', 'chat.title', { id: `chat-title-${callId}`, class: 'chat__title' }),
    log, draft,
    h('div', { class: 'chat__compose' },
      text('label', 'chat.label', { for: input.id, class: 'field__label' }), input,
      button('chat.send', sendLine, 'secondary')));
  return { element, close: unsubscribe };
}
