/**
 * Types shared with the server. The admin app and customer pages import the server's own view types
 * (`import type` only: nothing of the server is bundled) and read them through `Wire`, which is what
 * JSON makes of them: a `Date` arrives as its ISO string. A field the server renames or drops then
 * fails `npm run typecheck` in the page that reads it.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
