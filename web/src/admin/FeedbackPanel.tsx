/** The customer's feedback on the appointment card (from the extras endpoint), once they answered. */
import { formatDateTime } from '../format';

export interface StaffFeedback {
  rating: number;
  comment: string;
  mayPublish: boolean;
  answeredAt: string;
  followUpTaskId: string | null;
}

export function FeedbackPanel({ feedback, timeZone }: { feedback: StaffFeedback; timeZone: string }) {
  return (
    <section className="panel" aria-labelledby="feedback-heading" data-testid="feedback">
      <h2 id="feedback-heading">Customer feedback</h2>
      <p className="stars-shown" role="img" aria-label={`${feedback.rating} out of 5 stars`}>
        {[1, 2, 3, 4, 5].map((n) => (
          <span key={n} aria-hidden="true" className={n <= feedback.rating ? 'on' : undefined}>
            ★
          </span>
        ))}
      </p>
      {feedback.comment && <blockquote className="feedback-comment">{feedback.comment}</blockquote>}
      <p className="hint">
        {formatDateTime(feedback.answeredAt, timeZone)} ·{' '}
        {feedback.mayPublish ? 'may be quoted publicly' : 'not for publication'}
        {feedback.followUpTaskId && ' · follow-up task opened'}
      </p>
    </section>
  );
}
