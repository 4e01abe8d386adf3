-- What routing needs to know about a clerk: skills with proficiency 1 (novice) to 5 (expert),
-- the languages they serve in and how many contacts they take at once (docs/routing.md).
ALTER TABLE accounts.staff
    ADD COLUMN skills    jsonb   NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(skills) = 'object'),
    ADD COLUMN languages text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN capacity  integer NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 10);
