/** The input as messages show it: JSON-quoted (control characters visible), long ones cut. */
export function quote(input: string): string {
  const shown = input.length > 120 ? `${input.slice(0, 100)}…` : input;
  return JSON.stringify(shown);
}
