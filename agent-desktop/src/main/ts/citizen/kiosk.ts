// Kiosk inactivity: after a quiet spell, ask "are you still there?" with a countdown, then wipe the
// visit and show the privacy screen so the next person sees nothing of the last one (WCAG 2.2.1
// requires the warning and a way to extend).

import { h } from '../shared/dom.js';
import { button, dialog, text } from '../shared/components.js';
import { t } from '../shared/i18n.js';

export interface KioskOptions {
  idleSeconds: number;
  warningSeconds: number;
  canReset: () => boolean;
  onReset: () => void;
}

export class KioskGuard {
  private idleTimer = 0;
  private countdownTimer = 0;
  private deadline = 0;
  private readonly warning = dialog('kiosk.idle.title', { role: 'alertdialog', onCancel: () => this.stillHere() });
  private readonly countdown = h('p', { class: 'kiosk-countdown', 'aria-live': 'polite' });

  constructor(private readonly options: KioskOptions) {
    this.warning.body.append(text('p', 'kiosk.idle.body'), this.countdown,
      h('div', { class: 'actions' }, button('kiosk.idle.continue', () => this.stillHere(), 'primary', { class: 'button button--primary button--hero' }),
        button('kiosk.idle.finish', () => this.reset(), 'secondary')));
  }

  start(): void {
    for (const type of ['pointerdown', 'keydown', 'touchstart', 'input', 'wheel']) {
      document.addEventListener(type, () => { if (!this.warning.element.open) this.arm(); }, { capture: true, passive: true });
    }
    document.addEventListener('contextmenu', (event) => event.preventDefault());
    this.arm();
  }

  private arm(): void {
    window.clearTimeout(this.idleTimer);
    this.idleTimer = window.setTimeout(() => this.warn(), this.options.idleSeconds * 1000);
  }

  private warn(): void {
    if (!this.options.canReset()) { this.arm(); return; }
    // Counted from a deadline, not by ticks: a busy or throttled page still resets on time.
    this.deadline = Date.now() + this.options.warningSeconds * 1000;
    this.tick();
    this.warning.open();
    this.countdownTimer = window.setInterval(() => this.tick(), 1000);
  }

  private tick(): void {
    const remaining = Math.ceil((this.deadline - Date.now()) / 1000);
    if (remaining <= 0) {
      this.reset();
      return;
    }
    this.countdown.textContent = t('kiosk.idle.countdown', { seconds: remaining });
  }

  private stillHere(): void {
    window.clearInterval(this.countdownTimer);
    this.warning.close();
    this.arm();
  }

  private reset(): void {
    window.clearInterval(this.countdownTimer);
    if (this.warning.element.open) this.warning.element.close();
    this.options.onReset();
    this.arm();
  }
}
