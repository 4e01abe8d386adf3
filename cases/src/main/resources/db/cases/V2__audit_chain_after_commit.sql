-- The hash chain moves out of the request's transaction. Appending used to lock and advance
-- audit_head in the same transaction as the change it recorded, holding that one row lock until the
-- node committed, so every audited change in the installation waited in line. Now a request only
-- inserts its audit_event row (and its audit_unchained marker); a chainer links committed events
-- afterwards, many per pass, holding audit_head's lock only for that pass (docs/cases.md).

-- Chain order is the chainer's order: a link's position, not the event's seq, which a transaction
-- takes before it commits. No foreign key to audit_event: the verifier reports a link whose event is gone.
create table audit_chain (
    position  bigint primary key,
    event_seq bigint not null unique,
    prev_hash text   not null,
    hash      text   not null unique
);

-- Events committed but not linked yet: what the chainer takes, so it never searches the whole trail.
-- Not part of the evidence; the verifier finds an unlinked event without it.
create table audit_unchained (
    seq bigint primary key
);

-- Rows written by the old scheme keep their links: their chain order was their seq order (the seq was
-- taken after the head lock), and their hashes were computed the same way the chainer computes them.
insert into audit_chain (position, event_seq, prev_hash, hash)
select row_number() over (order by seq), seq, prev_hash, hash from audit_event;

alter table audit_event drop column prev_hash, drop column hash;

alter table audit_head add column position bigint not null default 0;
update audit_head set position = (select count(*) from audit_chain);
alter table audit_head drop column prev_hash;

create function audit_chain_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_chain is append-only';
end
$$;
create trigger audit_chain_append_only
    before update or delete or truncate on audit_chain
    for each statement execute function audit_chain_append_only();
