import { asSentence } from "../../../lib/api-client";

/** The server's problems with one field (each on its own line), tied to the input by `id`. */
export function FieldProblems({ id, messages }: { id: string; messages?: string[] }) {
  if (!messages?.length) return null;
  return (
    <div id={id} className="mix-problems" data-testid="field-problem">
      {messages.map((m, i) => <p key={i} className="field-error field-error--tight">{asSentence(m)}</p>)}
    </div>
  );
}

/** `aria-invalid` / `aria-describedby` for an input with (maybe) problems. */
export function problemProps(id: string, messages?: string[]) {
  return messages?.length ? { "aria-invalid": true as const, "aria-describedby": id } : {};
}
