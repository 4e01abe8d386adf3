// Accessible building blocks shared by the three apps. Patterns follow the GOV.UK Design System
// (labels above inputs, hints, error message inside the label association, error summary) and
// WAI-ARIA Authoring Practices 1.2 (modal dialog, live regions).

import { h, uniqueId } from './dom.js';
import { language, loadLanguages, onLanguageChange, setLanguage, t } from './i18n.js';

type Attributes = Parameters<typeof h>[1];

/** An element whose text is the translation of `key` and follows language changes. */
export function text<K extends keyof HTMLElementTagNameMap>(tag: K, key: string, attributes: Attributes = {}): HTMLElementTagNameMap[K] {
  return h(tag, { ...attributes, 'data-i18n': key }, t(key));
}

export type ButtonKind = 'primary' | 'secondary' | 'warning' | 'quiet';

export function button(key: string, onClick: (event: MouseEvent) => void, kind: ButtonKind = 'primary', attributes: Attributes = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: `button button--${kind}`, 'data-i18n': key, ...attributes, onclick: onClick as EventListener }, t(key));
}

/** A button that keeps its pressed state in aria-pressed (mute, camera off). */
export function toggleButton(key: string, onToggle: (pressed: boolean) => void, attributes: Attributes = {}): HTMLButtonElement {
  const element = h('button', { type: 'button', class: 'button button--toggle', 'aria-pressed': 'false', 'data-i18n': key, ...attributes }, t(key));
  element.addEventListener('click', () => {
    const pressed = element.getAttribute('aria-pressed') !== 'true';
    element.setAttribute('aria-pressed', String(pressed));
    onToggle(pressed);
  });
  return element;
}

/** Wraps a control with its label, optional hint and an error message the control is described by. */
export interface Field {
  element: HTMLDivElement;
  setError(message: string | null): void;
}

export type FieldLayout = 'input' | 'group' | 'checkbox';

export function field(control: HTMLElement, label: string | HTMLElement, hint?: string, layout: FieldLayout = 'input'): Field {
  const group = layout === 'group';
  const controlId = control.id || uniqueId('field');
  control.id = controlId;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const errorElement = h('p', { id: errorId, class: 'field__error', hidden: true });
  const hintElement = hint ? h('p', { id: hintId, class: 'field__hint' }, hint) : null;
  const describedBy = () => [hintElement ? hintId : null, errorElement.hidden ? null : errorId].filter(Boolean).join(' ');
  let element: HTMLDivElement;
  if (group) {
    // Radio groups and checkbox lists: the fieldset's legend is the label (WCAG 1.3.1).
    const legend = h('legend', { class: 'field__label' }, label);
    element = h('div', { class: 'field' }, h('fieldset', { class: 'field__fieldset', 'aria-describedby': describedBy() || null }, legend, hintElement, errorElement, control));
  } else if (layout === 'checkbox') {
    // GOV.UK checkbox: the box first, its label beside it, the error above.
    element = h('div', { class: 'field' }, errorElement, h('div', { class: 'checkbox' }, control, h('label', { class: 'checkbox__label', for: controlId }, label)), hintElement);
  } else {
    element = h('div', { class: 'field' }, h('label', { class: 'field__label', for: controlId }, label), hintElement, errorElement, control);
  }
  const describedElement = group ? element.querySelector('fieldset')! : control;
  const apply = () => {
    const value = describedBy();
    if (value) describedElement.setAttribute('aria-describedby', value);
    else describedElement.removeAttribute('aria-describedby');
  };
  apply();
  return {
    element,
    setError(message) {
      errorElement.hidden = !message;
      errorElement.replaceChildren(...(message ? [h('span', { class: 'visually-hidden' }, `${t('form.errorPrefix')} `), message] : []));
      element.classList.toggle('field--error', !!message);
      if (!group) {
        if (message) control.setAttribute('aria-invalid', 'true');
        else control.removeAttribute('aria-invalid');
      }
      apply();
    },
  };
}

/** A polite live region: what is said here is read out by screen readers without moving focus. */
let politeRegion: HTMLElement | null = null;
let assertiveRegion: HTMLElement | null = null;

export function announce(message: string, urgent = false): void {
  if (!politeRegion || !assertiveRegion) {
    politeRegion = h('div', { class: 'visually-hidden', 'aria-live': 'polite', role: 'status' });
    assertiveRegion = h('div', { class: 'visually-hidden', 'aria-live': 'assertive', role: 'alert' });
    document.body.append(politeRegion, assertiveRegion);
  }
  const region = urgent ? assertiveRegion : politeRegion;
  // Clearing first makes repeated identical messages be read again.
  region.textContent = '';
  window.setTimeout(() => { region.textContent = message; }, 50);
}

/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest of the page inert, and
 * Tab is kept inside explicitly as the APG modal dialog pattern requires; focus returns to the
 * element that opened it.
 */
export interface Dialog {
  element: HTMLDialogElement;
  body: HTMLDivElement;
  open(): void;
  close(): void;
}

export function dialog(titleKey: string, options: { onCancel?: () => void; role?: 'dialog' | 'alertdialog'; className?: string } = {}): Dialog {
  const titleId = uniqueId('dialog-title');
  const body = h('div', { class: 'dialog__body' });
  const element = h('dialog', { class: `dialog ${options.className ?? ''}`, 'aria-labelledby': titleId, role: options.role ?? 'dialog' },
    text('h2', titleKey, { id: titleId, class: 'dialog__title' }), body);
  let opener: Element | null = null;
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const focusable = [...element.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')]
      .filter((candidate) => !candidate.hasAttribute('disabled') && candidate.offsetParent !== null);
    if (focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
    else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
  });
  element.addEventListener('cancel', (event) => {
    if (options.onCancel) options.onCancel();
    else event.preventDefault();
  });
  document.body.append(element);
  return {
    element,
    body,
    open() {
      opener = document.activeElement;
      if (!element.open) element.showModal();
      element.querySelector<HTMLElement>('[autofocus], button, input, select, textarea')?.focus();
    },
    close() {
      if (element.open) element.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    },
  };
}

/** A language switch: a select labelled in both the current language and by its icon-free name. */
export async function languageSwitch(): Promise<HTMLElement> {
  const languages = await loadLanguages();
  const select = h('select', { class: 'language-switch__select', id: uniqueId('language') });
  for (const entry of languages) select.append(h('option', { value: entry.code, lang: entry.code }, entry.name));
  select.value = language();
  select.addEventListener('change', () => { void setLanguage(select.value); });
  onLanguageChange((code) => { select.value = code; });
  return h('div', { class: 'language-switch' }, text('label', 'language.switch', { for: select.id, class: 'language-switch__label' }), select);
}

/** The page header every app shares: service name, optional app-specific items, language switch. */
export async function header(appKey: string, ...items: HTMLElement[]): Promise<HTMLElement> {
  return h('header', { class: 'site-header', role: 'banner' },
    h('div', { class: 'site-header__inner' },
      h('a', { class: 'site-header__brand', href: './' },
        h('span', { class: 'site-header__mark', 'aria-hidden': 'true' }),
        text('span', 'service.name', { class: 'site-header__name' }),
        text('span', appKey, { class: 'site-header__app' })),
      h('div', { class: 'site-header__items' }, ...items, await languageSwitch())));
}

/** The skip link: first focusable element, lets keyboard users jump to the main content (WCAG 2.4.1). */
export function skipLink(): HTMLElement {
  return text('a', 'service.skipToContent', { class: 'skip-link', href: '#main' });
}

/** A status line such as "Reconnecting…" that appears only while a problem lasts. */
export function notice(kind: 'info' | 'warning' | 'error'): { element: HTMLElement; show(key: string | null, params?: Record<string, string | number>): void } {
  const element = h('div', { class: `notice notice--${kind}`, role: kind === 'error' ? 'alert' : 'status', hidden: true });
  return {
    element,
    show(key, params = {}) {
      element.hidden = !key;
      element.replaceChildren(key ? h('p', { class: 'notice__text' }, t(key, params)) : '');
      if (key) element.dataset.i18nKey = key;
    },
  };
}

/** Shows "Reconnecting…" while the control connection is down, and says so to screen readers. */
export function connectionBanner(connection: { onState(listener: (state: string) => void): void }): HTMLElement {
  const banner = notice('warning');
  banner.element.classList.add('connection-banner');
  let wasDown = false;
  connection.onState((state) => {
    if (state === 'reconnecting') {
      banner.show('connection.reconnecting');
      if (!wasDown) announce(t('connection.reconnecting'), true);
      wasDown = true;
    } else if (state === 'open') {
      banner.show(null);
      if (wasDown) announce(t('connection.restored'));
      wasDown = false;
    }
  });
  return banner.element;
}
