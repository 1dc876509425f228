// One question as form controls: a scale of numbered tiles, yes/no, choices, or a text box; native radios
// and checkboxes, so arrow keys, Space and screen readers work as everywhere else.
import type { WidgetQuestion, WidgetTexts } from './api.js';

type Child = Node | string;

/** An element with attributes and children; strings become text (never markup). */
export function h(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export interface QuestionView {
  node: HTMLElement;
  /** The answer as the API takes it; null when none is given. */
  value(): unknown;
  /** Where keyboard focus goes when the question appears. */
  focusTarget(): HTMLElement;
}

interface Option {
  value: string;
  label: string;
}

function optionGroup(q: WidgetQuestion, options: Option[], kind: 'radio' | 'checkbox', layout: string) {
  const inputs = options.map(
    (o) => h('input', { type: kind, name: 'v', value: o.value }) as HTMLInputElement,
  );
  const ends =
    q.low_label || q.high_label
      ? h(
          'p',
          { class: 'ends', id: 'e' },
          h('span', {}, q.low_label ?? ''),
          h('span', {}, q.high_label ?? ''),
        )
      : null;
  const node = h(
    'fieldset',
    ends ? { 'aria-describedby': 'e' } : {},
    h('legend', {}, q.text),
    h(
      'div',
      { class: layout },
      ...inputs.map((input, i) => h('label', { class: 'opt' }, input, h('span', {}, options[i]!.label))),
    ),
  );
  if (ends) node.append(ends);
  const checked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  return { node, checked, focusTarget: () => inputs.find((i) => i.checked) ?? inputs[0]! };
}

export function questionView(q: WidgetQuestion, texts: WidgetTexts): QuestionView {
  if (q.type === 'text') {
    const box = h('textarea', { id: 'a', maxlength: String(q.max_length ?? 2000) }) as HTMLTextAreaElement;
    return {
      node: h('div', {}, h('label', { class: 'q', for: 'a' }, q.text), box),
      value: () => box.value.trim() || null,
      focusTarget: () => box,
    };
  }
  if (q.min !== undefined && q.max !== undefined) {
    const scores = Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min! + i));
    const group = optionGroup(
      q,
      scores.map((s) => ({ value: s, label: s })),
      'radio',
      'scale',
    );
    return { ...group, value: () => (group.checked()[0] === undefined ? null : Number(group.checked()[0])) };
  }
  if (q.type === 'yes_no') {
    const options = [
      { value: 'yes', label: texts.yes },
      { value: 'no', label: texts.no },
    ];
    const group = optionGroup(q, options, 'radio', 'opts');
    return {
      ...group,
      value: () => (group.checked()[0] === undefined ? null : group.checked()[0] === 'yes'),
    };
  }
  const options = (q.choices ?? []).map((c) => ({ value: c.id, label: c.text }));
  const multiple = q.type === 'multiple_choice';
  const group = optionGroup(q, options, multiple ? 'checkbox' : 'radio', 'opts');
  return {
    ...group,
    value: () => {
      const ids = group.checked();
      return ids.length === 0 ? null : multiple ? ids : ids[0];
    },
  };
}
