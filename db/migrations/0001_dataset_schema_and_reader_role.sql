-- Datasets live as real tables in their own schema; user SQL runs as loom_reader, which may read
-- that schema and nothing else of Loom's. Roles are cluster-wide, so creating one tolerates a
-- concurrent migration of another database on the same server.
CREATE SCHEMA IF NOT EXISTS loom_data;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'loom_reader') THEN
    CREATE ROLE loom_reader NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT pg_has_role(CURRENT_USER, 'loom_reader', 'MEMBER') THEN
    EXECUTE format('GRANT loom_reader TO %I', CURRENT_USER);
  END IF;
EXCEPTION WHEN unique_violation OR duplicate_object THEN NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA loom_data TO loom_reader;
