// Pure checks of the pieces a paging cursor carries, so a cursor whose shape
// is right but whose values are not (month 13, year 0000, an id past bigint)
// is refused as invalid input instead of failing inside the database (#13 item 7).

const CURSOR_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** True for `YYYY-MM-DDTHH:MM:SS.ffffffZ` naming a real instant from year 1 to 9999 (what the database wrote). */
export function isCursorTime(text: string): boolean {
  const match = CURSOR_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  // Date.UTC rolls 31 February over into March; a real date comes back unchanged.
  const date = new Date(Date.UTC(2000, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && (day !== 29 || month !== 2 || isLeapYear(year))
  );
}

/** True for a decimal id that fits PostgreSQL's bigint (1 to 2^63 - 1). */
export function isBigintId(text: string): boolean {
  return /^[0-9]{1,19}$/.test(text) && BigInt(text) >= 1n && BigInt(text) <= MAX_BIGINT;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
