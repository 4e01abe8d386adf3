-- Clerks and supervisors work in teams: a supervisor reads the cases their team's clerks handled.
-- Accounts made before teams existed join the default team.
ALTER TABLE accounts.staff
    ADD COLUMN team text NOT NULL DEFAULT 'default' CHECK (team ~ '^[a-z0-9][a-z0-9._-]{0,62}$');
