-- The populated schema every catalog case runs against (each case in BEGIN ... ROLLBACK, or
-- in a throwaway copy of this database when it cannot run in a transaction block).
CREATE TABLE orgs (id int PRIMARY KEY, name text);
INSERT INTO orgs SELECT g, 'org' || g FROM generate_series(1, 10) g;

CREATE TABLE users (
  id bigint PRIMARY KEY,
  org_id int REFERENCES orgs (id),
  email varchar(20),
  nick varchar(20),
  name text,
  code text,
  score numeric(10, 2),
  age integer,
  created timestamp(3),
  created_tz timestamp,
  ip cidr,
  flag boolean,
  nullable_col int
);
INSERT INTO users
SELECT g, 1 + g % 10, 'u' || g || '@x.io', 'n' || g, 'name' || (g % 7), g::text, g * 1.5, 20 + g % 50,
       '2020-01-01'::timestamp + g * interval '1 hour', '2020-01-01'::timestamp, '10.0.0.0/8',
       g % 2 = 0, CASE WHEN g % 3 = 0 THEN NULL ELSE g END
FROM generate_series(1, 100) g;
CREATE INDEX users_email_idx ON users (email);
CREATE UNIQUE INDEX users_nick_uidx ON users (nick);
CREATE UNIQUE INDEX users_code_uidx ON users (code);
ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age > 0) NOT VALID;

CREATE TABLE events (id int NOT NULL, org_id int, kind text, payload text);
INSERT INTO events SELECT g, 1 + g % 10, 'k' || (g % 3), 'p' FROM generate_series(1, 50) g;
ALTER TABLE events ADD CONSTRAINT events_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;
CREATE UNIQUE INDEX events_id_uidx ON events (id);

CREATE TABLE bad_refs (id int, org_id int);
INSERT INTO bad_refs VALUES (1, 999);

CREATE TABLE logs (id int, msg text);
INSERT INTO logs SELECT g, 'm' FROM generate_series(1, 20) g;

CREATE TABLE empty_t (id int);

CREATE TABLE checked (id int, c int, d int);
INSERT INTO checked SELECT g, g, g FROM generate_series(1, 20) g;
ALTER TABLE checked ADD CONSTRAINT checked_c_nn CHECK (c IS NOT NULL);

CREATE TABLE measurements (id int, region int) PARTITION BY LIST (region);
CREATE TABLE measurements_1 PARTITION OF measurements FOR VALUES IN (1);
CREATE TABLE measurements_3 PARTITION OF measurements FOR VALUES IN (3);
CREATE TABLE measurements_2 (id int, region int);
INSERT INTO measurements_2 SELECT g, 2 FROM generate_series(1, 10) g;
INSERT INTO measurements SELECT g, 1 FROM generate_series(1, 10) g;

CREATE MATERIALIZED VIEW user_counts AS SELECT org_id, count(*) AS c FROM users GROUP BY org_id;
CREATE UNIQUE INDEX user_counts_org_idx ON user_counts (org_id);
CREATE VIEW v_users AS SELECT id FROM users;
CREATE SEQUENCE seq1;
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE SCHEMA other;

CREATE SEQUENCE tickets;
CREATE FUNCTION next_ticket() RETURNS int VOLATILE LANGUAGE sql AS $$SELECT nextval('tickets')::int$$;
CREATE FUNCTION noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER users_trg BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION noop_trigger();
ANALYZE;
