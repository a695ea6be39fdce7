/**
 * The reschedule form's message editors: the email (subject and text) and the SMS with its length
 * counted as the server counts it. Each shows the server's refusals under the field they name, warns
 * when the manage link was removed or the text was edited for another time, and can restore the
 * suggested text.
 */
import { MANAGE_LINK, SMS_MAX } from '../sms-count';

export const described = (...ids: Array<string | false>) => ids.filter(Boolean).join(' ') || undefined;

export function FieldProblems({ control, list }: { control: string; list: string[] }) {
  return list.length ? (
    <p className="field-error" id={`${control}-problem`}>
      {list.join('; ')}
    </p>
  ) : null;
}

interface Edited {
  /** Edited before the time, service or note changed: the text may describe the old one. */
  stale: boolean;
  /** Edited at all: the suggested text can be restored. */
  edited: boolean;
  onRestore: () => void;
}

/** Under an editor: a warning when the manage link is gone or the text describes an older choice, and the way back. */
function EditNotes({ what, text, stale, edited, onRestore }: { what: 'email' | 'SMS'; text: string } & Edited) {
  return (
    <>
      {!text.includes(MANAGE_LINK) && (
        <p className="hint">
          The {what} has no {MANAGE_LINK}: the customer gets no link to manage the visit.
        </p>
      )}
      {stale && <p className="hint">You edited the {what} before changing the time, service or note: check it.</p>}
      {edited && (
        <button type="button" onClick={onRestore}>
          Use the suggested {what}
        </button>
      )}
    </>
  );
}

export function EmailEditor(
  props: {
    subject: string;
    body: string;
    onSubject: (value: string) => void;
    onBody: (value: string) => void;
    subjectProblems: string[];
    bodyProblems: string[];
  } & Edited,
) {
  const { subject, body, subjectProblems, bodyProblems } = props;
  return (
    <>
      <label htmlFor="rs-email-subject">Email subject</label>
      <input
        id="rs-email-subject"
        value={subject}
        aria-invalid={subjectProblems.length > 0}
        aria-describedby={described(subjectProblems.length > 0 && 'rs-email-subject-problem')}
        onChange={(e) => props.onSubject(e.target.value)}
      />
      <FieldProblems control="rs-email-subject" list={subjectProblems} />
      <label htmlFor="rs-email-body">Email text</label>
      <textarea
        id="rs-email-body"
        rows={10}
        value={body}
        aria-invalid={bodyProblems.length > 0}
        aria-describedby={described('rs-link-hint', bodyProblems.length > 0 && 'rs-email-body-problem')}
        onChange={(e) => props.onBody(e.target.value)}
      />
      <FieldProblems control="rs-email-body" list={bodyProblems} />
      <EditNotes what="email" text={body} {...props} />
    </>
  );
}

export function SmsEditor(
  props: {
    sms: string;
    onChange: (value: string) => void;
    count: { septets: number; segments: number } | null;
    problems: string[];
  } & Edited,
) {
  const { sms, count, problems } = props;
  return (
    <>
      <label htmlFor="rs-sms">SMS</label>
      <textarea
        id="rs-sms"
        rows={4}
        value={sms}
        aria-invalid={problems.length > 0}
        aria-describedby={described('rs-sms-count', problems.length > 0 && 'rs-sms-problem')}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {count && (
        <p
          id="rs-sms-count"
          data-testid="sms-count"
          className={count.septets > SMS_MAX ? 'field-error' : 'hint'}
          aria-live="polite"
        >
          {count.septets} of {SMS_MAX} characters with the link filled in · {count.segments}{' '}
          {count.segments === 1 ? 'segment' : 'segments'}
          {count.septets > SMS_MAX ? ' — over two segments, shorten it' : ''}
        </p>
      )}
      <FieldProblems control="rs-sms" list={problems} />
      <EditNotes what="SMS" text={sms} {...props} />
    </>
  );
}
