/** Form text → request values: the app sends what was typed, and the API names what is wrong with it. */

/** A number when the text is one; otherwise the text itself, so the API names what is wrong with it. */
export const numberOrText = (text: string): number | string => {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
};

/** An amount typed in major units (12.50) → minor units (1250), or the text when it is not a number. */
export const moneyOf = (text: string): number | string => {
  const value = numberOrText(text);
  return typeof value === 'number' ? Math.round(value * 100) : value;
};

/** Minor units → the text a form shows (1250 → "12.50"). */
export const minorToText = (minor: number) => (minor / 100).toFixed(2);
