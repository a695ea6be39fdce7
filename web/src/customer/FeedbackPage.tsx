/** Target of the feedback-request message's link. Collecting answers is not built yet: say so plainly. */
import { useEffect } from 'react';

export function FeedbackPage() {
  useEffect(() => {
    document.title = 'Your feedback';
  }, []);
  return (
    <main className="customer">
      <h1>Thank you for visiting</h1>
      <p>
        We would love to hear how it went. Online feedback is not open yet — please reply to our email or call us, and
        we will pass it on to the team.
      </p>
      <p>
        <a href="/book">Book your next appointment</a>
      </p>
    </main>
  );
}
