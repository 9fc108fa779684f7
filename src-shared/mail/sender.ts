// A letter's From as both sides write it: the utility's name shown, the sender's address (from a
// sender written «Name <address>» or bare). The desk's letters saved as .eml (no SMTP set) and the
// service's monthly mailing (whatever MAIL_FROM names, the requisites' name in the letter's language)
// are signed so; nodemailer quotes and encodes the name (quotes, «», Cyrillic).

/** The address of a sender written «Name <address>» or bare. */
export function senderAddress(sender: string): string {
  return (/<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim();
}

/** From: the utility's name, at the sender's address. */
export function letterFrom(utilityName: string, sender: string): { name: string; address: string } {
  return { name: utilityName.trim(), address: senderAddress(sender) };
}
