/**
 * What a workflow history is made of, for the history budget (test/workflows/history-budget.test.ts)
 * and `npm run bench -- history`: events by kind, activities by type, local activities (their markers)
 * and patch markers.
 */
import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
const { EventType } = temporal.api.enums.v1;

export interface HistoryProfile {
  events: number;
  workflowTasks: number;
  activities: Record<string, number>;
  localActivities: Record<string, number>;
  patches: number;
  timers: number;
  upserts: number;
  updates: number;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The activity type a local activity's marker records (its details hold it as JSON), else undefined. */
export function localActivityType(event: HistoryEvent): string | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  const details = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string };
  return details.activity_type;
}

/**
 * When each local activity of a type ran, in workflow time: its marker's event time. (A local activity's
 * own info carries the worker's clock, which the time-skipping server does not move.)
 */
export function localActivityTimes(history: History, type: string): number[] {
  return (history.events ?? [])
    .filter((e) => localActivityType(e) === type)
    .map((e) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6));
}

export function historyProfile(history: History): HistoryProfile {
  const events = history.events ?? [];
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
  const activities: Record<string, number> = {};
  for (const e of events) {
    const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (name) activities[name] = (activities[name] ?? 0) + 1;
  }
  const localActivities: Record<string, number> = {};
  for (const e of events) {
    const name = localActivityType(e);
    if (name) localActivities[name] = (localActivities[name] ?? 0) + 1;
  }
  const markers = events.map((e) => e.markerRecordedEventAttributes?.markerName).filter(Boolean);
  return {
    events: events.length,
    workflowTasks: count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    activities,
    localActivities,
    patches: markers.filter((m) => m === 'core_patch').length,
    timers: count(EventType.EVENT_TYPE_TIMER_STARTED),
    upserts: count(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
  };
}

/** One line: "74 events: 11 workflow tasks, 6 activities (…), 5 local activities (…), 1 patch markers, …". */
export function describeProfile(p: HistoryProfile): string {
  const list = (counts: Record<string, number>) => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const names = Object.entries(counts).map(([name, n]) => `${n} ${name}`);
    return `${total}${names.length > 0 ? ` (${names.join(', ')})` : ''}`;
  };
  return (
    `${p.events} events: ${p.workflowTasks} workflow tasks, ${list(p.activities)} activities, ` +
    `${list(p.localActivities)} local activities, ${p.patches} patch markers, ${p.timers} timers, ` +
    `${p.upserts} search-attribute upserts, ${p.updates} updates`
  );
}
