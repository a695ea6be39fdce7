/**
 * The service editor's files request (issue 16): what the customer is asked to send before the visit.
 * The confirmation shows it with a "Send files" link into the portal conversation, and the appointment
 * card lists what arrived. Left empty, nothing is asked. The API's refusal is shown under the field.
 */
import type { Form } from './service-form';

const ID = 'svc-filesRequest';

export function FilesRequestField(props: {
  form: Form;
  onChange: (patch: Partial<Form>) => void;
  problemsFor: (id: string) => string[];
}) {
  const problems = props.problemsFor(ID);
  return (
    <fieldset>
      <legend>Before the visit</legend>
      <label htmlFor={ID}>Ask the customer for files before the visit</label>
      <textarea
        id={ID}
        rows={2}
        maxLength={500}
        placeholder="Please send photos of the device and its model label"
        value={props.form.filesRequest}
        onChange={(e) => props.onChange({ filesRequest: e.target.value })}
        aria-invalid={problems.length > 0}
        aria-describedby={`${ID}-hint${problems.length ? ` ${ID}-problem` : ''}`}
      />
      <span className="hint" id={`${ID}-hint`}>
        Empty: nothing is asked. Shown in the confirmation with a link to send photos or PDFs.
      </span>
      {problems.length > 0 && (
        <p className="field-error" id={`${ID}-problem`}>
          {problems.join('; ')}
        </p>
      )}
    </fieldset>
  );
}
