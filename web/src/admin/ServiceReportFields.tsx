/**
 * The service report in the deliver form (issue 16): what was done, the next steps, and photos picked
 * from the customer's conversation; sent to the customer with the receipt. Left empty, no report.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import type { ThreadMessage } from '../conversation/Thread';

export interface ReportValue {
  summary: string;
  nextSteps: string;
  photoIds: string[];
}

export const EMPTY_REPORT: ReportValue = { summary: '', nextSteps: '', photoIds: [] };

/** The form's `report`, or nothing when every field is empty (the server asks for the summary). */
export function reportOf(value: ReportValue): Record<string, unknown> | undefined {
  const summary = value.summary.trim();
  const nextSteps = value.nextSteps.trim();
  if (!summary && !nextSteps && value.photoIds.length === 0) return undefined;
  return {
    summary,
    ...(nextSteps ? { nextSteps } : {}),
    ...(value.photoIds.length ? { photoIds: value.photoIds } : {}),
  };
}

type Photo = ThreadMessage['attachments'][number];

export function ServiceReportFields(props: {
  id: string;
  appointmentId: string | null;
  value: ReportValue;
  onChange: (value: ReportValue) => void;
}) {
  const { id, value, onChange } = props;
  const [photos, setPhotos] = useState<Photo[]>([]);
  useEffect(() => {
    if (!props.appointmentId) return;
    api<{ messages: ThreadMessage[] }>('GET', `/api/appointments/${props.appointmentId}/conversation`)
      .then((r) =>
        setPhotos(r.messages.flatMap((m) => m.attachments).filter((a) => a.contentType.startsWith('image/'))),
      )
      .catch(() => setPhotos([]));
  }, [props.appointmentId]);
  const toggle = (photoId: string, on: boolean) =>
    onChange({ ...value, photoIds: on ? [...value.photoIds, photoId] : value.photoIds.filter((p) => p !== photoId) });

  return (
    <fieldset>
      <legend>Service report for the customer (optional, sent with the receipt)</legend>
      <label htmlFor={`report-summary-${id}`}>What was done</label>
      <textarea
        id={`report-summary-${id}`}
        rows={2}
        value={value.summary}
        onChange={(e) => onChange({ ...value, summary: e.target.value })}
      />
      <label htmlFor={`report-next-${id}`}>Next steps</label>
      <textarea
        id={`report-next-${id}`}
        rows={2}
        value={value.nextSteps}
        onChange={(e) => onChange({ ...value, nextSteps: e.target.value })}
      />
      {photos.length > 0 && (
        <ul className="report-photos" aria-label="Photos from the conversation">
          {photos.map((photo) => (
            <li key={photo.id}>
              <label>
                <input
                  type="checkbox"
                  checked={value.photoIds.includes(photo.id)}
                  onChange={(e) => toggle(photo.id, e.target.checked)}
                />{' '}
                {photo.filename}
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
