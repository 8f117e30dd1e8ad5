/** Readable errors from a form, one per line (field-named for configuration errors); nothing when there are none. */
export function ErrorList({ errors }: { errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul>
      {errors.map((error) => (
        <li class="error" key={error}>{error}</li>
      ))}
    </ul>
  );
}
