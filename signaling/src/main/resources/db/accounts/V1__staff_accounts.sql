-- Staff who sign in with a password. Citizens have no account: they hold a signed visit token.
CREATE TABLE accounts.staff (
    id            uuid PRIMARY KEY,
    username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role          text NOT NULL CHECK (role IN ('clerk', 'supervisor', 'auditor', 'admin')),
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The HMAC key that signs visit tokens. It lives here, not in each node's memory, so a token
-- issued by one node is accepted by every other node.
CREATE TABLE accounts.signing_key (
    id         smallint PRIMARY KEY CHECK (id = 1),
    secret     bytea NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
