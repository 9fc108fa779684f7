// Messages are kept per area, all three languages side by side; the type makes kk and en carry
// exactly the keys ru has, so a missing translation is a compile error, not a blank on screen.
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

export function defineArea<T extends Record<string, unknown>>(messages: { ru: T; kk: Messages<T>; en: Messages<T> }) {
  return messages;
}
