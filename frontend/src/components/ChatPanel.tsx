import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { chat } from '../api/coach';
import { coachClient } from '../api/clients';
import { errorMessage } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { COACH_TIMEOUT_MS } from '../config';
import { asLifter } from '../lib/asLifter';
import { Busy } from './Busy';
import { CoachText } from './CoachText';
import { ErrorAlert } from './ErrorAlert';

interface Turn {
  id: number;
  question: string;
  answer: string;
  contextUsed: boolean;
}

export function ChatPanel() {
  const { store, session } = useAuth();
  const [message, setMessage] = useState('');
  const [useWorkoutData, setUseWorkoutData] = useState(true);
  const [turns, setTurns] = useState<Turn[]>([]);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const nextId = useRef(1);

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const question = message.trim();
    if (!question || pending) return;
    if (question.length > 2000) {
      setFailure('Please keep your message under 2000 characters.');
      return;
    }
    setPending(true);
    setFailure(null);
    try {
      const reply = await asLifter(store, session !== null, (token) =>
        chat(coachClient, token, question, useWorkoutData),
      );
      setTurns((current) => [
        ...current,
        { id: nextId.current++, question, answer: reply.response, contextUsed: reply.context_used },
      ]);
      setMessage('');
    } catch (error) {
      // The message stays in the box so it can be sent again.
      setFailure(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send();
  }

  return (
    <section className="card" aria-labelledby="chat-heading">
      <h2 id="chat-heading">Ask the coach</h2>
      <ol className="chat-log" aria-label="Conversation" aria-live="polite">
        {turns.map((turn) => (
          <li key={turn.id} className="chat-turn">
            <p className="chat-question">
              <span className="who">You</span> {turn.question}
            </p>
            <div className="chat-answer">
              <span className="who">Coach</span>
              <CoachText text={turn.answer} />
              <small className="hint">
                {turn.contextUsed
                  ? 'Based on your workout data.'
                  : 'General advice (your workout data was not used).'}
              </small>
            </div>
          </li>
        ))}
      </ol>
      <form onSubmit={send} className="form">
        <div className="field">
          <label htmlFor="chat-message">Your question</label>
          <textarea
            id="chat-message"
            rows={3}
            maxLength={2000}
            value={message}
            placeholder="How can I improve my bench press?"
            onChange={(event) => setMessage(event.target.value)}
            onKeyDown={onKeyDown}
            aria-describedby="chat-message-hint"
          />
          <small id="chat-message-hint" className="hint">
            Ctrl+Enter sends. {message.length}/2000
          </small>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={useWorkoutData}
            onChange={(event) => setUseWorkoutData(event.target.checked)}
            aria-describedby="chat-data-hint"
          />
          Use my workout data
        </label>
        <small id="chat-data-hint" className="hint chat-data-hint">
          {session
            ? 'The coach answers from your own training log.'
            : 'Signed out, answers are general advice (at most the shared exercise list). Sign in to get answers from your own workouts.'}
        </small>
        <ErrorAlert message={failure} />
        <Busy
          active={pending}
          label="The coach is thinking"
          limitSeconds={COACH_TIMEOUT_MS / 1000}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={pending || message.trim() === ''}>
            Send
          </button>
        </div>
      </form>
    </section>
  );
}
