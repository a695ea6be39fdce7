/**
 * The feedback-request message's link (`/feedback/<token>`): what the visit was, a 1–5 star rating as
 * native radio buttons (one tab stop, arrow keys move, each labelled "N stars"), a comment, consent to
 * quote it, then a thank-you. A link already answered shows the answer; a dead link says why.
 */
import { type SubmitEvent, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, ApiError, errorText } from '../api';
import { type Translate, useT } from '../i18n';
import { CustomerLayout, usePageTitle } from './business';

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

function AnswerSummary({ answer, t }: { answer: Answer; t: Translate }) {
  return (
    <>
      <Stars rating={answer.rating} label={t('feedback.yourRating', { rating: answer.rating })} />
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
  const { t } = useT();
  usePageTitle(t('feedback.title'));

  useEffect(() => {
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
      setError(t('feedback.chooseRating'));
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
      <CustomerLayout>
        <h1>{dead.reason === 'expired' ? t('feedback.expired') : t('manage.deadTitle')}</h1>
        <p role="alert" className="error">
          {dead.message}
        </p>
        <p>
          <a href="/book">{t('feedback.bookNext')}</a>
        </p>
      </CustomerLayout>
    );
  if (!prompt)
    return (
      <CustomerLayout>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : (
          <p className="loading">{t('feedback.loading')}</p>
        )}
      </CustomerLayout>
    );
  if (sent)
    return (
      <CustomerLayout>
        <h1>{t('feedback.thanks')}</h1>
        <p className="notice" role="status">
          {sent.rating <= 2
            ? t('feedback.sorry', { business: prompt.business.name })
            : t('feedback.passedOn', { name: prompt.staff.firstName })}
        </p>
        <AnswerSummary answer={sent} t={t} />
        <p>
          <a href="/book">{t('feedback.bookNext')}</a>
        </p>
      </CustomerLayout>
    );
  if (already)
    return (
      <CustomerLayout>
        <h1>{t('feedback.already')}</h1>
        <p>{t('feedback.haveAnswer', { service: prompt.service.name })}</p>
        <AnswerSummary answer={already} t={t} />
        <p>
          <a href="/book">{t('feedback.bookNext')}</a>
        </p>
      </CustomerLayout>
    );
  return (
    <CustomerLayout>
      <h1>{t('feedback.how')}</h1>
      <p>
        {prompt.service.name} {t('times.with', { name: prompt.staff.firstName })}
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
          <legend>{t('feedback.rating')}</legend>
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
                  <span className="visually-hidden">{t('feedback.stars', { count: n })}</span>
                </label>
              </span>
            ))}
          </div>
          <p className="hint" aria-live="polite">
            {rating ? t('feedback.ofFive', { rating, word: t(`feedback.words.${rating}`) }) : t('feedback.choose')}
          </p>
        </fieldset>
        <label htmlFor="feedback-comment">{t('feedback.comment')}</label>
        <textarea
          id="feedback-comment"
          rows={5}
          maxLength={COMMENT_MAX}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-describedby="feedback-comment-count"
        />
        <p id="feedback-comment-count" className="hint">
          {t('feedback.left', { count: COMMENT_MAX - comment.length })}
        </p>
        <div className="check">
          <input
            type="checkbox"
            id="feedback-publish"
            checked={mayPublish}
            onChange={(e) => setMayPublish(e.target.checked)}
          />
          <label htmlFor="feedback-publish">{t('feedback.publish')}</label>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('feedback.sending') : t('feedback.send')}
          </button>
        </div>
      </form>
    </CustomerLayout>
  );
}
