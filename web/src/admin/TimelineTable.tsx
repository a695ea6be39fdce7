/** A timeline (appointment's or membership's): when, what, who, channel, oldest first. */
import { formatDateTime } from '../format';

export interface TimelineRow {
  key: string;
  at: string;
  what: string;
  who: string;
  channel: string;
}

export function TimelineTable({ rows, timeZone }: { rows: TimelineRow[]; timeZone: string }) {
  return (
    <>
      <h2>Timeline</h2>
      <table className="stack-on-phone">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">Channel</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{formatDateTime(r.at, timeZone)}</td>
              <td>{r.what}</td>
              <td>{r.who}</td>
              <td>{r.channel}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
