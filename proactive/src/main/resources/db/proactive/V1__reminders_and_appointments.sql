-- The document registry: one current document per citizen and document type.
-- A renewed document (new number) replaces the row; reminders planned for the old
-- number are then skipped at send time with the reason 'document_renewed'.
CREATE TABLE document (
  citizen_id      text NOT NULL,
  document_type   text NOT NULL CHECK (document_type IN ('identity_card', 'passport', 'driving_licence')),
  document_number text NOT NULL,
  name            text NOT NULL,
  birth_date      date NOT NULL,
  email           text NOT NULL,
  expiry_date     date NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (citizen_id, document_type)
);

-- Consent: the latest choice per citizen; opted_in flips on every opt-out / opt-in.
CREATE TABLE subscription (
  citizen_id  text PRIMARY KEY,
  name        text NOT NULL,
  birth_date  date NOT NULL,
  email       text NOT NULL,
  language    text NOT NULL CHECK (language IN ('hu', 'en')),
  opted_in    boolean NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- The delivery ledger: every e-mail, planned or sent. A reminder is a row planned at import
-- time (status 'created', next_attempt_at = its day); the unique (document, stage) key makes
-- planning and sending idempotent.
CREATE TABLE delivery (
  id               bigserial PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('reminder', 'appointment')),
  citizen_id       text NOT NULL,
  document_type    text,
  document_number  text,
  expiry_date      date,
  stage            text CHECK (stage IN ('first', 'second', 'expiry_day')),
  recipient        text,
  language         text,
  subject          text,
  body             text,
  calendar         text,
  status           text NOT NULL CHECK (status IN ('created', 'sending', 'delivered',
                                                   'temporary_failure', 'permanent_failure', 'skipped')),
  skip_reason      text,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  lease_owner      text,
  lease_until      timestamptz,
  last_error       text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  UNIQUE (document_type, document_number, stage)
);

-- The scheduler's hot path: the rows that may be claimed, in due order.
CREATE INDEX delivery_due ON delivery (next_attempt_at)
  WHERE status IN ('created', 'temporary_failure', 'sending');

-- A clerk's availability for video appointments of one case type in one language.
CREATE TABLE clerk_shift (
  id            bigserial PRIMARY KEY,
  clerk_id      text NOT NULL,
  case_type     text NOT NULL,
  language      text NOT NULL CHECK (language IN ('hu', 'en')),
  starts_at     timestamptz NOT NULL,
  ends_at       timestamptz NOT NULL CHECK (ends_at > starts_at),
  UNIQUE (clerk_id, case_type, language, starts_at)
);

-- Bookable slots derived from shifts: capacity = clerks covering the slot. The CHECK is what
-- keeps concurrent bookings from overfilling a slot: the conditional UPDATE locks the row and
-- PostgreSQL refuses any state with booked > capacity.
CREATE TABLE slot (
  id          bigserial PRIMARY KEY,
  case_type   text NOT NULL,
  language    text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  capacity    integer NOT NULL CHECK (capacity >= 0),
  booked      integer NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
  UNIQUE (case_type, language, starts_at)
);

CREATE TABLE appointment (
  id           uuid PRIMARY KEY,
  slot_id      bigint NOT NULL REFERENCES slot (id),
  citizen_id   text NOT NULL,
  name         text NOT NULL,
  email        text NOT NULL,
  language     text NOT NULL CHECK (language IN ('hu', 'en')),
  status       text NOT NULL CHECK (status IN ('booked', 'cancelled', 'joined', 'no_show')),
  sequence     integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  joined_at    timestamptz
);

CREATE INDEX appointment_slot ON appointment (slot_id) WHERE status = 'booked';
