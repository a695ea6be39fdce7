/**
 * The appointment card's "Files requested" panel (issue 16): what the service asks the customer to send
 * before the visit and the files they sent about this appointment (name, type, size, when; a thumbnail
 * for images), each downloaded through its short-lived signed link. From the extras endpoint.
 */
import { formatDateTime } from '../format';
import type { Extras } from './appointment-types';

type Files = NonNullable<Extras['files']>;

const TYPE_WORDS: Readonly<Record<string, string>> = {
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF',
};

/** "820 bytes", "34 KB", "2.4 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function FilesPanel({ files, timeZone }: { files: Files; timeZone: string }) {
  // Nothing asked and nothing sent: no panel.
  if (files.request === null && files.received.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="files-heading" data-testid="files-requested">
      <h2 id="files-heading">Files requested</h2>
      {files.request && <blockquote>{files.request}</blockquote>}
      {files.received.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ul className="received-files" aria-label="Files the customer sent">
          {files.received.map((f) => (
            <li key={f.id}>
              <a href={f.url}>
                {f.contentType.startsWith('image/') && <img src={f.url} alt="" />}
                {f.filename}
              </a>
              <span className="hint">
                {' '}
                {TYPE_WORDS[f.contentType] ?? f.contentType} · {fileSize(f.size)} · {formatDateTime(f.at, timeZone)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
