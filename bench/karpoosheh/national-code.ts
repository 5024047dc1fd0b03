/** A valid national code for n (9-digit body n, check digit computed). */
export function nationalCode(n: number): string {
  const body = String(n).padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
  const r = sum % 11;
  return body + String(r < 2 ? r : 11 - r);
}
