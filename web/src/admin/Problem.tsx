/** A refusal or failure, in the server's words, announced to screen readers; nothing when there is none. */
export function Problem({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
}
