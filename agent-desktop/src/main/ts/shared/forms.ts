// Renders a case type's form as the cases module publishes it (FormView: a JSON Schema for the data,
// a UI schema of groups whose elements point at fields with JSON Pointers, the words in one language,
// and the input masks used) into accessible fields with live validation. The citizen's pre-call
// questions (elements marked precall) and the clerk's case form both use it.
//
// Validation follows the JSON Schema keywords the catalogue uses: type, enum, const, required (with
// if/then for conditional requirements), minLength, maxLength, pattern, minimum, maximum, format
// (date, email, hu-personal-id, hu-tax-id) and arrays of enums with minItems. The server validates
// again and its errors (path + message) can be shown with showErrors().

import { h } from './dom.js';
import { field, Field, FieldLayout, text } from './components.js';
import { t } from './i18n.js';
import { isPersonalId, isTaxId } from './identifiers.js';

export interface Schema {
  type?: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array';
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: Array<string | number | boolean>;
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  minItems?: number;
  if?: Schema;
  then?: Schema;
}

export interface Rule { effect: 'SHOW' | 'HIDE'; condition: { field: string; schema: Schema } }
export interface UiElement { field: string; mask?: string; precall?: boolean; rule?: Rule }
export interface UiGroup { id: string; elements: UiElement[] }
export interface FieldText { label: string; help?: string | null; errors?: Record<string, string>; options?: Record<string, string> }

/** What GET /api/case-types/{id}/form?lang=xx returns (ablak.cases.catalogue.CatalogueView.FormView). */
export interface FormView {
  caseType: string;
  version: number;
  language: string;
  schema: Schema;
  ui: { groups: UiGroup[] };
  texts: { groups: Record<string, string>; fields: Record<string, FieldText> };
  inputMasks: Record<string, string>;
}

/** One refused value: JSON Pointer and message, as the server's FieldError carries them. */
export interface FieldError { path: string; message: string; keyword?: string }
/** One answered field as a person reads it (the server's SummaryLine has the same shape). */
export interface SummaryLine { group: string; field: string; label: string; value: string }

export type Data = Record<string, unknown>;

export interface RenderedForm {
  element: HTMLElement;
  data(): Data;
  setData(data: Data): void;
  /** Validates every visible field, shows each error beside its field and in a summary, returns them. */
  validate(): FieldError[];
  showErrors(errors: FieldError[]): void;
  focus(path: string): void;
  onChange(listener: (data: Data) => void): void;
  setReadOnly(readOnly: boolean): void;
  /** The visible answered fields, labelled: what the citizen answered, or will confirm. */
  describe(): SummaryLine[];
}

// --- JSON Pointer (RFC 6901) -------------------------------------------------------------------

const segments = (pointer: string): string[] => pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

export function valueAt(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const segment of segments(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Data)[segment];
  }
  return node;
}

function setAt(data: Data, pointer: string, value: unknown): void {
  const path = segments(pointer);
  let node = data;
  path.slice(0, -1).forEach((segment) => {
    if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
    node = node[segment] as Data;
  });
  node[path[path.length - 1]!] = value;
}

function schemaAt(schema: Schema, pointer: string): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const segment of segments(pointer)) node = node?.properties?.[segment];
  return node;
}

const parentOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf('/'));
const nameOf = (pointer: string): string => segments(pointer).pop() ?? '';
const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isEmpty));

/** Whether a value satisfies a condition schema (the subset rules and if/then use). */
export function satisfies(value: unknown, schema: Schema): boolean {
  if (value === undefined) return false;
  if ('const' in schema && value !== schema.const) return false;
  if (schema.enum && !schema.enum.includes(value as string)) return false;
  if (schema.properties) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      const inner = (value as Data | null)?.[name];
      if (inner !== undefined && !satisfies(inner, sub)) return false;
    }
  }
  for (const name of schema.required ?? []) if (isEmpty((value as Data | null)?.[name])) return false;
  return true;
}

// --- masks -----------------------------------------------------------------------------------

/** "9" a digit, "A" a letter, "*" a letter or digit, anything else a separator shown as typed. */
export function applyMask(mask: string, typed: string): { raw: string; shown: string } {
  const chars = [...typed.toUpperCase()].filter((c) => /[0-9A-Z]/.test(c) || !/[\s]/.test(c));
  let raw = '';
  let shown = '';
  for (const slot of mask) {
    if (chars.length === 0) break;
    const wanted = slot === '9' ? /[0-9]/ : slot === 'A' ? /[A-Z]/ : slot === '*' ? /[0-9A-Z]/ : null;
    if (wanted) {
      while (chars.length && !wanted.test(chars[0]!)) chars.shift();
      const next = chars.shift();
      if (next === undefined) break;
      raw += next;
      shown += next;
    } else {
      shown += slot;
      if (chars[0] === slot) chars.shift();
    }
  }
  return { raw, shown };
}

// --- validation ------------------------------------------------------------------------------

/** The JSON Schema keyword a value fails, with its parameters, or null. */
export function failedKeyword(schema: Schema, value: unknown, required: boolean): { keyword: string; params?: Record<string, string | number> } | null {
  if (isEmpty(value)) return required ? { keyword: 'required' } : null;
  if (schema.type === 'array') {
    const list = value as unknown[];
    if (schema.minItems !== undefined && list.length < schema.minItems) return { keyword: 'minItems', params: { limit: schema.minItems } };
    return null;
  }
  if (schema.enum && !schema.enum.includes(value as string)) return { keyword: 'enum' };
  if (schema.type === 'number' || schema.type === 'integer') {
    const n = value as number;
    if (typeof n !== 'number' || Number.isNaN(n) || (schema.type === 'integer' && !Number.isInteger(n))) return { keyword: 'type' };
    if (schema.minimum !== undefined && n < schema.minimum) return { keyword: 'minimum', params: { limit: schema.minimum } };
    if (schema.maximum !== undefined && n > schema.maximum) return { keyword: 'maximum', params: { limit: schema.maximum } };
    return null;
  }
  if (typeof value !== 'string') return null;
  if (schema.minLength !== undefined && value.length < schema.minLength) return { keyword: 'minLength', params: { limit: schema.minLength } };
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return { keyword: 'maxLength', params: { limit: schema.maxLength } };
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return { keyword: 'pattern' };
  const formatOk = (() => {
    switch (schema.format) {
      case 'date': return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
      case 'email': return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
      case 'hu-personal-id': return isPersonalId(value);
      case 'hu-tax-id': return isTaxId(value);
      default: return true;
    }
  })();
  return formatOk ? null : { keyword: 'format' };
}

// --- rendering -------------------------------------------------------------------------------

interface Binding {
  element: UiElement;
  schema: Schema;
  label: string;
  field: Field;
  wrapper: HTMLElement;
  inputs: HTMLElement[];
  read(): unknown;
  write(value: unknown): void;
  show(value: unknown): string;
}

export interface RenderOptions {
  idPrefix?: string;
  /** Which elements to render; all by default (the citizen sees only the precall ones). */
  include?: (element: UiElement) => boolean;
}

export function fieldId(prefix: string, pointer: string): string {
  return `${prefix}${pointer.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

export function renderForm(view: FormView, options: RenderOptions = {}): RenderedForm {
  const prefix = options.idPrefix ?? 'form';
  const include = options.include ?? (() => true);
  const bindings = new Map<string, Binding>();
  const listeners = new Set<(data: Data) => void>();
  let submitted = false;
  let readOnly = false;

  const words = (pointer: string): FieldText => view.texts.fields[pointer] ?? { label: nameOf(pointer) };
  const optionLabel = (pointer: string, value: unknown): string => {
    const custom = words(pointer).options?.[String(value)];
    if (custom) return custom;
    if (value === true) return t('form.yes');
    if (value === false) return t('form.no');
    return String(value);
  };

  const collect = (all = false): Data => {
    const data: Data = {};
    for (const [pointer, binding] of bindings) {
      if (!all && binding.wrapper.hidden) continue; // hidden by a rule: not part of the answer
      const value = binding.read();
      if (!isEmpty(value)) setAt(data, pointer, value);
    }
    return data;
  };

  const required = (pointer: string, data: Data): boolean => {
    const parent = parentOf(pointer);
    const parentSchema = parent ? schemaAt(view.schema, parent) : view.schema;
    if (!parentSchema) return false;
    const parentValue = parent ? valueAt(data, parent) ?? {} : data;
    const parentNeeded = parent === '' || required(parent, data) || !isEmpty(parentValue);
    if (!parentNeeded) return false;
    const name = nameOf(pointer);
    if (parentSchema.required?.includes(name)) return true;
    return !!parentSchema.if && !!parentSchema.then?.required?.includes(name) && satisfies(parentValue, parentSchema.if);
  };

  const applyRules = () => {
    const data = collect(true);
    for (const binding of bindings.values()) {
      const rule = binding.element.rule;
      if (!rule) continue;
      const holds = satisfies(valueAt(data, rule.condition.field), rule.condition.schema);
      binding.wrapper.hidden = rule.effect === 'SHOW' ? !holds : holds;
    }
  };

  const errorOf = (pointer: string, binding: Binding, data: Data): FieldError | null => {
    if (binding.wrapper.hidden) return null;
    const failed = failedKeyword(binding.schema, binding.read(), required(pointer, data));
    if (!failed) return null;
    const message = words(pointer).errors?.[failed.keyword] ?? t(`validation.${failed.keyword}`, failed.params ?? {});
    return { path: pointer, keyword: failed.keyword, message: `${binding.label}: ${message}` };
  };

  const check = (pointer: string, binding: Binding, data: Data): FieldError | null => {
    const error = errorOf(pointer, binding, data);
    binding.field.setError(error?.message ?? null);
    return error;
  };

  const changed = () => {
    applyRules();
    const data = collect(true);
    // Errors first appear on submit, then follow every keystroke (the GOV.UK pattern): showing one
    // on blur would move the page under the pointer as the person reaches for the next control.
    if (submitted) {
      const errors = [...bindings].map(([pointer, binding]) => check(pointer, binding, data)).filter((e): e is FieldError => e !== null);
      showSummary(errors, false);
    }
    const visible = collect();
    listeners.forEach((listener) => listener(visible));
  };

  const control = (element: UiElement): HTMLElement | null => {
    const pointer = element.field;
    const schema = schemaAt(view.schema, pointer);
    if (!schema) throw new Error(`the UI schema points at ${pointer}, which the schema lacks`);
    const id = fieldId(prefix, pointer);
    const text = words(pointer);
    const label = text.label;
    const hint = text.help ?? undefined;
    let inputs: HTMLElement[];
    let container: HTMLElement;
    let read: () => unknown;
    let write: (value: unknown) => void;
    let layout: FieldLayout = 'input';
    const choices: unknown[] | null = schema.type === 'boolean' ? [true, false] : schema.enum ?? null;

    if (schema.type === 'array' && schema.items?.enum) {
      layout = 'group';
      const boxes = schema.items.enum.map((value, index) => {
        const box = h('input', { type: 'checkbox', id: `${id}-${index}`, class: 'checkbox__input', value: String(value) });
        return { value, box, row: h('div', { class: 'checkbox' }, box, h('label', { for: `${id}-${index}`, class: 'checkbox__label' }, optionLabel(pointer, value))) };
      });
      container = h('div', { class: 'checkboxes checkboxes--inline', id }, ...boxes.map((b) => b.row));
      inputs = boxes.map((b) => b.box);
      read = () => boxes.filter((b) => b.box.checked).map((b) => b.value);
      write = (value) => boxes.forEach((b) => { b.box.checked = Array.isArray(value) && value.includes(b.value); });
    } else if (choices && choices.length <= 5) {
      layout = 'group';
      const radios = choices.map((value, index) => {
        const radio = h('input', { type: 'radio', id: `${id}-${index}`, name: id, value: String(value), class: 'radio__input' });
        return { value, radio, row: h('div', { class: 'radio' }, radio, h('label', { for: `${id}-${index}`, class: 'radio__label' }, optionLabel(pointer, value))) };
      });
      container = h('div', { class: choices.length <= 2 ? 'radios radios--inline' : 'radios', id }, ...radios.map((r) => r.row));
      inputs = radios.map((r) => r.radio);
      read = () => radios.find((r) => r.radio.checked)?.value;
      write = (value) => radios.forEach((r) => { r.radio.checked = r.value === value; });
    } else if (choices) {
      const select = h('select', { id, class: 'select' }, h('option', { value: '' }, t('form.choose')),
        ...choices.map((value, index) => h('option', { value: String(index) }, optionLabel(pointer, value))));
      container = select;
      inputs = [select];
      read = () => (select.value === '' ? undefined : choices[Number(select.value)]);
      write = (value) => { const index = choices.indexOf(value); select.value = index < 0 ? '' : String(index); };
    } else {
      const numeric = schema.type === 'number' || schema.type === 'integer';
      const mask = element.mask ? view.inputMasks[element.mask] : undefined;
      const box = h('input', {
        id,
        class: `input${mask ? ' input--masked' : numeric ? ' input--short' : ''}`,
        type: schema.format === 'date' ? 'date' : schema.format === 'email' ? 'email' : 'text',
        inputmode: numeric || (mask && /^[9\W]+$/.test(mask)) ? 'numeric' : null,
        autocomplete: 'off',
        spellcheck: 'false',
        maxlength: mask ? mask.length : schema.maxLength ?? null,
      });
      if (mask) box.addEventListener('input', () => { box.value = applyMask(mask, box.value).shown; });
      container = box;
      inputs = [box];
      read = () => {
        if (mask) {
          // Keep what the schema accepts: the typed characters alone (1-850312-1232 → 18503121232)
          // unless the schema wants the separators too (ABC-123).
          const { raw, shown } = applyMask(mask, box.value);
          return failedKeyword(schema, raw, false) && !failedKeyword(schema, shown, false) ? shown : raw;
        }
        const value = box.value.trim();
        return numeric && value !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
      };
      write = (value) => { box.value = value === undefined || value === null ? '' : mask ? applyMask(mask, String(value)).shown : String(value); };
    }
    const wrapped = field(container, label, hint, layout);
    const binding: Binding = {
      element, schema, label, field: wrapped, wrapper: wrapped.element, inputs, read, write,
      show: (value) => {
        if (Array.isArray(value)) return value.map((v) => optionLabel(pointer, v)).join(', ');
        if (choices) return optionLabel(pointer, value);
        const mask = element.mask ? view.inputMasks[element.mask] : undefined;
        return mask ? applyMask(mask, String(value)).shown : String(value);
      },
    };
    bindings.set(pointer, binding);
    for (const input of inputs) {
      input.addEventListener('input', changed);
      input.addEventListener('change', changed);
    }
    return wrapped.element;
  };

  const groups = view.ui.groups.map((group) => {
    const controls = group.elements.filter(include).map(control).filter((c): c is HTMLElement => c !== null);
    if (controls.length === 0) return null;
    const title = view.texts.groups[group.id];
    return h('fieldset', { class: 'form__group' }, title ? h('legend', { class: 'form__group-title' }, title) : null, ...controls);
  });

  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  const element = h('div', { class: 'form', 'data-case-type': view.caseType, 'data-form-version': view.version }, summary, ...groups);
  applyRules();

  const showSummary = (errors: FieldError[], moveFocus = true) => {
    summary.hidden = errors.length === 0;
    summary.replaceChildren(
      text('h2', 'form.errorSummary', { class: 'error-summary__title' }),
      h('ul', { class: 'error-summary__list' }, ...errors.map((error) => h('li', {},
        h('a', { href: `#${fieldId(prefix, error.path)}`, onclick: ((event: Event) => { event.preventDefault(); form.focus(error.path); }) as EventListener }, error.message)))));
    if (errors.length && moveFocus) summary.focus();
  };

  const form: RenderedForm = {
    element,
    data: () => collect(),
    setData(data) {
      for (const [pointer, binding] of bindings) binding.write(valueAt(data, pointer));
      applyRules();
    },
    validate() {
      submitted = true;
      const data = collect(true);
      const errors = [...bindings].map(([pointer, binding]) => check(pointer, binding, data)).filter((e): e is FieldError => e !== null);
      showSummary(errors);
      return errors;
    },
    showErrors(errors) {
      for (const error of errors) bindings.get(error.path)?.field.setError(error.message);
      showSummary(errors);
    },
    focus(path) {
      bindings.get(path)?.inputs[0]?.focus();
    },
    onChange(listener) {
      listeners.add(listener);
    },
    setReadOnly(value) {
      readOnly = value;
      for (const binding of bindings.values()) binding.inputs.forEach((input) => input.toggleAttribute('disabled', readOnly));
    },
    describe() {
      const lines: SummaryLine[] = [];
      for (const group of view.ui.groups) {
        for (const ui of group.elements) {
          const binding = bindings.get(ui.field);
          if (!binding || binding.wrapper.hidden) continue;
          const value = binding.read();
          if (isEmpty(value)) continue;
          lines.push({ group: view.texts.groups[group.id] ?? group.id, field: ui.field, label: binding.label, value: binding.show(value) });
        }
      }
      return lines;
    },
  };
  return form;
}
