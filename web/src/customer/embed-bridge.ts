/**
 * The booking page inside another site's iframe (/embed/book) talks to the host page with
 * `window.parent.postMessage`: `appointflow:resize` ({ height }) whenever its content changes size,
 * and `appointflow:booked` once a booking is made (what was booked, never the manage link, which is a
 * credential). Messages go to any origin: they carry nothing the customer would not tell the site.
 * The host side is web/embed/embed.ts (the `<script>` snippet); docs/architecture.md has the format.
 */
import { useEffect } from 'react';
import type { Booked } from './Confirmation';
import type { Service } from './ServiceCards';

export const EMBED_EVENTS = { resize: 'appointflow:resize', booked: 'appointflow:booked', ready: 'appointflow:ready' };

function post(message: Record<string, unknown>): void {
  if (window.parent !== window) window.parent.postMessage(message, '*');
}

export function useReportHeight(embedded: boolean): void {
  useEffect(() => {
    if (!embedded) return;
    document.documentElement.classList.add('embedded');
    let last = 0;
    const report = () => {
      const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        post({ type: EMBED_EVENTS.resize, height });
      }
    };
    const observer = new ResizeObserver(report);
    observer.observe(document.body);
    post({ type: EMBED_EVENTS.ready });
    report();
    return () => observer.disconnect();
  }, [embedded]);
}

export function notifyHost(embedded: boolean, booked: Booked, service: Service): void {
  if (!embedded) return;
  const a = booked.appointment;
  post({
    type: EMBED_EVENTS.booked,
    appointment: {
      id: a.id,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      timeZone: a.timeZone,
      service: { id: service.id, slug: service.slug, name: a.service.name },
      staff: { name: a.staff.name },
      price: a.price,
    },
  });
}
