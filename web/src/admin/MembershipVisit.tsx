/**
 * A membership visit in the new booking form: the certificate number as the caller reads it; *Find
 * membership* shows the member, plan and visits left and fills the customer. The server's own checks
 * (coverage, visits left, validity) answer the booking in words.
 */
import { useState } from 'react';
import { api, errorText } from '../api';
import type { MembershipRow } from './types';
import { membershipStage } from './stage-labels';

export function MembershipVisit(props: {
  certificate: string;
  onCertificate: (value: string) => void;
  onMember: (member: MembershipRow) => void;
}) {
  const [member, setMember] = useState<MembershipRow | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function findMember() {
    setMember(null);
    setProblem(null);
    const q = props.certificate.trim();
    if (!q) return;
    try {
      const r = await api<{ certificateNumber: string | null; memberships: MembershipRow[] }>(
        'GET',
        `/api/admin/memberships?${new URLSearchParams({ q })}`,
      );
      if (!r.certificateNumber) {
        setProblem('That is not a valid certificate number (a symbol is wrong or missing). Check it with the caller.');
        return;
      }
      const found = r.memberships.find((m) => m.certificateNumber === r.certificateNumber);
      if (!found) {
        setProblem('No membership has that certificate number. Check it with the caller.');
        return;
      }
      setMember(found);
      props.onMember(found);
    } catch (e) {
      setProblem(errorText(e));
    }
  }
  return (
    <fieldset>
      <legend>Membership visit (optional)</legend>
      <label htmlFor="nb-certificate">Certificate number</label>
      <div className="row">
        <input
          id="nb-certificate"
          value={props.certificate}
          autoComplete="off"
          placeholder="XXXX-XXXX-XXXXX"
          aria-describedby="nb-certificate-hint"
          onChange={(e) => {
            props.onCertificate(e.target.value);
            setMember(null);
          }}
          style={{ maxWidth: '16rem' }}
        />
        <button type="button" onClick={() => void findMember()}>
          Find membership
        </button>
      </div>
      <p className="hint" id="nb-certificate-hint">
        The visit is booked on the membership and costs nothing more; the server checks the plan covers the service and
        a visit is left.
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {member && (
        <p role="status" className="notice" data-testid="member-found">
          {member.contactName} — {member.planName}, certificate {member.certificateNumber},{' '}
          {member.visitsLeft === null ? 'unlimited visits' : `${member.visitsLeft} visits left`} (
          {membershipStage(member.stage)})
        </p>
      )}
    </fieldset>
  );
}
