-- Cases, the outbox beside them, and the hash-chained audit trail.

create table case_file (
    id                    uuid        primary key,
    case_type             text        not null,
    form_version          integer     not null,
    language              text        not null,
    status                text        not null check (status in ('DRAFT', 'CONFIRMED', 'SUBMITTED')),
    data                  jsonb       not null,
    version               integer     not null,
    citizen_token_hash    text        not null,
    confirmed_version     integer,
    case_number           text        unique,
    submit_key            text        unique,
    delivery_status       text        check (delivery_status in ('PENDING', 'ACCEPTED', 'REJECTED', 'DEAD_LETTER')),
    delivery_attempts     integer     not null default 0,
    delivery_problem      text,
    back_office_reference text,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    submitted_at          timestamptz
);

-- Clerks who handled a case, with the team they belonged to at the time: drives who may see it.
create table case_handler (
    case_id    uuid        not null references case_file (id),
    clerk_id   text        not null,
    team_id    text        not null,
    since      timestamptz not null,
    primary key (case_id, clerk_id)
);
create index case_handler_clerk on case_handler (clerk_id);
create index case_handler_team on case_handler (team_id);

create sequence case_number_seq;

create table outbox (
    id              bigserial   primary key,
    case_id         uuid        not null references case_file (id),
    destination     text        not null,
    idempotency_key text        not null unique,
    payload         jsonb       not null,
    status          text        not null check (status in ('PENDING', 'DONE', 'DEAD')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    lease_token     uuid,
    lease_until     timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    finished_at     timestamptz
);
-- The relay's claim query only ever looks at pending rows that are due.
create index outbox_due on outbox (next_attempt_at) where status = 'PENDING';
create index outbox_dead on outbox (id) where status = 'DEAD';

create table audit_event (
    seq          bigserial   primary key,
    at           timestamptz not null,
    actor_id     text        not null,
    actor_role   text        not null,
    action       text        not null,
    subject_kind text        not null,
    subject_id   text        not null,
    reason       text        not null,
    detail       text        not null,
    prev_hash    text        not null,
    hash         text        not null unique
);
-- The head of the chain in one row: appending locks and updates it, which both orders concurrent
-- appends (across every node) and lets the new hash be computed from the committed previous one.
create table audit_head (
    singleton boolean primary key default true check (singleton),
    prev_hash text    not null,
    hash      text    not null
);
insert into audit_head (prev_hash, hash) values ('', repeat('0', 64));

create index audit_event_subject on audit_event (subject_kind, subject_id);

-- Append-only: the database refuses to change or remove an audit row. Someone with the power to
-- drop this trigger can still tamper, which is what the hash chain is there to reveal.
create function audit_event_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end
$$;
create trigger audit_event_append_only
    before update or delete or truncate on audit_event
    for each statement execute function audit_event_append_only();
