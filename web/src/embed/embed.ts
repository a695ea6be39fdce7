/**
 * The booking widget for the business's own website: one tag,
 *   <script src="https://<appointflow host>/embed.js" data-service="consultation" async></script>
 * puts the booking flow (/embed/book) in an iframe right after the tag (or inside `data-target`, a CSS
 * selector), preselecting a service (`data-service`, its slug) or staff member (`data-staff`, an id)
 * and a language (`data-lang`). The frame sizes itself from the page's `appointflow:resize` messages,
 * and a booking is announced to the host page as a DOM event `appointflow:booked` (bubbling from the
 * iframe, detail = the appointment) besides the frame's own postMessage. Built by Vite as a classic
 * script (web/dist/embed.js, served at /embed.js).
 */
interface EmbedMessage {
  type?: unknown;
  height?: unknown;
  appointment?: unknown;
}

function mount(script: HTMLScriptElement): void {
  const origin = new URL(script.src, window.location.href).origin;
  const { service, staff, lang, target, title } = script.dataset;
  const query = new URLSearchParams();
  if (staff) query.set('staff', staff);
  if (lang) query.set('lang', lang);
  const frame = document.createElement('iframe');
  frame.src = `${origin}/embed/book${service ? `/${encodeURIComponent(service)}` : ''}${query.size ? `?${query}` : ''}`;
  frame.title = title ?? 'Book an appointment';
  frame.style.width = '100%';
  frame.style.minHeight = '480px';
  frame.style.border = '0';
  frame.style.display = 'block';
  frame.setAttribute('allow', 'clipboard-write');
  const host = target ? document.querySelector(target) : null;
  if (host) host.appendChild(frame);
  else script.insertAdjacentElement('afterend', frame);

  window.addEventListener('message', (event: MessageEvent<EmbedMessage>) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (data.type === 'appointflow:resize' && typeof data.height === 'number') {
      frame.style.height = `${Math.max(200, Math.ceil(data.height))}px`;
    } else if (data.type === 'appointflow:booked') {
      frame.dispatchEvent(new CustomEvent('appointflow:booked', { detail: data.appointment, bubbles: true }));
    }
  });
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) mount(current);
