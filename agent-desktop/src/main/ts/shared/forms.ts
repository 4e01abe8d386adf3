// Renders a form definition — a JSON Schema (draft 2020-12 subset) for the data plus a UI schema in
// the JSON Forms layout vocabulary (VerticalLayout, Group, Control with scope "#/properties/x",
// rules with SHOW/HIDE/ENABLE/DISABLE conditions) — into accessible fields with live validation.
// The citizen's pre-call questions and the clerk's case form both use it.
//
// Supported keywords: type (string, number, integer, boolean), enum/oneOf-const with titles, format
// (date, email), pattern, minLength, maxLength, minimum, maximum, required. Input masks come from the
// control's options.mask ("9" a digit, "A" a letter, anything else a literal); the value kept is the
// characters typed into the slots, without the literals, so schemas validate plain digits.

import { h } from './dom.js';
import { field, Field, FieldLayout, text } from './components.js';
import { Localized, localized, t } from './i18n.js';

export interface PropertySchema {
  type?: 'string' | 'number' | 'integer' | 'boolean';
  title?: Localized;
  description?: Localized;
  enum?: Array<string | number>;
  oneOf?: Array<{ const: string | number; title?: Localized }>;
  format?: 'date' | 'email' | string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** Per-keyword messages, in the style of ajv-errors: {"pattern": {"hu": "...", "en": "..."}}. */
  errorMessage?: Record<string, Localized>;
}

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, PropertySchema>;
  required?: string[];
}

export interface Condition { scope: string; schema: { const?: unknown; enum?: unknown[]; not?: { const?: unknown } } }
export interface Rule { effect: 'SHOW' | 'HIDE' | 'ENABLE' | 'DISABLE'; condition: Condition }

export interface UiElement {
  type: 'VerticalLayout' | 'HorizontalLayout' | 'Group' | 'Control' | 'Label';
  elements?: UiElement[];
  scope?: string;
  label?: Localized;
  text?: Localized;
  rule?: Rule;
  options?: { mask?: string; format?: 'radio' | 'textarea'; hint?: Localized; autocomplete?: string; inputmode?: string };
}

export interface FormDefinition {
  caseTypeId?: string;
  version?: string | number;
  schema: ObjectSchema;
  uischema?: UiElement;
}

export interface FieldError { path: string; message: string }

export interface RenderedForm {
  element: HTMLElement;
  data(): Record<string, unknown>;
  setData(data: Record<string, unknown>): void;
  /** Validates every visible field, shows each error beside its field, and returns them all. */
  validate(): FieldError[];
  /** Shows errors that came from the server (field path → message). */
  showErrors(errors: FieldError[]): void;
  focus(path: string): void;
  onChange(listener: (data: Record<string, unknown>) => void): void;
  setReadOnly(readOnly: boolean): void;
}

interface ControlBinding {
  name: string;
  schema: PropertySchema;
  field: Field;
  wrapper: HTMLElement;
  input: HTMLElement;
  read(): unknown;
  write(value: unknown): void;
  touched: boolean;
}

const propertyName = (scope: string): string => scope.replace(/^#\/properties\//, '');

function defaultUi(schema: ObjectSchema): UiElement {
  return { type: 'VerticalLayout', elements: Object.keys(schema.properties).map((name) => ({ type: 'Control', scope: `#/properties/${name}` })) };
}

export function applyMask(mask: string, typed: string): { raw: string; shown: string } {
  const chars = [...typed].filter((c) => /[0-9A-Za-z]/.test(c));
  let raw = '';
  let shown = '';
  for (const slot of mask) {
    if (chars.length === 0) break;
    if (slot === '9' || slot === 'A') {
      const wanted = slot === '9' ? /[0-9]/ : /[A-Za-z]/;
      while (chars.length && !wanted.test(chars[0]!)) chars.shift();
      const next = chars.shift();
      if (next === undefined) break;
      raw += next.toUpperCase();
      shown += next.toUpperCase();
    } else {
      shown += slot;
      if (chars[0] === slot) chars.shift();
    }
  }
  return { raw, shown };
}

function choices(schema: PropertySchema): Array<{ value: string; label: string }> {
  if (schema.oneOf) return schema.oneOf.map((o) => ({ value: String(o.const), label: localized(o.title) || String(o.const) }));
  return (schema.enum ?? []).map((v) => ({ value: String(v), label: String(v) }));
}

function errorFor(schema: PropertySchema, keyword: string, params: Record<string, string | number> = {}): string {
  const custom = schema.errorMessage?.[keyword];
  return custom ? localized(custom) : t(`validation.${keyword}`, params);
}

/** Returns the first error of one value against its schema, or null. */
export function validateValue(schema: PropertySchema, value: unknown, required: boolean): string | null {
  const empty = value === undefined || value === null || value === '' || (schema.type === 'boolean' && required && value !== true);
  if (empty) return required ? errorFor(schema, 'required') : null;
  if (schema.type === 'number' || schema.type === 'integer') {
    const n = Number(value);
    if (Number.isNaN(n) || (schema.type === 'integer' && !Number.isInteger(n))) return errorFor(schema, 'type');
    if (schema.minimum !== undefined && n < schema.minimum) return errorFor(schema, 'minimum', { limit: schema.minimum });
    if (schema.maximum !== undefined && n > schema.maximum) return errorFor(schema, 'maximum', { limit: schema.maximum });
    return null;
  }
  if (typeof value !== 'string') return null;
  if (schema.minLength !== undefined && value.length < schema.minLength) return errorFor(schema, 'minLength', { limit: schema.minLength });
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return errorFor(schema, 'maxLength', { limit: schema.maxLength });
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return errorFor(schema, 'pattern');
  if (schema.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return errorFor(schema, 'format');
  if (schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return errorFor(schema, 'format');
  const allowed = choices(schema);
  if (allowed.length && !allowed.some((c) => c.value === value)) return errorFor(schema, 'enum');
  return null;
}

function matches(condition: Condition, data: Record<string, unknown>): boolean {
  const value = data[propertyName(condition.scope)];
  const s = condition.schema;
  if ('const' in s) return value === s.const;
  if (s.enum) return s.enum.includes(value);
  if (s.not && 'const' in s.not) return value !== s.not.const;
  return true;
}

export function renderForm(definition: FormDefinition, idPrefix = 'form'): RenderedForm {
  const schema = definition.schema;
  const required = new Set(schema.required ?? []);
  const bindings = new Map<string, ControlBinding>();
  const ruled: Array<{ element: HTMLElement; rule: Rule; inputs: HTMLElement[] }> = [];
  const listeners = new Set<(data: Record<string, unknown>) => void>();
  let readOnly = false;

  const collect = (): Record<string, unknown> => {
    const data: Record<string, unknown> = {};
    for (const binding of bindings.values()) {
      if (binding.wrapper.closest('[hidden]')) continue; // hidden by a rule: not part of the answer
      const value = binding.read();
      if (value !== '' && value !== undefined && value !== null) data[binding.name] = value;
    }
    return data;
  };

  const rawData = (): Record<string, unknown> => {
    const data: Record<string, unknown> = {};
    for (const binding of bindings.values()) data[binding.name] = binding.read();
    return data;
  };

  const applyRules = () => {
    const data = rawData();
    for (const { element, rule, inputs } of ruled) {
      const hit = matches(rule.condition, data);
      if (rule.effect === 'SHOW' || rule.effect === 'HIDE') element.hidden = rule.effect === 'SHOW' ? !hit : hit;
      else inputs.forEach((input) => input.toggleAttribute('disabled', readOnly || (rule.effect === 'ENABLE' ? !hit : hit)));
    }
  };

  const check = (binding: ControlBinding): string | null => {
    const message = binding.wrapper.closest('[hidden]') ? null : validateValue(binding.schema, binding.read(), required.has(binding.name));
    binding.field.setError(message);
    return message;
  };

  const changed = (binding: ControlBinding) => {
    applyRules();
    if (binding.touched) check(binding);
    const data = collect();
    listeners.forEach((listener) => listener(data));
  };

  const control = (ui: UiElement): HTMLElement => {
    const name = propertyName(ui.scope ?? '');
    const property = schema.properties[name];
    if (!property) throw new Error(`the UI schema points at ${ui.scope}, which the schema lacks`);
    const id = `${idPrefix}-${name}`;
    const label = localized(ui.label) || localized(property.title) || name;
    const labelNode = required.has(name) || property.type === 'boolean' ? label : `${label} ${t('form.optional')}`;
    const hint = localized(ui.options?.hint) || localized(property.description) || undefined;
    const options = choices(property);
    let input: HTMLElement;
    let read: () => unknown;
    let write: (value: unknown) => void;
    let layoutKind: FieldLayout = 'input';
    let inputs: HTMLElement[];

    if (property.type === 'boolean') {
      const box = h('input', { type: 'checkbox', id, class: 'checkbox__input', name });
      return register(name, property, box, () => box.checked, (value) => { box.checked = value === true; }, [box], label, hint, 'checkbox');
    }
    if (options.length && (ui.options?.format === 'radio' || options.length <= 4)) {
      layoutKind = 'group';
      const radios = options.map((option, index) => {
        const radio = h('input', { type: 'radio', id: `${id}-${index}`, name: id, value: option.value, class: 'radio__input' });
        return { radio, row: h('div', { class: 'radio' }, radio, h('label', { for: `${id}-${index}`, class: 'radio__label' }, option.label)) };
      });
      input = h('div', { class: 'radios', id }, ...radios.map((r) => r.row));
      read = () => radios.find((r) => r.radio.checked)?.radio.value ?? '';
      write = (value) => radios.forEach((r) => { r.radio.checked = r.radio.value === String(value ?? ''); });
      inputs = radios.map((r) => r.radio);
    } else if (options.length) {
      const select = h('select', { id, name, class: 'select' }, h('option', { value: '' }, t('form.choose')), ...options.map((o) => h('option', { value: o.value }, o.label)));
      input = select;
      read = () => select.value;
      write = (value) => { select.value = String(value ?? ''); };
      inputs = [select];
    } else if (ui.options?.format === 'textarea') {
      const area = h('textarea', { id, name, class: 'textarea', rows: 4, maxlength: property.maxLength ?? null });
      input = area;
      read = () => area.value.trim();
      write = (value) => { area.value = String(value ?? ''); };
      inputs = [area];
    } else {
      const numeric = property.type === 'number' || property.type === 'integer';
      const mask = ui.options?.mask;
      const box = h('input', {
        id, name, class: `input${mask ? ' input--masked' : ''}`,
        type: property.format === 'date' ? 'date' : property.format === 'email' ? 'email' : 'text',
        inputmode: ui.options?.inputmode ?? (numeric || (mask && /^[9\W]+$/.test(mask)) ? 'numeric' : null),
        autocomplete: ui.options?.autocomplete ?? 'off',
        spellcheck: 'false',
        maxlength: mask ? mask.length : property.maxLength ?? null,
        placeholder: mask ? mask.replace(/9/g, '_').replace(/A/g, '_') : null,
      });
      if (mask) box.addEventListener('input', () => { box.value = applyMask(mask, box.value).shown; });
      input = box;
      read = () => {
        const value = mask ? applyMask(mask, box.value).raw : box.value.trim();
        return numeric && value !== '' ? Number(value) : value;
      };
      write = (value) => { box.value = mask ? applyMask(mask, String(value ?? '')).shown : String(value ?? ''); };
      inputs = [box];
    }
    return register(name, property, input, read, write, inputs, labelNode, hint, layoutKind);
  };

  function register(name: string, property: PropertySchema, input: HTMLElement, read: () => unknown, write: (v: unknown) => void,
    inputs: HTMLElement[], label: string, hint: string | undefined, kind: FieldLayout): HTMLElement {
    const wrapped = field(input, label, hint, kind);
    const binding: ControlBinding = { name, schema: property, field: wrapped, wrapper: wrapped.element, input, read, write, touched: false };
    bindings.set(name, binding);
    for (const element of inputs) {
      // Errors first appear on submit, then follow every keystroke (GOV.UK's pattern): showing one on blur
      // would move the page under the pointer as the person reaches for the next control.
      element.addEventListener('input', () => changed(binding));
      element.addEventListener('change', () => changed(binding));
    }
    return wrapped.element;
  }

  const layout = (ui: UiElement): HTMLElement => {
    let element: HTMLElement;
    switch (ui.type) {
      case 'Control':
        element = control(ui);
        break;
      case 'Label':
        element = h('p', { class: 'form__label-text' }, localized(ui.text ?? ui.label));
        break;
      case 'Group':
        element = h('fieldset', { class: 'form__group' }, h('legend', { class: 'form__group-title' }, localized(ui.label)), ...(ui.elements ?? []).map(layout));
        break;
      default:
        element = h('div', { class: ui.type === 'HorizontalLayout' ? 'form__row' : 'form__column' }, ...(ui.elements ?? []).map(layout));
    }
    if (ui.rule) ruled.push({ element, rule: ui.rule, inputs: [...element.querySelectorAll<HTMLElement>('input, select, textarea')] });
    return element;
  };

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  const element = h('div', { class: 'form' }, summary, layout(definition.uischema ?? defaultUi(schema)));
  applyRules();

  const showSummary = (errors: FieldError[]) => {
    summary.hidden = errors.length === 0;
    summary.replaceChildren(
      text('h2', 'form.errorSummary', { class: 'error-summary__title' }),
      h('ul', { class: 'error-summary__list' }, ...errors.map((error) => h('li', {},
        h('a', { href: `#${idPrefix}-${error.path}`, onclick: ((event: Event) => { event.preventDefault(); form.focus(error.path); }) as EventListener }, error.message)))));
    if (errors.length) summary.focus();
  };

  const form: RenderedForm = {
    element,
    data: collect,
    setData(data) {
      for (const binding of bindings.values()) binding.write(data[binding.name]);
      applyRules();
    },
    validate() {
      const errors: FieldError[] = [];
      for (const binding of bindings.values()) {
        binding.touched = true;
        const message = check(binding);
        if (message) errors.push({ path: binding.name, message });
      }
      showSummary(errors);
      return errors;
    },
    showErrors(errors) {
      for (const error of errors) bindings.get(error.path.replace(/^\//, ''))?.field.setError(error.message);
      showSummary(errors);
    },
    focus(path) {
      const binding = bindings.get(path);
      (binding?.input.matches('input, select, textarea') ? binding.input : binding?.input.querySelector<HTMLElement>('input, select, textarea'))?.focus();
    },
    onChange(listener) {
      listeners.add(listener);
    },
    setReadOnly(value) {
      readOnly = value;
      element.querySelectorAll<HTMLElement>('input, select, textarea').forEach((input) => input.toggleAttribute('disabled', value));
      if (!value) applyRules();
    },
  };
  return form;
}
