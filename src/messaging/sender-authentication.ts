/**
 * Whether an inbound email's sender is who the From address says (issue 12): SendGrid Inbound Parse
 * reports the SPF result (`SPF`: pass, fail, softfail, neutral, none…) for the envelope sender, and the
 * DKIM results per signing domain (`dkim`: `{@example.com : pass, @other.com : fail}` or `none`). An
 * email reply may act (cancel, reschedule) only when SPF passes for the sender's own domain (the
 * envelope sender's domain is the address's) or a DKIM signature of that domain (or its parent) passes;
 * anything else goes to staff as unverified. Pure.
 */

export interface SenderCheck {
  verified: boolean;
  /** In words, for the staff alert and the inbound record: "SPF fail, DKIM none". */
  summary: string;
}

const domainOf = (address: string) => address.split('@').pop()?.trim().toLowerCase() ?? '';

/** DKIM results by signing domain, from SendGrid's `dkim` field. */
export function dkimResults(field: string): Array<{ domain: string; result: string }> {
  return [...field.matchAll(/@([A-Za-z0-9.-]+)\s*:\s*([A-Za-z]+)/g)].map((m) => ({
    domain: m[1]!.toLowerCase(),
    result: m[2]!.toLowerCase(),
  }));
}

/** The same domain, or one a subdomain of the other (relaxed alignment). */
const aligned = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

export function checkSender(input: {
  /** The sender address a reply would act for. */
  address: string;
  /** The SMTP envelope sender (what SPF was checked for), when SendGrid gave it. */
  envelopeFrom: string | undefined;
  spf: string;
  dkim: string;
}): SenderCheck {
  const domain = domainOf(input.address);
  const spf = input.spf.trim().toLowerCase() || 'none';
  const dkim = dkimResults(input.dkim);
  const spfPasses =
    spf === 'pass' && input.envelopeFrom !== undefined && domain !== '' && domainOf(input.envelopeFrom) === domain;
  const dkimPasses = dkim.some((d) => d.result === 'pass' && domain !== '' && aligned(d.domain, domain));
  const dkimSummary = dkim.length ? dkim.map((d) => `${d.result} for ${d.domain}`).join(', ') : 'none';
  return { verified: spfPasses || dkimPasses, summary: `SPF ${spf}, DKIM ${dkimSummary}` };
}
