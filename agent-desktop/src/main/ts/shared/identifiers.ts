// Check digits of Hungarian identifiers, so a mistyped number is caught while the citizen is still
// typing; the server validates again with the same rules (JSON Schema formats hu-personal-id and
// hu-tax-id in the cases module).

/**
 * Személyi azonosító: 11 digits; the first ten weighted 1..10 (born before 1997) or 10..1 (from 1997),
 * sum modulo 11 is the check digit, 10 is never issued.
 */
export function isPersonalId(value: string): boolean {
  if (!/^[1-8][0-9]{10}$/.test(value)) return false;
  const first = Number(value[0]);
  const century = first === 3 || first === 4 ? 1800 : first === 5 || first === 6 ? 2000 : 1900;
  const year = century + Number(value.slice(1, 3));
  const month = Number(value.slice(3, 5));
  const day = Number(value.slice(5, 7));
  const born = new Date(Date.UTC(year, month - 1, day));
  if (born.getUTCFullYear() !== year || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) return false;
  const newRule = year >= 1997;
  let sum = 0;
  for (let i = 0; i < 10; i += 1) sum += Number(value[i]) * (newRule ? 10 - i : i + 1);
  const check = sum % 11;
  return check !== 10 && check === Number(value[10]);
}

/** Adóazonosító jel: 10 digits starting with 8; the first nine weighted 1..9, sum modulo 11. */
export function isTaxId(value: string): boolean {
  if (!/^8[0-9]{9}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(value[i]) * (i + 1);
  const check = sum % 11;
  return check !== 10 && check === Number(value[9]);
}
