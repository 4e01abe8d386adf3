-- Call-backs ("virtual hold"): a citizen who left the queue keeps their place and is e-mailed a
-- link when their turn comes near. The rejoin token is made when the e-mail is sent and only its
-- SHA-256 is kept: the table holds nothing that opens the place by itself (the case token is
-- kept so that the citizen who comes back is given their case again).
CREATE TABLE callback (
  id               uuid PRIMARY KEY,
  queue            text NOT NULL,
  language         text NOT NULL,
  case_id          uuid NOT NULL,
  case_token       text NOT NULL,
  original_arrival timestamptz NOT NULL,
  email            text NOT NULL,
  token_hash       bytea,
  status           text NOT NULL CHECK (status IN ('waiting', 'notifying', 'notified', 'rejoined', 'expired', 'undeliverable')),
  attempts         integer NOT NULL DEFAULT 0,
  lease_until      timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL,
  notified_at      timestamptz,
  closed_at        timestamptz
);

-- The scheduler's work list: the open call-backs of each queue in the order of their places.
CREATE INDEX callback_open ON callback (queue, original_arrival) WHERE status IN ('waiting', 'notifying', 'notified');
