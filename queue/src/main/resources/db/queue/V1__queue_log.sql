-- One row per routing event, the shape of Asterisk's queue_log: reports are recomputed from it.
CREATE TABLE queue.queue_log (
  stream_id  text PRIMARY KEY,            -- the Redis stream entry id: makes the copy idempotent
  at         timestamptz NOT NULL,
  event      text NOT NULL,               -- ENTERQUEUE, OFFER, CONNECT, ...
  queue      text NOT NULL,
  contact_id text NOT NULL,
  clerk_id   text NOT NULL,
  data1      text NOT NULL,
  data2      text NOT NULL,
  data3      text NOT NULL
);
CREATE INDEX queue_log_queue_at ON queue.queue_log (queue, at);
CREATE INDEX queue_log_contact ON queue.queue_log (contact_id);
