"""``Idempotency-Key`` on POST: a retried write is answered, not done twice.

When a write's COMMIT succeeds but its answer is lost (a dropped connection, a proxy timeout,
a phone that lost the network), the client cannot know whether it happened, and a plain
retry creates a second record. With an ``Idempotency-Key`` header (the IETF draft's
semantics) the first answer is stored in the same transaction as the write, so:

* the same key with the same request replays the stored answer (``Idempotent-Replayed: true``);
* the same key with another request is a 422;
* two requests with one key racing each other write once: the loser's transaction, write
  included, is rolled back on the key's unique constraint and it replays the winner's answer.

Keys belong to the caller (another user's key never matches) and are kept 24 hours.
"""
