import { Field, FieldError, Select } from '../web/forms.tsx';

/**
 * Small form fields of the activity pages (coordination activities, followed persons): a label, its
 * hint and error tied to the input by aria-describedby, the typed value kept after a refusal.
 */

export const describedBy = (...ids: (string | false | undefined | null)[]) =>
  ids.filter(Boolean).join(' ') || undefined;

/** A field's id from its name (`partners.0.name` → `partners-0-name`). */
export const idOf = (name: string) => name.replace(/\./g, '-');

/** The shared one-line field (src/web/forms.tsx), named by a dotted name, its id derived from it. */
export function TextField(props: {
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  type?: 'text' | 'email' | 'tel' | 'date' | 'number';
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'tel' | 'email';
  min?: number;
  max?: number;
}) {
  return (
    <Field
      id={idOf(props.name)}
      name={props.name}
      label={props.label}
      value={props.value}
      error={props.error}
      hint={props.hint}
      type={props.type}
      required={props.required}
      maxlength={props.maxlength}
      autocomplete={props.autocomplete}
      inputmode={props.inputmode}
      min={props.min}
      max={props.max}
    />
  );
}

/** Radio buttons (one value) or checkboxes (several) of a list of labels, in a fieldset. */
export function ChoiceField(props: {
  name: string;
  legend: string;
  labels: Readonly<Record<string, string>>;
  values: readonly string[];
  multiple?: boolean;
  error?: string | undefined;
  hint?: string;
  /** Radios with an empty first choice ("Non précisé"), so that the answer can be left out. */
  none?: string;
}) {
  const id = idOf(props.name);
  const options: [string, string][] = Object.entries(props.labels);
  if (props.none !== undefined) options.unshift(['', props.none]);
  return (
    <Choices
      id={id}
      type={props.multiple ? 'checkbox' : 'radio'}
      name={props.name}
      idPrefix={id}
      legend={props.legend}
      options={options}
      checked={(value) =>
        props.values.includes(value) || (value === '' && props.values.every((v) => v === ''))
      }
      error={props.error}
      errorKey={id}
      {...(props.hint ? { hint: props.hint } : {})}
    />
  );
}

/** A group of radio buttons or checkboxes, with its legend, hint and error. */
export function Choices(props: {
  /** The fieldset's id (the error summary links to it). */
  id?: string;
  type: 'radio' | 'checkbox';
  name: string;
  idPrefix: string;
  legend: string;
  options: readonly (readonly [string, string])[];
  checked: (value: string) => boolean;
  error: string | undefined;
  errorKey: string;
  hint?: string;
  class?: string;
}) {
  const hintId = props.hint ? `${props.idPrefix}-aide` : undefined;
  const errorId = props.error ? `${props.errorKey}-erreur` : undefined;
  return (
    <fieldset class={props.error ? 'has-error' : undefined} id={props.id}>
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={props.errorKey} message={props.error} />
      <div class={props.class === 'compact' ? 'choices compact-choices' : 'choices'}>
        {props.options.map(([value, label], i) => (
          <div class="choice">
            <input
              type={props.type}
              id={`${props.idPrefix}-${value || 'aucun'}`}
              name={props.name}
              value={value}
              checked={props.checked(value)}
              aria-describedby={i === 0 ? describedBy(hintId, errorId) : undefined}
            />
            <label for={`${props.idPrefix}-${value || 'aucun'}`}>{label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** The id of a choice field's first input, for the error summary's link. */
export const firstChoiceId = (name: string, labels: Readonly<Record<string, string>>, none?: string) =>
  `${idOf(name)}-${none !== undefined ? 'aucun' : (Object.keys(labels)[0] ?? '')}`;

/** A select of labels with an empty first option. */
export function SelectField(props: {
  name: string;
  label: string;
  labels: Readonly<Record<string, string>>;
  value: string;
  empty: string;
  error?: string | undefined;
}) {
  return (
    <Select
      id={idOf(props.name)}
      name={props.name}
      label={props.label}
      empty={props.empty}
      options={Object.entries(props.labels).map(([value, label]) => ({ value, label }))}
      value={props.value}
      error={props.error}
    />
  );
}
