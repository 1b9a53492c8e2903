/** The server's password rule, in bytes of UTF-8 (bcrypt reads at most 72). */
export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 72;

/** What is wrong with a new password and its confirmation, or null when the server will take it. */
export function passwordProblem(password: string, confirm: string): string | null {
  const bytes = new TextEncoder().encode(password).length;
  if (bytes === 0) return "Choose a password.";
  if (bytes < PASSWORD_MIN_BYTES) return `Use at least ${PASSWORD_MIN_BYTES} characters.`;
  if (bytes > PASSWORD_MAX_BYTES) return `Use at most ${PASSWORD_MAX_BYTES} bytes (accented letters and emoji count as several).`;
  if (password !== confirm) return "The two passwords do not match.";
  return null;
}
