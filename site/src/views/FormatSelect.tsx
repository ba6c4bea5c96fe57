/** A labelled drop-down of formats by name: the number line and the checkpoint inspector pick one. */
import type { Format } from 'floatlab';

export function FormatSelect(props: {
  id: string;
  label: string;
  formats: readonly Format[];
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.formats.map((f) => (
          <option key={f.name} value={f.name}>
            {f.name}
          </option>
        ))}
      </select>
    </label>
  );
}
