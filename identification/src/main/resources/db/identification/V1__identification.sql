-- One identification per (call, case): the guided checklist's state, then the sealed record.
create table identification.identification (
    id                 uuid primary key,
    call_id            text not null,
    case_id            uuid not null,
    case_type          text not null,
    document_type      text not null,
    clerk_id           text not null,
    -- what the case said when the identification started: the MRZ is compared with it
    case_family_name   text not null,
    case_given_names   text not null,
    status             text not null,
    next_step          text not null,
    attempt            int not null,
    tilt               text,
    abort_reason       text,
    failure_reason     text,
    email              text,
    code_hash          text,
    code_expires_at    timestamptz,
    code_attempts      int not null default 0,
    recording_sha256   text,
    started_at         timestamptz not null,
    updated_at         timestamptz not null,
    completed_at       timestamptz,
    seal               text,
    unique (call_id, case_id)
);
create index identification_retention on identification.identification (status, updated_at);

-- Every completed step with its answers and the video quality the clerk's browser measured.
create table identification.step (
    identification_id  uuid not null references identification.identification (id) on delete cascade,
    seq                int not null,
    attempt            int not null,
    step               text not null,
    at                 timestamptz not null,
    actor_id           text not null,
    actor_role         text not null,
    answers            text not null,
    video_width        int,
    video_height       int,
    video_fps          double precision,
    primary key (identification_id, seq)
);

-- Stills: the file lives under the evidence directory, its hash here.
create table identification.still (
    identification_id  uuid not null references identification.identification (id) on delete cascade,
    attempt            int not null,
    kind               text not null,
    file_name          text not null,
    content_type       text not null,
    sha256             text not null,
    bytes              bigint not null,
    width              int not null,
    height             int not null,
    sharpness          double precision not null,
    glare              double precision not null,
    captured_at        timestamptz not null,
    primary key (identification_id, attempt, kind)
);

-- Four-eyes review of completed identifications of the configured case types. Kept apart from the
-- sealed record: the review comes after the seal and must not change it.
create table identification.review (
    identification_id  uuid primary key references identification.identification (id) on delete cascade,
    status             text not null,
    queued_at          timestamptz not null,
    reviewer_id        text,
    reviewer_role      text,
    reviewed_at        timestamptz,
    note               text
);
create index review_pending on identification.review (status, queued_at);
