/**
 * The feedback-request message's link (`/feedback/<token>`): what the visit was, a 1–5 star rating as
 * native radio buttons (one tab stop, arrow keys move, each labelled "N stars"), a comment, consent to
 * quote it, then a thank-you. A link already answered shows the answer; a dead link says why.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';

interface Answer {
  rating: number;
  comment: string;
  mayPublish: boolean;
  answeredAt: string;
}

interface Prompt {
  business: { name: string };
  service: { name: string };
  staff: { firstName: string };
  when: string;
  answered: Answer | null;
}

const COMMENT_MAX = 2000;
const WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

function Stars({ rating, label }: { rating: number; label: string }) {
  return (
    <p className="stars-shown" role="img" aria-label={label}>
      {[1, 2, 3, 4, 5].map((n) => (
        <span key={n} aria-hidden="true" className={n <= rating ? 'on' : undefined}>
          ★
        </span>
      ))}
    </p>
  );
}

function AnswerSummary({ answer }: { answer: Answer }) {
  return (
    <>
      <Stars rating={answer.rating} label={`Your rating: ${answer.rating} out of 5 stars`} />
      {answer.comment && <blockquote className="feedback-comment">{answer.comment}</blockquote>}
    </>
  );
}

export function FeedbackPage() {
  // The route names the segment `id`; it is the feedback token.
  const { id: token = '' } = useParams();
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [dead, setDead] = useState<{ message: string; reason?: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [mayPublish, setMayPublish] = useState(false);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Answer | null>(null);
  const [already, setAlready] = useState<Answer | null>(null);
  const path = `/api/feedback/${encodeURIComponent(token)}`;

  useEffect(() => {
    document.title = 'Your feedback';
    api<Prompt>('GET', path)
      .then((p) => {
        setPrompt(p);
        if (p.answered) setAlready(p.answered);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 410)) {
          setDead({
            message: e.message,
            ...(typeof e.details.reason === 'string' ? { reason: e.details.reason } : {}),
          });
        } else setError(errorText(e));
      });
  }, [path]);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    if (rating < 1) {
      setError('Please choose a rating from 1 to 5 stars.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api<{ answer: Answer }>('POST', path, { rating, comment: comment.trim(), mayPublish });
      setSent(result.answer);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && typeof e.details.answer === 'object' && e.details.answer) {
        setAlready(e.details.answer as Answer);
      } else if (e instanceof ApiError && (e.status === 404 || e.status === 410)) {
        setDead({ message: e.message });
      } else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  if (dead)
    return (
      <main className="customer">
        <h1>{dead.reason === 'expired' ? 'This link has expired' : 'This link no longer works'}</h1>
        <p role="alert" className="error">
          {dead.message}
        </p>
        <p>
          <a href="/book">Book your next appointment</a>
        </p>
      </main>
    );
  if (!prompt)
    return (
      <main className="customer">
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </main>
    );
  if (sent)
    return (
      <main className="customer">
        <h1>Thank you for your feedback</h1>
        <p className="notice" role="status">
          {sent.rating <= 2
            ? `We are sorry the visit fell short. Someone from ${prompt.business.name || 'our team'} will be in touch.`
            : `We have passed it on to ${prompt.staff.firstName} and the team.`}
        </p>
        <AnswerSummary answer={sent} />
        <p>
          <a href="/book">Book your next appointment</a>
        </p>
      </main>
    );
  if (already)
    return (
      <main className="customer">
        <h1>You have already given feedback</h1>
        <p>Thank you — we have your answer about {prompt.service.name}.</p>
        <AnswerSummary answer={already} />
        <p>
          <a href="/book">Book your next appointment</a>
        </p>
      </main>
    );
  return (
    <main className="customer">
      <h1>How was your visit?</h1>
      <p>
        {prompt.service.name} with {prompt.staff.firstName}
        <br />
        <span data-testid="when">{prompt.when}</span>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <fieldset className="rating">
          <legend>Your rating</legend>
          <div className="stars">
            {[1, 2, 3, 4, 5].map((n) => (
              <span key={n} className="star">
                <input
                  type="radio"
                  id={`rating-${n}`}
                  name="rating"
                  value={n}
                  checked={rating === n}
                  onChange={() => {
                    setRating(n);
                    setError(null);
                  }}
                />
                <label htmlFor={`rating-${n}`} className={n <= rating ? 'on' : undefined}>
                  <span aria-hidden="true">★</span>
                  <span className="visually-hidden">
                    {n} {n === 1 ? 'star' : 'stars'}
                  </span>
                </label>
              </span>
            ))}
          </div>
          <p className="hint" aria-live="polite">
            {rating ? `${rating} of 5 — ${WORDS[rating]}` : 'Choose 1 to 5 stars.'}
          </p>
        </fieldset>
        <label htmlFor="feedback-comment">Anything you would like to tell us? (optional)</label>
        <textarea
          id="feedback-comment"
          rows={5}
          maxLength={COMMENT_MAX}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-describedby="feedback-comment-count"
        />
        <p id="feedback-comment-count" className="hint">
          {COMMENT_MAX - comment.length} characters left
        </p>
        <div className="check">
          <input
            type="checkbox"
            id="feedback-publish"
            checked={mayPublish}
            onChange={(e) => setMayPublish(e.target.checked)}
          />
          <label htmlFor="feedback-publish">You may quote my comment publicly (first name only)</label>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send feedback'}
          </button>
        </div>
      </form>
    </main>
  );
}
