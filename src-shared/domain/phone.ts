// Phones are stored normalised as '7XXXXXXXXXX' and shown as '+7 701 123 45 67'.
export function formatPhone(stored: string): string {
  const m = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(stored);
  return m ? `+7 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : stored;
}
